"""De Vitrine: public pages (no login, cached), open data, and the case workflow for staff,
experts and municipalities."""

from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import ExtractYear
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from profploeg.accounts.permissions import role_required
from profploeg.lib.forms import attempt, posted
from profploeg.lib.paging import paginate
from profploeg.lib.spreadsheets import MACHINE, csv_dialect
from profploeg.municipalities.models import Province
from profploeg.programmes.forms import ProgrammeFilterForm
from profploeg.trajectories.models import Trajectory
from profploeg.trajectories.permissions import get_visible_trajectory

from . import opendata, services
from .cache import cached_page
from .figures import public_figures
from .forms import CaseFilterForm, CaseForm, NewCaseForm, PhotoForm, ReasonForm
from .map import cases_map
from .models import Case, CasePhoto
from .sitemaps import SITEMAPS

ALL_ROLES = ("staff", "expert", "municipality", "province")
PAGE_SIZE = 12


def public(view: Callable) -> Callable:
    """A page of De Vitrine: open to everyone and cached."""
    return login_not_required(cached_page(view))


def case_context(case: Case) -> dict:
    return {
        "case": case,
        "municipality": case.trajectory.application.municipality,
        "organisations": opendata.organisations(case),
        "indicators": opendata.indicator_pairs(case),
        "measures": [line.strip() for line in case.measures.splitlines() if line.strip()],
        "canonical": opendata.absolute(reverse("showcase:case", args=[case.slug])),
    }


# Public pages


@public
def home(request):
    """The programme in figures, the latest cases and where they are."""
    cases = list(opendata.public_cases().order_by("-first_published_at", "pk"))
    return render(
        request,
        "showcase/home.html",
        {
            "figures": public_figures(),
            "latest": cases[:6],
            "map": cases_map(cases),
            "case_count": len(cases),
        },
    )


def published_years() -> list[int]:
    return list(
        Case.objects.published()
        .annotate(year=ExtractYear("trajectory__ended_on"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


@public
def case_list(request):
    """Published cases: search, filters by theme, province, year and size, and a map."""
    form = CaseFilterForm(request.GET or None, years=published_years())
    cases = form.apply(opendata.public_cases()).order_by("-first_published_at", "pk").distinct()
    page = paginate(request, cases, PAGE_SIZE)
    return render(
        request,
        "showcase/case_list.html",
        {
            "section": "cases",
            "form": form,
            "page": page,
            "count": page.paginator.count,
            "map": cases_map(list(cases), title=_("Map of the cases found")),
        },
    )


@public
def case_detail(request, slug: str):
    case = get_object_or_404(opendata.public_cases(), slug=slug)
    return render(request, "showcase/case_detail.html", {"section": "cases", **case_context(case)})


@public
def case_map(request):
    """All published cases on the map, and listed per province."""
    cases = list(opendata.public_cases().order_by("trajectory__application__municipality__name"))
    by_province = defaultdict(list)
    for case in cases:
        by_province[case.trajectory.application.municipality.province.name].append(case)
    provinces = [(p.name, by_province.get(p.name, [])) for p in Province.objects.all()]
    return render(
        request,
        "showcase/case_map.html",
        {"section": "map", "map": cases_map(cases), "provinces": provinces, "count": len(cases)},
    )


@login_not_required
def photo(request, pk: int):
    """A photo of a published case for everyone; of another case only for who may see it."""
    photo = get_object_or_404(CasePhoto.objects.select_related("case"), pk=pk)
    published = photo.case.status == Case.Status.PUBLISHED
    if not published and not Case.objects.visible_to(request.user).filter(pk=photo.case_id):
        raise Http404
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("This photo is no longer available.")) from missing
    response = FileResponse(handle, content_type=photo.content_type)
    response["Cache-Control"] = "public, max-age=300" if published else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_not_required
def set_language(request, language: str):
    """Switch the language by a plain link, so that public pages carry no form token and can
    be cached for everyone."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("showcase:home")
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
    )
    return response


# Open data


def open_data_response(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Link"] = f'<{opendata.LICENCE["url"]}>; rel="license"'
    response["X-Licence"] = f"{opendata.LICENCE['name']} {opendata.LICENCE['version']}"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@public
def open_data(request):
    return render(
        request, "showcase/open_data.html", {"section": "open_data", "licence": opendata.LICENCE}
    )


@public
def cases_json(request):
    cases = opendata.public_cases().order_by("pk")
    return open_data_response(
        opendata.cases_json(cases), "application/json; charset=utf-8", "cases.json"
    )


def open_data_dialect(request):
    """Open data is for programs first: the machine dialect unless `?dialect=excel`."""
    return csv_dialect(request.GET.get("dialect"), default=MACHINE)


@public
def cases_csv(request):
    try:
        dialect = open_data_dialect(request)
    except ValidationError as error:
        return HttpResponseBadRequest(error.messages[0])
    cases = opendata.public_cases().order_by("pk")
    return open_data_response(
        opendata.cases_csv(cases, dialect), "text/csv; charset=utf-8", "cases.csv"
    )


@public
def figures_json(request):
    return open_data_response(
        opendata.figures_json(public_figures()), "application/json; charset=utf-8", "figures.json"
    )


@public
def figures_csv(request):
    try:
        dialect = open_data_dialect(request)
    except ValidationError as error:
        return HttpResponseBadRequest(error.messages[0])
    return open_data_response(
        opendata.figures_csv(public_figures(), dialect), "text/csv; charset=utf-8", "figures.csv"
    )


@public
def sitemap(request):
    return sitemap_view(request, sitemaps=SITEMAPS, template_name="showcase/sitemap.xml")


# The workflow: staff and experts write, the municipality approves, staff publish


def get_visible_case(user, pk: int) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(user).select_related(
            "trajectory__application__municipality__province",
            "trajectory__application__municipality__merged_into",
            "trajectory__application__round__programme",
        ),
        pk=pk,
    )


MANAGE_PAGE_SIZE = 100


@role_required(*ALL_ROLES)
def manage(request):
    """The cases the user may see, and for the profploeg the completed trajectories without one."""
    choose = ProgrammeFilterForm(request.GET)
    cases = choose.apply(
        Case.objects.visible_to(request.user)
        .select_related("trajectory__application__municipality")
        .order_by("status", "title")
    )
    context = {
        "cases": paginate(request, cases, MANAGE_PAGE_SIZE),
        "team": services.is_team(request.user),
        "choose_programme": choose,
    }
    if context["team"]:
        context["candidates"] = choose.apply(
            Trajectory.objects.filter(status=Trajectory.Status.COMPLETED, case__isnull=True)
            .select_related("application__municipality", "application__round")
            .order_by("-ended_on")
        )
    return render(request, "showcase/manage_list.html", context)


@role_required("staff", "expert")
def case_create(request, trajectory_pk: int):
    trajectory = get_visible_trajectory(request.user, trajectory_pk)
    form = NewCaseForm(
        posted(request),
        initial={
            "title": trajectory.question[:200],
            "themes": trajectory.application.themes.all(),
        },
    )
    created = []
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: created.append(
                services.create_case(by=request.user, trajectory=trajectory, **form.cleaned_data)
            ),
        )
    ):
        messages.success(request, _("The draft case was created from the closing report."))
        return redirect("showcase:manage_case", created[0].pk)
    return render(request, "showcase/case_create.html", {"form": form, "trajectory": trajectory})


@role_required(*ALL_ROLES)
def manage_case(request, pk: int):
    """One case: edit and photos (profploeg), approval (municipality), publication (staff),
    and its history."""
    case = get_visible_case(request.user, pk)
    team = services.is_team(request.user)
    form = CaseForm(posted(request) if team else None, instance=case)
    if request.method == "POST":
        if not team:
            raise PermissionDenied
        if form.is_valid() and attempt(
            form, lambda: services.update_case(by=request.user, case=case, **form.cleaned_data)
        ):
            messages.success(request, _("Saved."))
            return redirect("showcase:manage_case", case.pk)
    context = case_context(case)
    context.update(
        {
            "form": form,
            "team": team,
            "own": services.is_own_municipality(request.user, case),
            "staff": request.user.role == "staff",
            "photo_form": PhotoForm(),
            "reason_form": ReasonForm(),
            "events": case.events.select_related("by").order_by("-at", "-pk"),
            "photos": case.photos.all(),
        }
    )
    return render(request, "showcase/manage_case.html", context)


@role_required(*ALL_ROLES)
def case_preview(request, pk: int):
    """The public page of a case as it would look, whatever its status (never cached)."""
    case = get_visible_case(request.user, pk)
    context = case_context(case)
    context["preview"] = True
    return render(request, "showcase/case_detail.html", context)


ACTIONS = {
    "submit": lambda request, case, data: services.submit_for_review(by=request.user, case=case),
    "approve": lambda request, case, data: services.approve_case(
        by=request.user, case=case, version=int(data.get("version") or 0)
    ),
    "request_changes": lambda request, case, data: services.request_changes(
        by=request.user, case=case, reason=data.get("reason", "")
    ),
    "publish": lambda request, case, data: services.publish_case(by=request.user, case=case),
    "withdraw": lambda request, case, data: services.withdraw_case(
        by=request.user, case=case, reason=data.get("reason", "")
    ),
}
DONE = {
    "submit": gettext_lazy("The municipality was asked to approve the text."),
    "approve": gettext_lazy("Thank you: the text is approved for publication."),
    "request_changes": gettext_lazy("Your remarks were sent to the profploeg."),
    "publish": gettext_lazy("The case is on De Vitrine."),
    "withdraw": gettext_lazy("The case was taken off De Vitrine."),
}


@require_POST
@role_required(*ALL_ROLES)
def case_action(request, pk: int, action: str):
    case = get_visible_case(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    try:
        ACTIONS[action](request, case, request.POST)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, DONE[action])
    return redirect("showcase:manage_case", case.pk)


@require_POST
@role_required("staff", "expert")
def photo_add(request, pk: int):
    case = get_visible_case(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid() and attempt(
        form, lambda: services.add_photo(by=request.user, case=case, **form.cleaned_data)
    ):
        messages.success(request, _("The photo was added."))
    else:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
    return redirect("showcase:manage_case", case.pk)


@require_POST
@role_required(*ALL_ROLES)
def photo_remove(request, pk: int):
    photo = get_object_or_404(
        CasePhoto.objects.filter(case__in=Case.objects.visible_to(request.user)), pk=pk
    )
    services.remove_photo(by=request.user, photo=photo)
    messages.success(request, _("The photo was removed."))
    return redirect("showcase:manage_case", photo.case_id)
