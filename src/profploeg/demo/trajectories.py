"""The profploeg at work on the seed programme: the consortium, the offer and its May 2022
amendment, intakes, trajectories and person-days from the end of 2021 to 2024.

Round 1: intakes in October 2021 (a few still to hold at the end of the year, held in January),
guidance from early 2022. Round 2: intakes before early February 2022, starts in April 2022.
Round 3 (the 30 municipalities of the amendment): intakes at the end of 2022, starts until spring
2023. A trajectory is planned for 6 to 9 months; about a third overrun their planned end by up to
four months (staff set the expected end and give an expert extra days before the planned end
passes), a few finish early, two are stopped with a reason. Every other one completes with its
closing report, rounds 1 and 2 by mid-2023, round 3 by the end of 2023. The spend ends within the
amended EUR 2.04 million, rounds 1 and 2 within the original EUR 1.5 million.

The history goes through the same services as a real agency's data (intake outcome, start,
phases, person-days imported per expert, completion or stop, each on its own date), so it obeys
the same rules; the moments they were recorded are then set to the days they describe.
Deterministic (one seeded random.Random); for the benchmarks, `scale` multiplies the consortium
and the budget, and `workload` the person-days of each trajectory."""

import datetime
import math
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from profploeg.accounts.models import User
from profploeg.applications.models import Application
from profploeg.lib.dates import at_brussels
from profploeg.programmes.models import Programme
from profploeg.trajectories import services
from profploeg.trajectories.models import (
    Assignment,
    DayRate,
    ExpectedEnd,
    Expert,
    ExpertiseArea,
    Intake,
    IntakeForm,
    Offer,
    Organisation,
    PersonDayEntry,
    PlanChange,
    Trajectory,
    TrajectoryEvent,
)

D = datetime.date
INDEXATION = D(2023, 1, 1)
# One trajectory in fifty is stopped (two in the demo).
STOP_EVERY = 50

AREAS = [
    ("stedenbouw", "Stedenbouw en ruimtelijke planning"),
    ("retail", "Detailhandel en leegstand"),
    ("vastgoed", "Vastgoed"),
    ("e-commerce", "E-commerce en digitalisering"),
    ("evenementen", "Evenementen en beleving"),
    ("stadslogistiek", "Stadslogistiek"),
    ("sociale-media", "Sociale media en citymarketing"),
    ("recht", "Recht en beleidsinstrumenten"),
    ("onderzoek", "Onderzoek en data"),
    ("participatie", "Participatie en samenwerking"),
]
# (organisation, expertise, lead partner, experts)
CONSORTIUM = [
    (
        "Atelier Kern (coördinatie)",
        ["stedenbouw", "participatie"],
        True,
        ["Pieter Claes", "Hanne Smet", "Wout Lenaerts"],
    ),
    ("Winkelwijs", ["retail"], False, ["Sara Coppens", "Jonas Wuyts", "Ilse Martens"]),
    ("Vastgoedkompas", ["vastgoed"], False, ["Koen Pauwels", "Lotte Verbeke"]),
    ("Digitale Dorpsstraat", ["e-commerce"], False, ["Ruben Geerts", "Eline Vos"]),
    ("Feestfabriek", ["evenementen"], False, ["Nele De Wilde", "Arne Claeys"]),
    ("Last Mile Lab", ["stadslogistiek"], False, ["Bram Michiels", "Femke Jacobs"]),
    ("Buzz & Buurt", ["sociale-media"], False, ["Yana Peeters", "Dries Maes"]),
    ("Lex Lokaal Advocaten", ["recht"], False, ["Mr. Tine Hermans", "Mr. Bert Desmet"]),
    (
        "Universiteit Gent – Kernenlab",
        ["onderzoek"],
        False,
        ["Prof. Ann Van Acker", "Dr. Pieter-Jan Goris"],
    ),
    ("Pleinmakers", ["participatie", "stedenbouw"], False, ["Saar Willems", "Tim Aerts"]),
]
FINDINGS = [
    "De kern is compact maar versnipperd: de winkelstraat en het marktplein werken elk apart. "
    "Leegstand concentreert zich aan de randen van het kernwinkelgebied.",
    "De beleving is sterk op marktdag maar valt 's avonds en op zondag weg. Handelaars en horeca "
    "stemmen openingsuren niet af.",
    "De bereikbaarheid te voet is goed, maar de aanrijroutes en parkeerverwijzing sturen bezoekers "
    "langs de kern heen.",
    "De gemeente heeft geen actueel detailhandelsbeleid; vergunningen volgen het ruimtelijk plan "
    "van 2004.",
]
MEASURES = [
    "Kernwinkelgebied afbakenen; leegstandsheffing koppelen aan een starterspremie; "
    "pop-upcontracten met eigenaars.",
    "Een jaarkalender van evenementen met de handelaarsvereniging; gezamenlijke koopavond; "
    "terrassenbeleid herzien.",
    "Parkeerverwijzing naar de randparkings; fietsenstallingen aan het plein; "
    "leveringsvenster in de winkelstraat.",
    "Detailhandelsbeleidsplan opmaken en verankeren in het ruimtelijk uitvoeringsplan; "
    "centrummanager aanstellen.",
]
PARTICIPANTS = "Schepen lokale economie, centrummanager, dienst omgeving"
# Why staff expect a trajectory to end later than planned, and give an expert more days.
LATE_REASONS = [
    "De gemeenteraad behandelt het actieplan pas na het zomerreces; de slotpresentatie schuift op.",
    "Op vraag van de gemeente een bijkomende werksessie met de handelaars en eigenaars.",
    "De bevraging van de bezoekers loopt langer dan gepland; de analyse volgt erna.",
]
STOP_REASONS = [
    "Het bestuur legt andere prioriteiten na de fusiebeslissing; de vraag wordt later herbekeken.",
    "De gemeente stopt het traject: het project voor de heraanleg van het plein is uitgesteld.",
]
QUESTIONS = [
    "Een compact kernwinkelgebied afbakenen en een aanpak voor leegstand uitwerken.",
    "Het marktplein herinrichten als ontmoetingsplek met ruimte voor evenementen.",
    "De bereikbaarheid van de kern verbeteren zonder de handelaars te verliezen.",
    "Een gezamenlijke citymarketing en een digitaal platform voor de lokale handel.",
    "Wonen boven winkels stimuleren en eigenaars van leegstaande panden aanspreken.",
]


def months(day: datetime.date, count: int) -> datetime.date:
    month = day.month - 1 + count
    return D(day.year + month // 12, month % 12 + 1, min(day.day, 28))


def workday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def workday_before(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max((last - first).days, 0)))


def half_days(value: float, least: str = "0.5") -> Decimal:
    return max(Decimal(least), Decimal(round(value * 2)) / 2)


def load_consortium(rng: random.Random, scale: int, by: User) -> list[Expert]:
    """Ten organisations with their experts (× scale) and day rates, indexed in 2023; an expert
    that exists already is kept as it is. Written in bulk: the benchmarks' consortium has
    thousands of experts."""
    areas = {}
    for slug, name in AREAS:
        areas[slug], _created = ExpertiseArea.objects.get_or_create(
            slug=slug, defaults={"name": name}
        )
    demo_expert = User.objects.filter(username="expert", role=User.Role.EXPERT).first()
    people = []
    for name, expertise, lead, persons in CONSORTIUM:
        organisation, _created = Organisation.objects.get_or_create(
            name=name, defaults={"is_lead_partner": lead}
        )
        for copy in range(scale):
            for person in persons:
                full_name = person if copy == 0 else f"{person} ({copy + 1})"
                email = f"{person.split()[-1].lower()}.{copy}@profploeg.demo"
                base = Decimal(rng.randrange(780, 1160, 10))
                people.append((organisation, expertise, full_name, email, base))
    known = {
        expert.email: expert
        for expert in Expert.objects.select_related("organisation").filter(
            email__in=[email for *_rest, email, _base in people]
        )
    }
    experts, new = [], []
    for organisation, expertise, full_name, email, base in people:
        if email not in known:
            known[email] = Expert(
                name=full_name,
                email=email,
                organisation=organisation,
                user=demo_expert if demo_expert and full_name == "Pieter Claes" else None,
            )
            new.append((known[email], expertise, base))
        experts.append(known[email])
    Expert.objects.bulk_create([expert for expert, _expertise, _base in new], batch_size=2000)
    Expert.expertise_areas.through.objects.bulk_create(
        [
            Expert.expertise_areas.through(expert_id=expert.pk, expertisearea_id=areas[slug].pk)
            for expert, expertise, _base in new
            for slug in expertise
        ],
        batch_size=5000,
    )
    rates = []
    for expert, _expertise, base in new:
        rates += [
            DayRate(expert=expert, valid_from=D(2021, 6, 1), rate_eur=base, created_by=by),
            DayRate(
                expert=expert,
                valid_from=INDEXATION,
                rate_eur=(base * Decimal("1.04")).quantize(Decimal("1")),
                created_by=by,
            ),
        ]
    DayRate.objects.bulk_create(rates, batch_size=5000)
    return experts


def load_offer(programme: Programme, *, scale: int = 1, workload: float = 1.0) -> Offer:
    """The consortium's offer of June 2021 (EUR 1.5 million, 83 trajectories of 17.5 person-days
    on average), amended on 20 May 2022 for a third round (EUR 2.04 million, 113); the money
    and the average days grow with `workload`."""
    existing = Offer.objects.filter(programme=programme).first()
    if existing is not None:
        return existing
    staff = User.objects.filter(role=User.Role.STAFF).order_by("pk").first()
    more = Decimal(str(workload))
    offer = services.create_offer(
        by=staff,
        programme=programme,
        total_eur=(Decimal("1500000.00") * scale * more).quantize(Decimal("0.01")),
        capacity=83 * scale,
        average_person_days=(Decimal("17.5") * more).quantize(Decimal("0.1")),
        valid_from=D(2021, 6, 28),
        valid_until=D(2024, 12, 31),
    )
    amendment = services.amend_offer(
        by=staff,
        offer=offer,
        effective_on=D(2022, 5, 20),
        total_eur=(Decimal("2040000.00") * scale * more).quantize(Decimal("0.01")),
        capacity=113 * scale,
        reason="Beslissing van de minister: bijkomende middelen voor een derde ronde van "
        "ongeveer 30 gemeenten.",
    )
    type(amendment).objects.filter(pk=amendment.pk).update(
        recorded_at=at_brussels(D(2022, 5, 20), 16)
    )
    return offer


def schedule(rng: random.Random, deadline: datetime.date, index: int) -> dict:
    """When a trajectory's intake, start and planned end fall, by its round's deadline."""
    if deadline <= D(2021, 9, 1):
        # Round 1: intakes in October 2021; the last few only in January 2022.
        late = index % 8 == 7
        held = workday(
            between(rng, D(2022, 1, 10), D(2022, 1, 28))
            if late
            else between(rng, D(2021, 10, 4), D(2021, 10, 29))
        )
        start = workday(
            between(rng, D(2022, 2, 14), D(2022, 3, 11))
            if late
            else between(rng, D(2022, 1, 10), D(2022, 2, 11))
        )
    elif deadline <= D(2021, 12, 31):
        # Round 2: intakes before early February 2022, starts in April 2022.
        held = workday(between(rng, D(2021, 12, 13), D(2022, 2, 4)))
        start = workday(between(rng, D(2022, 4, 1), D(2022, 4, 29)))
    else:
        # Later rounds: intakes in the two to three months after the decisions, starts within
        # four months of the intake.
        first = deadline + datetime.timedelta(days=35)
        held = workday(between(rng, first, first + datetime.timedelta(days=60)))
        start = workday(
            between(rng, held + datetime.timedelta(days=21), held + datetime.timedelta(days=120))
        )
    return {"held": held, "start": start, "planned_end": months(start, rng.randint(6, 9))}


@dataclass
class Plan:
    """What happens to one accepted application, decided up front so that every date is known
    before the services record it."""

    application: Application
    held: datetime.date
    start: datetime.date
    planned_end: datetime.date
    end: datetime.date
    stop_reason: str
    phases: list[datetime.date]
    team: list[tuple[Expert, Decimal]]
    question: str
    findings: str
    measures: str
    # Staff's expected end (from, until, why) and an expert's extra days from the same date.
    extension: tuple[datetime.date, datetime.date, str] | None = None
    extra_days: tuple[Expert, Decimal] | None = None
    entries: list[PersonDayEntry] = field(default_factory=list)


def plan_guidance(
    rng: random.Random, application, index: int, experts, keep, workload: float = 1.0
) -> Plan:
    when = schedule(rng, application.round.deadline, index)
    start, planned_end = when["start"], when["planned_end"]
    stopped = index % STOP_EVERY == STOP_EVERY // 3 and application.pk not in keep
    roll = rng.random()
    if stopped:
        end = workday_before(start + datetime.timedelta(days=rng.randint(55, 140)))
    elif roll < 0.32:
        # Overrun by up to four months; staff set the expected end before the planned one
        # passes (registrations more than 90 days after the planned end need it).
        end = workday_before(planned_end + datetime.timedelta(days=rng.randint(20, 115)))
    elif roll < 0.85:
        end = workday_before(planned_end + datetime.timedelta(days=rng.randint(-21, 14)))
    else:
        end = workday_before(planned_end - datetime.timedelta(days=rng.randint(22, 45)))
    span = (end - start).days
    if stopped:
        phases = [start + datetime.timedelta(days=span // 2)] if rng.random() < 0.5 else []
    else:
        phases = [
            start + datetime.timedelta(days=int(span * rng.uniform(0.22, 0.35))),
            start + datetime.timedelta(days=int(span * rng.uniform(0.6, 0.75))),
        ]
    coordinators, organisations = experts
    total = rng.triangular(10, 22, 19)
    coordination = rng.uniform(2, 3.5)
    if workload != 1:
        # The benchmarks' larger trajectories vary more: from half to one and a half times the
        # average. Drawn only then, so that the demo's random sequence stays as it was.
        factor = workload * rng.uniform(0.5, 1.5)
        total, coordination = total * factor, coordination * factor
    total, coordination = half_days(total), half_days(coordination)
    chosen = rng.sample(sorted(organisations), 2 if rng.random() < 0.45 else 3)
    weights = [rng.uniform(0.7, 1.3) for _ in chosen]
    team = [(rng.choice(coordinators), coordination)]
    for organisation, weight in zip(chosen, weights, strict=True):
        share = float(total - coordination) * weight / sum(weights)
        team.append((rng.choice(organisations[organisation]), half_days(share, "2")))
    extension = extra_days = None
    if not stopped and (end - planned_end).days > 30:
        noticed = workday_before(planned_end - datetime.timedelta(days=rng.randint(0, 20)))
        expected = end + datetime.timedelta(days=rng.randint(0, 14))
        extension = (noticed, expected, rng.choice(LATE_REASONS))
        expert, days = team[rng.randrange(1, len(team))]
        extra_days = (expert, days + rng.choice([Decimal("1"), Decimal("1.5"), Decimal("2")]))
    return Plan(
        application=application,
        held=when["held"],
        start=start,
        planned_end=planned_end,
        end=end,
        stop_reason=STOP_REASONS[index // STOP_EVERY % len(STOP_REASONS)] if stopped else "",
        phases=phases,
        team=team,
        question=rng.choice(QUESTIONS),
        findings="" if stopped else rng.choice(FINDINGS),
        measures="" if stopped else rng.choice(MEASURES),
        extension=extension,
        extra_days=extra_days,
    )


def load_trajectories(
    programme: Programme,
    *,
    scale: int = 1,
    seed: int = 2022,
    through_services: bool = True,
    workload: float = 1.0,
) -> Offer:
    """The offer, the consortium and the guidance of every accepted application that has none
    yet (idempotent). `through_services=False` writes the same history in bulk without the
    services' checks: the benchmark's 100x would take an hour otherwise. `workload` multiplies
    each trajectory's person-days on average (the demo's trajectories have about 17.5 days in
    some 24 entries), and the consortium and the offer with them; 1 is the demo."""
    offer = load_offer(programme, scale=scale, workload=workload)
    applications = list(
        Application.objects.filter(round__programme=programme, status=Application.Status.ACCEPTED)
        .exclude(intakes__isnull=False)
        .select_related("round", "municipality")
        .order_by("round__number", "submitted_at", "pk")
    )
    if not applications:
        return offer
    rng = random.Random(seed)
    staff = User.objects.filter(role=User.Role.STAFF).order_by("pk").first()
    # More work needs more experts: one person registers at most one day on a date.
    consortium = load_consortium(rng, scale * math.ceil(workload), staff)
    coordinators = [e for e in consortium if e.organisation.is_lead_partner]
    organisations: dict[str, list[Expert]] = defaultdict(list)
    for expert in consortium:
        if not expert.organisation.is_lead_partner:
            organisations[expert.organisation.name].append(expert)
    # The demo municipality's own trajectory is completed: it has a case to approve.
    keep = set(
        Application.objects.filter(
            round__programme=programme,
            municipality__in=User.objects.filter(role=User.Role.MUNICIPALITY).values(
                "municipality"
            ),
        ).values_list("pk", flat=True)
    )
    plans = [
        plan_guidance(rng, application, index, (coordinators, organisations), keep, workload)
        for index, application in enumerate(applications)
    ]
    used: dict[tuple[int, datetime.date], Decimal] = defaultdict(Decimal)
    for expert_id, day, days in PersonDayEntry.objects.filter(expert__in=consortium).values_list(
        "expert", "date", "days"
    ):
        used[(expert_id, day)] += days
    for plan in plans:
        for expert, planned in plan.team:
            if plan.extra_days and plan.extra_days[0] == expert:
                planned = plan.extra_days[1]
            share = rng.uniform(0.18, 0.45) if plan.stop_reason else rng.uniform(0.85, 1.1)
            plan.entries += spread_entries(
                rng, plan, expert, half_days(float(planned) * share), used
            )
    if through_services:
        trajectories = record(plans, staff)
    else:
        trajectories = write_in_bulk(plans, create_intakes(plans, staff), staff)
    describe_intakes(rng, plans, trajectories, staff)
    date_records(trajectories)
    return offer


def create_intakes(plans: list[Plan], staff: User) -> list[Intake]:
    """The intakes as `services.record_held_intake` writes them, with the team invited."""
    intakes = Intake.objects.bulk_create(
        [
            Intake(
                application=plan.application,
                planned_at=at_brussels(plan.held, 10),
                location=f"Gemeentehuis {plan.application.municipality.name}",
                participants=PARTICIPANTS,
                created_by=staff,
            )
            for plan in plans
        ],
        batch_size=2000,
    )
    Intake.experts.through.objects.bulk_create(
        [
            Intake.experts.through(intake_id=intake.pk, expert_id=expert.pk)
            for plan, intake in zip(plans, intakes, strict=True)
            for expert, _days in plan.team
        ],
        batch_size=5000,
    )
    return intakes


def describe_intakes(
    rng: random.Random, plans: list[Plan], trajectories: list[Trajectory], staff: User
) -> None:
    """Each intake's hour and calendar id (from the seed, so that loading again gives the same),
    planned three weeks ahead; the intake forms the municipalities filled in the week before."""
    intakes = [trajectory.intake for trajectory in trajectories]
    for plan, intake in zip(plans, intakes, strict=True):
        intake.uid = uuid.UUID(int=rng.getrandbits(128))
        intake.planned_at = at_brussels(plan.held, rng.choice([9, 10, 14]))
        intake.created_at = intake.planned_at - datetime.timedelta(days=21)
    Intake.objects.bulk_update(intakes, ["uid", "planned_at", "created_at"], batch_size=2000)
    IntakeForm.objects.bulk_create(
        [
            IntakeForm(
                application=plan.application,
                submitted_by=staff,
                submitted_at=at_brussels(plan.held - datetime.timedelta(days=7), 11),
                policy_comment="Ingevuld samen met de centrummanager.",
                **{f"{name}_score": rng.randint(1, 5) for name in services.FIVE_B_NAMES},
            )
            for plan in plans
            if rng.random() < 0.9
        ],
        batch_size=2000,
    )


def record(plans: list[Plan], staff: User) -> list[Trajectory]:
    """Record the plans through the trajectories' services, step by step on their dates: the
    intake held with its outcome, the start, the phases, a later expected end with an expert's
    extra days, every expert's person-days, the end."""
    trajectories = []
    for plan in plans:
        trajectory = services.record_held_intake(
            by=staff,
            application=plan.application,
            location=f"Gemeentehuis {plan.application.municipality.name}",
            participants=PARTICIPANTS,
            held_on=plan.held,
            agreed_question=plan.question,
            assignments=[
                services.PlannedAssignment(expert=expert, planned_days=days)
                for expert, days in plan.team
            ],
            planned_start=plan.start,
            planned_end=plan.planned_end,
        )
        trajectory = services.start_trajectory(by=staff, trajectory=trajectory, on=plan.start)
        for day in plan.phases:
            trajectory = services.advance_phase(by=staff, trajectory=trajectory, on=day)
        if plan.extension:
            noticed, expected, reason = plan.extension
            services.set_expected_end(
                by=staff, trajectory=trajectory, expected_end=expected, reason=reason, on=noticed
            )
            expert, days = plan.extra_days
            services.assign_expert(
                by=staff,
                trajectory=trajectory,
                expert=expert,
                planned_days=days,
                on=noticed,
                reason=reason,
            )
        trajectories.append(trajectory)
    rows: dict[Expert, list[services.ImportRow]] = defaultdict(list)
    for plan, trajectory in zip(plans, trajectories, strict=True):
        for entry in plan.entries:
            rows[entry.expert].append(
                services.ImportRow(
                    number=len(rows[entry.expert]) + 1,
                    day=entry.date,
                    trajectory=trajectory,
                    days=entry.days,
                    activity=entry.activity,
                    note="",
                    problems=(),
                )
            )
    for expert, expert_rows in rows.items():
        services.import_person_days(by=staff, expert=expert, rows=expert_rows)
    for plan, trajectory in zip(plans, trajectories, strict=True):
        if plan.stop_reason:
            services.stop_trajectory(
                by=staff, trajectory=trajectory, on=plan.end, reason=plan.stop_reason
            )
        else:
            services.complete_trajectory(
                by=staff,
                trajectory=trajectory,
                on=plan.end,
                findings=plan.findings,
                measures=plan.measures,
            )
    return trajectories


def write_in_bulk(plans: list[Plan], intakes: list[Intake], staff: User) -> list[Trajectory]:
    """The same history as `record`, written in a few queries."""
    for plan, intake in zip(plans, intakes, strict=True):
        intake.status, intake.held_on, intake.agreed_question = (
            Intake.Status.HELD,
            plan.held,
            plan.question,
        )
    Intake.objects.bulk_update(intakes, ["status", "held_on", "agreed_question"], batch_size=2000)
    trajectories = Trajectory.objects.bulk_create(
        [
            Trajectory(
                application=plan.application,
                intake=intake,
                question=plan.question,
                status=Trajectory.Status.STOPPED
                if plan.stop_reason
                else Trajectory.Status.COMPLETED,
                phase=1 + len(plan.phases),
                created_on=plan.held,
                planned_start=plan.start,
                planned_end=plan.planned_end,
                started_on=plan.start,
                ended_on=plan.end,
                stop_reason=plan.stop_reason,
                findings=plan.findings,
                measures=plan.measures,
            )
            for plan, intake in zip(plans, intakes, strict=True)
        ],
        batch_size=2000,
    )
    rates = {
        (rate.expert_id, rate.valid_from): rate.rate_eur
        for rate in DayRate.objects.filter(
            expert__in={expert.pk for plan in plans for expert, _days in plan.team}
        )
    }
    assignments, changes, expected_ends, events, entries = [], [], [], [], []
    for plan, trajectory in zip(plans, trajectories, strict=True):
        extra_expert, extra = plan.extra_days or (None, None)
        for expert, days in plan.team:
            assignment = Assignment(
                trajectory=trajectory,
                expert=expert,
                planned_days=extra if expert == extra_expert else days,
                assigned_on=plan.held,
            )
            assignments.append(assignment)
            changes.append((assignment, days, plan.held, "Intake held"))
            if expert == extra_expert:
                changes.append((assignment, extra, plan.extension[0], plan.extension[2]))
        if plan.extension:
            noticed, expected, reason = plan.extension
            expected_ends.append(
                ExpectedEnd(
                    trajectory=trajectory,
                    expected_end=expected,
                    effective_on=noticed,
                    reason=reason,
                    by=staff,
                    recorded_at=at_brussels(noticed, 16),
                )
            )
        outcome = trajectory.status
        steps = [("", "planned", 1, plan.held), ("planned", "running", 1, plan.start)]
        steps += [("running", "running", 2 + i, day) for i, day in enumerate(plan.phases)]
        steps.append(("running", outcome, trajectory.phase, plan.end))
        events += [
            TrajectoryEvent(
                trajectory=trajectory,
                from_status=frm,
                to_status=to,
                phase=phase,
                effective_on=day,
                recorded_at=at_brussels(day, 17),
                by=staff,
                note=plan.stop_reason if to == Trajectory.Status.STOPPED else "",
            )
            for frm, to, phase, day in steps
        ]
        for entry in plan.entries:
            entry.trajectory = trajectory
            entry.created_by = staff
            entry.rate_eur = rates[
                (entry.expert.pk, INDEXATION if entry.date >= INDEXATION else D(2021, 6, 1))
            ]
            entries.append(entry)
    Assignment.objects.bulk_create(assignments, batch_size=5000)
    PlanChange.objects.bulk_create(
        [
            PlanChange(
                assignment=assignment,
                planned_days=days,
                effective_on=on,
                reason=reason,
                by=staff,
                recorded_at=at_brussels(on, 16),
            )
            for assignment, days, on, reason in changes
        ],
        batch_size=5000,
    )
    ExpectedEnd.objects.bulk_create(expected_ends, batch_size=5000)
    TrajectoryEvent.objects.bulk_create(events, batch_size=5000)
    PersonDayEntry.objects.bulk_create(entries, batch_size=5000)
    return trajectories


def date_records(trajectories: list[Trajectory]) -> None:
    """Each record was made on the day it describes (the services stamp today): one update per
    day rather than one row at a time, for the benchmarks' hundreds of thousands of entries."""
    ids = [trajectory.pk for trajectory in trajectories]
    for model, trajectory, day_field, stamp, hour in (
        (TrajectoryEvent, "trajectory", "effective_on", "recorded_at", 17),
        (PersonDayEntry, "trajectory", "date", "created_at", 18),
        (PlanChange, "assignment__trajectory", "effective_on", "recorded_at", 16),
        (ExpectedEnd, "trajectory", "effective_on", "recorded_at", 16),
    ):
        by_day: dict[datetime.date, list[int]] = defaultdict(list)
        rows = model.objects.filter(**{f"{trajectory}__in": ids}).values_list("pk", day_field)
        for pk, day in rows:
            by_day[day].append(pk)
        for day, pks in by_day.items():
            for start in range(0, len(pks), 2000):
                model.objects.filter(pk__in=pks[start : start + 2000]).update(
                    **{stamp: at_brussels(day, hour)}
                )


def spread_entries(rng, plan: Plan, expert: Expert, target: Decimal, used) -> list:
    """Half and whole days over the trajectory's working days, never more than one day per
    expert per date over all trajectories: the coordinator at the start and the end, the
    specialists mostly in between; activities follow the method's phases."""
    first, last = plan.start, plan.end
    span = max((last - first).days, 1)
    lead = expert.organisation.is_lead_partner
    entries, total, attempts = [], Decimal("0"), 0
    while total < target and attempts < 400:
        attempts += 1
        if lead:
            position = rng.choice([rng.uniform(0, 0.2), rng.uniform(0.75, 1), rng.random()])
        else:
            position = rng.betavariate(1.6, 1.4)
        day = workday_before(first + datetime.timedelta(days=round(span * position)))
        if day < first:
            continue
        days = (
            Decimal("0.5")
            if rng.random() < 0.55 or target - total <= Decimal("0.5")
            else Decimal("1.0")
        )
        if used[(expert.pk, day)] + days > 1:
            continue
        used[(expert.pk, day)] += days
        total += days
        phase = sum(day >= moment for moment in plan.phases)
        if lead:
            activity = (
                "intake" if day == plan.start else ("report" if phase == 2 else "coordination")
            )
        elif phase == 0:
            activity = rng.choice(["analysis", "field_visit", "analysis"])
        elif phase == 1:
            activity = rng.choice(["workshop", "analysis", "field_visit", "workshop"])
        else:
            activity = rng.choice(["report", "report", "workshop"])
        entries.append(
            PersonDayEntry(expert=expert, trajectory=None, date=day, days=days, activity=activity)
        )
    return entries
