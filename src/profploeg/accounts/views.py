import io
import re
from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from profploeg.lib.forms import attempt, posted
from profploeg.lib.paging import paginate

from . import services
from .forms import EnrolForm, InviteForm, TokenForm, UserFilterForm
from .models import AccountEvent, User
from .permissions import may_use_email_code, needs_authenticator, otp_exempt, role_required

# The authenticator this session is setting up: each attempt has its own secret.
PENDING_DEVICE = "accounts_pending_totp"


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
@never_cache
def enrol(request):
    """Set up an authenticator app: scan the QR code, confirm with a code, keep recovery codes."""
    user = request.user
    if not services.may_enrol(user=user, verified=user.is_verified()):
        if services.has_authenticator(user) or not may_use_email_code(user):
            raise PermissionDenied
        # A user who gets codes by email confirms one first: a password alone is not enough.
        device = services.email_device(user)
        if device.valid_until is None or device.valid_until < timezone.now():
            try:
                services.send_login_code(user=user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        messages.info(request, _("Enter the code we emailed you first; then set up the app."))
        return redirect(with_next("accounts:verify", request.get_full_path()))
    pending = request.session.get(PENDING_DEVICE)
    device = None
    if request.method == "POST" and pending:
        device = TOTPDevice.objects.filter(pk=pending, user=user, confirmed=False).first()
    form = EnrolForm(posted(request))
    if device is None:
        device = services.start_totp_enrolment(user=user, replacing=pending)
        request.session[PENDING_DEVICE] = device.pk
        if request.method == "POST":
            form = EnrolForm()
            messages.error(request, _("This set-up has expired: scan the new code."))
    if form.is_bound and form.is_valid():
        try:
            codes = services.confirm_totp_device(
                user=user, device=device, token=form.cleaned_data["token"]
            )
        except ValidationError as error:
            _add(form, error)
        else:
            request.session.pop(PENDING_DEVICE, None)
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


@never_cache
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
    services.log_out_everywhere(
        user=request.user, revoke_tokens=request.POST.get("revoke_tokens") == "on"
    )
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


USER_PAGE_SIZE = 100
# The latest account events first, older ones a page further.
EVENT_PAGE_SIZE = 20


@role_required(User.Role.STAFF)
def users(request):
    """Staff: every user with role, organisation and last login, a page at a time and filtered
    as in the API (?role=, ?active=, ?q=); invite a new one."""
    form = InviteForm(posted(request))
    if form.is_valid():
        data = form.cleaned_data
        if attempt(
            form,
            lambda: services.invite_user(
                by=request.user,
                email=data["email"],
                role=data["role"],
                name=data["name"],
                municipality=data["municipality"],
                province=data["province"],
                expert=data["expert"],
            ),
        ):
            messages.success(
                request, _("The invitation is on its way to %(email)s.") % {"email": data["email"]}
            )
            return redirect("accounts:users")
    filters = UserFilterForm(request.GET)
    found = User.objects.with_role().listed().filtered(**filters.filters())
    return render(
        request,
        "accounts/user_list.html",
        {
            "form": form,
            "filters": filters,
            "users": paginate(request, found.order_by("role", "username", "pk"), USER_PAGE_SIZE),
            "events": paginate(
                request,
                AccountEvent.objects.select_related("user", "by").order_by("-at", "-pk"),
                EVENT_PAGE_SIZE,
                parameter="events_page",
            ),
        },
    )


def _user_action(request, pk: int, action, done: str):
    target = get_object_or_404(User, pk=pk)
    try:
        action(by=request.user, user=target)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"user": target.get_full_name() or target.username})
    return redirect("accounts:users")


@role_required(User.Role.STAFF)
@require_POST
def user_deactivate(request, pk: int):
    return _user_action(request, pk, services.deactivate_user, _("%(user)s is deactivated."))


@role_required(User.Role.STAFF)
@require_POST
def user_reactivate(request, pk: int):
    return _user_action(request, pk, services.reactivate_user, _("%(user)s is active again."))


@role_required(User.Role.STAFF)
@require_POST
def user_reinvite(request, pk: int):
    return _user_action(
        request, pk, services.reinvite_user, _("A new invitation went to %(user)s.")
    )


@otp_exempt
@login_not_required
@never_cache
def accept_invitation(request, secret: str):
    """Choose a password with the invitation's one-time link; then the user is logged in."""
    try:
        invitation = services.find_invitation(secret=secret)
    except ValidationError as error:
        return render(request, "accounts/invitation_invalid.html", {"error": error}, status=404)
    form = SetPasswordForm(invitation.user, posted(request))
    if form.is_valid():
        password = form.cleaned_data["new_password1"]
        accepted = {}
        if attempt(
            form,
            lambda: accepted.setdefault(
                "user", services.accept_invitation(secret=secret, password=password)
            ),
        ):
            user = accepted["user"]
            if request.user.is_authenticated:
                logout(request)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if may_use_email_code(user):
                # The link came by email: it counts as the emailed code of this first login.
                django_otp.login(request, services.email_device(user))
            messages.success(request, _("Welcome to Profploeg: your password is set."))
            if needs_authenticator(user):
                return redirect("accounts:enrol")
            return redirect("home")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


class PasswordResetView(auth_views.PasswordResetView):
    """A reset link by email; the page says the same whether the address is known or not."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/")}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


password_reset = otp_exempt(login_not_required(PasswordResetView.as_view()))
password_reset_done = otp_exempt(
    login_not_required(
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
    )
)
password_reset_confirm = otp_exempt(login_not_required(PasswordResetConfirmView.as_view()))
password_reset_complete = otp_exempt(
    login_not_required(
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        )
    )
)
