import io
import re
from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticToken

from . import services
from .forms import EnrolForm, TokenForm
from .permissions import may_use_email_code, needs_authenticator, otp_exempt


def safe_next(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    out = io.BytesIO()
    image.save(out)
    svg = re.sub(r"^<\?xml[^>]*\?>\s*", "", out.getvalue().decode())
    return svg.replace("<svg ", '<svg class="qr" role="img" aria-hidden="true" ', 1)


class LoginView(auth_views.LoginView):
    """Password first; then the second factor (an emailed code for municipalities)."""

    template_name = "accounts/login.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if (
            settings.OTP_REQUIRED
            and may_use_email_code(user)
            and not services.has_authenticator(user)
        ):
            try:
                services.send_login_code(user=user)
            except ValidationError as error:
                messages.error(self.request, " ".join(error.messages))
        return response


login_view = otp_exempt(login_not_required(LoginView.as_view()))
logout_view = otp_exempt(auth_views.LogoutView.as_view())


@otp_exempt
def verify(request):
    """The second step of the login: a code from the authenticator, a recovery code, or email."""
    user = request.user
    next_url = safe_next(request)
    if user.is_verified():
        return redirect(next_url)
    if needs_authenticator(user) and not services.has_authenticator(user):
        return redirect(with_next("accounts:enrol", next_url))
    form = TokenForm(request.POST or None)
    if form.is_valid():
        try:
            device = services.verify_second_factor(user=user, token=form.cleaned_data["token"])
        except ValidationError as error:
            _add(form, error)
        else:
            request.session.cycle_key()
            django_otp.login(request, device)
            return redirect(next_url)
    return render(
        request,
        "accounts/verify.html",
        {
            "form": form,
            "next": next_url,
            "email_code": may_use_email_code(user) and not services.has_authenticator(user),
        },
    )


@otp_exempt
@require_POST
def send_code(request):
    """Email a new login code (municipality users)."""
    try:
        services.send_login_code(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("A new code is on its way to %(email)s.") % {"email": request.user.email}
        )
    return redirect(with_next("accounts:verify", safe_next(request)))


@otp_exempt
def enrol(request):
    """Set up an authenticator app: scan the QR code, confirm with a code, keep recovery codes."""
    user = request.user
    # Without a verified session, only a first authenticator may be set up: otherwise a stolen
    # password would be enough to add one.
    if services.has_authenticator(user) and not user.is_verified():
        raise PermissionDenied
    device = services.start_totp_enrolment(user=user)
    form = EnrolForm(request.POST or None)
    if form.is_valid():
        try:
            codes = services.confirm_totp_device(
                user=user, device=device, token=form.cleaned_data["token"]
            )
        except ValidationError as error:
            _add(form, error)
        else:
            request.session.cycle_key()
            django_otp.login(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": safe_next(request)},
            )
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr": mark_safe(qr_svg(device.config_url)),
            "secret": services.totp_secret(device),
            "next": safe_next(request),
        },
    )


@require_POST
def recovery_codes(request):
    """New recovery codes; the old ones stop working."""
    codes = services.create_recovery_codes(user=request.user)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:profile")},
    )


def profile(request):
    user = request.user
    recovery_left = StaticToken.objects.filter(device__user=user).count()
    return render(
        request,
        "accounts/profile.html",
        {
            "has_authenticator": services.has_authenticator(user),
            "recovery_left": recovery_left,
            "needs_authenticator": needs_authenticator(user),
        },
    )


@require_POST
def logout_everywhere(request):
    """End every session of this user, this one included."""
    services.log_out_everywhere(user=request.user)
    logout(request)
    messages.success(request, _("You are logged out on every device."))
    return redirect("accounts:login")


def locked_out(request, original_response=None, credentials=None):
    """django-axes: too many failed logins for this username from this address."""
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": services.lockout_minutes(), "limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


def with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _add(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
