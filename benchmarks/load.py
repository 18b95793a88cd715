"""Load: N concurrent users on the main pages of gunicorn for 60 seconds, next to a trivial page.

Builds a fresh database with `profploeg demo` (or uses LOAD_DATABASE_URL as it is), starts
gunicorn on 127.0.0.1 with production settings (DEBUG off, WhiteNoise, cached templates), logs
each simulated user in through the login form (staff, expert, municipality and province users
in turn), and has each request its role's main pages one after the other, without pause, for
the duration. Then the same users request /healthz for the same time. Any error (a status other
than 200, a timeout, a refused connection) makes the run fail.

    .venv/bin/python benchmarks/load.py                  # 20 users, 60 s each phase
    .venv/bin/python benchmarks/load.py --users 40 --seconds 30
    LOAD_DATABASE_URL=postgres://postgres@127.0.0.1/profploeg_load .venv/bin/python benchmarks/load.py

Only loopback is used; every loop stops by itself at its deadline.
"""

import argparse
import http.client
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PROFPLOEG = [sys.executable, "-m", "profploeg"]
PASSWORD = "profploeg-demo"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """One user: a keep-alive connection and the session and CSRF cookies."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body, headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            # A dropped keep-alive connection: open a new one once.
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request(method, path, body, headers)
            response = self.conn.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        return response.status, response.getheader("Location", ""), content

    def log_in(self, username: str) -> None:
        status, _location, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        body = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
        status, location, _ = self.request(
            "POST",
            "/accounts/login/",
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/accounts/login/",
            },
        )
        if status != 302 or "login" in location:
            raise RuntimeError(f"{username} could not log in ({status})")


def prepare_database(env: dict) -> None:
    subprocess.run([*PROFPLOEG, "migrate", "--noinput", "-v0"], env=env, check=True)
    # Production settings: the demo loads only on purpose.
    subprocess.run([*PROFPLOEG, "demo", "--force"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*PROFPLOEG, "collectstatic", "--noinput", "-v0"], env=env, check=True)


def main_pages(env: dict) -> dict[str, list[str]]:
    """Each role's main pages, with ids read from the demo data."""
    code = (
        "from profploeg.programmes.models import Programme;"
        "p = Programme.objects.filter(rounds__number=2).order_by('published_on').first();"
        "print(p.pk, p.rounds.get(number=1).pk, p.rounds.get(number=2).pk)"
    )
    out = subprocess.run(
        [*PROFPLOEG, "shell", "-c", code], env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    programme, round1, round2 = out[-3:]
    return {
        "vlaio": [
            "/programmes/",
            f"/programmes/{programme}/",
            f"/applications/rounds/{round1}/",
            f"/applications/rounds/{round2}/",
            f"/reports/programmes/{programme}/status/?as_of=2022-12-31",
            "/trajectories/",
            f"/trajectories/budget/{programme}/",
        ],
        "expert": ["/programmes/", "/trajectories/", f"/trajectories/budget/{programme}/"],
        "gemeente": ["/applications/mine/", "/trajectories/"],
        "provincie-antwerpen": ["/applications/province/", "/trajectories/"],
        "anonymous": ["/vitrine/", "/vitrine/cases/"],
    }


def run_phase(port, users, pages_for, seconds):
    """Each user requests its pages in turn until the deadline; latencies per page, errors."""
    latencies = defaultdict(list)
    errors = []
    lock = threading.Lock()
    ready = threading.Barrier(len(users) + 1)
    go = threading.Event()
    deadline = [0.0]

    def user_loop(username):
        browser = Browser(port)
        try:
            if username != "anonymous":
                browser.log_in(username)
            # Warm up: each page once (templates compiled, connections opened), not measured.
            for path in pages_for(username):
                if browser.request("GET", path)[0] != 200:
                    raise RuntimeError(f"{path} did not answer 200")
        except Exception as error:
            with lock:
                errors.append(f"{username}: {error}")
        ready.wait()
        go.wait()
        pages = pages_for(username)
        i = 0
        while time.monotonic() < deadline[0]:
            path = pages[i % len(pages)]
            i += 1
            start = time.perf_counter()
            try:
                status, _location, _ = browser.request("GET", path)
            except Exception as error:
                status = repr(error)
            elapsed = time.perf_counter() - start
            with lock:
                latencies[path].append(elapsed)
                if status != 200:
                    errors.append(f"{username} {path}: {status}")

    threads = [threading.Thread(target=user_loop, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.monotonic()
    deadline[0] = started + seconds
    go.set()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return latencies, errors, time.monotonic() - started


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def summary(name: str, latencies: dict, errors: list, elapsed: float) -> None:
    every = [v for values in latencies.values() for v in values]
    print(
        f"{name:<12} {len(every):>7} requests  {len(every) / elapsed:>7.1f} req/s  "
        f"median {statistics.median(every) * 1000:>6.1f} ms  p95 {p95(every) * 1000:>6.1f} ms  "
        f"errors {len(errors)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="profploeg-load-"))
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "OTP_REQUIRED": "0",
        "PROFPLOEG_HOME": str(home),
        "MEDIA_ROOT": str(home / "media"),
        "DATABASE_URL": os.environ.get("LOAD_DATABASE_URL", f"sqlite:///{home / 'load.sqlite3'}"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # Many users share one address here: no lockout, and the API limit is not what is measured.
        "LOGIN_FAILURE_LIMIT": "1000",
        "API_RATE_LIMIT": "100000/minute",
        "PYTHONPATH": str(ROOT / "src"),
    }
    print(f"Preparing the demo database in {home} ...", flush=True)
    if "LOAD_DATABASE_URL" in os.environ:
        subprocess.run([*PROFPLOEG, "migrate", "--noinput", "-v0"], env=env, check=True)
        subprocess.run([*PROFPLOEG, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    else:
        prepare_database(env)
    pages = main_pages(env)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "profploeg.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            "2",
            "--timeout",
            "60",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _attempt in range(300):
            try:
                if Browser(port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        roles = list(pages)
        users = [roles[i % len(roles)] for i in range(args.users)]
        print(
            f"{args.users} users ({', '.join(f'{users.count(r)} {r}' for r in roles)}), "
            f"gunicorn {args.workers} workers x 2 threads, {args.seconds} s per phase",
            flush=True,
        )
        main_latencies, main_errors, main_elapsed = run_phase(
            port, users, lambda user: pages[user], args.seconds
        )
        trivial_latencies, trivial_errors, trivial_elapsed = run_phase(
            port, users, lambda user: ["/healthz"], args.seconds
        )
    finally:
        server.terminate()
        server.wait(timeout=30)

    print()
    for path, values in sorted(main_latencies.items()):
        print(f"  {path:<50} {len(values):>6}  p95 {p95(values) * 1000:>7.1f} ms")
    print()
    summary("main pages", main_latencies, main_errors, main_elapsed)
    summary("/healthz", trivial_latencies, trivial_errors, trivial_elapsed)
    for error in (main_errors + trivial_errors)[:20]:
        print("ERROR", error)
    return 1 if main_errors or trivial_errors else 0


if __name__ == "__main__":
    sys.exit(main())
