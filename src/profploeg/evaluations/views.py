from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from profploeg.accounts.permissions import role_required
from profploeg.lib.forms import attempt, posted
from profploeg.programmes.models import Programme
from profploeg.trajectories.permissions import get_visible_trajectory, is_team

from . import services, xlsx
from .forms import (
    AnswerForm,
    EvaluationFilterForm,
    FollowUpForm,
    IndicatorForm,
    QuestionForm,
    QuestionnaireForm,
)
from .models import Indicator, Invitation, Question, Questionnaire
from .permissions import can_read_answers
from .summary import evaluation_summary, indicator_summary, side_by_side

ALL_ROLES = ("staff", "expert", "municipality", "province")


def report_errors(request, action: Callable) -> bool:
    """Run a service; show its ValidationError as a message."""
    try:
        action()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return False
    return True


@role_required("staff")
def latest(request):
    """The evaluation of the latest programme."""
    programme = Programme.objects.newest_first().first()
    if programme is None:
        raise Http404
    return redirect("evaluations:programme", programme.pk)


@role_required("staff")
def programme_evaluation(request, pk: int):
    """Staff: response rate, scores, measures, indicators, groups, comments; XLSX download."""
    programme = get_object_or_404(Programme, pk=pk)
    form = EvaluationFilterForm(request.GET or None, programme=programme)
    filters = form.filters()
    kind = filters.pop("kind")
    summary = evaluation_summary(programme=programme, kind=kind, **filters)
    indicators = indicator_summary(programme=programme, **filters)
    pairs = side_by_side(programme=programme, as_of=filters["as_of"])
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            xlsx.evaluation_xlsx(programme, summary, indicators, pairs),
            content_type=xlsx.CONTENT_TYPE,
        )
        name = f"evaluatie-{kind}-{filters['as_of'].isoformat()}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "evaluations/evaluation_programme.html",
        {
            "programme": programme,
            "form": form,
            "summary": summary,
            "indicators": indicators,
            "pairs": pairs,
            "query": query.urlencode(),
            "follow_up_form": FollowUpForm(),
        },
    )


@role_required("staff")
def questionnaires(request, pk: int):
    """Staff define the completion and follow-up questionnaires of a programme."""
    programme = get_object_or_404(Programme, pk=pk)
    existing = {q.kind: q for q in programme.questionnaires.prefetch_related("questions")}
    question_form = QuestionForm(posted(request), prefix="question")
    settings_form = None
    if request.method == "POST":
        kind = request.POST.get("kind")
        questionnaire = existing.get(kind)
        action = request.POST.get("action")
        if action == "create" and kind in Questionnaire.Kind.values:
            if report_errors(
                request,
                lambda: services.create_questionnaire(
                    by=request.user, programme=programme, kind=kind
                ),
            ):
                messages.success(
                    request, _("The questionnaire was created with the standard questions.")
                )
            return redirect("evaluations:questionnaires", programme.pk)
        if questionnaire is None:
            raise Http404
        if action == "settings":
            settings_form = QuestionnaireForm(request.POST, instance=questionnaire, prefix=kind)
            if settings_form.is_valid() and attempt(
                settings_form,
                lambda: services.update_questionnaire(
                    by=request.user, questionnaire=questionnaire, **settings_form.cleaned_data
                ),
            ):
                messages.success(request, _("Saved."))
                return redirect("evaluations:questionnaires", programme.pk)
        elif action == "add" and question_form.is_valid():
            if attempt(
                question_form,
                lambda: services.add_question(
                    by=request.user, questionnaire=questionnaire, **question_form.cleaned_data
                ),
            ):
                messages.success(request, _("The question was added."))
                return redirect("evaluations:questionnaires", programme.pk)
    blocks = []
    for kind, label in Questionnaire.Kind.choices:
        questionnaire = existing.get(kind)
        form = None
        if questionnaire is not None:
            form = (
                settings_form
                if settings_form is not None and settings_form.instance.pk == questionnaire.pk
                else QuestionnaireForm(instance=questionnaire, prefix=kind)
            )
        blocks.append(
            {
                "kind": kind,
                "label": label,
                "questionnaire": questionnaire,
                "questions": questionnaire.active_questions() if questionnaire else [],
                "form": form,
            }
        )
    return render(
        request,
        "evaluations/questionnaire_list.html",
        {"programme": programme, "blocks": blocks, "question_form": question_form},
    )


@require_POST
@role_required("staff")
def question_remove(request, pk: int):
    question = get_object_or_404(Question.objects.select_related("questionnaire"), pk=pk)
    services.remove_question(by=request.user, question=question)
    messages.success(request, _("The question was removed."))
    return redirect("evaluations:questionnaires", question.questionnaire.programme_id)


@require_POST
@role_required("staff")
def follow_up(request, pk: int):
    """Staff send the follow-up questionnaire to trajectories completed before a date."""
    programme = get_object_or_404(Programme, pk=pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        sent = []

        def send():
            sent.extend(
                services.send_follow_up(
                    by=request.user,
                    programme=programme,
                    completed_before=form.cleaned_data["completed_before"],
                )
            )

        if report_errors(request, send):
            messages.success(
                request,
                _("The follow-up questionnaire was sent to %(count)d municipalities.")
                % {"count": len(sent)},
            )
    else:
        messages.error(request, _("Give the date the trajectories were completed by."))
    return redirect(reverse("evaluations:programme", args=[programme.pk]) + "?kind=follow_up")


@role_required(*ALL_ROLES)
def trajectory_evaluation(request, pk: int):
    """A trajectory's questionnaires side by side, and its outcome indicators."""
    trajectory = get_visible_trajectory(request.user, pk)
    invitations = {
        invitation.questionnaire.kind: invitation
        for invitation in Invitation.objects.filter(trajectory=trajectory)
        .select_related("questionnaire", "response")
        .prefetch_related("response__answers__question", "response__measures")
    }
    form = IndicatorForm(posted(request))
    team = is_team(request.user)
    if request.method == "POST":
        if not team:
            raise Http404
        if form.is_valid() and attempt(
            form,
            lambda: services.record_indicator(
                by=request.user, trajectory=trajectory, **form.cleaned_data
            ),
        ):
            messages.success(request, _("The indicator was recorded."))
            return redirect("evaluations:trajectory", trajectory.pk)
    sides = [(label, invitations.get(kind)) for kind, label in Questionnaire.Kind.choices]
    return render(
        request,
        "evaluations/evaluation_trajectory.html",
        {
            "trajectory": trajectory,
            "sides": sides,
            "answers_visible": can_read_answers(request.user, trajectory),
            "indicators": trajectory.indicators.all(),
            "form": form if team else None,
            "team": team,
            "now": timezone.now(),
        },
    )


@require_POST
@role_required("staff", "expert")
def indicator_remove(request, pk: int):
    indicator = get_object_or_404(Indicator.objects.visible_to(request.user), pk=pk)
    services.remove_indicator(by=request.user, indicator=indicator)
    messages.success(request, _("The indicator was removed."))
    return redirect("evaluations:trajectory", indicator.trajectory_id)


@require_POST
@role_required("staff")
def invitation_send(request, pk: int):
    """Staff send the completion questionnaire of a completed trajectory that has not had it."""
    trajectory = get_visible_trajectory(request.user, pk)
    sent = []
    if report_errors(
        request,
        lambda: sent.append(services.send_questionnaire(trajectory=trajectory, by=request.user)),
    ):
        if sent[0] is None:
            messages.info(request, _("The questionnaire had already been sent."))
        else:
            messages.success(
                request,
                _("The questionnaire was emailed to %(email)s.")
                % {"email": sent[0].recipient_email},
            )
    return redirect("evaluations:trajectory", trajectory.pk)


@require_POST
@role_required("staff")
def invitation_renew(request, pk: int):
    """Staff send an unanswered questionnaire again with a new link."""
    invitation = get_object_or_404(Invitation, pk=pk)
    if report_errors(
        request, lambda: services.renew_invitation(by=request.user, invitation=invitation)
    ):
        messages.success(
            request,
            _("A new link was emailed to %(email)s; the old one no longer works.")
            % {"email": invitation.recipient_email},
        )
    return redirect("evaluations:trajectory", invitation.trajectory_id)


def link_headers(response: HttpResponse) -> HttpResponse:
    # The token in the address is the credential: never pass it on, never index the page.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@login_not_required
def answer(request, token: str):
    """Public by link: the municipality answers its questionnaire, once, before the link expires."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404
    context = {"invitation": invitation, "questionnaire": invitation.questionnaire}
    try:
        services.check_answerable(invitation, timezone.now())
    except ValidationError as error:
        context["closed"] = error.messages[0]
        status = 200 if error.code == "answered" else 410
        return link_headers(render(request, "evaluations/answer.html", context, status=status))
    measures = services.measures_of(invitation)
    form = AnswerForm(posted(request), invitation=invitation, measures=measures)
    if request.method == "POST" and form.is_valid():
        if attempt(
            form,
            lambda: services.submit_response(invitation=invitation, **form.answers()),
        ):
            return link_headers(render(request, "evaluations/answer_thanks.html", context))
    context["form"] = form
    return link_headers(render(request, "evaluations/answer.html", context))
