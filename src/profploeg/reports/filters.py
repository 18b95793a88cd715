"""Filters of the status report: by province, status, theme and expert.

A filter keeps the applications it matches; the rounds' figures are then those of the
applications kept (for the guidance: the sums of their rows). The programme's own figures
(capacity, budget, sessions, evaluation) stay those of the whole programme."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from profploeg.applications.models import Application
from profploeg.municipalities.models import Province
from profploeg.programmes.models import Theme
from profploeg.trajectories.models import Assignment, Expert


@dataclass(frozen=True)
class ReportFilter:
    """Province by REFNIS code, application status on the date, theme by slug, expert by id."""

    province: str | None = None
    status: str | None = None
    theme: str | None = None
    expert: int | None = None

    @property
    def active(self) -> bool:
        return any(
            v not in (None, "") for v in (self.province, self.status, self.theme, self.expert)
        )

    def validate(self) -> None:
        if self.status and self.status not in Application.Status.values:
            raise ValidationError(
                _("Unknown status “%(status)s”; one of: %(choices)s.")
                % {"status": self.status, "choices": ", ".join(Application.Status.values)}
            )

    def kept(self, applications: list) -> list:
        """The applications (`status.ApplicationOn`: status on the date, themes) the filter keeps.

        Filtered in Python, as the report reads every application anyway: one more query for
        the expert filter only."""
        if not self.active:
            return applications
        with_expert = None
        if self.expert:
            with_expert = set(
                Assignment.objects.filter(expert_id=self.expert).values_list(
                    "trajectory__application_id", flat=True
                )
            )
        province = (self.province or "").lower()
        return [
            application
            for application in applications
            if (
                not province
                or province
                in (
                    application.municipality.province.refnis,
                    application.municipality.province.name.lower(),
                )
            )
            and (not self.status or application.status_on == self.status)
            and (not self.theme or any(t.slug == self.theme for t in application.themes))
            and (with_expert is None or application.pk in with_expert)
        ]

    def describe(self) -> dict[str, dict]:
        """The active filters, each as its value and a readable label (the report's `filters`)."""
        described = {}
        if self.province:
            province = Province.objects.filter(
                Q(refnis=self.province) | Q(name__iexact=self.province)
            ).first()
            described["province"] = {
                "value": province.refnis if province else self.province,
                "label": province.name if province else self.province,
            }
        if self.status:
            described["status"] = {
                "value": self.status,
                "label": str(Application.Status(self.status).label),
            }
        if self.theme:
            theme = Theme.objects.filter(slug=self.theme).first()
            described["theme"] = {"value": self.theme, "label": theme.name if theme else self.theme}
        if self.expert:
            expert = Expert.objects.filter(pk=self.expert).first()
            described["expert"] = {
                "value": self.expert,
                "label": expert.name if expert else str(self.expert),
            }
        return described
