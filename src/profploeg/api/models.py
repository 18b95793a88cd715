from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ApiTokenQuerySet":
        """A user sees and manages only their own tokens."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A personal API token: acts as its user, with that user's role and municipality/province.

    The plaintext is `pp_<prefix>_<secret>` and is shown once. We keep the prefix to find the row
    and a salted SHA-256 of the secret, not a Django password hash: the secret is 256 random bits,
    so a slow hash adds nothing against guessing, and it would cost every API request ~0.3 s."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    salt = models.CharField(max_length=32)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} (pp_{self.prefix}_…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyKey(models.Model):
    """The stored outcome of a create action sent with an `Idempotency-Key` header.

    A retry with the same key and the same request gets this response back instead of acting
    twice; the same key with another request is refused."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    # The JSON text as sent, not a JSONField: PostgreSQL's jsonb would reorder the keys, and a
    # replay must be byte for byte the first answer.
    response_body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key_per_user")
        ]

    def __str__(self) -> str:
        return self.key
