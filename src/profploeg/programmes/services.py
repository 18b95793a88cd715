import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from profploeg.accounts.models import User
from profploeg.lib import formats

from .models import InfoSession, Programme, Round, Theme

# What a programme's own form and API may change; anything else is refused, not ignored.
PROGRAMME_FIELDS = {"title", "description", "published_on", "capacity", "budget_eur"}


def require_staff(user: User) -> None:
    if not (user.is_active and user.role == User.Role.STAFF):
        raise PermissionDenied(_("Only programme staff can change a programme."))


@transaction.atomic
def create_programme(
    *,
    by: User,
    title: str,
    published_on: datetime.date,
    capacity: int,
    budget_eur: Decimal,
    description: str = "",
) -> Programme:
    """Create a call with its planned capacity (trajectories) and total budget."""
    require_staff(by)
    check_capacity(capacity)
    programme = Programme(
        title=title,
        description=description,
        published_on=published_on,
        capacity=capacity,
        budget_eur=budget_eur,
    )
    programme.full_clean()
    programme.save()
    return programme


@transaction.atomic
def update_programme(
    *, programme: Programme, by: User, follow_offer: bool = False, **fields
) -> Programme:
    """Change a programme's title, description, dates, capacity or budget; once the
    consortium's offer is recorded, capacity and budget follow the offer (`follow_offer`: the
    offer's own services bring them in line)."""
    require_staff(by)
    unknown = set(fields) - PROGRAMME_FIELDS
    if unknown:
        raise ValidationError(
            _("A programme has no field %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    if "capacity" in fields:
        check_capacity(fields["capacity"])
    if not follow_offer:
        check_not_set_by_offer(programme, fields)
    for name, value in fields.items():
        setattr(programme, name, value)
    programme.full_clean()
    programme.save()
    return programme


def check_not_set_by_offer(programme: Programme, fields: dict) -> None:
    changed = [
        name
        for name in ("capacity", "budget_eur")
        if name in fields and fields[name] != getattr(programme, name)
    ]
    if changed and Programme.objects.filter(pk=programme.pk, offer__isnull=False).exists():
        message = _(
            "The consortium's offer sets this programme's capacity and budget: "
            "record an amendment of the offer instead."
        )
        raise ValidationError({name: message for name in changed})


def check_capacity(capacity: int) -> None:
    if capacity < 1:
        raise ValidationError(
            {"capacity": _("Plan at least one trajectory: the capacity must be more than zero.")}
        )


def day(value: datetime.date) -> str:
    return formats.day(value)


def check_round_dates(
    *,
    programme: Programme,
    opens_on: datetime.date,
    deadline: datetime.date,
    number: int | None = None,
) -> None:
    """A round opens before its deadline, after the previous round's deadline and closes before
    the next round opens: rounds follow each other in order, without overlap.

    `number` is the round being moved (None for a new one, which comes after every round)."""
    if opens_on >= deadline:
        raise ValidationError(
            {"deadline": _("A round's deadline must come after its opening date.")}
        )
    others = programme.rounds.all()
    if number is not None:
        others = others.exclude(number=number)
        previous = others.filter(number__lt=number).order_by("-number").first()
        following = others.filter(number__gt=number).order_by("number").first()
    else:
        previous, following = others.order_by("-number").first(), None
    if previous and deadline <= previous.deadline:
        raise ValidationError(
            {
                "deadline": _("The deadline must come after the one of round %(n)s (%(d)s).")
                % {"n": previous.number, "d": day(previous.deadline)}
            }
        )
    if previous and opens_on <= previous.deadline:
        raise ValidationError(
            {
                "opens_on": _(
                    "Round %(n)s is open until %(d)s: a later round opens after that day, "
                    "or an application could belong to two rounds."
                )
                % {"n": previous.number, "d": day(previous.deadline)}
            }
        )
    if following and deadline >= following.opens_on:
        raise ValidationError(
            {
                "deadline": _(
                    "Round %(n)s opens on %(d)s: this round's deadline must come before that day."
                )
                % {"n": following.number, "d": day(following.opens_on)}
            }
        )


@transaction.atomic
def add_round(
    *, programme: Programme, by: User, opens_on: datetime.date, deadline: datetime.date
) -> Round:
    """Add the next submission round; rounds follow each other in order, without overlap."""
    require_staff(by)
    # One round number at a time per programme: lock the programme row.
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    check_round_dates(programme=programme, opens_on=opens_on, deadline=deadline)
    last = programme.rounds.order_by("-number").first()
    round_ = Round(
        programme=programme,
        number=(last.number + 1) if last else 1,
        opens_on=opens_on,
        deadline=deadline,
    )
    round_.full_clean()
    round_.save()
    return round_


@transaction.atomic
def update_round(
    *, round_: Round, by: User, opens_on: datetime.date, deadline: datetime.date
) -> Round:
    """Move a round's dates, in order with its neighbours; a deadline cannot move once
    applications were placed by it."""
    require_staff(by)
    if deadline != round_.deadline and round_.applications.exists():
        raise ValidationError(
            {"deadline": _("Applications were already placed by this deadline; it cannot move.")}
        )
    check_round_dates(
        programme=round_.programme, opens_on=opens_on, deadline=deadline, number=round_.number
    )
    round_.opens_on, round_.deadline = opens_on, deadline
    round_.full_clean()
    round_.save()
    return round_


@transaction.atomic
def record_info_session(
    *,
    programme: Programme,
    by: User,
    title: str,
    held_on: datetime.date,
    registrations: int = 0,
    attendees: int = 0,
    info_session: InfoSession | None = None,
) -> InfoSession:
    """Record (or correct) an info session with its registrations and attendees.

    Attendees may outnumber registrations (a webinar's link is passed on; registrations may be
    unknown, 0)."""
    require_staff(by)
    if info_session is not None and info_session.programme_id != programme.pk:
        raise ValidationError(_("This info session belongs to another programme."))
    if not title.strip():
        raise ValidationError({"title": _("Give the info session a title.")})
    title = title.strip()
    session = info_session or InfoSession(programme=programme)
    session.title, session.held_on = title, held_on
    session.registrations, session.attendees = registrations, attendees
    session.full_clean()
    session.save()
    return session


def unique_theme_slug(slug: str, theme: Theme | None = None) -> None:
    taken = Theme.objects.filter(slug=slug)
    if theme is not None:
        taken = taken.exclude(pk=theme.pk)
    if taken.exists():
        raise ValidationError({"slug": _("There already is a theme “%(slug)s”.") % {"slug": slug}})


@transaction.atomic
def create_theme(*, by: User, name: str, slug: str = "") -> Theme:
    """Add a theme applications can be about; its slug (from the name if none is given) is
    how filters and imports name it."""
    require_staff(by)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the theme a name.")})
    slug = slug.strip() or slugify(name)
    if not slug:
        raise ValidationError({"slug": _("Give the theme a slug of letters, digits or dashes.")})
    unique_theme_slug(slug)
    theme = Theme(name=name, slug=slug)
    theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def update_theme(
    *, by: User, theme: Theme, name: str | None = None, slug: str | None = None
) -> Theme:
    """Rename a theme or change its slug; applications keep their themes."""
    require_staff(by)
    if name is not None:
        if not name.strip():
            raise ValidationError({"name": _("Give the theme a name.")})
        theme.name = name.strip()
    if slug is not None:
        if not slug.strip():
            raise ValidationError(
                {"slug": _("Give the theme a slug of letters, digits or dashes.")}
            )
        unique_theme_slug(slug.strip(), theme)
        theme.slug = slug.strip()
    theme.full_clean()
    theme.save()
    return theme
