import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

FLEMISH_REGION = "02000"


class Province(models.Model):
    refnis = models.CharField(_("REFNIS code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["refnis"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


def municipality_matching(search: str, prefix: str = "") -> Q:
    """Rows of a municipality (through `prefix`) whose REFNIS starts with `search` (digits) or
    whose name holds it; a municipality merged since is found by its new name or code too."""
    search = search.strip()
    if search.isdigit():
        return Q(**{f"{prefix}refnis__startswith": search}) | Q(
            **{f"{prefix}merged_into__refnis__startswith": search}
        )
    return Q(**{f"{prefix}name__icontains": search}) | Q(
        **{f"{prefix}merged_into__name__icontains": search}
    )


class MunicipalityQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> "MunicipalityQuerySet":
        """Municipalities that existed on that day (before or after the 2025 mergers)."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )

    def current(self) -> "MunicipalityQuerySet":
        return self.filter(valid_until__isnull=True)


class Municipality(models.Model):
    refnis = models.CharField(_("REFNIS code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="municipalities")
    # Null means "since before the programme": we only track the 2025 mergers.
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(valid_until__isnull=False),
                name="merged_municipality_has_end_date",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> "Municipality":
        """The municipality as it is now: itself, or the one it merged into."""
        return self.merged_into if self.merged_into_id else self

    @property
    def display_then_and_now(self) -> str:
        return then_and_now(self.name, self.merged_into.name if self.merged_into_id else None)


def then_and_now(name: str, now: str | None) -> str:
    """A municipality's name, with the one it merged into: "Kortessem (now Hasselt)"."""
    if now:
        return gettext("%(name)s (now %(now)s)") % {"name": name, "now": now}
    return name


class MunicipalityBoundary(models.Model):
    """A municipality's outline, simplified for drawing maps, as imported from an official file.

    The file may date from before the 2025 mergers (old REFNIS codes) or after (merged ones);
    a map colours the boundary of the municipality as it was, else of what it became."""

    refnis = models.CharField(_("REFNIS code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    # Polygons of rings of [x, y] in metres on a plane (north up), already simplified.
    polygons = models.JSONField(_("polygons"))
    source = models.CharField(_("source file"), max_length=255)
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        ordering = ["refnis"]
        verbose_name = _("municipality boundary")
        verbose_name_plural = _("municipality boundaries")

    def __str__(self) -> str:
        return f"{self.refnis} {self.name}"
