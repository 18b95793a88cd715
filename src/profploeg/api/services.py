import datetime
import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from profploeg.accounts.models import User

from .models import ApiToken, IdempotencyKey

TOKEN_START = "pp_"
# Writing last_used_at on every request would turn each read into a write; once a minute is
# precise enough to tell a user which token is still in use.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)
MAX_ACTIVE_TOKENS = 20


def hash_secret(secret: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{secret}".encode()).hexdigest()


@transaction.atomic
def create_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token for the user; the plaintext is returned now and never again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, so you know where it is used.")})
    if not user.is_active or not user.role:
        raise PermissionDenied(_("Your account has no role in Profploeg."))
    if ApiToken.objects.visible_to(user).active().count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You have %(max)d active tokens; revoke one first.") % {"max": MAX_ACTIVE_TOKENS}
        )
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_hex(16)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=prefix,
        salt=salt,
        secret_hash=hash_secret(secret, salt),
        created_at=timezone.now(),
    )
    return token, f"{TOKEN_START}{prefix}_{secret}"


@transaction.atomic
def revoke_token(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke a token for good; only its owner (or an administrator) may."""
    if token.user_id != by.pk and not by.is_superuser:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def use_token(*, plaintext: str) -> ApiToken | None:
    """The active token this plaintext belongs to (noting when it was used), or None."""
    if not plaintext.startswith(TOKEN_START):
        return None
    prefix, _sep, secret = plaintext[len(TOKEN_START) :].partition("_")
    if not prefix or not secret:
        return None
    # A deactivated user's tokens authenticate no one.
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(prefix=prefix, user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(secret, token.salt)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def remember_response(
    *, user: User, key: str, request_hash: str, status_code: int, response_body: str
) -> IdempotencyKey:
    """Keep the response of a create action under its idempotency key, for retries to replay.

    Called inside the action's transaction: when two requests race with one key, the second
    fails on the unique constraint and its action is rolled back with it."""
    return IdempotencyKey.objects.create(
        user=user,
        key=key,
        request_hash=request_hash,
        status_code=status_code,
        response_body=response_body,
        created_at=timezone.now(),
    )


@transaction.atomic
def prune_idempotency_keys(*, older_than: datetime.timedelta) -> int:
    """Forget stored responses older than the period; a retry after that acts again."""
    if older_than < datetime.timedelta(days=1):
        raise ValidationError(
            _("Keep stored responses at least one day, so that retries still find them.")
        )
    deleted, _by_model = IdempotencyKey.objects.filter(
        created_at__lt=timezone.now() - older_than
    ).delete()
    return deleted
