import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from profploeg.accounts.models import User

from .models import InfoSession, Programme, Round


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
def update_programme(*, programme: Programme, by: User, **fields) -> Programme:
    """Change a programme's title, description, dates, capacity or budget."""
    require_staff(by)
    for name, value in fields.items():
        setattr(programme, name, value)
    programme.full_clean()
    programme.save()
    return programme


@transaction.atomic
def add_round(
    *, programme: Programme, by: User, opens_on: datetime.date, deadline: datetime.date
) -> Round:
    """Add the next submission round; rounds follow each other without overlap."""
    require_staff(by)
    last = programme.rounds.order_by("-number").first()
    if last and deadline <= last.deadline:
        raise ValidationError(
            {
                "deadline": _("The deadline must come after the one of round %(n)s (%(d)s).")
                % {"n": last.number, "d": last.deadline}
            }
        )
    if last and opens_on < last.opens_on:
        raise ValidationError({"opens_on": _("A round cannot open before the previous one.")})
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
    """Move a round's dates; a deadline cannot move once applications were placed by it."""
    require_staff(by)
    if deadline != round_.deadline and round_.applications.exists():
        raise ValidationError(
            {"deadline": _("Applications were already placed by this deadline; it cannot move.")}
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
    """Record (or correct) an info session with its registrations and attendees."""
    require_staff(by)
    session = info_session or InfoSession(programme=programme)
    session.title, session.held_on = title, held_on
    session.registrations, session.attendees = registrations, attendees
    session.full_clean()
    session.save()
    return session
