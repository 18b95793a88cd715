import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from profploeg.accounts.permissions import role_required
from profploeg.lib.forms import posted

from . import services
from .forms import InfoSessionForm, ProgrammeForm, RoundForm, ThemeForm
from .models import InfoSession, Programme, Round, Theme
from .switch import SWITCHING_ROLES, switch_url

ROUND_COUNTS = (
    "submitted_count",
    "pending_count",
    "admissible_count",
    "inadmissible_count",
    "deferred_count",
    "accepted_count",
    "withdrawn_count",
)


@role_required("staff", "expert", "municipality", "province")
def programme_list(request):
    """Staff, experts and provinces see every programme; a municipality the calls it can apply to."""
    if request.user.role == request.user.Role.MUNICIPALITY:
        today = timezone.localdate()
        programmes = Programme.objects.taking_applications_on(today).order_by("next_deadline")
        return render(request, "programmes/programme_open.html", {"programmes": programmes})
    programmes = (
        Programme.objects.with_accepted_count()
        .with_offer_in_force(timezone.localdate())
        .prefetch_related("rounds")
    )
    return render(request, "programmes/programme_list.html", {"programmes": programmes})


@role_required("staff", "expert")
def programme_detail(request, pk: int):
    """The whole programme at a glance: every round's applications by status, and capacity and
    budget of the offer in force today."""
    programme = get_object_or_404(
        Programme.objects.with_offer_in_force(timezone.localdate()), pk=pk
    )
    rounds = list(programme.rounds.with_counts())
    totals = {name: sum(getattr(round_, name) for round_ in rounds) for name in ROUND_COUNTS}
    accepted = totals["accepted_count"]
    context = {
        "programme": programme,
        "rounds": rounds,
        "totals": totals,
        "remaining_capacity": max(programme.capacity_in_force - accepted, 0),
        "over_capacity": max(accepted - programme.capacity_in_force, 0),
        "average_per_trajectory": (
            (programme.total_in_force_eur / programme.capacity_in_force).quantize(Decimal("0.01"))
            if programme.capacity_in_force
            else None
        ),
        "info_sessions": programme.info_sessions.all(),
    }
    return render(request, "programmes/programme_detail.html", context)


@role_required(*SWITCHING_ROLES)
def programme_switch(request):
    """The programme switch's form: the same page (?to=) of the programme chosen (?programme=)."""
    pk = request.GET.get("programme", "")
    if not pk.isdigit() or not Programme.objects.filter(pk=pk).exists():
        raise Http404
    url = switch_url(page=request.GET.get("to", "programme"), programme_pk=int(pk))
    if url is None:
        raise Http404
    # The date a page is read on stays when the programme changes.
    as_of = request.GET.get("as_of", "")
    if as_of:
        try:
            url += "?" + urlencode({"as_of": datetime.date.fromisoformat(as_of).isoformat()})
        except ValueError:
            pass
    return redirect(url)


@role_required("staff")
def programme_create(request):
    form = ProgrammeForm(posted(request))
    if form.is_valid():
        try:
            programme = services.create_programme(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("The programme was created. Add its first round."))
            return redirect("programmes:round_add", programme.pk)
    return render(request, "programmes/programme_form.html", {"form": form})


@role_required("staff")
def programme_edit(request, pk: int):
    programme = get_object_or_404(Programme, pk=pk)
    initial = model_to_dict(programme, fields=list(ProgrammeForm.base_fields))
    form = ProgrammeForm(posted(request), initial=initial)
    if form.is_valid():
        try:
            services.update_programme(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_service_error(e)
            # The service set the refused values on the instance; show the saved ones.
            programme.refresh_from_db()
        else:
            messages.success(request, _("The programme was saved."))
            return redirect("programmes:detail", programme.pk)
    return render(request, "programmes/programme_form.html", {"form": form, "programme": programme})


@role_required("staff")
def round_add(request, pk: int):
    programme = get_object_or_404(Programme, pk=pk)
    form = RoundForm(posted(request))
    if form.is_valid():
        try:
            round_ = services.add_round(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("Round %(number)s was added.") % {"number": round_.number})
            return redirect("programmes:detail", programme.pk)
    context = {"form": form, "programme": programme, "rounds": programme.rounds.all()}
    return render(request, "programmes/round_form.html", context)


@role_required("staff")
def round_edit(request, round_id: int):
    round_ = get_object_or_404(Round.objects.select_related("programme"), pk=round_id)
    initial = model_to_dict(round_, fields=list(RoundForm.base_fields))
    form = RoundForm(posted(request), initial=initial)
    if form.is_valid():
        try:
            services.update_round(round_=round_, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_service_error(e)
            round_.refresh_from_db()
        else:
            messages.success(request, _("Round %(number)s was saved.") % {"number": round_.number})
            return redirect("programmes:detail", round_.programme_id)
    context = {
        "form": form,
        "programme": round_.programme,
        "round": round_,
        "rounds": round_.programme.rounds.all(),
    }
    return render(request, "programmes/round_form.html", context)


@role_required("staff")
def session_add(request, pk: int):
    programme = get_object_or_404(Programme, pk=pk)
    form = InfoSessionForm(posted(request))
    if form.is_valid():
        try:
            services.record_info_session(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("The info session was recorded."))
            return redirect("programmes:detail", programme.pk)
    return render(
        request, "programmes/infosession_form.html", {"form": form, "programme": programme}
    )


@role_required("staff")
def session_edit(request, session_id: int):
    session = get_object_or_404(InfoSession.objects.select_related("programme"), pk=session_id)
    initial = model_to_dict(session, fields=list(InfoSessionForm.base_fields))
    form = InfoSessionForm(posted(request), initial=initial)
    if form.is_valid():
        try:
            services.record_info_session(
                programme=session.programme,
                by=request.user,
                info_session=session,
                **form.cleaned_data,
            )
        except ValidationError as e:
            form.add_service_error(e)
            session.refresh_from_db()
        else:
            messages.success(request, _("The info session was saved."))
            return redirect("programmes:detail", session.programme_id)
    context = {"form": form, "programme": session.programme, "session": session}
    return render(request, "programmes/infosession_form.html", context)


@role_required("staff")
def theme_list(request):
    """The themes an application can be about; staff add one here."""
    form = ThemeForm(posted(request))
    if form.is_valid():
        try:
            theme = services.create_theme(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("The theme “%(name)s” was added.") % {"name": theme.name})
            return redirect("programmes:themes")
    themes = Theme.objects.annotate(applications=Count("application")).order_by("name")
    return render(request, "programmes/theme_list.html", {"themes": themes, "form": form})


@role_required("staff")
def theme_edit(request, slug: str):
    theme = get_object_or_404(Theme, slug=slug)
    form = ThemeForm(posted(request), initial={"name": theme.name, "slug": theme.slug})
    if form.is_valid():
        try:
            services.update_theme(
                by=request.user,
                theme=theme,
                name=form.cleaned_data["name"],
                # Left empty: the slug stays.
                slug=form.cleaned_data["slug"] or None,
            )
        except ValidationError as e:
            form.add_service_error(e)
            theme.refresh_from_db()
        else:
            messages.success(request, _("The theme was saved."))
            return redirect("programmes:themes")
    return render(request, "programmes/theme_form.html", {"form": form, "theme": theme})
