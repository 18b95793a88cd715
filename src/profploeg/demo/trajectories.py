"""The profploeg at work on the seed programme: the consortium, the offer and its May 2022
amendment, intakes, trajectories and person-days through 2022 and 2023.

Round 1: intakes in October 2021 (a few still to hold at the end of the year, held in January),
guidance from early 2022. Round 2: intakes before early February 2022, starts in April 2022.
Most trajectories complete in 2022–2023 with a closing report; a few are stopped, a few still run.
The spend stays close to, but within, the original EUR 1.5 million; the amendment adds room for
about 30 more municipalities.

Deterministic (one seeded random.Random) and fast (bulk_create); `scale` multiplies the consortium
and the budget for the benchmark."""

import datetime
import random
import uuid
from collections import defaultdict
from decimal import Decimal

from profploeg.accounts.models import User
from profploeg.applications.models import Application
from profploeg.lib.dates import at_brussels
from profploeg.programmes.models import Programme
from profploeg.trajectories.models import (
    Assignment,
    DayRate,
    Expert,
    ExpertiseArea,
    Intake,
    IntakeForm,
    Offer,
    OfferAmendment,
    Organisation,
    PersonDayEntry,
    Trajectory,
    TrajectoryEvent,
)

D = datetime.date
LAST_ENTRY = D(2023, 12, 22)
INDEXATION = D(2023, 1, 1)

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


def between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max((last - first).days, 0)))


def half_days(value: float) -> Decimal:
    return max(Decimal("0.5"), Decimal(round(value * 2)) / 2)


def load_consortium(rng: random.Random, scale: int, by: User) -> dict[str, list[Expert]]:
    """Ten organisations with their experts (× scale) and day rates, indexed in 2023."""
    areas = {}
    for slug, name in AREAS:
        areas[slug], _created = ExpertiseArea.objects.get_or_create(
            slug=slug, defaults={"name": name}
        )
    demo_expert = User.objects.filter(username="expert", role=User.Role.EXPERT).first()
    by_area: dict[str, list[Expert]] = defaultdict(list)
    rates = []
    for name, expertise, lead, people in CONSORTIUM:
        organisation, _created = Organisation.objects.get_or_create(
            name=name, defaults={"is_lead_partner": lead}
        )
        for copy in range(scale):
            for person in people:
                full_name = person if copy == 0 else f"{person} ({copy + 1})"
                expert = Expert.objects.create(
                    name=full_name,
                    email=f"{full_name.split()[-1].lower().strip('()')}.{copy}@profploeg.demo",
                    organisation=organisation,
                    user=demo_expert if demo_expert and full_name == "Pieter Claes" else None,
                )
                expert.expertise_areas.set([areas[slug] for slug in expertise])
                base = Decimal(rng.randrange(780, 1160, 10))
                rates += [
                    DayRate(expert=expert, valid_from=D(2021, 6, 1), rate_eur=base, created_by=by),
                    DayRate(
                        expert=expert,
                        valid_from=INDEXATION,
                        rate_eur=(base * Decimal("1.04")).quantize(Decimal("1")),
                        created_by=by,
                    ),
                ]
                for slug in expertise:
                    by_area["coordination" if lead and slug == "stedenbouw" else slug].append(
                        expert
                    )
    DayRate.objects.bulk_create(rates)
    return by_area


def schedule(rng: random.Random, round_number: int, index: int) -> dict:
    """When a trajectory's intake, start and end fall, by its round."""
    if round_number % 2 == 1:
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
    else:
        # Round 2: intakes before early February 2022, starts in April 2022.
        held = workday(between(rng, D(2021, 12, 13), D(2022, 2, 4)))
        start = workday(between(rng, D(2022, 4, 1), D(2022, 4, 29)))
    return {"held": held, "start": start, "planned_end": months(start, rng.randint(6, 9))}


def load_trajectories(programme: Programme, *, scale: int = 1, seed: int = 2022) -> Offer:
    """The offer, the consortium and the guidance of every accepted application (idempotent)."""
    existing = Offer.objects.filter(programme=programme).first()
    if existing is not None:
        return existing
    rng = random.Random(seed)
    staff = User.objects.filter(role=User.Role.STAFF).order_by("pk").first()
    by_area = load_consortium(rng, scale, staff)
    coordinators = by_area.pop("coordination")
    specialists = [expert for experts in by_area.values() for expert in experts]
    offer = Offer.objects.create(
        programme=programme,
        total_eur=Decimal("1500000.00") * scale,
        capacity=83 * scale,
        average_person_days=Decimal("17.5"),
        valid_from=D(2021, 6, 28),
        valid_until=D(2024, 12, 31),
    )
    OfferAmendment.objects.create(
        offer=offer,
        effective_on=D(2022, 5, 20),
        total_eur=Decimal("2040000.00") * scale,
        capacity=113 * scale,
        reason="Beslissing van de minister: bijkomende middelen voor een derde ronde van "
        "ongeveer 30 gemeenten.",
        by=staff,
        recorded_at=at_brussels(D(2022, 5, 20), 16),
    )

    applications = list(
        Application.objects.filter(round__programme=programme, status=Application.Status.ACCEPTED)
        .select_related("round")
        .order_by("round__number", "submitted_at", "pk")
    )
    intakes, forms, trajectories, plans = [], [], [], []
    for index, application in enumerate(applications):
        when = schedule(rng, application.round.number, index)
        plans.append(when)
        intakes.append(
            Intake(
                application=application,
                planned_at=at_brussels(when["held"], rng.choice([9, 10, 14])),
                location=f"Gemeentehuis {application.municipality.name}",
                participants="Schepen lokale economie, centrummanager, dienst omgeving",
                status=Intake.Status.HELD,
                uid=uuid.UUID(int=rng.getrandbits(128)),
                held_on=when["held"],
                agreed_question=rng.choice(QUESTIONS),
                created_by=staff,
            )
        )
        if rng.random() < 0.9:
            scores = {f"{name}_score": rng.randint(1, 5) for name, *_ in IntakeForm.FIVE_BS}
            forms.append(
                IntakeForm(
                    application=application,
                    submitted_by=staff,
                    submitted_at=at_brussels(when["held"] - datetime.timedelta(days=7), 11),
                    policy_comment="Ingevuld samen met de centrummanager.",
                    **scores,
                )
            )
    Intake.objects.bulk_create(intakes, batch_size=2000)
    IntakeForm.objects.bulk_create(forms, batch_size=2000)

    outcomes = []
    for application, intake, when in zip(applications, intakes, plans, strict=True):
        roll = rng.random()
        start = when["start"]
        if roll < 0.04:
            outcome = "stopped"
            end = workday(start + datetime.timedelta(days=rng.randint(60, 150)))
        elif roll < 0.14:
            outcome = "running"
            end = None
        else:
            outcome = "completed"
            end = workday(when["planned_end"] + datetime.timedelta(days=rng.randint(0, 120)))
            end = min(end, LAST_ENTRY)
        outcomes.append((outcome, end))
        trajectories.append(
            Trajectory(
                application=application,
                intake=intake,
                question=intake.agreed_question,
                status=Trajectory.Status.RUNNING if outcome == "running" else outcome,
                phase=3
                if outcome == "completed"
                else rng.choice([2, 3])
                if outcome == "running"
                else 1,
                created_on=when["held"],
                planned_start=start,
                planned_end=when["planned_end"],
                started_on=start,
                ended_on=end,
                stop_reason=rng.choice(STOP_REASONS) if outcome == "stopped" else "",
                findings=rng.choice(FINDINGS) if outcome == "completed" else "",
                measures=rng.choice(MEASURES) if outcome == "completed" else "",
            )
        )
    Trajectory.objects.bulk_create(trajectories, batch_size=2000)

    events, assignments, entries = [], [], []
    used: dict[tuple[int, datetime.date], Decimal] = defaultdict(Decimal)
    rates = {
        (rate.expert_id, rate.valid_from): rate.rate_eur
        for rate in DayRate.objects.filter(expert__in=coordinators + specialists)
    }
    for trajectory, (outcome, end) in zip(trajectories, outcomes, strict=True):
        start = trajectory.started_on
        events += trajectory_events(trajectory, outcome, end, staff)
        team = [(rng.choice(coordinators), half_days(rng.uniform(2, 3)))]
        for expert in rng.sample(specialists, rng.randint(2, 3)):
            if expert not in (member for member, _days in team):
                team.append((expert, half_days(rng.uniform(4.5, 8))))
        last = end or LAST_ENTRY
        for expert, planned in team:
            assignments.append(
                Assignment(
                    trajectory=trajectory,
                    expert=expert,
                    planned_days=planned,
                    assigned_on=trajectory.created_on,
                )
            )
            share = {"completed": rng.uniform(0.85, 1.06), "stopped": rng.uniform(0.15, 0.45)}
            target = planned * Decimal(share.get(outcome, rng.uniform(0.5, 0.85)))
            entries += spread_entries(rng, trajectory, expert, target, start, last, used, rates)
    TrajectoryEvent.objects.bulk_create(events, batch_size=5000)
    Assignment.objects.bulk_create(assignments, batch_size=5000)
    PersonDayEntry.objects.bulk_create(entries, batch_size=5000)
    return offer


def trajectory_events(trajectory, outcome, end, by) -> list[TrajectoryEvent]:
    start = trajectory.started_on
    span = ((end or LAST_ENTRY) - start).days
    steps = [("", "planned", 1, trajectory.created_on), ("planned", "running", 1, start)]
    if outcome != "stopped":
        steps.append(("running", "running", 2, start + datetime.timedelta(days=span // 3)))
        if trajectory.phase == 3:
            steps.append(("running", "running", 3, start + datetime.timedelta(days=2 * span // 3)))
    if end is not None:
        steps.append(("running", outcome, trajectory.phase, end))
    return [
        TrajectoryEvent(
            trajectory=trajectory,
            from_status=frm,
            to_status=to,
            phase=phase,
            effective_on=day,
            recorded_at=at_brussels(day, 17),
            by=by,
            note=trajectory.stop_reason if to == "stopped" else "",
        )
        for frm, to, phase, day in steps
    ]


def spread_entries(rng, trajectory, expert, target, first, last, used, rates) -> list:
    """Half and whole days over the trajectory's working days, never more than one day per
    expert per date over all trajectories; activities follow the method's phases."""
    entries, total, span = [], Decimal("0"), max((last - first).days, 1)
    attempts = 0
    while total < target and attempts < 400:
        attempts += 1
        day = workday(first + datetime.timedelta(days=int(span * rng.random() ** 1.15)))
        if day > last:
            continue
        days = (
            Decimal("0.5")
            if rng.random() < 0.6 or target - total <= Decimal("0.5")
            else Decimal("1.0")
        )
        if used[(expert.pk, day)] + days > 1:
            continue
        used[(expert.pk, day)] += days
        total += days
        position = (day - first).days / span
        if expert.organisation.is_lead_partner:
            activity = "intake" if position < 0.05 else "coordination"
        elif position < 0.25:
            activity = rng.choice(["analysis", "field_visit"])
        elif position < 0.8:
            activity = rng.choice(["workshop", "analysis", "field_visit", "workshop"])
        else:
            activity = "report"
        rate = rates[(expert.pk, INDEXATION if day >= INDEXATION else D(2021, 6, 1))]
        entries.append(
            PersonDayEntry(
                expert=expert,
                trajectory=trajectory,
                date=day,
                days=days,
                activity=activity,
                note="",
                rate_eur=rate,
            )
        )
    return entries
