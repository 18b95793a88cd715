"""Import a history workbook through the same services as the pages and the API, all or nothing.

Every event is replayed in date order through its service (`submit_application(received_at=)`,
`change_status(at=)`, `record_referral`, `plan_intake`, `record_intake_outcome`, the trajectory
steps with `on`, `register_person_days`, `set_day_rate`, `create_offer`, `amend_offer`, the
evaluation and De Vitrine services), so the services' own rules hold for the past as they hold
today. Each row runs in a savepoint: a refused row is kept with its sheet, row number, column and
reason and the import goes on, so every problem is reported at once; at the end, if any row was
refused (or on a dry run) the whole transaction is rolled back.

Services that take no date of their own (planning an intake, an expert assigned later, an offer
amendment's and an indicator's moment of recording, De Vitrine's case steps) are called with the
clock set to the moment of the event (`replay_clock`, lib/clock.py).

No mail goes out for an imported past event: the after-commit mail tasks the services enqueue are
dropped, the municipality's messages and the calendar notices are kept to read and marked sent at
the moment they were created, so `retry_messages` never sends them. A username the database does
not know is recorded as the importing staff user; the result lists such names."""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from profploeg.accounts.models import User
from profploeg.applications import services as application_services
from profploeg.applications.models import Application, Message
from profploeg.evaluations import services as evaluation_services
from profploeg.evaluations.models import Invitation, Question
from profploeg.lib import clock, formats
from profploeg.lib.dates import BRUSSELS
from profploeg.municipalities.models import Municipality
from profploeg.programmes import services as programme_services
from profploeg.programmes.models import Programme, Theme
from profploeg.showcase import services as showcase_services
from profploeg.showcase.models import Case
from profploeg.trajectories import services as trajectory_services
from profploeg.trajectories.models import (
    DayRate,
    Expert,
    ExpertiseArea,
    Intake,
    IntakeNotice,
    Organisation,
    Trajectory,
)

from .layout import SHEETS_BY_KEY
from .workbook import Row, RowError, read_workbook

Status = Trajectory.Status


class HistoryImportFailed(ValidationError):
    """At least one row was refused: nothing was imported. `row_errors` holds every problem."""

    api_code = "import_failed"

    def __init__(self, errors: list[RowError]):
        self.row_errors = errors
        self.rows = [error.as_dict() for error in errors]
        super().__init__(
            ngettext(
                "%(count)d problem in the workbook; nothing was imported. Correct the row "
                "below and try again.",
                "%(count)d problems in the workbook; nothing was imported. Correct the rows "
                "below and try again.",
                len(errors),
            )
            % {"count": len(errors)}
        )


@dataclass
class HistoryImportResult:
    dry_run: bool
    programme_id: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    unknown_users: list[str] = field(default_factory=list)


class Skip(Exception):
    """A row that depends on a refused row: reported once, where the cause is."""


def replay_clock(moment: datetime.datetime | None):
    """The clock at the moment of a past event, for services that record `now` (lib/clock.py:
    this thread only, never the other requests of the process)."""
    return clock.replaying(moment)


def end_of(day: datetime.date) -> datetime.datetime:
    """Date-only events happen late on their day: after that day's decisions and steps."""
    return datetime.datetime.combine(day, datetime.time(23, 0), tzinfo=BRUSSELS)


def start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=BRUSSELS)


def split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(";") if part.strip()]


# Which column a service's field error belongs to, per sheet.
FIELD_COLUMNS = {
    "received_at": "received_at",
    "municipality": "refnis",
    "reason": "reason",
    "contacted_on": "contacted_on",
    "planned_at": "planned_at",
    "held_on": "held_on",
    "planned_start": "planned_start",
    "planned_end": "planned_end",
    "on": "effective_on",
    "at": "at",
    "channel": "channel",
    "expected_end": "expected_end",
    "planned_days": "planned_days",
    "organisation": "organisation",
    "is_lead_partner": "lead_partner",
    "slug": "slug",
    "name": "name",
    "valid_from": "valid_from",
    "rate_eur": "rate_eur",
    "effective_on": "effective_on",
    "total_eur": "total_eur",
    "measured_on": "measured_on",
    "value": "value",
}


@dataclass(order=True)
class Step:
    moment: datetime.datetime
    priority: int
    sequence: int
    row: Row = field(compare=False)
    action: Callable[[Row], None] = field(compare=False)


class Replay:
    def __init__(self, *, by: User, rows: dict[str, list[Row]]):
        self.by = by
        self.rows = rows
        self.errors: list[RowError] = []
        self.failed: set[tuple] = set()
        self.users: dict[str, User] = {}
        self.unknown: set[str] = set()
        self.programme: Programme | None = None
        self.rounds: dict[int, object] = {}
        self.experts: dict[str, Expert] = {}
        self.organisations: dict[str, Organisation] = {}
        self.applications: dict[tuple, Application] = {}
        self.trajectories: dict[tuple, Trajectory] = {}
        self.invitations: dict[tuple, Invitation] = {}
        self.cases: dict[tuple, Case] = {}
        self.themes = {}
        for theme in Theme.objects.all():
            self.themes[theme.slug.lower()] = theme
            self.themes[theme.name.lower()] = theme
        self.steps: list[Step] = []
        self.counts: dict[str, int] = defaultdict(int)

    # Helpers

    def user(self, username: str | None) -> User:
        if not username:
            return self.by
        if username not in self.users:
            found = User.objects.filter(username=username).first()
            if found is None:
                self.unknown.add(username)
            self.users[username] = found or self.by
        return self.users[username]

    def error(self, row: Row, column: str, message: str) -> None:
        label = row.sheet.column(column).dutch if column else ""
        self.errors.append(RowError(row.sheet.dutch, row.number, label, message))

    def run_row(self, row: Row, action: Callable[[Row], None], column: str = "") -> bool:
        """Run one row's services in a savepoint; a refusal is kept and the import goes on."""
        try:
            with transaction.atomic():
                action(row)
        except Skip:
            return False
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, messages in error.message_dict.items():
                    target = FIELD_COLUMNS.get(name, column)
                    if target and not any(c.key == target for c in row.sheet.columns):
                        target = column
                    for message in messages:
                        self.error(row, target, message)
            else:
                for message in error.messages:
                    self.error(row, column, message)
            return False
        except PermissionDenied as error:
            self.error(
                row,
                "by" if any(c.key == "by" for c in row.sheet.columns) else column,
                str(error) or _("Not allowed."),
            )
            return False
        self.counts[row.sheet.key] += 1
        return True

    def key(self, row: Row) -> tuple:
        return (str(row["refnis"] or ""), row["round"])

    def application(self, row: Row) -> Application:
        key = self.key(row)
        if key in self.applications:
            return self.applications[key]
        if ("application",) + key in self.failed:
            raise Skip
        raise ValidationError(
            {
                "municipality": _(
                    "No application of REFNIS %(refnis)s in round %(round)s on sheet Aanvragen."
                )
                % {"refnis": key[0], "round": key[1]}
            }
        )

    def trajectory(self, row: Row) -> Trajectory:
        key = self.key(row)
        if key in self.trajectories:
            return Trajectory.objects.get(pk=self.trajectories[key].pk)
        if ("trajectory",) + key in self.failed or ("application",) + key in self.failed:
            raise Skip
        raise ValidationError(
            {
                "municipality": _(
                    "REFNIS %(refnis)s in round %(round)s has no trajectory (a held intake on "
                    "sheet Intakes and a row on sheet Trajecten)."
                )
                % {"refnis": key[0], "round": key[1]}
            }
        )

    def expert(self, name: str) -> Expert:
        found = self.experts.get((name or "").lower())
        if found is None:
            found = Expert.objects.filter(name=name).order_by("pk").first()
        if found is None:
            raise ValidationError(_("No expert “%(name)s” on sheet Experten.") % {"name": name})
        return found

    def theme_list(self, text: str | None, row: Row) -> list[Theme]:
        themes = []
        for name in split(text):
            theme = self.themes.get(name.lower())
            if theme is None:
                self.error(row, "themes", _("Unknown theme “%(name)s”.") % {"name": name})
                raise Skip
            themes.append(theme)
        return themes

    def add(self, moment, priority: int, row: Row, action) -> None:
        self.steps.append(Step(moment, priority, len(self.steps), row, action))

    # The programme and its set-up, first

    def setup(self) -> None:
        programmes = self.rows["programme"]
        if len(programmes) != 1:
            self.errors.append(
                RowError(
                    SHEETS_BY_KEY["programme"].dutch, 2, "", _("Give exactly one programme row.")
                )
            )
            return
        row = programmes[0]
        if not self.run_row(row, self.create_programme):
            return
        for row in self.rows["rounds"]:
            self.run_row(row, self.add_round, "number")
        for row in self.rows["info_sessions"]:
            self.run_row(
                row,
                lambda r: programme_services.record_info_session(
                    programme=self.programme,
                    by=self.by,
                    title=r["title"],
                    held_on=r["held_on"],
                    registrations=r.get("registrations", 0),
                    attendees=r.get("attendees", 0),
                ),
            )
        for row in self.rows["themes"]:
            self.run_row(row, self.add_theme, "slug")
        self.themes = {}
        for theme in Theme.objects.all():
            self.themes[theme.slug.lower()] = theme
            self.themes[theme.name.lower()] = theme
        for row in self.rows["organisations"]:
            self.run_row(row, self.add_organisation, "name")
        for row in self.rows["expertise_areas"]:
            self.run_row(row, self.add_area, "slug")
        for row in self.rows["experts"]:
            self.run_row(row, self.add_expert, "name")
        for row in self.rows["day_rates"]:
            self.run_row(row, self.add_rate, "expert")
        for row in self.rows["offer"][:1]:
            self.run_row(
                row,
                lambda r: trajectory_services.create_offer(
                    by=self.by,
                    programme=self.programme,
                    total_eur=r["total_eur"],
                    capacity=r["capacity"],
                    average_person_days=r["average_person_days"],
                    valid_from=r["valid_from"],
                    valid_until=r["valid_until"],
                ),
            )
        for row in self.rows["offer"][1:]:
            self.error(row, "", _("A programme has one offer; put changes on Offertewijzigingen."))

    def create_programme(self, row: Row) -> None:
        self.programme = programme_services.create_programme(
            by=self.by,
            title=row["title"],
            description=row.get("description", ""),
            published_on=row["published_on"],
            capacity=row["capacity"],
            budget_eur=row["budget_eur"],
        )

    def add_round(self, row: Row) -> None:
        round_ = programme_services.add_round(
            programme=self.programme, by=self.by, opens_on=row["opens_on"], deadline=row["deadline"]
        )
        if round_.number != row["number"]:
            raise ValidationError(
                _("Rounds are numbered in order of their deadline: this one is round %(n)s.")
                % {"n": round_.number}
            )
        self.rounds[round_.number] = round_

    def add_theme(self, row: Row) -> None:
        if not Theme.objects.filter(slug=row["slug"]).exists():
            programme_services.create_theme(by=self.by, name=row["name"], slug=row["slug"])

    def add_organisation(self, row: Row) -> None:
        lead = bool(row["lead_partner"])
        organisation = Organisation.objects.filter(name__iexact=row["name"]).first()
        if organisation is None:
            organisation = trajectory_services.create_organisation(
                by=self.by, name=row["name"], is_lead_partner=lead
            )
        elif organisation.is_lead_partner != lead:
            raise ValidationError(
                {
                    "lead_partner": _("%(name)s exists already with another lead-partner flag.")
                    % {"name": organisation.name}
                }
            )
        self.organisations[row["name"].lower()] = organisation

    def add_area(self, row: Row) -> None:
        if not ExpertiseArea.objects.filter(slug=row["slug"]).exists():
            trajectory_services.create_expertise_area(
                by=self.by, name=row["name"], slug=row["slug"]
            )

    def add_expert(self, row: Row) -> None:
        name = row["name"]
        if name.lower() in self.experts:
            raise ValidationError(
                _(
                    "Two experts are called “%(name)s”: the other sheets name experts, so names "
                    "must differ."
                )
                % {"name": name}
            )
        rates = [r for r in self.rows["day_rates"] if (r["expert"] or "").lower() == name.lower()]
        existing = Expert.objects.filter(name=name)
        if row["email"]:
            existing = existing.filter(email=row["email"])
        expert = existing.order_by("pk").first()
        if expert is None:
            if not rates:
                raise ValidationError(
                    _("%(name)s needs a day rate on sheet Dagtarieven.") % {"name": name}
                )
            first = min(rates, key=lambda r: r["valid_from"] or datetime.date.max)
            areas = []
            for slug in split(row["expertise"]):
                area = ExpertiseArea.objects.filter(slug=slug).first()
                if area is None:
                    self.error(
                        row, "expertise", _("Unknown expertise area “%(slug)s”.") % {"slug": slug}
                    )
                    raise Skip
                areas.append(area)
            linked = None
            if row["username"]:
                linked = User.objects.filter(username=row["username"]).first()
                if linked is None:
                    self.unknown.add(row["username"])
                elif Expert.objects.filter(user=linked).exists():
                    linked = None
            organisation = self.organisations.get(row["organisation"].lower())
            if organisation is None:
                raise ValidationError(
                    {
                        "organisation": _("No organisation “%(name)s” on sheet Organisaties.")
                        % {"name": row["organisation"]}
                    }
                )
            expert = trajectory_services.create_expert(
                by=self.by,
                name=name,
                organisation=organisation,
                day_rate_eur=first["rate_eur"],
                rate_valid_from=first["valid_from"],
                email=row.get("email", ""),
                expertise_areas=areas,
                user=linked,
            )
            if row["active"] is False:
                trajectory_services.update_expert(by=self.by, expert=expert, is_active=False)
        self.experts[name.lower()] = expert

    def add_rate(self, row: Row) -> None:
        expert = self.experts.get((row["expert"] or "").lower())
        if expert is None:
            raise ValidationError(
                _("No expert “%(name)s” on sheet Experten.") % {"name": row["expert"]}
            )
        existing = DayRate.objects.filter(expert=expert, valid_from=row["valid_from"]).first()
        if existing is not None and existing.rate_eur == row["rate_eur"]:
            return
        trajectory_services.set_day_rate(
            by=self.user(row["by"]),
            expert=expert,
            valid_from=row["valid_from"],
            rate_eur=row["rate_eur"],
        )

    # Events, in date order

    def plan(self) -> None:
        rows = self.rows
        for row in rows["amendments"]:
            self.add(start_of(row["effective_on"]), 5, row, self.amend)
        for row in rows["applications"]:
            self.add(row["received_at"], 10, row, self.submit)
        for row in rows["decisions"]:
            self.add(row["at"], 20, row, self.decide)
        for row in rows["referrals"]:
            self.add(end_of(row["contacted_on"]), 30, row, self.refer)
        trajectories = {self.key(row): row for row in rows["trajectories"]}
        assignments = defaultdict(list)
        for row in rows["assignments"]:
            assignments[self.key(row)].append(row)
        for row in rows["intakes"]:
            if row["status"] == Intake.Status.HELD and row["held_on"]:
                trajectory_row = trajectories.get(self.key(row))
                team = assignments[self.key(row)]
                self.add(
                    end_of(row["held_on"]),
                    40,
                    row,
                    lambda r, t=trajectory_row, a=team: self.hold(r, t, a),
                )
            else:
                self.add(
                    row["planned_at"] - datetime.timedelta(minutes=1), 35, row, self.plan_intake
                )
        held = {
            self.key(row): row["held_on"]
            for row in rows["intakes"]
            if row["status"] == Intake.Status.HELD
        }
        for row in rows["assignments"]:
            if held.get(self.key(row)) != row["assigned_on"]:
                self.add(end_of(row["assigned_on"]), 45, row, self.assign)
        for row in rows["plan_changes"]:
            self.add(end_of(row["effective_on"]), 46, row, self.change_plan)
        for row in rows["expected_ends"]:
            self.add(end_of(row["effective_on"]), 47, row, self.expect_end)
        for row in rows["trajectory_events"]:
            if not row["from_status"] and row["to_status"] == Status.PLANNED:
                continue
            priority = 70 if row["to_status"] in Trajectory.ENDED else 50
            self.add(
                end_of(row["effective_on"]),
                priority,
                row,
                lambda r, t=trajectories: self.step(r, t.get(self.key(r))),
            )
        for row in rows["person_days"]:
            self.add(end_of(row["date"]), 60, row, self.register)
        answers = defaultdict(list)
        for row in rows["answers"]:
            answers[(*self.key(row), row["questionnaire"])].append(row)
        for row in rows["invitations"]:
            self.add(row["sent_at"], 80, row, self.invite)
            if row["reminded_at"]:
                self.add(row["reminded_at"], 81, row, self.remind)
            if row["answered_at"]:
                group = answers.pop((*self.key(row), row["questionnaire"]), [])
                self.add(row["answered_at"], 82, row, lambda r, g=group: self.answer(r, g))
        for group in answers.values():
            for row in group:
                self.error(row, "questionnaire", _("No answered invitation for these answers."))
        for row in rows["indicators"]:
            self.add(row["recorded_at"] or end_of(row["measured_on"]), 85, row, self.indicator)
        cases = {self.key(row): row for row in rows["cases"]}
        for row in rows["case_events"]:
            self.add(row["at"], 90, row, lambda r, c=cases: self.case_step(r, c.get(self.key(r))))
        created = {self.key(r) for r in rows["case_events"] if r["action"] == "created"}
        for row in rows["cases"]:
            if self.key(row) not in created:
                self.error(row, "title", _("A case needs its “created” step on Vitrine-stappen."))

    def amend(self, row: Row) -> None:
        offer = getattr(self.programme, "offer", None)
        if offer is None:
            raise ValidationError(_("An amendment needs the offer on sheet Offerte."))
        with replay_clock(row["recorded_at"]):
            trajectory_services.amend_offer(
                by=self.user(row["by"]),
                offer=offer,
                effective_on=row["effective_on"],
                total_eur=row["total_eur"],
                capacity=row["capacity"],
                reason=row["reason"],
            )

    def submit(self, row: Row) -> None:
        key = self.key(row)
        if key in self.applications:
            raise ValidationError(_("A second application of the same municipality and round."))
        municipality = Municipality.objects.filter(refnis=key[0]).first()
        if municipality is None:
            self.failed.add(("application",) + key)
            self.error(
                row, "refnis", _("No municipality with REFNIS code %(code)s.") % {"code": key[0]}
            )
            raise Skip
        try:
            themes = self.theme_list(row["themes"], row)
            application = application_services.submit_application(
                programme=self.programme,
                municipality=municipality,
                submitted_by=self.user(row["submitted_by"]),
                contact_name=row["contact_name"],
                contact_email=row["contact_email"],
                contact_phone=row.get("contact_phone", ""),
                question=row["question"],
                themes=themes,
                received_at=row["received_at"],
            )
            if application.round.number != key[1]:
                raise ValidationError(
                    {
                        "received_at": _(
                            "Received on that date, it goes into round %(n)s, not %(given)s."
                        )
                        % {"n": application.round.number, "given": key[1]}
                    }
                )
        except (ValidationError, PermissionDenied, Skip):
            self.failed.add(("application",) + key)
            raise
        self.applications[key] = application

    def decide(self, row: Row) -> None:
        application = Application.objects.get(pk=self.application(row).pk)
        if application.status != row["from_status"]:
            raise ValidationError(
                {
                    "from_status": _("The application is %(status)s at that moment, not %(given)s.")
                    % {"status": application.status, "given": row["from_status"]}
                }
            )
        application_services.change_status(
            application=application,
            to_status=row["to_status"],
            by=self.user(row["by"]),
            expected_version=application.version,
            reason=row.get("reason", ""),
            at=row["at"],
            channel=row.get("channel", ""),
            confirm_over_capacity=bool(row["over_capacity"]),
        )

    def refer(self, row: Row) -> None:
        application_services.record_referral(
            application=Application.objects.get(pk=self.application(row).pk),
            by=self.user(row["by"]),
            contacted_on=row["contacted_on"],
            outcome=row["outcome"],
            note=row.get("note", ""),
        )

    def plan_intake(self, row: Row) -> None:
        key = self.key(row)
        try:
            application = Application.objects.get(pk=self.application(row).pk)
            experts = [self.expert(name) for name in split(row["experts"])]
            past = row["planned_at"] <= timezone.now()
            if row["status"] == Intake.Status.HELD:
                raise ValidationError({"held_on": _("Give the day the intake was held.")})
            if row["status"] not in Intake.Status.values:
                raise ValidationError({"status": _("Write planned, held or cancelled.")})
            if row["status"] == Intake.Status.PLANNED and past:
                raise ValidationError(
                    {"planned_at": _("A planned intake in the past: record it held or cancelled.")}
                )
            with replay_clock(row["planned_at"] - datetime.timedelta(minutes=1) if past else None):
                intake = trajectory_services.plan_intake(
                    by=self.user(row["by"]),
                    application=application,
                    planned_at=row["planned_at"],
                    location=row.get("location", ""),
                    video_url=row.get("video_url", ""),
                    participants=row.get("participants", ""),
                    experts=experts,
                    duration_minutes=row.get("duration_minutes", 90),
                )
                if row["status"] == Intake.Status.CANCELLED:
                    trajectory_services.cancel_intake(
                        by=self.user(row["by"]), intake=intake, reason=row.get("cancel_reason", "")
                    )
        except (ValidationError, PermissionDenied, Skip):
            self.failed.add(("trajectory",) + key)
            raise

    def hold(self, row: Row, trajectory_row: Row | None, assignments: list[Row]) -> None:
        key = self.key(row)
        try:
            application = Application.objects.get(pk=self.application(row).pk)
            if trajectory_row is None:
                raise ValidationError(
                    {"held_on": _("A held intake needs its trajectory on sheet Trajecten.")}
                )
            planned = [
                trajectory_services.PlannedAssignment(
                    expert=self.expert(a["expert"]), planned_days=a["planned_days"]
                )
                for a in assignments
                if a["assigned_on"] == row["held_on"]
            ]
            trajectory = trajectory_services.record_held_intake(
                by=self.user(row["by"]),
                application=application,
                held_on=row["held_on"],
                agreed_question=row.get("agreed_question", ""),
                assignments=planned,
                planned_start=trajectory_row["planned_start"],
                planned_end=trajectory_row["planned_end"],
                location=row.get("location", ""),
                participants=row.get("participants", ""),
            )
        except (ValidationError, PermissionDenied, Skip):
            self.failed.add(("trajectory",) + key)
            raise
        self.trajectories[key] = trajectory

    def assign(self, row: Row) -> None:
        trajectory_services.assign_expert(
            by=self.user(row["by"]),
            trajectory=self.trajectory(row),
            expert=self.expert(row["expert"]),
            planned_days=row["planned_days"],
            on=row["assigned_on"],
        )

    def change_plan(self, row: Row) -> None:
        trajectory_services.assign_expert(
            by=self.user(row["by"]),
            trajectory=self.trajectory(row),
            expert=self.expert(row["expert"]),
            planned_days=row["planned_days"],
            on=row["effective_on"],
            reason=row.get("reason", ""),
        )

    def expect_end(self, row: Row) -> None:
        trajectory_services.set_expected_end(
            by=self.user(row["by"]),
            trajectory=self.trajectory(row),
            expected_end=row["expected_end"],
            reason=row["reason"],
            on=row["effective_on"],
        )

    def step(self, row: Row, trajectory_row: Row | None) -> None:
        trajectory = self.trajectory(row)
        by, on, to = self.user(row["by"]), row["effective_on"], row["to_status"]
        if to == Status.RUNNING and trajectory.status == Status.PLANNED:
            trajectory_services.start_trajectory(by=by, trajectory=trajectory, on=on)
        elif to == Status.RUNNING:
            trajectory_services.advance_phase(by=by, trajectory=trajectory, on=on)
        elif to == Status.COMPLETED:
            trajectory_services.complete_trajectory(
                by=by,
                trajectory=trajectory,
                on=on,
                findings=(trajectory_row or {}).get("findings", "") if trajectory_row else "",
                measures=(trajectory_row or {}).get("measures", "") if trajectory_row else "",
            )
        elif to == Status.STOPPED:
            reason = row.get("note") or (
                trajectory_row.get("stop_reason", "") if trajectory_row else ""
            )
            trajectory_services.stop_trajectory(by=by, trajectory=trajectory, on=on, reason=reason)
        else:
            raise ValidationError({"to_status": _("Unknown step “%(to)s”.") % {"to": to}})
        trajectory.refresh_from_db()
        if trajectory.phase != row["phase"]:
            raise ValidationError(
                {
                    "phase": _("After this step the trajectory is in phase %(n)s.")
                    % {"n": trajectory.phase}
                }
            )

    def register(self, row: Row) -> None:
        expert = self.expert(row["expert"])
        entry = trajectory_services.register_person_days(
            by=self.user(row["by"]),
            expert=expert,
            trajectory=self.trajectory(row),
            day=row["date"],
            days=row["days"],
            activity=row["activity"],
            note=row.get("note", ""),
        )
        if row["rate_eur"] is not None and entry.rate_eur != row["rate_eur"]:
            raise ValidationError(
                {
                    "rate_eur": _(
                        "The day rate of %(expert)s on that date is € %(rate)s (sheet Dagtarieven)."
                    )
                    % {"expert": expert.name, "rate": formats.number(entry.rate_eur, 2)}
                }
            )

    def invite(self, row: Row) -> None:
        key = (*self.key(row), row["questionnaire"])
        try:
            trajectory = self.trajectory(row)
            if row["questionnaire"] not in ("completion", "follow_up"):
                raise ValidationError(_("Write completion or follow_up."))
            invitation = evaluation_services.invite(
                trajectory=trajectory,
                kind=row["questionnaire"],
                by=self.user(row["sent_by"]) if row["sent_by"] else None,
                now=row["sent_at"],
            )
            if invitation is None:
                raise ValidationError(_("This questionnaire was already sent for this trajectory."))
        except (ValidationError, PermissionDenied, Skip):
            self.failed.add(("invitation",) + key)
            raise
        self.invitations[key] = invitation

    def invitation(self, row: Row) -> Invitation:
        key = (*self.key(row), row["questionnaire"])
        if key not in self.invitations:
            raise Skip
        return Invitation.objects.get(pk=self.invitations[key].pk)

    def remind(self, row: Row) -> None:
        # As send_reminders does for each link that is due, for this one link.
        invitation = self.invitation(row)
        evaluation_services.check_answerable(invitation, row["reminded_at"])
        Invitation.objects.filter(pk=invitation.pk).update(reminded_at=row["reminded_at"])
        evaluation_services.email_municipality(invitation, "reminder", row["reminded_at"])

    def answer(self, row: Row, group: list[Row]) -> None:
        invitation = self.invitation(row)
        questions = {q.position: q for q in invitation.questionnaire.active_questions()}
        scores, texts, measures = {}, {}, {}
        for answer in group:
            question = questions.get(answer["question"])
            if question is None:
                self.error(
                    answer,
                    "question",
                    _("The questionnaire has no question %(n)s.") % {"n": answer["question"]},
                )
                raise Skip
            if question.kind == Question.Kind.SCALE:
                scores[question.pk] = answer["score"]
            elif question.kind == Question.Kind.TEXT:
                texts[question.pk] = answer.get("answer", "")
            else:
                measures[answer["measure"]] = answer["answer"]
        evaluation_services.submit_response(
            invitation=invitation,
            scores=scores,
            texts=texts,
            measures=measures,
            now=row["answered_at"],
        )

    def indicator(self, row: Row) -> None:
        with replay_clock(row["recorded_at"]):
            evaluation_services.record_indicator(
                by=self.user(row["by"]),
                trajectory=self.trajectory(row),
                kind=row["kind"],
                moment=row["moment"],
                value=row["value"],
                measured_on=row["measured_on"],
                source=row["source"],
            )

    def case_step(self, row: Row, case_row: Row | None) -> None:
        key = self.key(row)
        by, action = self.user(row["by"]), row["action"]
        with replay_clock(row["at"]):
            if action == "created":
                if case_row is None:
                    raise ValidationError(_("No case of this municipality on sheet Vitrine-cases."))
                themes = self.theme_list(case_row["themes"], case_row)
                case = showcase_services.create_case(
                    by=by,
                    trajectory=self.trajectory(row),
                    title=case_row["title"],
                    summary=case_row["summary"],
                    size_class=case_row["size_class"],
                    themes=themes,
                )
                self.cases[key] = showcase_services.update_case(
                    by=by,
                    case=case,
                    title=case_row["title"],
                    summary=case_row["summary"],
                    question=case_row.get("question", case.question),
                    approach=case_row.get("approach", ""),
                    measures=case_row.get("measures", case.measures),
                    results=case_row.get("results", ""),
                    size_class=case_row["size_class"],
                    themes=themes,
                )
                return
            if key not in self.cases:
                raise Skip
            case = Case.objects.get(pk=self.cases[key].pk)
            if action == "submitted":
                showcase_services.submit_for_review(by=by, case=case)
            elif action == "approved":
                showcase_services.approve_case(by=by, case=case, version=case.content_version)
            elif action == "changes_requested":
                showcase_services.request_changes(by=by, case=case, reason=row.get("reason", ""))
            elif action == "published":
                showcase_services.publish_case(by=by, case=case)
            elif action == "withdrawn":
                showcase_services.withdraw_case(by=by, case=case, reason=row.get("reason", ""))
            elif action != "edited":
                raise ValidationError({"action": _("Unknown step “%(a)s”.") % {"a": action}})

    def finish(self) -> None:
        """The programme's own figures as the workbook has them, after the offer's amendments."""
        row = self.rows["programme"][0]
        if self.programme is not None:
            self.run_row(
                row,
                lambda r: programme_services.update_programme(
                    programme=self.programme,
                    by=self.by,
                    capacity=r["capacity"],
                    budget_eur=r["budget_eur"],
                ),
            )
            self.counts["programme"] = 1

    def run(self) -> None:
        self.setup()
        if self.programme is None:
            return
        self.plan()
        for step in sorted(self.steps):
            if step.moment is None:
                continue
            column = {
                "applications": "received_at",
                "decisions": "to_status",
                "person_days": "date",
                "trajectory_events": "to_status",
            }.get(step.row.sheet.key, "")
            self.run_row(step.row, step.action, column)
        self.finish()


def silence_mail(connection_callbacks_before: int, messages_after: int, notices_after: int) -> None:
    """Past events send no mail: drop their after-commit tasks, mark their messages as sent."""
    del connection.run_on_commit[connection_callbacks_before:]
    Message.objects.filter(pk__gt=messages_after, sent_at__isnull=True).update(
        sent_at=F("created_at")
    )
    IntakeNotice.objects.filter(pk__gt=notices_after, sent_at__isnull=True).update(
        sent_at=F("created_at")
    )


def require_staff(user: User) -> None:
    if not (user.is_active and user.role == User.Role.STAFF):
        raise PermissionDenied(_("Only programme staff can import a history."))


def import_history(*, content: bytes, by: User, dry_run: bool = False) -> HistoryImportResult:
    """Load a programme's history from a workbook through the services, in date order; nothing
    is written unless every row is good (a dry run writes nothing at all)."""
    require_staff(by)
    rows, errors = read_workbook(content)
    structural = [e for e in errors if e.row in (0, 1) and not e.row > 1]
    if structural:
        raise HistoryImportFailed(errors)
    result = HistoryImportResult(dry_run=dry_run)
    with transaction.atomic():
        callbacks = len(connection.run_on_commit)
        messages = Message.objects.aggregate(last=Max("pk"))["last"] or 0
        notices = IntakeNotice.objects.aggregate(last=Max("pk"))["last"] or 0
        replay = Replay(by=by, rows=rows)
        try:
            if not errors:
                replay.run()
        finally:
            silence_mail(callbacks, messages, notices)
        errors = errors + replay.errors
        if errors or dry_run:
            transaction.set_rollback(True)
        result.programme_id = None if dry_run else replay.programme and replay.programme.pk
        result.counts = {
            SHEETS_BY_KEY[key].dutch: replay.counts.get(key, 0) for key in SHEETS_BY_KEY
        }
        result.unknown_users = sorted(replay.unknown)
    if errors:
        errors.sort(key=lambda e: (list(SHEETS_BY_KEY).index(sheet_key(e.sheet)), e.row))
        raise HistoryImportFailed(errors)
    return result


def sheet_key(dutch: str) -> str:
    return next((key for key, sheet in SHEETS_BY_KEY.items() if sheet.dutch == dutch), "programme")
