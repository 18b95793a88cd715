"""Switching a programme's page to the same page of another programme.

The pages scoped to one programme include `templates/programme_switch.html` with the key of
their page (`PAGES`); the select goes to `programmes:switch`, which sends the user on."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .models import Programme

# Page key -> (URL name, name of its programme argument).
PAGES = {
    "programme": ("programmes:detail", "pk"),
    "status": ("reports:status", "pk"),
    "budget": ("trajectories:budget", "programme_pk"),
    "offer": ("trajectories:offer", "programme_pk"),
    "evaluation": ("evaluations:programme", "pk"),
}
# Roles that work across programmes; they see the select.
SWITCHING_ROLES = ("staff", "expert")


def switch_url(*, page: str, programme_pk: int) -> str | None:
    """The URL of that page of that programme, or None for a page the switch does not know."""
    if page not in PAGES:
        return None
    name, argument = PAGES[page]
    return reverse(name, kwargs={argument: programme_pk})


def programme_switch(request) -> dict:
    """Context processor: the programmes to switch between, read only when a page shows them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role not in SWITCHING_ROLES:
        return {}
    return {"switch_programmes": SimpleLazyObject(lambda: list(Programme.objects.newest_first()))}
