"""Who may see and do what with applications. Reads go through `visible_to`: an outsider gets 404."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from profploeg.accounts.models import User

from .models import Application, Message

# Roles that work across all municipalities: they see every round's table.
ROUND_ROLES = (User.Role.STAFF, User.Role.EXPERT)
# Roles that may record the province's follow-up (the service checks the province itself).
REFERRAL_ROLES = (User.Role.PROVINCE, User.Role.STAFF)


def get_visible_application(user: User, pk: int) -> Application:
    """The application if this user may see it; 404 otherwise, also for a guessed id."""
    return get_object_or_404(
        Application.objects.visible_to(user).select_related(
            "round__programme",
            "municipality__province",
            "municipality__merged_into",
            "submitted_by",
        ),
        pk=pk,
    )


def messages_for(user: User):
    """The messages sent to the user's municipality and to the municipalities it merged from."""
    if not user.is_municipality_user:
        return Message.objects.none()
    return Message.objects.filter(
        Q(municipality_id=user.municipality_id)
        | Q(municipality__merged_into_id=user.municipality_id)
    )


def decisions_for(user: User, application: Application) -> list[str]:
    """The statuses this user may move the application to from the page."""
    if not user.is_active or user.role != User.Role.STAFF:
        return []
    # A withdrawal is the municipality's step; staff only record it (see can_record_withdrawal).
    return [
        to
        for to in application.allowed_transitions(User.Role.STAFF)
        if to != Application.Status.WITHDRAWN
    ]


def can_withdraw(user: User, application: Application) -> bool:
    return user.is_municipality_user and Application.Status.WITHDRAWN in (
        application.allowed_transitions(User.Role.MUNICIPALITY)
    )


def can_record_withdrawal(user: User, application: Application) -> bool:
    """Staff record a withdrawal that reached them by letter, email or phone."""
    return (
        user.is_active
        and user.role == User.Role.STAFF
        and Application.Status.WITHDRAWN in application.allowed_transitions(User.Role.STAFF)
    )


def can_follow_up(user: User, application: Application) -> bool:
    """Staff, or the province of the application's municipality, once it was not admitted."""
    if application.status not in (Application.Status.INADMISSIBLE, Application.Status.DEFERRED):
        return False
    return user.is_programme_staff or (
        user.is_province_user and application.municipality.province_id == user.province_id
    )
