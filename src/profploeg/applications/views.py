from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from profploeg.accounts.models import User
from profploeg.accounts.permissions import role_required
from profploeg.lib import formats
from profploeg.lib.dates import local_date
from profploeg.lib.forms import attempt, posted
from profploeg.lib.paging import paginate
from profploeg.operations.versioning import cached
from profploeg.programmes.models import Programme, Round

from . import round_table, services
from .forms import (
    ApplicationForm,
    DecisionForm,
    PaperApplicationForm,
    RecordWithdrawalForm,
    ReferralForm,
    RoundFilterForm,
    WithdrawForm,
    add_service_errors,
)
from .models import Application, Referral, Transition
from .permissions import (
    REFERRAL_ROLES,
    ROUND_ROLES,
    can_follow_up,
    can_record_withdrawal,
    can_withdraw,
    decisions_for,
    get_visible_application,
    messages_for,
)

Status = Application.Status

# What the decision button says, per target status.
DECISION_LABELS = {
    Status.ADMISSIBLE: gettext_lazy("Declare admissible"),
    Status.INADMISSIBLE: gettext_lazy("Declare inadmissible"),
    Status.ACCEPTED: gettext_lazy("Accept: guidance can start"),
    Status.DEFERRED: gettext_lazy("Defer: guidance cannot start yet"),
}
NEGATIVE_DECISIONS = (Status.INADMISSIBLE, Status.DEFERRED)


def long_date(day) -> str:
    return formats.day(day)


@role_required(User.Role.MUNICIPALITY)
def mine(request):
    """Municipality: its applications in every call, the messages it received, calls to apply to."""
    user = request.user
    applications = (
        Application.objects.visible_to(user)
        .select_related("round__programme", "municipality__merged_into")
        .prefetch_related("themes")
        .order_by("-submitted_at")
    )
    today = timezone.localdate()
    open_calls = []
    for programme in Programme.objects.taking_applications_on(today):
        round_ = programme.rounds.receiving_on(today).first()
        existing = next(
            (a for a in applications if a.round_id == round_.pk and a.status != Status.WITHDRAWN),
            None,
        )
        open_calls.append({"programme": programme, "round": round_, "existing": existing})
    return render(
        request,
        "applications/application_mine.html",
        {
            "applications": applications,
            "open_calls": open_calls,
            "inbox": messages_for(user).select_related("application__round"),
        },
    )


@role_required(User.Role.MUNICIPALITY)
def apply(request, programme_id: int):
    """Municipality: apply for its own municipality; after a deadline it goes to the next round."""
    programme = get_object_or_404(Programme, pk=programme_id)
    today = timezone.localdate()
    try:
        round_ = services.round_for(programme, today)
    except ValidationError as error:
        round_, closed = None, " ".join(error.messages)
    else:
        closed = ""
    missed = round_.round_missed_on(today) if round_ else None
    existing = (
        Application.objects.visible_to(request.user)
        .filter(round=round_, municipality=request.user.municipality)
        .exclude(status=Status.WITHDRAWN)
        .first()
        if round_
        else None
    )
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                application = services.submit_application(
                    programme=programme,
                    municipality=request.user.municipality,
                    submitted_by=request.user,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                announce_received(request, application)
                return redirect("applications:detail", application.pk)
    else:
        form = ApplicationForm(
            initial={
                "contact_name": request.user.get_full_name(),
                "contact_email": request.user.email,
            }
        )
    return render(
        request,
        "applications/application_apply.html",
        {
            "programme": programme,
            "round": round_,
            "missed": missed,
            "closed": closed,
            "existing": existing,
            "form": form,
        },
    )


def announce_received(request, application: Application, staff: bool = False) -> None:
    round_ = application.round
    if staff:
        messages.success(
            request,
            _(
                "The application of %(name)s was recorded. It is part of round %(number)s "
                "(deadline %(deadline)s); the municipality has been notified."
            )
            % {
                "name": application.municipality.name,
                "number": round_.number,
                "deadline": long_date(round_.deadline),
            },
        )
    else:
        messages.success(
            request,
            _(
                "Your application was received. It is part of round %(number)s "
                "(deadline %(deadline)s)."
            )
            % {"number": round_.number, "deadline": long_date(round_.deadline)},
        )
    missed = application.round.round_missed_on(local_date(application.submitted_at))
    if missed:
        messages.warning(
            request,
            _(
                "It arrived after the deadline of round %(missed)s (%(missed_deadline)s), "
                "so it was placed in the next round, round %(number)s."
            )
            % {
                "missed": missed.number,
                "missed_deadline": long_date(missed.deadline),
                "number": round_.number,
            },
        )


def detail(request, pk: int):
    """Anyone who can see the application (visible_to): history, messages, files, decisions."""
    application = get_visible_application(request.user, pk)
    return render_detail(request, application)


def render_detail(
    request,
    application: Application,
    *,
    posted: DecisionForm | None = None,
    withdrawal: RecordWithdrawalForm | None = None,
    conflict: str = "",
    status: int = 200,
):
    user = request.user
    kept_reason = posted.data.get("reason", "") if posted is not None else ""
    placed = False
    decision_forms = []
    decisions = decisions_for(user, application)
    # Accepting now would go beyond capacity: the page warns before anyone tries.
    full = (
        services.over_capacity_on(application.round.programme, timezone.localdate())
        if Status.ACCEPTED in decisions
        else None
    )
    for to_status in decisions:
        _roles, reason_required = Application.TRANSITIONS[(application.status, to_status)]
        same_step = posted is not None and posted.data.get("to_status") == to_status
        if same_step and not conflict:
            form = posted
            placed = True
        else:
            # After a conflict the typed reason goes where it was meant: the same step if it is
            # still possible, otherwise the steps that need a reason (the refusals).
            keep = conflict and (same_step or reason_required)
            form = DecisionForm(
                initial={
                    "to_status": to_status,
                    "version": application.version,
                    "reason": kept_reason if keep else "",
                },
                auto_id=f"id_{to_status}_%s",
            )
        form.reason_required = reason_required
        form.label = DECISION_LABELS[to_status]
        form.negative = to_status in NEGATIVE_DECISIONS
        form.over_capacity = None
        if to_status == Status.ACCEPTED:
            refused = any(
                e.code == "over_capacity" for e in form.errors.as_data().get("__all__", [])
            )
            if full or refused:
                form.over_capacity = full or True
        decision_forms.append(form)
    visible = Application.objects.visible_to(user).select_related("round")
    context = {
        "application": application,
        "municipality": application.municipality,
        "missed": application.round.round_missed_on(local_date(application.submitted_at)),
        "transitions": application.transitions.select_related("by"),
        "received": application.transitions.filter(to_status=Status.SUBMITTED).first(),
        "attachments": application.attachments.all(),
        "inbox": application.messages.all(),
        # The calendar invitations of its intakes, mailed by the trajectories app.
        "intake_notices": [
            (intake, notice)
            for intake in application.intakes.prefetch_related("notices")
            for notice in intake.notices.all()
        ],
        "themes": application.themes.all(),
        "earlier": visible.filter(pk=application.previous_application_id).first(),
        "later": visible.filter(previous_application=application),
        "referral": Referral.objects.filter(application=application)
        .select_related("contacted_by")
        .first(),
        "decision_forms": decision_forms,
        "conflict": conflict,
        "kept_reason": kept_reason if conflict else "",
        # Errors of a decision whose form is no longer on the page (its step is not allowed now).
        "stray_errors": []
        if placed or conflict or posted is None
        else [message for errors in posted.errors.values() for message in errors],
        "withdraw_form": WithdrawForm(initial={"version": application.version})
        if can_withdraw(user, application)
        else None,
        "record_withdrawal_form": (
            withdrawal or RecordWithdrawalForm(initial={"version": application.version})
        )
        if can_record_withdrawal(user, application)
        else None,
        "can_follow_up": can_follow_up(user, application),
        "can_see_round": user.role in ROUND_ROLES,
    }
    return render(request, "applications/application_detail.html", context, status=status)


@require_POST
@role_required(User.Role.STAFF)
def decide(request, pk: int):
    """Programme staff: move the application one allowed step, on the version they looked at."""
    application = get_visible_application(request.user, pk)
    form = DecisionForm(request.POST, auto_id=f"id_{request.POST.get('to_status', '')}_%s")
    if form.is_valid():
        # A withdrawal is recorded through its own form, with how it came in.
        if form.cleaned_data["to_status"] not in DECISION_LABELS:
            raise PermissionDenied
        try:
            services.change_status(
                application=application,
                to_status=form.cleaned_data["to_status"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                at=form.cleaned_data["at"],
                confirm_over_capacity=form.cleaned_data["confirm_over_capacity"],
            )
        except services.ConflictError as error:
            # Show the application as it is now, with what they typed kept for a new decision.
            application = get_visible_application(request.user, pk)
            return render_detail(
                request, application, posted=form, conflict=" ".join(error.messages), status=409
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The application is now “%(status)s”. The municipality has been notified.")
                % {"status": Status(form.cleaned_data["to_status"]).label.lower()},
            )
            return redirect("applications:detail", application.pk)
    return render_detail(request, application, posted=form)


@require_POST
@role_required(User.Role.MUNICIPALITY, User.Role.STAFF)
def withdraw(request, pk: int):
    """Municipality: withdraw its own application while it waits for the admissibility check.
    Staff: record a withdrawal that came in by letter, email or phone, on its real date."""
    application = get_visible_application(request.user, pk)
    if request.user.role == User.Role.STAFF:
        return record_withdrawal(request, application)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        if "confirm" in form.errors:
            messages.error(request, _("Tick the box to confirm the withdrawal; nothing changed."))
            return redirect("applications:detail", application.pk)
        version = -1
    else:
        version = form.cleaned_data["version"]
    try:
        services.change_status(
            application=application,
            to_status=Status.WITHDRAWN,
            by=request.user,
            expected_version=version,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your application has been withdrawn. You can apply again while the call is open."),
        )
    return redirect("applications:detail", application.pk)


def record_withdrawal(request, application: Application):
    form = RecordWithdrawalForm(request.POST)
    if form.is_valid():
        try:
            services.change_status(
                application=application,
                to_status=Status.WITHDRAWN,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                at=form.cleaned_data["at"],
                channel=form.cleaned_data["channel"],
                reason=form.cleaned_data["reason"],
            )
        except services.ConflictError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("applications:detail", application.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The withdrawal was recorded. The municipality has been notified."),
            )
            return redirect("applications:detail", application.pk)
    return render_detail(request, application, withdrawal=form, status=400)


@role_required(User.Role.STAFF)
def record_paper(request, programme_id: int):
    """Staff: an application that came in on paper or by mail, on the moment it was received;
    after a round's deadline it goes to the next round."""
    programme = get_object_or_404(Programme, pk=programme_id)
    form = PaperApplicationForm(posted(request), request.FILES or None)
    if form.is_valid():
        data = dict(form.cleaned_data)
        result = {}
        if attempt(
            form,
            lambda: result.setdefault(
                "application",
                services.submit_application(programme=programme, submitted_by=request.user, **data),
            ),
        ):
            announce_received(request, result["application"], staff=True)
            return redirect("applications:detail", result["application"].pk)
    return render(
        request,
        "applications/application_paper.html",
        {"programme": programme, "form": form, "rounds": programme.rounds.order_by("number")},
    )


def attachment(request, pk: int, attachment_id: int):
    """Anyone who can see the application (visible_to) downloads its files, under their own name."""
    application = get_visible_application(request.user, pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("This file is no longer available.")) from missing
    return FileResponse(
        handle,
        as_attachment=True,
        filename=PurePath(attachment.original_name).name,
        content_type="application/pdf",
    )


def query_with(request, **changes: str) -> str:
    """The current query string with some parameters changed: filters survive a new sort."""
    query = request.GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


# A screen or two of rows; the counts above the table cover the whole round.
ROUND_PAGE_SIZE = 50


@role_required(*ROUND_ROLES)
def round_applications(request, round_id: int):
    """Staff and experts: every application of a round, filtered, searched and sorted."""
    round_ = get_object_or_404(Round.objects.select_related("programme"), pk=round_id)
    in_round = Application.objects.in_round(round_)
    form = RoundFilterForm(request.GET)

    def table() -> dict:
        # Paged, so that the page costs the same at 40 or 4,000 applications; the rows are read
        # as values and written as HTML in one go (see round_table).
        chosen = form.filter(in_round)
        page = paginate(request, chosen, ROUND_PAGE_SIZE)
        return {
            "rows": round_table.rows(page.object_list),
            "count": page.paginator.count,
            "counts": in_round.status_counts(),
        }

    # From the cache until the data changes (operations.versioning.cached).
    parameters = tuple(sorted((key, request.GET.getlist(key)) for key in request.GET))
    found = cached(("round", round_.pk, repr(parameters)), table)
    # The page's links and position, from the number of rows alone.
    page = paginate(request, range(found["count"]), ROUND_PAGE_SIZE)
    applications, counts = found["rows"], found["counts"]
    sort = form.current_sort
    return render(
        request,
        "applications/application_round.html",
        {
            "round": round_,
            "programme": round_.programme,
            "form": form,
            "applications": applications,
            "table_body": round_table.body_html(applications),
            "page": page,
            "total": sum(counts.values()),
            "all_link": query_with(request, status=""),
            "counts": [
                (
                    status,
                    COUNT_LABELS.get(status, status.label),
                    counts.get(status.value, 0),
                    query_with(request, status=status.value),
                )
                for status in Status
            ],
            "ever_admissible": sum(counts.get(status, 0) for status in Application.ADMITTED),
            "current_status": request.GET.get("status", ""),
            "sort": sort,
            "sort_links": {
                key: query_with(request, sort=f"-{key}" if sort == key else key)
                for key in RoundFilterForm.SORTS
            },
        },
    )


# A round's counts by status on the round's page carry the names the status report gives
# them: an application whose status is still "admissible" awaits its assessment.
COUNT_LABELS = {
    Status.SUBMITTED: gettext_lazy("Awaiting admissibility"),
    Status.ADMISSIBLE: gettext_lazy("Awaiting assessment"),
}


PROVINCE_PAGE_SIZE = 100


@role_required(User.Role.PROVINCE)
def province(request):
    """Province: the applications of its municipalities and the follow-up of those not admitted."""
    decisions = Transition.objects.filter(
        to_status__in=[Status.INADMISSIBLE, Status.DEFERRED]
    ).order_by("-at")
    visible = (
        Application.objects.visible_to(request.user)
        .select_related("round__programme", "municipality__merged_into")
        # The latest call first; within a call, by round and municipality.
        .order_by("-round__programme__published_on", "round__number", "municipality__name")
    )
    follow_up = visible.select_related("referral__contacted_by").prefetch_related(
        Prefetch("transitions", queryset=decisions, to_attr="decisions"), "reapplications__round"
    )
    closed = [Referral.Outcome.REAPPLIED, Referral.Outcome.DECLINED]
    return render(
        request,
        "applications/application_province.html",
        {
            "province": request.user.province,
            "applications": paginate(request, visible, PROVINCE_PAGE_SIZE),
            "awaiting": follow_up.awaiting_follow_up(),
            "followed": follow_up.filter(referral__outcome__in=closed),
        },
    )


@role_required(*REFERRAL_ROLES)
def referral(request, pk: int):
    """The province of the municipality (or staff): record the contact after a refusal."""
    application = get_visible_application(request.user, pk)
    if not can_follow_up(request.user, application):
        if application.status not in (Status.INADMISSIBLE, Status.DEFERRED):
            messages.info(request, _("Only inadmissible or deferred applications are followed up."))
            return redirect("applications:detail", application.pk)
        raise PermissionDenied
    existing = Referral.objects.filter(application=application).first()
    if request.method == "POST":
        form = ReferralForm(request.POST)
        if form.is_valid():
            try:
                services.record_referral(
                    application=application, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The follow-up of %(name)s has been saved.")
                    % {"name": application.municipality.name},
                )
                if request.user.role == User.Role.PROVINCE:
                    return redirect("applications:province")
                return redirect("applications:detail", application.pk)
    elif existing:
        form = ReferralForm(
            initial={
                "contacted_on": existing.contacted_on,
                "outcome": existing.outcome,
                "note": existing.note,
            }
        )
    else:
        form = ReferralForm(
            initial={"contacted_on": timezone.localdate(), "outcome": Referral.Outcome.PENDING}
        )
    return render(
        request,
        "applications/referral_form.html",
        {
            "application": application,
            "existing": existing,
            "form": form,
            "decision": application.transitions.filter(to_status=application.status)
            .order_by("-at")
            .first(),
        },
    )
