"""Real-browser tests: Playwright driving Debian's Chromium against a live test server.

Test-only: nothing here is imported by the application."""
