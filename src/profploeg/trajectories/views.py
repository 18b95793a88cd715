from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from profploeg.accounts.permissions import role_required
from profploeg.applications.models import Application
from profploeg.lib import charts, formats
from profploeg.lib.forms import attempt, posted
from profploeg.lib.paging import paginate
from profploeg.operations.versioning import cached
from profploeg.programmes.forms import ProgrammeFilterForm
from profploeg.programmes.models import Programme

from . import services
from .forms import (
    AmendmentForm,
    AsOfForm,
    AssignmentFormSet,
    CancelIntakeForm,
    CorrectionForm,
    DayRateForm,
    ExpectedEndForm,
    ExpertChoiceForm,
    ExpertForm,
    HeldIntakeForm,
    ImportForm,
    IntakeFormForm,
    IntakeOutcomeForm,
    IntakePlanForm,
    OfferForm,
    PersonDayForm,
    PlanForm,
    StepForm,
    TrajectoryFilterForm,
)
from .imports import read_rows
from .models import (
    LATEST_FIRST,
    Expert,
    Intake,
    IntakeForm,
    Offer,
    PersonDayCorrection,
    PersonDayEntry,
    PlanChange,
    Trajectory,
)
from .monitor import budget_monitor
from .permissions import (
    expert_of,
    get_visible_intake,
    get_visible_trajectory,
    is_team,
    runs_trajectory,
)
from .tasks import build_notice_email

ALL_ROLES = ("staff", "expert", "municipality", "province")


# Long enough to see a round at a glance; the page costs the same at 80 or 8,000.
TRAJECTORY_PAGE_SIZE = 100


@role_required(*ALL_ROLES)
def trajectory_list(request):
    """Trajectories the user may see, a page at a time, filtered as in the API (?programme=,
    ?status=, ?municipality=, ?expert=); for the team also the intakes to plan and planned."""
    team = is_team(request.user)
    filters = TrajectoryFilterForm(request.GET, team=team)
    trajectories = (
        Trajectory.objects.visible_to(request.user)
        .filtered(**filters.filters())
        .select_related("application__municipality", "application__round")
        .annotate(planned_days=Sum("assignments__planned_days"))
        .order_by("application__round__number", "application__municipality__name", "pk")
    )
    context = {
        "trajectories": paginate(request, trajectories, TRAJECTORY_PAGE_SIZE),
        "filters": filters,
    }
    if team:
        context["awaiting_intake"] = filters.apply(
            Application.objects.awaiting_intake()
            .select_related("municipality", "round")
            .order_by("round__number", "municipality__name")
        )
        context["planned_intakes"] = filters.apply(
            Intake.objects.filter(status=Intake.Status.PLANNED)
            .select_related("application__municipality", "application__round")
            .order_by("planned_at")
        )
    else:
        context["planned_intakes"] = filters.apply(
            Intake.objects.visible_to(request.user)
            .filter(status=Intake.Status.PLANNED)
            .select_related("application__municipality")
        )
    return render(request, "trajectories/trajectory_list.html", context)


@role_required(*ALL_ROLES)
def trajectory_detail(request, pk: int):
    """A trajectory with its experts, planned and registered days, history and closing report."""
    trajectory = get_visible_trajectory(request.user, pk)
    registered = (
        PersonDayEntry.objects.filter(trajectory=OuterRef("trajectory"), expert=OuterRef("expert"))
        .order_by()
        .values("expert")
        .annotate(total=Sum("days"))
        .values("total")
    )
    assignments = trajectory.assignments.select_related("expert__organisation").annotate(
        registered=Subquery(registered)
    )
    context = {
        "trajectory": trajectory,
        "assignments": assignments,
        "registered_total": trajectory.entries.aggregate(total=Sum("days"))["total"] or 0,
        "events": trajectory.events.select_related("by"),
        "intake_form": IntakeForm.objects.filter(application=trajectory.application).first(),
        "team": is_team(request.user),
    }
    if context["team"]:
        context["entries"] = paginate(
            request,
            trajectory.entries.select_related("expert").order_by("-date", "-pk"),
            100,
            parameter="entries_page",
        )
        context["runs"] = runs_trajectory(request.user, trajectory)
        context["step_form"] = StepForm()
        context["staff"] = request.user.role == request.user.Role.STAFF
        context["assign_form"] = PlanForm()
        context["expected_end_form"] = ExpectedEndForm()
        context["plan_changes"] = (
            PlanChange.objects.filter(assignment__trajectory=trajectory)
            .select_related("assignment__expert", "by")
            .order_by(*LATEST_FIRST)
        )
        context["expected_ends"] = trajectory.expected_ends.select_related("by").order_by(
            *LATEST_FIRST
        )
    return render(request, "trajectories/trajectory_detail.html", context)


STEPS = {
    "start": lambda by, t, data: services.start_trajectory(by=by, trajectory=t, on=data["on"]),
    "advance": lambda by, t, data: services.advance_phase(by=by, trajectory=t, on=data["on"]),
    "complete": lambda by, t, data: services.complete_trajectory(
        by=by, trajectory=t, on=data["on"], findings=data["findings"], measures=data["measures"]
    ),
    "stop": lambda by, t, data: services.stop_trajectory(
        by=by, trajectory=t, on=data["on"], reason=data["reason"]
    ),
}


@require_POST
@role_required("staff", "expert")
def trajectory_step(request, pk: int, step: str):
    """Start, move to the next phase, complete or stop a trajectory."""
    trajectory = get_visible_trajectory(request.user, pk)
    if step not in STEPS:
        raise Http404
    form = StepForm(request.POST)
    if step == "stop" and not request.POST.get("confirm"):
        messages.error(
            request, _("Tick the box to confirm stopping the trajectory; nothing changed.")
        )
        return redirect("trajectories:detail", pk=trajectory.pk)
    if form.is_valid() and attempt(
        form, lambda: STEPS[step](request.user, trajectory, form.cleaned_data)
    ):
        messages.success(request, _("The trajectory was updated."))
        return redirect("trajectories:detail", pk=trajectory.pk)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("trajectories:detail", pk=trajectory.pk)


@require_POST
@role_required("staff")
def trajectory_assign(request, pk: int):
    """Staff assign an expert or change their planned person-days from a date on."""
    trajectory = get_visible_trajectory(request.user, pk)
    form = PlanForm(request.POST)
    if form.is_valid() and form.cleaned_data["expert"] and form.cleaned_data["planned_days"]:
        if attempt(
            form,
            lambda: services.assign_expert(
                by=request.user,
                trajectory=trajectory,
                expert=form.cleaned_data["expert"],
                planned_days=form.cleaned_data["planned_days"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            ),
        ):
            messages.success(request, _("The planned person-days were saved."))
            return redirect("trajectories:detail", pk=trajectory.pk)
    messages.error(
        request,
        " ".join(e for errors in form.errors.values() for e in errors)
        or _("Choose an expert and the planned person-days."),
    )
    return redirect("trajectories:detail", pk=trajectory.pk)


@require_POST
@role_required("staff")
def trajectory_expected_end(request, pk: int):
    """Staff set the trajectory's expected end, with the reason."""
    trajectory = get_visible_trajectory(request.user, pk)
    form = ExpectedEndForm(request.POST)
    if form.is_valid() and attempt(
        form,
        lambda: services.set_expected_end(
            by=request.user, trajectory=trajectory, **form.cleaned_data
        ),
    ):
        messages.success(request, _("The expected end was saved."))
        return redirect("trajectories:detail", pk=trajectory.pk)
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("trajectories:detail", pk=trajectory.pk)


# Experts and the offer


@role_required("staff")
def expert_list(request):
    form = ExpertForm(posted(request))
    if form.is_valid() and attempt(
        form, lambda: services.create_expert(by=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("The expert was registered."))
        return redirect("trajectories:experts")
    today = timezone.localdate()
    experts = (
        Expert.objects.with_rate_on(today)
        .select_related("organisation", "user")
        .prefetch_related("expertise_areas")
        .annotate(
            assigned=Count("assignments", distinct=True),
            registered=Sum("entries__days"),
        )
        .order_by("organisation__name", "name")
    )
    return render(
        request, "trajectories/expert_list.html", {"experts": experts, "form": form, "today": today}
    )


@role_required("staff")
def expert_detail(request, pk: int):
    expert = get_object_or_404(Expert.objects.select_related("organisation", "user"), pk=pk)
    form = DayRateForm(posted(request))
    if form.is_valid() and attempt(
        form, lambda: services.set_day_rate(by=request.user, expert=expert, **form.cleaned_data)
    ):
        messages.success(request, _("The day rate was added."))
        return redirect("trajectories:expert", pk=expert.pk)
    context = {
        "expert": expert,
        "rates": expert.day_rates.select_related("created_by"),
        "assignments": expert.assignments.select_related(
            "trajectory__application__municipality", "trajectory__application__round"
        ),
        "form": form,
    }
    return render(request, "trajectories/expert_detail.html", context)


@role_required("staff")
def offer_detail(request, programme_pk: int):
    """The offer of a programme and its amendments; create it, or amend it."""
    programme = get_object_or_404(Programme, pk=programme_pk)
    offer = Offer.objects.filter(programme=programme).first()
    if offer is None:
        form = OfferForm(posted(request))
        if form.is_valid() and attempt(
            form,
            lambda: services.create_offer(
                by=request.user, programme=programme, **form.cleaned_data
            ),
        ):
            messages.success(request, _("The offer was recorded."))
            return redirect("trajectories:offer", programme_pk=programme.pk)
    else:
        form = AmendmentForm(posted(request))
        if form.is_valid() and attempt(
            form, lambda: services.amend_offer(by=request.user, offer=offer, **form.cleaned_data)
        ):
            messages.success(request, _("The amendment was recorded."))
            return redirect("trajectories:offer", programme_pk=programme.pk)
    context = {
        "programme": programme,
        "offer": offer,
        "amendments": offer.amendments.select_related("by") if offer else [],
        "in_force": offer.in_force_on(timezone.localdate()) if offer else None,
        "form": form,
    }
    return render(request, "trajectories/offer_detail.html", context)


# Intakes


@role_required("staff", "expert")
def intake_plan(request, application_pk: int):
    application = get_object_or_404(
        Application.objects.select_related("municipality", "round"), pk=application_pk
    )
    form = IntakePlanForm(posted(request))
    result = {}
    if form.is_valid() and attempt(
        form,
        lambda: result.setdefault(
            "intake",
            services.plan_intake(by=request.user, application=application, **form.cleaned_data),
        ),
    ):
        messages.success(request, _("The intake was planned and the invitations are on their way."))
        return redirect("trajectories:intake", pk=result["intake"].pk)
    return render(
        request, "trajectories/intake_plan.html", {"application": application, "form": form}
    )


@role_required(*ALL_ROLES)
def intake_detail(request, pk: int):
    """An intake; the team reschedules, cancels or records the outcome here."""
    intake = get_visible_intake(request.user, pk)
    context = {
        "intake": intake,
        "team": is_team(request.user),
        "intake_form": IntakeForm.objects.filter(application=intake.application).first(),
        "notices": intake.notices.all(),
    }
    if context["team"] and intake.status == Intake.Status.PLANNED:
        context["plan_form"] = IntakePlanForm(
            initial={
                "planned_at": timezone.localtime(intake.planned_at),
                "duration_minutes": intake.duration_minutes,
                "location": intake.location,
                "video_url": intake.video_url,
                "participants": intake.participants,
                "experts": intake.experts.all(),
            }
        )
        context["cancel_form"] = CancelIntakeForm()
        context["outcome_form"] = IntakeOutcomeForm(
            initial={"held_on": timezone.localdate(intake.planned_at)}
        )
        context["formset"] = AssignmentFormSet(
            initial=[{"expert": expert} for expert in intake.experts.all()]
        )
    return render(request, "trajectories/intake_detail.html", context)


@require_POST
@role_required("staff", "expert")
def intake_reschedule(request, pk: int):
    intake = get_visible_intake(request.user, pk)
    form = IntakePlanForm(request.POST)
    if form.is_valid() and attempt(
        form,
        lambda: services.reschedule_intake(by=request.user, intake=intake, **form.cleaned_data),
    ):
        messages.success(request, _("The intake was changed; everyone invited gets an update."))
        return redirect("trajectories:intake", pk=intake.pk)
    return render(
        request,
        "trajectories/intake_plan.html",
        {"application": intake.application, "form": form, "intake": intake},
    )


@require_POST
@role_required("staff", "expert")
def intake_cancel(request, pk: int):
    intake = get_visible_intake(request.user, pk)
    form = CancelIntakeForm(request.POST)
    if form.is_valid() and attempt(
        form,
        lambda: services.cancel_intake(
            by=request.user, intake=intake, reason=form.cleaned_data["reason"]
        ),
    ):
        messages.success(request, _("The intake was cancelled; everyone invited is told."))
    elif "confirm" in form.errors:
        messages.error(request, _("Tick the box to confirm the cancellation; nothing changed."))
    else:
        messages.error(request, _("Give a reason for cancelling."))
    return redirect("trajectories:intake", pk=intake.pk)


@require_POST
@role_required("staff", "expert")
def intake_outcome(request, pk: int):
    """Record the held intake: agreed question, experts with planned days, planned dates."""
    intake = get_visible_intake(request.user, pk)
    form = IntakeOutcomeForm(request.POST)
    formset = AssignmentFormSet(request.POST)
    result = {}
    if form.is_valid() and formset.is_valid():
        assignments = [
            services.PlannedAssignment(row["expert"], row["planned_days"])
            for row in formset.cleaned_data
            if row.get("expert") and row.get("planned_days")
        ]
        if attempt(
            form,
            lambda: result.setdefault(
                "trajectory",
                services.record_intake_outcome(
                    by=request.user, intake=intake, assignments=assignments, **form.cleaned_data
                ),
            ),
        ):
            messages.success(request, _("The intake was recorded and the trajectory is planned."))
            return redirect("trajectories:detail", pk=result["trajectory"].pk)
    context = {
        "intake": intake,
        "team": True,
        "outcome_form": form,
        "formset": formset,
        "plan_form": IntakePlanForm(),
        "cancel_form": CancelIntakeForm(),
    }
    return render(request, "trajectories/intake_detail.html", context, status=400)


@role_required("staff", "expert")
def intake_held(request, application_pk: int):
    """Record an intake already held (last month, say) with its outcome; nobody is invited."""
    application = get_object_or_404(
        Application.objects.select_related("municipality", "round"), pk=application_pk
    )
    form = HeldIntakeForm(posted(request))
    formset = AssignmentFormSet(posted(request))
    result = {}
    if form.is_valid() and formset.is_valid():
        assignments = [
            services.PlannedAssignment(row["expert"], row["planned_days"])
            for row in formset.cleaned_data
            if row.get("expert") and row.get("planned_days")
        ]
        if attempt(
            form,
            lambda: result.setdefault(
                "trajectory",
                services.record_held_intake(
                    by=request.user,
                    application=application,
                    assignments=assignments,
                    **form.cleaned_data,
                ),
            ),
        ):
            messages.success(request, _("The intake was recorded and the trajectory is planned."))
            return redirect("trajectories:detail", pk=result["trajectory"].pk)
    return render(
        request,
        "trajectories/intake_held.html",
        {"application": application, "form": form, "formset": formset},
        status=400 if request.method == "POST" else 200,
    )


@role_required(*ALL_ROLES)
def intake_ics(request, pk: int):
    """The intake's calendar file, as last sent."""
    intake = get_visible_intake(request.user, pk)
    notice = intake.notices.order_by("-sequence", "-pk").first()
    if notice is None:
        raise Http404
    name, content, mimetype = build_notice_email(notice).attachments[0]
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(*ALL_ROLES)
def intake_form(request, application_pk: int):
    """The municipality fills in its intake form (five B's); the team reads it."""
    application = get_object_or_404(
        Application.objects.visible_to(request.user).select_related("municipality"),
        pk=application_pk,
    )
    existing = IntakeForm.objects.filter(application=application).first()
    may_edit = request.user.role in ("municipality", "staff")
    form = IntakeFormForm(posted(request) if may_edit else None, instance=existing)
    if may_edit and form.is_valid():
        data = form.cleaned_data
        names = services.FIVE_B_NAMES
        if attempt(
            form,
            lambda: services.submit_intake_form(
                by=request.user,
                application=application,
                scores={name: data[f"{name}_score"] for name in names},
                comments={name: data[f"{name}_comment"] for name in names},
            ),
        ):
            messages.success(request, _("Thank you: the intake form was saved."))
            return redirect("trajectories:intake_form", application_pk=application.pk)
    context = {
        "application": application,
        "form": form,
        "existing": existing,
        "may_edit": may_edit,
    }
    return render(request, "trajectories/intakeform_form.html", context)


# Person-days


@role_required("staff", "expert")
def person_days(request):
    """An expert registers person-days; staff pick the expert first (?expert=)."""
    expert = chosen_expert(request)
    if expert is None:
        return render(
            request,
            "trajectories/persondayentry_list.html",
            {"choose": ExpertChoiceForm(request.GET or None)},
        )
    form = PersonDayForm(posted(request), expert=expert)
    if form.is_valid() and attempt(
        form,
        lambda: services.register_person_days(by=request.user, expert=expert, **form.cleaned_data),
    ):
        messages.success(request, _("The person-days were registered."))
        return redirect(request.get_full_path())
    programme_filter = ProgrammeFilterForm(request.GET)
    entries = programme_filter.apply(PersonDayEntry.objects.filter(expert=expert))
    entries = entries.select_related("trajectory__application__municipality").order_by(
        "-date", "-pk"
    )
    # Every entry is reachable: 100 a page, the newest first, never cut off in silence.
    context = {
        "expert": expert,
        "form": form,
        "entries": paginate(request, entries, 100),
        "programme_filter": programme_filter,
        "choose": ExpertChoiceForm(initial={"expert": expert})
        if request.user.role == "staff"
        else None,
    }
    return render(request, "trajectories/persondayentry_list.html", context)


def chosen_expert(request) -> Expert | None:
    if request.user.role == "staff":
        pk = request.GET.get("expert")
        return Expert.objects.filter(pk=pk).first() if pk and pk.isdigit() else None
    return expert_of(request.user)


@role_required("staff", "expert")
def person_days_import(request):
    """Import an expert's person-days from CSV or XLSX: all rows good, or nothing written."""
    expert = chosen_expert(request)
    if expert is None:
        return redirect("trajectories:days")
    form = ImportForm(posted(request), request.FILES or None)
    result = {}
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if attempt(
            form,
            lambda: result.setdefault(
                "entries",
                services.import_person_days(
                    by=request.user,
                    expert=expert,
                    rows=read_rows(upload=upload, filename=upload.name, expert=expert),
                ),
            ),
        ):
            messages.success(
                request,
                _("%(count)d rows were imported.") % {"count": len(result["entries"])},
            )
            return redirect(f"{reverse('trajectories:days')}?expert={expert.pk}")
    return render(
        request,
        "trajectories/persondayentry_import.html",
        {"expert": expert, "form": form, "activities": PersonDayEntry.Activity.choices},
    )


@role_required("staff")
def person_days_correct(request, pk: int):
    """Staff correct or remove an entry; the correction is kept with its reason."""
    entry = get_object_or_404(
        PersonDayEntry.objects.select_related("expert", "trajectory__application__municipality"),
        pk=pk,
    )
    form = CorrectionForm(
        posted(request),
        initial={
            "day": entry.date,
            "days": str(entry.days),
            "activity": entry.activity,
            "note": entry.note,
        },
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["remove"]:
            action = lambda: services.remove_person_days(  # noqa: E731
                by=request.user, entry=entry, reason=data["reason"]
            )
        else:
            action = lambda: services.correct_person_days(  # noqa: E731
                by=request.user,
                entry=entry,
                reason=data["reason"],
                day=data["day"],
                days=data["days"],
                activity=data["activity"],
                note=data["note"],
            )
        if attempt(form, action):
            messages.success(request, _("The correction was saved."))
            return redirect(f"{reverse('trajectories:days')}?expert={entry.expert_id}")
    corrections = PersonDayCorrection.objects.filter(
        Q(entry=entry) | Q(expert=entry.expert, old_date=entry.date)
    ).select_related("by")
    return render(
        request,
        "trajectories/persondayentry_correct.html",
        {"entry": entry, "form": form, "corrections": corrections},
    )


# Budget monitor


@role_required("staff", "expert")
def budget_latest(request):
    programme = Programme.objects.newest_first().first()
    if programme is None:
        raise Http404
    return redirect("trajectories:budget", programme_pk=programme.pk)


@role_required("staff", "expert")
def budget(request, programme_pk: int):
    """The budget monitor of a programme, as of today or a date asked."""
    programme = get_object_or_404(Programme, pk=programme_pk)
    form = AsOfForm(request.GET or None)
    as_of = timezone.localdate()
    if form.is_valid() and form.cleaned_data["as_of"]:
        as_of = form.cleaned_data["as_of"]

    def body() -> str:
        monitor = budget_monitor(programme=programme, as_of=as_of)
        chart = charts.line_chart(
            title=_("Burn-up: consumed and committed against the total"),
            x_labels=[formats.month(point.month) for point in monitor.burnup],
            series=[
                charts.Series(_("Total"), [p.total_eur for p in monitor.burnup], "#b3261e", "6 4"),
                charts.Series(
                    _("Committed"), [p.committed_eur for p in monitor.burnup], "#8a5a00", "2 3"
                ),
                charts.Series(_("Consumed"), [p.consumed_eur for p in monitor.burnup], "#004b8d"),
            ],
            y_format=formats.money_short,
        )
        # Every trajectory counts in the figures; the table shows them a page at a time, so
        # that the page does not grow with the programme.
        lines = Paginator(monitor.lines, 100).get_page(request.GET.get("page"))
        return render_to_string(
            "trajectories/budget_monitor_body.html",
            {"monitor": monitor, "chart": chart, "lines": lines, "as_of": as_of},
        )

    # The figures come from the cache until the data changes (operations/versioning.py).
    context = {
        "programme": programme,
        "form": form,
        "as_of": as_of,
        "body": mark_safe(
            cached(
                ("budget", programme.pk, as_of, request.GET.get("page"), request.user.role), body
            )
        ),
    }
    return render(request, "trajectories/budget_monitor.html", context)
