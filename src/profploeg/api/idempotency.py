"""`Idempotency-Key` on actions: a retried request replays the first response, never acts twice.

The key belongs to the user who sent it. The first successful response is stored with a hash of
the request (method, path, body); a retry with the same key and the same request gets that
response back with `Idempotent-Replayed: true`, the same key with another request is refused
(422, code `idempotency_key_reused`). A refused request (4xx) stores nothing: it changed nothing,
so a corrected retry may use the same key."""

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from ninja import Header

from . import services
from .errors import IdempotencyConflict
from .models import IdempotencyKey
from .schemas import no_control_characters


def idempotency_key_header():
    """The `Idempotency-Key` header parameter (a fresh one per endpoint)."""
    return Header(
        None,
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Any unique string (a UUID): a retry with the same key is not done twice.",
    )


def fingerprint(request: HttpRequest) -> str:
    """A hash of what the request asks: the same JSON in another key order is the same request,
    and so is the same multipart form with another boundary."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.content_type == "multipart/form-data":
        for name in sorted(request.POST):
            digest.update(json.dumps([name, request.POST.getlist(name)]).encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                content = hashlib.sha256()
                for chunk in upload.chunks():
                    content.update(chunk)
                upload.seek(0)
                digest.update(json.dumps([name, upload.name, content.hexdigest()]).encode())
    else:
        try:
            digest.update(json.dumps(json.loads(request.body), sort_keys=True).encode())
        except ValueError:
            digest.update(request.body)
    return digest.hexdigest()


def replay(api, request: HttpRequest, stored: IdempotencyKey, request_hash: str) -> HttpResponse:
    if stored.request_hash != request_hash:
        raise IdempotencyConflict
    response = HttpResponse(
        stored.response_body, status=stored.status_code, content_type=api.get_content_type()
    )
    response["Idempotent-Replayed"] = "true"
    return response


def run_once(
    request: HttpRequest, key: str | None, action: Callable[[], tuple[int, dict]]
) -> HttpResponse:
    """Do `action` (which returns status and body) at most once per user and key."""
    from .api import api

    if not key:
        status, body = action()
        return api.create_response(request, body, status=status)
    key = no_control_characters(key)
    user = request.auth
    request_hash = fingerprint(request)
    stored = IdempotencyKey.objects.filter(user=user, key=key).first()
    if stored is not None:
        return replay(api, request, stored, request_hash)
    try:
        with transaction.atomic():
            status, body = action()
            response = api.create_response(request, body, status=status)
            services.remember_response(
                user=user,
                key=key,
                request_hash=request_hash,
                status_code=status,
                response_body=response.content.decode(),
            )
    except IntegrityError:
        # Two requests with one key at once: the other one won and its action stands.
        stored = IdempotencyKey.objects.filter(user=user, key=key).first()
        if stored is None:
            raise
        return replay(api, request, stored, request_hash)
    return response
