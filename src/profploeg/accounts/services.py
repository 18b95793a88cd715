"""Two-factor devices, login codes and sessions of a user."""

import base64
import datetime
import hashlib
import logging
import secrets
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AccountEvent, Invitation, User
from .permissions import may_use_email_code

logger = logging.getLogger(__name__)

RECOVERY_CODES = 10
INVITATION_VALIDITY = datetime.timedelta(days=7)


def totp_secret(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when typed in by hand (base32)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def may_enrol(*, user: User, verified: bool) -> bool:
    """Whether this session may set up or replace an authenticator.

    A verified session always may. Otherwise only the first authenticator of a user who has no
    other second factor (staff, experts, province users): a user who gets codes by email must
    enter one first, or a stolen password would be enough to take their second factor over."""
    if verified:
        return True
    return not has_authenticator(user) and not may_use_email_code(user)


@transaction.atomic
def start_totp_enrolment(*, user: User, replacing: int | None = None) -> TOTPDevice:
    """A new unconfirmed authenticator with a fresh secret, for one attempt.

    `replacing` is this session's earlier attempt, removed; other sessions never see the secret."""
    if replacing is not None:
        TOTPDevice.objects.filter(user=user, confirmed=False, pk=replacing).delete()
    return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


@transaction.atomic
def confirm_totp_device(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm an authenticator with a code from it; it replaces any earlier one.

    Returns new recovery codes, shown once."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError(_("This authenticator cannot be confirmed; start again."))
    if not device.verify_token(token.strip()):
        raise ValidationError(
            {"token": _("That code is not right. Check the time on your phone and try again.")}
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return create_recovery_codes(user=user)


@transaction.atomic
def create_recovery_codes(*, user: User) -> list[str]:
    """Ten new single-use recovery codes; the earlier ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": _("Recovery codes"), "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def email_device(user: User) -> EmailDevice:
    device, _created = EmailDevice.objects.get_or_create(
        user=user, defaults={"name": _("Email"), "confirmed": True}
    )
    return device


def send_login_code(*, user: User) -> None:
    """Email a one-time login code to a user who may log in with one (municipalities)."""
    if not may_use_email_code(user):
        raise ValidationError(_("Your account uses an authenticator app, not a code by email."))
    if not user.email:
        raise ValidationError(
            _("Your account has no email address: ask programme staff to add one.")
        )
    email_device(user).generate_challenge()


def verify_second_factor(*, user: User, token: str) -> Device:
    """Accept a code from the user's authenticator, a recovery code, or an emailed code.

    Staff, experts and province users need their authenticator or a recovery code."""
    token = token.strip().replace(" ", "")
    allowed = (
        (TOTPDevice, StaticDevice, EmailDevice)
        if may_use_email_code(user)
        else (
            TOTPDevice,
            StaticDevice,
        )
    )
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if isinstance(device, allowed) and device.verify_token(token):
                return device
    raise ValidationError({"token": _("That code is not right, or it has expired.")})


@transaction.atomic
def log_out_everywhere(*, user: User, revoke_tokens: bool = False) -> int:
    """End every session of the user, on every browser and device, and with `revoke_tokens`
    their personal API tokens too; returns how many sessions ended."""
    ended = 0
    user_id = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            session.delete()
            ended += 1
    if revoke_tokens:
        # Imported here: the API app builds on accounts, not the other way round.
        from profploeg.api.models import ApiToken

        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    return ended


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _require_staff(by: User) -> None:
    if not by.is_programme_staff:
        raise PermissionDenied(_("Only programme staff manage users."))


def _record(*, user: User, kind: str, by: User | None) -> AccountEvent:
    return AccountEvent.objects.create(user=user, kind=kind, by=by, at=timezone.now())


@transaction.atomic
def create_staff(*, username: str, email: str, password: str) -> User:
    """The first account of a new installation: programme staff and Django administrator."""
    username = username.strip()
    if not username:
        raise ValidationError({"username": _("Give a username.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("A user named %(username)s already exists.") % {"username": username}}
        )
    email = User.objects.normalize_email(email.strip())
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": _("Enter a valid email address.")}) from None
    if not password:
        raise ValidationError({"password": _("Give a password.")})
    user = User(username=username, email=email, role=User.Role.STAFF)
    user.is_staff = user.is_superuser = True
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    _record(user=user, kind=AccountEvent.Kind.CREATED, by=None)
    return user


def _organisation_for(
    *, role: str, municipality, province, expert
) -> tuple[object, object, object]:
    """The one organisation field a role needs, and none of the others."""
    errors = {}
    if role == User.Role.MUNICIPALITY and municipality is None:
        errors["municipality"] = _("Choose the municipality this user works for.")
    if role == User.Role.PROVINCE and province is None:
        errors["province"] = _("Choose the province this user works for.")
    if role == User.Role.EXPERT:
        if expert is None:
            errors["expert"] = _(
                "Choose the expert's profile; register the expert first on the experts page."
            )
        elif expert.user_id is not None:
            errors["expert"] = _("This expert already has a user account.")
    if municipality is not None and role != User.Role.MUNICIPALITY:
        errors["municipality"] = _("Only a municipality user has a municipality.")
    if province is not None and role != User.Role.PROVINCE:
        errors["province"] = _("Only a province user has a province.")
    if expert is not None and role != User.Role.EXPERT:
        errors["expert"] = _("Only an expert user has an expert profile.")
    if errors:
        raise ValidationError(errors)
    return municipality, province, expert


@transaction.atomic
def invite_user(
    *,
    by: User,
    email: str,
    role: str,
    name: str = "",
    municipality=None,
    province=None,
    expert=None,
) -> User:
    """Staff invite a user with a role; the mail holds a one-time link to choose a password."""
    _require_staff(by)
    email = User.objects.normalize_email((email or "").strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}) from None
    if role not in User.Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    municipality, province, expert = _organisation_for(
        role=role, municipality=municipality, province=province, expert=expert
    )
    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        raise ValidationError({"email": _("A user with this email address already exists.")})
    first, _sep, last = " ".join((name or "").split()).partition(" ")
    user = User(
        username=email,
        email=email,
        role=role,
        municipality=municipality,
        province=province,
        first_name=first[:150],
        last_name=last[:150],
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if expert is not None:
        type(expert).objects.filter(pk=expert.pk, user__isnull=True).update(user=user)
    _send_invitation(by=by, user=user)
    return user


@transaction.atomic
def reinvite_user(*, by: User, user: User) -> Invitation:
    """Send a new invitation to a user who has not chosen a password; earlier links stop working."""
    _require_staff(by)
    if not user.is_active:
        raise ValidationError(_("This user is deactivated: reactivate them first."))
    if user.has_usable_password():
        raise ValidationError(
            _("This user already chose a password; they can reset it from the login page.")
        )
    return _send_invitation(by=by, user=user)


def _send_invitation(*, by: User, user: User) -> Invitation:
    now = timezone.now()
    Invitation.objects.filter(user=user).usable(now).update(revoked_at=now)
    secret = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=user,
        invited_by=by,
        email=user.email,
        created_at=now,
        expires_at=now + INVITATION_VALIDITY,
        secret_hash=_secret_hash(secret),
    )
    _record(user=user, kind=AccountEvent.Kind.INVITED, by=by)
    context = {
        "user": user,
        "invited_by": by,
        "link": settings.SITE_URL.rstrip("/")
        + reverse("accounts:accept_invitation", kwargs={"secret": secret}),
        "expires_at": invitation.expires_at,
    }
    with translation.override("nl-be"):
        context["role"] = user.get_role_display()
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        body = render_to_string("accounts/email/invitation_body.txt", context)
    # The link's secret is never stored: the mail is sent now, not queued as a stored message.
    transaction.on_commit(lambda: _mail(" ".join(subject.split()), body, user.email))
    return invitation


def _mail(subject: str, body: str, to: str) -> None:
    try:
        send_mail(subject, body.strip() + "\n", None, [to])
    except (SMTPException, OSError):
        # Staff see the invitation as not accepted and can send it again.
        logger.exception("The invitation to %s could not be sent", to)


def find_invitation(*, secret: str) -> Invitation:
    """The invitation of this link, if it can still be used."""
    invitation = (
        Invitation.objects.usable(timezone.now())
        .select_related("user")
        .filter(secret_hash=_secret_hash(secret or ""))
        .first()
    )
    if invitation is None or not invitation.user.is_active:
        raise ValidationError(
            _(
                "This link no longer works: it was used already, it expired or a newer one was "
                "sent. Ask programme staff for a new invitation."
            )
        )
    return invitation


@transaction.atomic
def accept_invitation(*, secret: str, password: str) -> User:
    """Choose a password with an invitation's link; the link works once."""
    invitation = find_invitation(secret=secret)
    claimed = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not claimed:
        raise ValidationError(_("This link was used already."))
    user = invitation.user
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"new_password1": error.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    Invitation.objects.filter(user=user).usable(timezone.now()).update(revoked_at=timezone.now())
    _record(user=user, kind=AccountEvent.Kind.ACCEPTED, by=user)
    return user


@transaction.atomic
def deactivate_user(*, by: User, user: User) -> User:
    """Staff switch an account off: no login, no sessions, no API tokens, no open invitation."""
    _require_staff(by)
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    # Revoked, not just ignored: a later reactivation must not bring old tokens back.
    log_out_everywhere(user=user, revoke_tokens=True)
    now = timezone.now()
    Invitation.objects.filter(user=user).usable(now).update(revoked_at=now)
    _record(user=user, kind=AccountEvent.Kind.DEACTIVATED, by=by)
    return user


@transaction.atomic
def reactivate_user(*, by: User, user: User) -> User:
    """Staff switch a deactivated account on again."""
    _require_staff(by)
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    _record(user=user, kind=AccountEvent.Kind.REACTIVATED, by=by)
    return user
