from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from .permissions import second_factor_required


class SecondFactorRequiredMiddleware:
    """After the password, nothing but the second-factor pages until a device is verified.

    Needs django_otp's OTPMiddleware before it (request.user.is_verified)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not second_factor_required(user) or user.is_verified():
            return None
        if getattr(view_func, "otp_exempt", False):
            return None
        namespace = request.resolver_match.namespace if request.resolver_match else ""
        # The admin checks its own login, so it is marked public: it needs the second factor too.
        if not getattr(view_func, "login_required", True) and namespace != "admin":
            # A public page (De Vitrine, its photos, the API's public endpoints) sees a session
            # that has not passed the second factor as anonymous: the password alone opens
            # nothing more than it does for a visitor; the API answers 401 to it.
            request.user = AnonymousUser()
            return None
        return redirect(
            f"{reverse('accounts:verify')}?{urlencode({'next': request.get_full_path()})}"
        )


class PrivateResponseMiddleware:
    """Pages and downloads made for a logged-in user are never stored by a browser or proxy:
    another user of the same computer must not find them in the cache or the back button."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
