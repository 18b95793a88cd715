import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _


class ProgrammeQuerySet(models.QuerySet):
    def newest_first(self) -> "ProgrammeQuerySet":
        """The most recently published call first: the one the latest pages open on."""
        return self.order_by("-published_on", "-pk")

    def taking_applications_on(self, day: datetime.date) -> "ProgrammeQuerySet":
        """Programmes whose call takes an application received on that day, annotated with
        `next_deadline`: the deadline of the round such an application goes into.

        A call is open from the opening of its first round until its last deadline; an
        application between two rounds goes into the next one."""
        return self.annotate(
            first_opens_on=Min("rounds__opens_on"),
            last_deadline=Max("rounds__deadline"),
            next_deadline=Min("rounds__deadline", filter=Q(rounds__deadline__gte=day)),
        ).filter(first_opens_on__lte=day, last_deadline__gte=day)

    def with_accepted_count(self) -> "ProgrammeQuerySet":
        """Annotate `accepted_count`: the applications accepted for guidance over all rounds."""
        # Imported here: applications depends on programmes, not the other way round.
        from profploeg.applications.models import Application

        accepted = Q(rounds__applications__status=Application.Status.ACCEPTED)
        return self.annotate(accepted_count=Count("rounds__applications", filter=accepted))

    def with_offer_in_force(self, day: datetime.date) -> "ProgrammeQuerySet":
        """Annotate `capacity_in_force` and `total_in_force_eur`: the offer's (its last amendment
        effective by the day), else the programme's own figures."""
        # Imported here: trajectories depends on programmes, not the other way round.
        from profploeg.trajectories.models import OfferAmendment

        amendment = OfferAmendment.objects.filter(
            offer__programme=OuterRef("pk"), effective_on__lte=day
        ).order_by("-effective_on", "-pk")
        return self.annotate(
            capacity_in_force=Coalesce(
                Subquery(amendment.values("capacity")[:1]), F("offer__capacity"), F("capacity")
            ),
            total_in_force_eur=Coalesce(
                Subquery(amendment.values("total_eur")[:1]),
                F("offer__total_eur"),
                F("budget_eur"),
            ),
        )


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

    objects = ProgrammeQuerySet.as_manager()

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

    @property
    def budget_per_trajectory(self) -> Decimal | None:
        """The average budget a planned trajectory may use; none is fixed per municipality."""
        if not self.capacity:
            return None
        return (self.budget_eur / self.capacity).quantize(Decimal("0.01"))


class RoundQuerySet(models.QuerySet):
    def receiving_on(self, day: datetime.date) -> "RoundQuerySet":
        """Rounds that can still take an application received on that day, the right one first.

        An application after a round's deadline goes into the next round."""
        return self.filter(deadline__gte=day).order_by("deadline")

    def with_counts(self) -> "RoundQuerySet":
        """Annotate each round with its applications per status, in one grouped query.

        `submitted_count` counts every application received in the round, whatever became of
        it; `pending_count` those still waiting for the admissibility check; `admissible_count`
        those that passed it (admissible, accepted or deferred)."""
        # Imported here: applications depends on programmes, not the other way round.
        from profploeg.applications.models import Application

        Status = Application.Status

        def count(**where) -> Count:
            return Count("applications", filter=Q(**where) if where else None)

        return self.annotate(
            submitted_count=count(),
            pending_count=count(applications__status=Status.SUBMITTED),
            admissible_count=count(applications__status__in=Application.ADMITTED),
            inadmissible_count=count(applications__status=Status.INADMISSIBLE),
            deferred_count=count(applications__status=Status.DEFERRED),
            accepted_count=count(applications__status=Status.ACCEPTED),
            withdrawn_count=count(applications__status=Status.WITHDRAWN),
        )


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

    def round_missed_on(self, day: datetime.date) -> "Round | None":
        """The earlier round whose deadline an application received on `day` missed.

        Only an application that arrives before this round opens was placed here for being late;
        one that arrives while this round is open simply belongs to it."""
        if day >= self.opens_on:
            return None
        return (
            Round.objects.filter(
                programme_id=self.programme_id, number__lt=self.number, deadline__lt=day
            )
            .order_by("-number")
            .first()
        )

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
