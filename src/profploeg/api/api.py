"""The Profploeg API: the NinjaAPI instance, its authentication, rate limit and error handling.

Every endpoint reads through the same `visible_to(user)` querysets and changes through the same
services as the pages; see `endpoints/`."""

from ninja import NinjaAPI, Swagger

from . import errors
from .auth import SessionAuth, TokenAuth
from .throttling import FixedWindowThrottle

api = NinjaAPI(
    title="Profploeg API",
    version="1",
    description=(
        "Programmes, rounds, applications, decisions and reports of Profploeg. "
        "Authenticate with a personal token (`Authorization: Bearer pp_...`, created on "
        "/api/tokens/) or, in the browser, with your session and the CSRF token. Errors are "
        '`{"code", "message", "fields"}`, in Dutch or English by `Accept-Language`.'
    ),
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    throttle=[FixedWindowThrottle()],
    # With "ninja" in INSTALLED_APPS the docs page loads Swagger UI from the package's own
    # static files, never from a CDN: it works offline.
    docs=Swagger(settings={"persistAuthorization": True}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install_handlers(api)

from .endpoints import register  # noqa: E402  (endpoints import `api` helpers)

register(api)
