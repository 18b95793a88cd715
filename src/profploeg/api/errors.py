"""Every error the API returns is JSON: `{"code": ..., "message": ..., "fields": {...}}`.

Messages are translated into the request's language (Accept-Language, through Django's
LocaleMiddleware); where Django already has the sentence we use its msgid, so that it arrives in
Dutch without a catalogue of our own."""

import logging
import math

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from profploeg.applications.services import ConflictError

logger = logging.getLogger(__name__)

# Where a request parameter lives; not part of the field name a client sees.
LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


# Pydantic's decimal limits in the words of Django's DecimalValidator (the pages' messages):
# the limit's name in pydantic's context, and the message.
DECIMAL_LIMITS = {
    "decimal_max_digits": (
        "max_digits",
        ngettext_lazy(
            "Ensure that there are no more than %(max)s digit in total.",
            "Ensure that there are no more than %(max)s digits in total.",
            "max",
        ),
    ),
    "decimal_max_places": (
        "decimal_places",
        ngettext_lazy(
            "Ensure that there are no more than %(max)s decimal place.",
            "Ensure that there are no more than %(max)s decimal places.",
            "max",
        ),
    ),
    "decimal_whole_digits": (
        "whole_digits",
        ngettext_lazy(
            "Ensure that there are no more than %(max)s digit before the decimal point.",
            "Ensure that there are no more than %(max)s digits before the decimal point.",
            "max",
        ),
    ),
}


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportErrorOut(ErrorOut):
    rows: list[RowErrorOut] = []


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before, for a different request."""


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str,
    message: str,
    fields: dict | None = None,
    **extra,
) -> HttpResponse:
    body = {"code": code, "message": str(message), "fields": fields or {}, **extra}
    return api.create_response(request, body, status=status)


def pydantic_message(error: dict) -> str:
    """A translatable message for one pydantic error, by its type."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Enter a whole number.")
    if kind.startswith("datetime"):
        return _("Enter a valid date/time.")
    if kind.startswith("date"):
        return _("Enter a valid date.")
    if kind.startswith("bool"):
        return _("Enter true or false.")
    if kind in ("greater_than_equal", "greater_than"):
        limit = ctx.get("ge", ctx.get("gt"))
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": limit
        }
    if kind in ("less_than_equal", "less_than"):
        limit = ctx.get("le", ctx.get("lt"))
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": limit
        }
    if kind in ("decimal_parsing", "decimal_type", "finite_number", "float_parsing"):
        return _("Enter a number.")
    if kind in DECIMAL_LIMITS:
        limit, message = DECIMAL_LIMITS[kind]
        return message % {"max": ctx.get(limit, 0)}
    if kind == "string_too_short":
        return _("This field cannot be blank.")
    if kind == "string_too_long":
        return _("Ensure this value has at most %(max)d characters.") % {
            "max": ctx.get("max_length", 0)
        }
    if kind in ("literal_error", "enum"):
        return _("Select a valid choice. %(value)s is not one of the available choices.") % {
            "value": error.get("input")
        }
    if kind == "string_pattern_mismatch":
        return _("Enter a valid value.")
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    if kind in ("json_invalid", "model_attributes_type", "dict_type", "model_type"):
        return _("Send a JSON object.")
    if kind == "list_type":
        return _("Enter a list of values.")
    return _("Enter a valid value.")


def field_name(loc: tuple | list) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in LOCATIONS:
        parts = parts[1:]
    # A JSON body is one parameter (`payload`): its fields are what the client named.
    if len(parts) > 1 and loc[0] in ("body", "form"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def install_handlers(api: NinjaAPI) -> None:
    """Turn every exception the API can meet into the JSON error shape."""

    def on_ninja_validation(request, exc: NinjaValidationError):
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            fields.setdefault(field_name(error.get("loc", ())), []).append(pydantic_message(error))
        name, messages = next(iter(fields.items()), ("", [_("Enter a valid value.")]))
        return error_response(
            api,
            request,
            status=422,
            code="invalid",
            message=_("%(field)s: %(message)s") % {"field": name, "message": messages[0]},
            fields=fields,
        )

    def on_django_validation(request, exc: DjangoValidationError):
        if hasattr(exc, "error_dict"):
            fields = {
                name: [str(m) for m in messages] for name, messages in exc.message_dict.items()
            }
            general = fields.pop(NON_FIELD_ERRORS, [])
            first = general[0] if general else next(iter(fields.values()))[0]
        else:
            fields, first = {}, str(exc.messages[0])
        conflict = isinstance(exc, ConflictError) or getattr(exc, "code", None) == "conflict"
        extra = {"rows": exc.rows} if hasattr(exc, "rows") else {}
        return error_response(
            api,
            request,
            status=409 if conflict else 422,
            code="conflict" if conflict else getattr(exc, "api_code", "invalid"),
            message=first,
            fields=fields,
            **extra,
        )

    def on_permission_denied(request, exc: PermissionDenied):
        return error_response(
            api,
            request,
            status=403,
            code="permission_denied",
            message=str(exc) or _("You are not allowed to do this."),
        )

    def on_not_found(request, exc: Exception):
        return error_response(
            api,
            request,
            status=404,
            code="not_found",
            message=_("Not found, or not visible to you."),
        )

    def on_not_authenticated(request, exc: AuthenticationError):
        return error_response(
            api,
            request,
            status=401,
            code="not_authenticated",
            message=_("Send a valid API token (Authorization: Bearer pp_...) or log in."),
        )

    def on_throttled(request, exc: Throttled):
        wait = getattr(request, "rate_limit_retry_after", None) or exc.wait or 1
        response = error_response(
            api,
            request,
            status=429,
            code="rate_limited",
            message=_("Too many requests: try again in %(seconds)d seconds.")
            % {"seconds": math.ceil(wait)},
        )
        response["Retry-After"] = str(max(1, math.ceil(wait)))
        return response

    def on_idempotency_conflict(request, exc: IdempotencyConflict):
        return error_response(
            api,
            request,
            status=422,
            code="idempotency_key_reused",
            message=_(
                "This Idempotency-Key was already used for a different request. "
                "Use a new key for a new request."
            ),
            fields={"Idempotency-Key": [_("Already used for a different request.")]},
        )

    def on_http_error(request, exc: HttpError):
        codes = {400: "bad_request", 405: "method_not_allowed", 413: "too_large"}
        message = _("The request body could not be read: send valid JSON.")
        if exc.status_code != 400:
            message = str(exc)
        return error_response(
            api,
            request,
            status=exc.status_code,
            code=codes.get(exc.status_code, "error"),
            message=message,
        )

    def on_unreadable_body(request, exc: Exception):
        # Django refuses a body it cannot or will not parse (no boundary, a broken part, too
        # many fields or files): the client's mistake, never a 500.
        if isinstance(exc, TooManyFieldsSent):
            message = _("The request has too many fields (at most %(limit)s).") % {
                "limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
            }
        elif isinstance(exc, TooManyFilesSent):
            message = _("The request has too many files (at most %(limit)s).") % {
                "limit": settings.DATA_UPLOAD_MAX_NUMBER_FILES
            }
        elif isinstance(exc, MultiPartParserError):
            message = _(
                "The multipart body could not be read: send multipart/form-data with its "
                "boundary, as an HTTP client does by itself, or send JSON."
            )
        else:
            message = _("The request body could not be read.")
        return error_response(api, request, status=400, code="bad_request", message=message)

    def on_too_large(request, exc: RequestDataTooBig):
        return error_response(
            api,
            request,
            status=413,
            code="too_large",
            message=_("The request body is too large (at most %(size)s MB).")
            % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024) or 1},
        )

    def on_integrity_error(request, exc: IntegrityError):
        # A database constraint caught what a concurrent request slipped past the service.
        return error_response(
            api,
            request,
            status=409,
            code="conflict",
            message=_(
                "Someone else changed this at the same moment; nothing was saved. Try again."
            ),
        )

    def on_unexpected(request, exc: Exception):
        logger.exception("API error on %s %s", request.method, request.path)
        return error_response(
            api,
            request,
            status=500,
            code="server_error",
            message=_("Something went wrong on our side; it has been logged."),
        )

    api.add_exception_handler(NinjaValidationError, on_ninja_validation)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(ObjectDoesNotExist, on_not_found)
    api.add_exception_handler(AuthenticationError, on_not_authenticated)
    api.add_exception_handler(Throttled, on_throttled)
    api.add_exception_handler(IdempotencyConflict, on_idempotency_conflict)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(MultiPartParserError, on_unreadable_body)
    api.add_exception_handler(SuspiciousOperation, on_unreadable_body)
    api.add_exception_handler(RequestDataTooBig, on_too_large)
    api.add_exception_handler(IntegrityError, on_integrity_error)
    api.add_exception_handler(Exception, on_unexpected)
