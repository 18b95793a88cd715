"""De Vitrine under concurrent load: requests per second for a case page next to a trivial page,
in one run, against a live threaded server.

The server runs in this process (Django's LiveServerThread, production-like settings: DEBUG off,
cached templates, the default local-memory cache); the load comes from separate client processes
(standard library only), each with its own connection per request, so that the clients do not
compete with the server for the interpreter lock. The data is the demo: the seed programme, its
trajectories and De Vitrine's published cases.

    .venv/bin/python benchmarks/vitrine.py                 # 8 clients, 4 seconds per page
    .venv/bin/python benchmarks/vitrine.py 16 6            # 16 clients, 6 seconds per page

"case page, cache miss" adds a query string that changes on every request: the whole page is
rendered (and stored) each time, which is what every request would cost without the cache. A
cached page costs one query (the cache version) and no template rendering. "x trivial" is the
median time as a multiple of the trivial page's (the login form), as in the other benchmarks.
The latest figures are in benchmarks/README.md."""

import http.client
import multiprocessing
import statistics
import sys
import tempfile
import time

from common import setup_django

CLIENTS = int(sys.argv[1]) if len(sys.argv) > 1 else 8
SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 4.0


def hammer(args) -> tuple[int, list[float], int]:
    """One client: GET the path until the time is up; (requests, latencies, errors)."""
    port, path, seconds, unique, worker = args
    done, errors, latencies = 0, 0, []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        target = f"{path}?bench={worker}-{done}" if unique else path
        start = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", target, headers={"Accept-Language": "nl-BE"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
        except OSError:
            errors += 1
        finally:
            connection.close()
        latencies.append(time.perf_counter() - start)
        done += 1
    return done, latencies, errors


def measure(pool, port: int, path: str, unique: bool = False) -> tuple[float, float, int]:
    jobs = [(port, path, SECONDS, unique, worker) for worker in range(CLIENTS)]
    started = time.perf_counter()
    results = pool.map(hammer, jobs)
    elapsed = time.perf_counter() - started
    requests = sum(r[0] for r in results)
    latencies = [latency for r in results for latency in r[1]]
    return requests / elapsed, statistics.median(latencies), sum(r[2] for r in results)


def main() -> None:
    # Fork the clients before Django starts threads and opens the database.
    pool = multiprocessing.get_context("fork").Pool(CLIENTS)
    setup_django()
    from django.conf import settings
    from django.test.testcases import LiveServerThread
    from django.urls import reverse

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="profploeg-bench-media-")
    # The demo replays history: its notifications are stored, not emailed.
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    from profploeg.demo import applications, showcase, trajectories
    from profploeg.showcase.models import Case

    print("Loading the demo …", flush=True)
    programme = applications.load_seed_programme()
    trajectories.load_trajectories(programme)
    showcase.load_showcase(programme)
    case = Case.objects.published().order_by("pk").first()

    server = LiveServerThread("127.0.0.1", static_handler=lambda app: app, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    port = server.port

    case_url = reverse("showcase:case", args=[case.slug])
    pages = [
        ("/healthz (no template)", "/healthz", False),
        ("trivial page (login form)", reverse("accounts:login"), False),
        ("case page (cached)", case_url, False),
        ("case page, cache miss (rendered)", case_url, True),
        ("case list with map (cached)", reverse("showcase:cases"), False),
        ("home with figures and map (cached)", reverse("showcase:home"), False),
        ("open data cases.json (cached)", reverse("showcase:cases_json"), False),
    ]
    print(f"{CLIENTS} concurrent clients, {SECONDS:.0f} s per page, threaded live server\n")
    print(f"{'page':<40} {'req/s':>8} {'median ms':>10} {'x trivial':>10} {'errors':>7}")
    trivial = None
    for name, path, unique in pages:
        # Warm up: fill the page cache and the template cache.
        hammer((port, path, 0.2, unique, 0))
        rate, median, errors = measure(pool, port, path, unique)
        if name.startswith("trivial"):
            trivial = median
        # Like the other benchmarks: the median time as a multiple of the trivial page's.
        ratio = f"{median / trivial:>10.2f}" if trivial else f"{'':>10}"
        print(f"{name:<40} {rate:>8.0f} {median * 1000:>10.1f} {ratio} {errors:>7}", flush=True)
    pool.close()
    server.terminate()


if __name__ == "__main__":
    main()
