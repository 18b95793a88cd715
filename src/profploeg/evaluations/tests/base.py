import datetime

from django.conf import settings
from django.utils import translation

from profploeg.trajectories import services as trajectory_services
from profploeg.trajectories.tests.base import TrajectoryTestCase

from .. import services

D = datetime.date
COMPLETED_ON = D(2022, 9, 30)
MEASURES = (
    "Kernwinkelgebied afbakenen; leegstandsheffing koppelen aan een starterspremie; "
    "pop-upcontracten met eigenaars."
)


class EvaluationTestCase(TrajectoryTestCase):
    """TrajectoryTestCase plus a helper that completes a trajectory with a closing report."""

    def setUp(self):
        super().setUp()
        # The assertions read the English message ids; the interface itself is Dutch first.
        translation.activate("en")
        self.addCleanup(translation.deactivate)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def complete(self, municipality=None, on=COMPLETED_ON, send=True):
        """A completed trajectory; its questionnaire goes out as on completion unless `send`
        is off."""
        trajectory = self.trajectory(municipality)
        for day in (D(2022, 3, 1), D(2022, 6, 1)):
            trajectory = trajectory_services.advance_phase(
                by=self.staff, trajectory=trajectory, on=day
            )
        with self.captureOnCommitCallbacks(execute=send):
            trajectory = trajectory_services.complete_trajectory(
                by=self.expert,
                trajectory=trajectory,
                on=on,
                findings="De kern is compact maar versnipperd.",
                measures=MEASURES,
            )
        return trajectory

    def answer_all(self, invitation, satisfaction=4, usefulness=5, **kw):
        questions = list(invitation.questionnaire.active_questions())
        scores = {
            q.pk: {"satisfaction": satisfaction, "usefulness": usefulness}.get(q.topic, 3)
            for q in questions
            if q.kind == "scale"
        }
        texts = {q.pk: f"Antwoord op {q.text}" for q in questions if q.kind == "text"}
        measures = kw.pop("measures", {1: "carried_out", 2: "planned", 3: "not_planned"})
        return services.submit_response(
            invitation=invitation, scores=scores, texts=texts, measures=measures, **kw
        )
