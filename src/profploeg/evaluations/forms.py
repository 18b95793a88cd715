import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profploeg.municipalities.models import Province
from profploeg.programmes.models import Programme, Theme

from .models import Indicator, Invitation, MeasureAnswer, Question, Questionnaire

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EvaluationFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Questionnaire"), choices=Questionnaire.Kind.choices, required=False
    )
    as_of = forms.DateField(label=_("As of"), widget=DATE, required=False)
    round = forms.TypedChoiceField(label=_("Round"), coerce=int, required=False, empty_value=None)
    province = forms.ChoiceField(label=_("Province"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["round"].choices = everything + [
            (r.number, _("Round %(number)s") % {"number": r.number})
            for r in programme.rounds.order_by("number")
        ]
        self.fields["province"].choices = everything + [
            (p.refnis, p.name)
            for p in Province.objects.filter(municipalities__isnull=False).distinct()
        ]
        self.fields["theme"].choices = everything + [(t.slug, t.name) for t in Theme.objects.all()]

    def filters(self) -> dict:
        """The validated filters (the completion questionnaire, today and everything if none)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "kind": data.get("kind") or Questionnaire.Kind.COMPLETION,
            "as_of": data.get("as_of") or timezone.localdate(),
            "round_number": data.get("round"),
            "province": data.get("province") or None,
            "theme": data.get("theme") or None,
        }


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["title", "introduction", "link_valid_days"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 3})}


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=Question.Kind.choices)
    topic = forms.ChoiceField(
        label=_("Counts as"),
        choices=Question.Topic.choices,
        initial=Question.Topic.OTHER,
        help_text=_("What the answers are counted as on the evaluation page."),
    )
    help_text = forms.CharField(label=_("Explanation"), max_length=300, required=False)
    required = forms.BooleanField(label=_("Answer required"), required=False, initial=True)


class FollowUpForm(forms.Form):
    completed_before = forms.DateField(
        label=_("Trajectories completed on or before"),
        widget=DATE,
        help_text=_("Usually a year ago: the follow-up asks what happened since."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["completed_before"].initial = today - datetime.timedelta(days=365)


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["kind", "moment", "value", "measured_on", "source"]
        widgets = {"measured_on": DATE}


class AnswerForm(forms.Form):
    """The questionnaire as a form: it checks the shape of the answers; the service the rules."""

    def __init__(self, *args, invitation: Invitation, measures: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(invitation.questionnaire.active_questions())
        self.measures = measures
        self.measure_fields: list[str] = []
        for question in self.questions:
            name = f"q{question.pk}"
            if question.kind == Question.Kind.SCALE:
                self.fields[name] = forms.TypedChoiceField(
                    label=question.text,
                    help_text=question.help_text or _("1 = not at all, 5 = very much"),
                    choices=[(score, str(score)) for score in range(1, 6)],
                    coerce=int,
                    empty_value=None,
                    widget=forms.RadioSelect(attrs={"class": "scale"}),
                    required=False,
                )
            elif question.kind == Question.Kind.TEXT:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    help_text=question.help_text,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    required=False,
                    max_length=5000,
                )
            else:
                for position, measure in enumerate(measures, start=1):
                    field = f"m{position}"
                    self.fields[field] = forms.ChoiceField(
                        label=measure,
                        choices=MeasureAnswer.Status.choices,
                        widget=forms.RadioSelect,
                        required=False,
                    )
                    self.measure_fields.append(field)

    def answers(self) -> dict:
        """Keyword arguments for `services.submit_response`."""
        data = self.cleaned_data
        scores, texts = {}, {}
        for question in self.questions:
            value = data.get(f"q{question.pk}")
            if question.kind == Question.Kind.SCALE:
                scores[question.pk] = value
            elif question.kind == Question.Kind.TEXT:
                texts[question.pk] = value or ""
        measures = {
            position: data[f"m{position}"]
            for position in range(1, len(self.measures) + 1)
            if data.get(f"m{position}")
        }
        return {"scores": scores, "texts": texts, "measures": measures}

    def question_fields(self):
        """(question, bound fields) in the questionnaire's order, for the template."""
        for question in self.questions:
            if question.kind == Question.Kind.MEASURES:
                yield question, [self[name] for name in self.measure_fields]
            else:
                yield question, [self[f"q{question.pk}"]]
