"""The header's main places per role, and which of them the current page belongs to.

A context processor, so that base.html only loops: one place says which role sees what."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Place:
    key: str
    label: str
    url_name: str


HOME = Place("home", _("Home"), "workspace")
PROGRAMMES = Place("programmes", _("Programmes"), "programmes:list")
TRAJECTORIES = Place("trajectories", _("Trajectories"), "trajectories:list")
BUDGET = Place("budget", _("Budget"), "trajectories:budget_latest")
EVALUATION = Place("evaluation", _("Evaluation"), "evaluations:latest")
VITRINE = Place("vitrine", _("De Vitrine"), "showcase:manage")
USERS = Place("users", _("Users"), "accounts:users")
PERSON_DAYS = Place("days", _("Person-days"), "trajectories:days")
MINE = Place("mine", _("My applications"), "applications:mine")
PROVINCE = Place("province", _("My province"), "applications:province")

PLACES = {
    "staff": (HOME, PROGRAMMES, TRAJECTORIES, BUDGET, EVALUATION, VITRINE, USERS),
    "expert": (PROGRAMMES, TRAJECTORIES, PERSON_DAYS, BUDGET),
    "municipality": (MINE, TRAJECTORIES),
    "province": (PROVINCE,),
}

# URL names (namespace:name) that belong to a place other than their namespace's.
SECTION_OF_URL = {
    "workspace": "home",
    "trajectories:budget": "budget",
    "trajectories:budget_latest": "budget",
    "trajectories:offer": "budget",
    "trajectories:days": "days",
    "trajectories:days_import": "days",
    "trajectories:entry_correct": "days",
    "applications:mine": "mine",
    "applications:apply": "mine",
    "applications:province": "province",
    "applications:referral": "province",
    "applications:round": "programmes",
    "applications:record": "programmes",
    "accounts:users": "users",
}
SECTION_OF_NAMESPACE = {
    "programmes": "programmes",
    "reports": "programmes",
    "trajectories": "trajectories",
    "evaluations": "evaluation",
    "showcase": "vitrine",
}


def section(view_name: str) -> str | None:
    """The header place a URL name belongs to, if any."""
    if view_name in SECTION_OF_URL:
        return SECTION_OF_URL[view_name]
    return SECTION_OF_NAMESPACE.get(view_name.partition(":")[0])


def navigation(request) -> dict:
    """Context processor: `main_places`, each with `label`, `url` and `current`."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    current = section(match.view_name) if match else None
    return {
        "main_places": [
            {"label": place.label, "url": reverse(place.url_name), "current": place.key == current}
            for place in PLACES.get(user.role, ())
        ]
    }
