"""The programme of the seed document: the 2021 call, its webinar, two rounds and 85 applications,
and the third round of 2022.

Figures follow the minister's answer: round 1 had 35 applications by 13 August 2021, one
inadmissible and one deferred (both followed up by their province, both re-applied); two arrived
after 13 August and went into round 2; round 2 had 50 applications, all admissible and accepted.
In May 2022 the offer grew for about 30 more municipalities: round 3 (June to September 2022)
takes 30 new ones, accepted once the amended offer is in force."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from profploeg.accounts.models import User
from profploeg.applications import services
from profploeg.applications.models import Application, Referral
from profploeg.lib.dates import at_brussels
from profploeg.municipalities.models import Municipality
from profploeg.programmes import services as programme_services
from profploeg.programmes.models import InfoSession, Programme, Round, Theme

SEED_TITLE = "Profploeg: begeleiding voor bedrijvige kernen"
OPEN_CALL_TITLE = "Profploeg: nieuwe oproep bedrijvige kernen"
PASSWORD = "profploeg-demo"

QUESTIONS = [
    (
        "leegstand",
        "De leegstand in onze winkelstraat stijgt. Hoe krijgen we nieuwe, passende "
        "invullingen in de leegstaande handelspanden en hoe bakenen we een compact kernwinkelgebied af?",
    ),
    (
        "publieke-ruimte",
        "We heraanleggen het marktplein. Hoe maken we er een plek waar mensen "
        "blijven hangen, met ruimte voor terrassen, markten en spelende kinderen?",
    ),
    (
        "mobiliteit",
        "Hoe verbeteren we de bereikbaarheid van de kern te voet en met de fiets zonder "
        "de handelaars te verliezen die vrezen voor minder parkeerplaatsen?",
    ),
    (
        "beleving",
        "Onze kern loopt na 18 uur leeg. Welke evenementen en activiteiten brengen "
        "opnieuw leven in het centrum, ook buiten de zomer?",
    ),
    (
        "citymarketing",
        "We willen een sterk merk voor ons centrum en een gezamenlijke communicatie "
        "met handelaars, horeca en cultuurhuis. Waar beginnen we?",
    ),
    (
        "ondernemerschap",
        "De handelaarsvereniging is nieuw opgericht. Hoe begeleiden we haar naar "
        "een duurzame samenwerking met het lokaal bestuur?",
    ),
    (
        "vastgoed",
        "Hoe gaan we in gesprek met eigenaars van leegstaande panden en welke "
        "instrumenten (heffing, premie, voorkooprecht) zetten we best in?",
    ),
    (
        "e-commerce",
        "Onze lokale winkels verliezen klanten aan online verkoop. Hoe ondersteunen we "
        "hen bij een gezamenlijk digitaal platform?",
    ),
    (
        "stadslogistiek",
        "Leveringen in de smalle winkelstraat zorgen voor hinder. Hoe organiseren we "
        "een slimme bevoorrading van de kern?",
    ),
    (
        "beleid",
        "We maken een nieuw detailhandelsbeleid. Hoe vertalen we dat naar het ruimtelijk "
        "uitvoeringsplan en de vergunningverlening?",
    ),
    (
        "wonen",
        "Boven de winkels staan veel verdiepingen leeg. Hoe stimuleren we wonen boven "
        "winkels als hefboom voor een levendige kern?",
    ),
]
CONTACTS = [
    "An Peeters",
    "Bart Janssens",
    "Carine Maes",
    "Dirk Jacobs",
    "Els Mertens",
    "Filip Willems",
    "Greet Claes",
    "Hans Goossens",
    "Inge Wouters",
    "Jan De Smet",
    "Katrien Dubois",
    "Luc Hermans",
    "Marijke Aerts",
    "Nico Lambrechts",
    "Sofie Vermeulen",
]


def user(username: str, role: str, **kw) -> User:
    found, created = User.objects.get_or_create(username=username, defaults={"role": role, **kw})
    if created:
        found.set_password(PASSWORD)
        found.save()
    return found


def load_users(municipalities: list[Municipality]) -> dict[str, User]:
    users = {
        "staff": user(
            "vlaio",
            User.Role.STAFF,
            first_name="Katrien",
            last_name="Van den Broeck",
            email="katrien.vandenbroeck@vlaio.demo",
            is_staff=True,
            is_superuser=True,
        ),
        "expert": user(
            "expert",
            User.Role.EXPERT,
            first_name="Pieter",
            last_name="Claes",
            email="pieter.claes@profploeg.demo",
        ),
        "municipality": user(
            "gemeente",
            User.Role.MUNICIPALITY,
            first_name="Lies",
            last_name="Verhoeven",
            email="lies.verhoeven@gemeente.demo",
            municipality=municipalities[2].current,
        ),
        "municipality2": user(
            "gemeente2",
            User.Role.MUNICIPALITY,
            first_name="Tom",
            last_name="Segers",
            email="tom.segers@gemeente.demo",
            municipality=municipalities[40].current,
        ),
    }
    for province in {m.province for m in municipalities}:
        slug = province.name.lower().replace(" ", "-")
        users[f"province-{province.refnis}"] = user(
            f"provincie-{slug}",
            User.Role.PROVINCE,
            first_name="Provincie",
            last_name=province.name,
            province=province,
        )
    return users


def pick_municipalities(day: datetime.date, count: int, seed: int) -> list[Municipality]:
    candidates = list(
        Municipality.objects.valid_on(day)
        .select_related("province", "merged_into")
        .order_by("refnis")
    )
    return random.Random(seed).sample(candidates, count)


def moments(start: datetime.date, end: datetime.date, count: int, rng: random.Random) -> list:
    span = (end - start).days
    days = sorted(start + datetime.timedelta(days=rng.randint(0, span)) for _ in range(count))
    return [at_brussels(day, rng.randint(8, 17), rng.choice([0, 15, 30, 45])) for day in days]


def submit(programme, municipality, by, received_at, rng, themes) -> Application:
    slug, question = rng.choice(QUESTIONS)
    contact = rng.choice(CONTACTS)
    return services.submit_application(
        programme=programme,
        municipality=municipality,
        submitted_by=by,
        contact_name=contact,
        contact_email=f"{contact.split()[0].lower()}@{municipality.refnis}.gemeente.demo",
        question=question,
        themes=[themes[slug], *rng.sample(list(themes.values()), rng.randint(0, 2))],
        received_at=received_at,
    )


def decide(application, to_status, by, day, reason=""):
    application.refresh_from_db()
    return services.change_status(
        application=application,
        to_status=to_status,
        by=by,
        expected_version=application.version,
        reason=reason,
        at=at_brussels(day, 14),
    )


def load_seed_programme() -> Programme:
    """The 2021 call of the seed document, with its full history of applications and decisions."""
    existing = Programme.objects.filter(title=SEED_TITLE).first()
    if existing:
        return existing
    rng = random.Random(2021)
    municipalities = pick_municipalities(datetime.date(2021, 8, 1), 85, seed=2021)
    users = load_users(municipalities)
    staff = users["staff"]
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    programme = Programme.objects.create(
        title=SEED_TITLE,
        description=(
            "Open oproep van VLAIO voor steden en gemeenten die hun kernen bedrijviger willen maken: "
            "plaatsen waar mensen elkaar ontmoeten, werken, wonen, winkelen en zich ontspannen. "
            "Een team van experts, de profploeg, begeleidt de gemeente enkele dagen, kosteloos."
        ),
        published_on=datetime.date(2021, 6, 28),
        capacity=83,
        budget_eur=Decimal("1500000.00"),
    )
    InfoSession.objects.create(
        programme=programme,
        title="Infowebinar profploeg",
        held_on=datetime.date(2021, 6, 25),
        registrations=122,
        attendees=122,
    )
    Round.objects.create(
        programme=programme,
        number=1,
        opens_on=datetime.date(2021, 6, 28),
        deadline=datetime.date(2021, 8, 13),
    )
    Round.objects.create(
        programme=programme,
        number=2,
        opens_on=datetime.date(2021, 9, 13),
        deadline=datetime.date(2021, 11, 12),
    )

    round1 = [
        submit(programme, m, staff, when, rng, themes)
        for m, when in zip(
            municipalities[:35],
            moments(datetime.date(2021, 7, 1), datetime.date(2021, 8, 13), 35, rng),
            strict=True,
        )
    ]
    late = [
        submit(
            programme,
            municipalities[35],
            staff,
            at_brussels(datetime.date(2021, 8, 20), 11),
            rng,
            themes,
        ),
        submit(
            programme,
            municipalities[36],
            staff,
            at_brussels(datetime.date(2021, 9, 6), 15),
            rng,
            themes,
        ),
    ]
    inadmissible, deferred, *accepted = round1
    decide(
        inadmissible,
        Application.Status.INADMISSIBLE,
        staff,
        datetime.date(2021, 8, 20),
        "De aanvraag is onvolledig: de omschrijving van de vraag en de contactgegevens van de "
        "verantwoordelijke voor de kernwerking ontbreken.",
    )
    for i, application in enumerate([deferred, *accepted]):
        decide(
            application,
            Application.Status.ADMISSIBLE,
            staff,
            datetime.date(2021, 8, 23) + datetime.timedelta(days=i % 5),
        )
    decide(
        deferred,
        Application.Status.DEFERRED,
        staff,
        datetime.date(2021, 9, 10),
        "De vraag tot begeleiding is nog niet duidelijk genoeg om een traject te starten: "
        "welke kern en welk probleem staan centraal?",
    )
    for application in accepted:
        decide(application, Application.Status.ACCEPTED, staff, datetime.date(2021, 9, 10))
    for application, contacted in (
        (inadmissible, datetime.date(2021, 9, 3)),
        (deferred, datetime.date(2021, 9, 24)),
    ):
        province_user = users[f"province-{application.municipality.province.refnis}"]
        services.record_referral(
            application=application,
            by=province_user,
            contacted_on=contacted,
            outcome=Referral.Outcome.PENDING,
            note="Telefonisch contact met de schepen van lokale economie; de provincie helpt bij "
            "een nieuwe aanvraag voor de tweede indieningsronde.",
        )

    reapplied = [
        submit(
            programme,
            inadmissible.municipality,
            staff,
            at_brussels(datetime.date(2021, 10, 15), 10),
            rng,
            themes,
        ),
        submit(
            programme,
            deferred.municipality,
            staff,
            at_brussels(datetime.date(2021, 10, 29), 16),
            rng,
            themes,
        ),
    ]
    others = [
        submit(programme, m, staff, when, rng, themes)
        for m, when in zip(
            municipalities[37:83],
            moments(datetime.date(2021, 9, 13), datetime.date(2021, 11, 12), 46, rng),
            strict=True,
        )
    ]
    for i, application in enumerate([*late, *reapplied, *others]):
        decide(
            application,
            Application.Status.ADMISSIBLE,
            staff,
            datetime.date(2021, 11, 22) + datetime.timedelta(days=i % 5),
        )
        decide(application, Application.Status.ACCEPTED, staff, datetime.date(2021, 12, 10))
    return programme


THIRD_ROUND_OPENS = datetime.date(2022, 6, 1)
THIRD_ROUND_DEADLINE = datetime.date(2022, 9, 16)


def load_third_round(programme: Programme) -> Round:
    """Round 3 of the seed programme: 30 municipalities that had not applied before, all admitted
    and accepted in October 2022, within the capacity of the offer amended in May 2022."""
    existing = programme.rounds.filter(number=3).first()
    if existing:
        return existing
    rng = random.Random(2022)
    staff = User.objects.get(username="vlaio")
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    round_ = programme_services.add_round(
        programme=programme, by=staff, opens_on=THIRD_ROUND_OPENS, deadline=THIRD_ROUND_DEADLINE
    )
    applied = {
        municipality.current.pk
        for municipality in Municipality.objects.filter(
            applications__round__programme=programme
        ).select_related("merged_into")
    }
    candidates = [
        m
        for m in Municipality.objects.valid_on(THIRD_ROUND_OPENS)
        .select_related("province", "merged_into")
        .order_by("refnis")
        if m.current.pk not in applied
    ]
    received = moments(THIRD_ROUND_OPENS, THIRD_ROUND_DEADLINE, 30, rng)
    new = [
        submit(programme, municipality, staff, when, rng, themes)
        for municipality, when in zip(rng.sample(candidates, 30), received, strict=True)
    ]
    for i, application in enumerate(new):
        decide(
            application,
            Application.Status.ADMISSIBLE,
            staff,
            datetime.date(2022, 9, 26) + datetime.timedelta(days=i % 5),
        )
        decide(application, Application.Status.ACCEPTED, staff, datetime.date(2022, 10, 14))
    return round_


def load_open_call() -> Programme:
    """A call that is open today, so that a demo municipality can apply right now."""
    existing = Programme.objects.filter(title=OPEN_CALL_TITLE).first()
    if existing:
        return existing
    today = timezone.localdate()
    rng = random.Random(2026)
    staff = User.objects.get(username="vlaio")
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    programme = Programme.objects.create(
        title=OPEN_CALL_TITLE,
        description="Nieuwe oproep voor lokale besturen die hun kern bedrijviger willen maken.",
        published_on=today - datetime.timedelta(days=45),
        capacity=30,
        budget_eur=Decimal("600000.00"),
    )
    Round.objects.create(
        programme=programme,
        number=1,
        opens_on=today - datetime.timedelta(days=40),
        deadline=today + datetime.timedelta(days=50),
    )
    Round.objects.create(
        programme=programme,
        number=2,
        opens_on=today + datetime.timedelta(days=51),
        deadline=today + datetime.timedelta(days=140),
    )
    demo_municipalities = {
        u.municipality_id for u in User.objects.filter(role=User.Role.MUNICIPALITY)
    }
    candidates = [
        m
        for m in Municipality.objects.current().select_related("province").order_by("refnis")
        if m.pk not in demo_municipalities
    ]
    for municipality, when in zip(
        rng.sample(candidates, 6),
        moments(today - datetime.timedelta(days=35), today - datetime.timedelta(days=1), 6, rng),
        strict=True,
    ):
        application = submit(programme, municipality, staff, when, rng, themes)
        if when.date() < today - datetime.timedelta(days=14):
            decide(
                application,
                Application.Status.ADMISSIBLE,
                staff,
                when.date() + datetime.timedelta(days=7),
            )
    return programme
