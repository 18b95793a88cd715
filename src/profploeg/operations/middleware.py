from profploeg.views import healthz


class HealthCheckMiddleware:
    """`/healthz` answers whatever Host it is asked by: a monitor or load balancer on the same
    machine asks for 127.0.0.1, which ALLOWED_HOSTS (the public name) would refuse with 400.
    First in the chain, before anything reads the host; it says no more than "ok"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz" and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
