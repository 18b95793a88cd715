"""Users of Profploeg, for programme staff: the list, invitations, deactivation.

The same services as the staff's users page (`/accounts/users/`): an invitation mails a one-time
link to choose a password; a deactivated user can no longer log in and their tokens stop working."""

import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from profploeg.accounts import services
from profploeg.accounts.models import User
from profploeg.api.idempotency import idempotency_key_header, run_once
from profploeg.api.schemas import ERRORS, Id, PageIn, Refnis, page_of, paginate, text
from profploeg.municipalities.models import Municipality, Province
from profploeg.trajectories.models import Expert

from .access import require_roles

router = Router(tags=["users"])


class UserOut(Schema):
    id: int
    username: str
    name: str
    email: str
    role: str
    municipality: str | None = Field(description="REFNIS code, for a municipality user")
    province: str | None = Field(description="REFNIS code, for a province user")
    expert: int | None = Field(description="The expert profile's id, for an expert")
    organisation: str = Field(description="Municipality, province or expert's organisation")
    is_active: bool
    invitation_pending: bool = Field(description="Invited, no password chosen yet")
    last_login: datetime.datetime | None
    date_joined: datetime.datetime


UserPage = page_of(UserOut, "UserPage")


def users(user: User):
    require_roles(user, User.Role.STAFF)
    return User.objects.with_role().listed()


def user_out(user: User) -> dict:
    profile = getattr(user, "expert_profile", None)
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.get_full_name(),
        "email": user.email,
        "role": user.role,
        "municipality": user.municipality.refnis if user.municipality_id else None,
        "province": user.province.refnis if user.province_id else None,
        "expert": profile.pk if profile is not None else None,
        "organisation": user.organisation_label,
        "is_active": user.is_active,
        "invitation_pending": not user.has_usable_password(),
        "last_login": user.last_login,
        "date_joined": user.date_joined,
    }


class UserFilters(Schema):
    role: Literal["staff", "expert", "municipality", "province"] | None = None
    active: bool | None = None
    q: text(100) | None = Field(None, description="Part of the username, name or email")


@router.get(
    "/users", response={200: UserPage, **ERRORS}, summary="List the users (programme staff)"
)
def list_users(request, filters: Query[UserFilters], page: Query[PageIn]):
    # The users page filters through the same `filtered`, by the same names.
    found = users(request.auth).filtered(**filters.dict())
    return paginate(found.order_by("role", "username", "pk"), page, user_out)


@router.get(
    "/users/{int:user_id}", response={200: UserOut, **ERRORS}, summary="One user (programme staff)"
)
def get_user(request, user_id: Id):
    return user_out(get_object_or_404(users(request.auth), pk=user_id))


class InvitationIn(Schema):
    email: text(254) = Field(description="The address the invitation goes to; also the username")
    role: Literal["staff", "expert", "municipality", "province"]
    name: text(300) = ""
    municipality: Refnis | None = Field(None, description="REFNIS code, for a municipality user")
    province: Refnis | None = Field(None, description="REFNIS code, for a province user")
    expert: Id | None = Field(None, description="An expert profile without a user, for an expert")


@router.post(
    "/users/invitations",
    response={201: UserOut, **ERRORS},
    summary="Invite a user; the mail holds a one-time link to choose a password (staff)",
)
def invite_user(
    request, payload: InvitationIn, idempotency_key: str | None = idempotency_key_header()
):
    def action():
        require_roles(request.auth, User.Role.STAFF)
        municipality = province = expert = None
        if payload.municipality:
            municipality = get_object_or_404(
                Municipality.objects.current(), refnis=payload.municipality
            )
        if payload.province:
            province = get_object_or_404(Province, refnis=payload.province)
        if payload.expert:
            expert = get_object_or_404(Expert, pk=payload.expert)
        user = services.invite_user(
            by=request.auth,
            email=payload.email,
            role=payload.role,
            name=payload.name,
            municipality=municipality,
            province=province,
            expert=expert,
        )
        return 201, user_out(users(request.auth).get(pk=user.pk))

    return run_once(request, idempotency_key, action)


def _act(request, user_id: int, service) -> dict:
    target = get_object_or_404(users(request.auth), pk=user_id)
    service(by=request.auth, user=target)
    return user_out(users(request.auth).get(pk=target.pk))


@router.post(
    "/users/{int:user_id}/deactivate",
    response={200: UserOut, **ERRORS},
    summary="Deactivate a user: no login, no sessions, no tokens (staff; not yourself)",
)
def deactivate_user(request, user_id: Id):
    return _act(request, user_id, services.deactivate_user)


@router.post(
    "/users/{int:user_id}/reactivate",
    response={200: UserOut, **ERRORS},
    summary="Reactivate a deactivated user (staff)",
)
def reactivate_user(request, user_id: Id):
    return _act(request, user_id, services.reactivate_user)


@router.post(
    "/users/{int:user_id}/invitation",
    response={200: UserOut, **ERRORS},
    summary="Send the invitation again; earlier links stop working (staff)",
)
def reinvite_user(request, user_id: Id):
    return _act(request, user_id, services.reinvite_user)
