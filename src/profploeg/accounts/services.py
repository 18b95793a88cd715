"""Two-factor devices, login codes and sessions of a user."""

import base64

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User
from .permissions import may_use_email_code

RECOVERY_CODES = 10


def totp_secret(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when typed in by hand (base32)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def start_totp_enrolment(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for the user: the same one until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


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
def log_out_everywhere(*, user: User) -> int:
    """End every session of the user, on every browser and device; returns how many."""
    ended = 0
    user_id = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            session.delete()
            ended += 1
    return ended


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
