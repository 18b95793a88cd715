import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_hex(8)


class DataVersion(models.Model):
    """One row: a number that every committed write to the domain's tables raises (see
    `versioning.py`). Cached figures are keyed on it, with a token that a restore or a flush
    renews, so that a number seen before never names other data."""

    token = models.CharField(max_length=32, default=new_token)
    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")

    def __str__(self) -> str:
        return f"{self.token}:{self.number}"
