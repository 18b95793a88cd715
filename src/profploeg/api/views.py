from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import TokenForm
from .models import ApiToken


def token_list(request):
    """The user's API tokens: create one (its secret shown once), see when each was used, revoke."""
    form = TokenForm(request.POST or None)
    plaintext = None
    if request.method == "POST" and form.is_valid():
        try:
            token, plaintext = services.create_token(
                user=request.user, name=form.cleaned_data["name"]
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error.messages[0] if hasattr(error, "messages") else str(error))
        else:
            form = TokenForm()
    tokens = ApiToken.objects.visible_to(request.user)
    return render(
        request,
        "api/token_list.html",
        {"form": form, "tokens": tokens, "plaintext": plaintext},
    )


@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=pk)
    services.revoke_token(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api:tokens")


def not_found(request, *args, **kwargs):
    return JsonResponse(
        {"code": "not_found", "message": _("There is no such API endpoint."), "fields": {}},
        status=404,
    )


def method_not_allowed(request, *, allowed: str):
    response = JsonResponse(
        {
            "code": "method_not_allowed",
            "message": _("This endpoint does not take %(method)s; it takes %(allowed)s.")
            % {"method": request.method, "allowed": allowed},
            "fields": {},
        },
        status=405,
    )
    response["Allow"] = allowed
    return response
