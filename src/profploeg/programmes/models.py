import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Programme(models.Model):
    """An open call (oproep) and the guidance programme behind it."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    published_on = models.DateField(_("publication date"))
    capacity = models.PositiveIntegerField(
        _("planned capacity"), help_text=_("Number of trajectories the budget is planned for.")
    )
    budget_eur = models.DecimalField(_("total budget (EUR)"), max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_eur__gte=0), name="programme_budget_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.title


class RoundQuerySet(models.QuerySet):
    def receiving_on(self, day: datetime.date) -> "RoundQuerySet":
        """Rounds that can still take an application received on that day, the right one first.

        An application after a round's deadline goes into the next round."""
        return self.filter(deadline__gte=day).order_by("deadline")


class Round(models.Model):
    """A submission round (indieningsronde) with its deadline."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("number"))
    opens_on = models.DateField(_("opening date"))
    deadline = models.DateField(_("deadline"))

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="unique_round_number"),
            models.CheckConstraint(
                condition=Q(opens_on__lte=F("deadline")), name="round_opens_before_deadline"
            ),
        ]

    def __str__(self) -> str:
        return _("Round %(number)s") % {"number": self.number}

    def clean(self) -> None:
        if self.opens_on and self.deadline and self.opens_on > self.deadline:
            raise ValidationError(
                {"deadline": _("The deadline cannot be before the opening date.")}
            )


class InfoSession(models.Model):
    """An information session (webinar) about the call."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="info_sessions")
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    registrations = models.PositiveIntegerField(_("registrations"), default=0)
    attendees = models.PositiveIntegerField(_("attendees"), default=0)

    class Meta:
        ordering = ["held_on"]
        verbose_name = _("info session")
        verbose_name_plural = _("info sessions")

    def __str__(self) -> str:
        return self.title


class Theme(models.Model):
    """A theme an application can be about (vacancy, retail, public space, ...)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name
