"""Evaluations and De Vitrine for the seed programme: every completed trajectory got the
completion questionnaire (most answered, some after a reminder), those completed in 2022 and 2023
also the follow-up in the autumn of the next year; experts recorded outcome indicators for part of them; a handful of
cases are published, one waits for the municipality's approval and one is a draft.

Deterministic (one seeded random.Random; only the link tokens are random, as they must be) and
idempotent: each part is skipped when it is there already."""

import datetime
import io
import random
import secrets
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.text import slugify
from PIL import Image, ImageDraw

from profploeg.accounts.models import User
from profploeg.evaluations import services as evaluation_services
from profploeg.evaluations.models import (
    Answer,
    Indicator,
    Invitation,
    MeasureAnswer,
    Question,
    Questionnaire,
    Response,
    recommended_measures,
)
from profploeg.lib.dates import at_brussels
from profploeg.programmes.models import Programme, Theme
from profploeg.showcase.models import Case, CaseEvent, CasePhoto, SizeClass
from profploeg.trajectories.models import Trajectory

D = datetime.date
# The day the demo's history stops: nothing is answered, measured or published after it.
UNTIL = D(2024, 11, 29)

CHANGES = [
    "Twee leegstaande panden aan de markt hebben een nieuwe invulling: een koffiebar en een "
    "winkel met lokale producten.",
    "De handelaarsvereniging en de gemeente overleggen nu elke maand; de koopavond in december "
    "trok duidelijk meer volk.",
    "Het marktplein is tijdelijk ingericht met groen en zitbanken; op marktdag blijven mensen "
    "langer hangen.",
    "Het reglement voor de leegstandsheffing is aangepast en de eerste starterspremies zijn "
    "toegekend.",
    "De parkeerverwijzing naar de randparking is vernieuwd; de winkelstraat is op zaterdag "
    "autoluw.",
    "Er is een centrummanager aangesteld die eigenaars en ondernemers samenbrengt.",
]
COMMENTS = [
    "Zeer bruikbare begeleiding: de experten kenden de praktijk en dachten mee op ons tempo.",
    "De werksessie met handelaars en eigenaars was het sterkste moment van het traject.",
    "Het actieplan is concreet; we hadden wel graag meer tijd gehad voor de uitvoering.",
    "Goede mix van expertise. De timing viel samen met de begrotingsopmaak, dat was krap.",
    "Een extra opvolgmoment na zes maanden zou helpen om de vaart erin te houden.",
    "De analyse bevestigde wat we vermoedden, maar gaf ons de argumenten om te handelen.",
]
FOLLOW_UP_CHANGES = [
    "Het kernwinkelgebied is vastgelegd in het ruimtelijk uitvoeringsplan; nieuwe winkels "
    "vestigen zich nu in de kern.",
    "De evenementenkalender draait een tweede jaar, met meer bezoekers op zondag.",
    "Drie eigenaars verhuren de verdieping boven hun winkel opnieuw als woning.",
    "De leegstand is gedaald; de heffing brengt minder op, en dat was de bedoeling.",
    "Het digitale platform van de handelaars telt veertig deelnemers.",
]
SOURCES = {
    Indicator.Kind.VACANCY_RATE: "Leegstandsinventaris van de gemeente",
    Indicator.Kind.FOOTFALL: "Passantentelling winkelstraat (telcamera)",
    Indicator.Kind.NEW_BUSINESSES: "Kruispuntbank van Ondernemingen, vestigingen in de kern",
}

# (theme slug, a word of the agreed question it fits, measures, title, summary, approach,
# results); {m} is the municipality.
CASE_TEXTS = [
    (
        "leegstand",
        "kernwinkelgebied",
        [
            "Kernwinkelgebied afbakenen in het ruimtelijk uitvoeringsplan",
            "Leegstandsheffing koppelen aan een starterspremie binnen het kernwinkelgebied",
            "Pop-upcontracten met eigenaars van leegstaande panden",
        ],
        "Van leegstand naar pop-up: {m} vult de winkelstraat opnieuw",
        "In {m} stond bijna één op vijf handelspanden in de winkelstraat leeg. Met een "
        "afgebakend kernwinkelgebied, een starterspremie en pop-upcontracten met eigenaars "
        "kreeg de straat opnieuw invulling.",
        "De profploeg bracht samen met de dienst lokale economie alle handelspanden in kaart. "
        "Een werksessie met eigenaars, handelaars en een vastgoedexpert gaf een gedeeld beeld "
        "van waar de kern sterk is en waar niet.\n\nDaarna werkte de gemeente een afbakening "
        "van het kernwinkelgebied uit, en een voorstel om de leegstandsheffing te koppelen aan "
        "een premie voor starters binnen dat gebied.",
        "Binnen het jaar vonden zes leegstaande panden een nieuwe invulling, waarvan drie via "
        "een pop-upcontract. De gemeenteraad keurde het reglement voor de starterspremie goed "
        "en de handelaarsvereniging volgt de eigenaars nu zelf op.",
    ),
    (
        "publieke-ruimte",
        "marktplein",
        [
            "Programma van eisen voor de heraanleg van het marktplein",
            "Tijdelijke inrichting met groen en zitbanken een zomer lang testen",
            "Terrassenbeleid herzien met de horeca",
        ],
        "Een marktplein om te blijven: {m} kiest voor ontmoeting",
        "{m} stond voor de heraanleg van het marktplein. De profploeg hielp de gemeente om "
        "eerst te bepalen wat het plein moet kunnen: markt, terrassen, spelen en evenementen.",
        "Met een gebruikersanalyse op drie dagen (marktdag, weekdag, zondag) en gesprekken met "
        "marktkramers, horeca en buurtbewoners kwam er een programma van eisen voor het "
        "ontwerp. Een tijdelijke inrichting met groen en losse zitbanken testte de ideeën "
        "een zomer lang.",
        "Het ontwerpbureau kreeg een opdracht met een helder programma. De tijdelijke "
        "inrichting bleef: op marktdag blijven bezoekers gemiddeld een half uur langer in de "
        "kern, en twee horecazaken breidden hun terras uit.",
    ),
    (
        "mobiliteit",
        "bereikbaarheid",
        [
            "Parkeerverwijzing naar de randparkings",
            "Fietsenstallingen aan het plein",
            "Leveringsvenster in de winkelstraat",
        ],
        "Beter bereikbaar zonder de handelaars te verliezen",
        "Handelaars in {m} vreesden dat minder parkeerplaatsen minder klanten zou betekenen. "
        "Tellingen en een duidelijke parkeerverwijzing brachten het gesprek op feiten.",
        "De profploeg liet tellen hoe bezoekers de kern bereiken en hoe lang ze parkeren. "
        "Een mobiliteitsexpert en een retailexpert stelden samen met de gemeente een plan op: "
        "randparkings beter bewegwijzeren, fietsenstallingen aan het plein, een vast "
        "leveringsvenster in de winkelstraat.",
        "De winkelstraat is op zaterdag autoluw. De randparking staat vaker vol dan voordien, "
        "de fietsenstallingen aan het plein ook. De passantentelling toont geen daling, wel "
        "een verschuiving naar voetgangers en fietsers.",
    ),
    (
        "citymarketing",
        "citymarketing",
        [
            "Een gezamenlijk merk en een eenvoudige huisstijl voor het centrum",
            "Eén evenementenkalender voor handel, horeca en cultuur",
            "Een gezamenlijk digitaal platform voor de lokale handel",
        ],
        "Eén verhaal voor de kern: gezamenlijke citymarketing in {m}",
        "Handelaars, horeca en het cultuurhuis in {m} communiceerden elk apart. Met de "
        "profploeg kwamen ze tot één merk en één kalender voor het centrum.",
        "In drie werksessies bepaalden ondernemers, cultuurhuis en gemeente wat de kern "
        "onderscheidt. Een expert sociale media hielp met een gezamenlijke kalender en een "
        "eenvoudige huisstijl die iedereen kan gebruiken.",
        "Het centrum heeft een eigen naam en een gezamenlijke agenda. Veertig ondernemers "
        "doen mee; de koopzondag in december trok volgens de handelaars merkbaar meer volk.",
    ),
    (
        "wonen",
        "Wonen boven",
        [
            "Inventaris van leegstaande verdiepingen boven winkels",
            "Renovatiepremie voor wonen boven winkels",
            "Begeleiding van eigenaars bij een aparte toegang",
        ],
        "Wonen boven winkels als hefboom in {m}",
        "Boven de winkels in {m} stonden veel verdiepingen leeg. De gemeente zocht hoe ze "
        "eigenaars kon overtuigen om er opnieuw woningen van te maken.",
        "De profploeg inventariseerde de leegstaande verdiepingen en sprak met eigenaars over "
        "wat hen tegenhoudt: een aparte toegang, brandveiligheid, kosten. Een juridisch expert "
        "zette de mogelijke instrumenten op een rij, van premie tot conceptsubsidie.",
        "Drie eigenaars maakten een aparte toegang en verhuren de verdieping weer als woning. "
        "De gemeente voerde een renovatiepremie in voor wonen boven winkels in de kern.",
    ),
    (
        "beleving",
        "marktplein",
        [
            "Jaarkalender met kleine, terugkerende activiteiten",
            "Gezamenlijke koopavond op donderdag",
            "Openingsuren van handel en horeca afstemmen",
        ],
        "Ook na 18 uur leven in de kern van {m}",
        "De kern van {m} liep 's avonds leeg. Met de profploeg zochten gemeente, horeca en "
        "handelaars naar activiteiten die mensen ook buiten de winkeluren naar het centrum "
        "brengen.",
        "Een evenementenexpert maakte met de gemeente een jaarkalender met kleine, "
        "terugkerende activiteiten in plaats van één groot feest. Handelaars spraken een "
        "gezamenlijke koopavond per maand af.",
        "De donderdagse koopavond loopt sinds een jaar. Twee zaken passen hun openingsuren "
        "aan, en de horeca ziet meer bezoekers op weekavonden.",
    ),
    (
        "beleid",
        "kernwinkelgebied",
        [
            "Detailhandelsbeleidsplan opmaken",
            "Beleid verankeren in een nieuw ruimtelijk uitvoeringsplan",
            "Vergunningen toetsen aan het kernwinkelgebied",
        ],
        "Van ruimtelijk plan naar detailhandelsbeleid in {m}",
        "{m} vergunde winkels nog volgens een plan uit 2004. Met de profploeg kwam er een "
        "detailhandelsbeleid dat de kern versterkt in plaats van de steenweg.",
        "Een ruimtelijk planner en een jurist van de profploeg analyseerden de vergunningen "
        "van tien jaar en het winkelaanbod in en buiten de kern. Samen met de dienst omgeving "
        "werd het beleid vertaald naar concrete regels.",
        "Het detailhandelsbeleidsplan is goedgekeurd en verankerd in een nieuw ruimtelijk "
        "uitvoeringsplan. Nieuwe winkels vestigen zich sindsdien in het kernwinkelgebied.",
    ),
    (
        "stadslogistiek",
        "bereikbaarheid",
        [
            "Leveringsvenster in de ochtend",
            "Afhaalpunt aan de rand van de kern",
            "Afspraken met vervoerders en handelaars",
        ],
        "Slimme leveringen in de smalle winkelstraat van {m}",
        "Leveringen in de smalle winkelstraat van {m} zorgden voor hinder voor voetgangers en "
        "fietsers. Een vast leveringsvenster en een gedeeld afhaalpunt brachten rust.",
        "Een expert stadslogistiek bracht de leveringen een week lang in kaart. Met "
        "handelaars en vervoerders werd een leveringsvenster in de ochtend afgesproken en een "
        "afhaalpunt aan de rand van de kern getest.",
        "Na het leveringsvenster daalde het aantal leveringen tijdens de winkeluren sterk. Het "
        "afhaalpunt wordt door twaalf handelaars gebruikt.",
    ),
]
SIZES = [SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.MEDIUM, SizeClass.LARGE, SizeClass.CITY]
PHOTO_CAPTIONS = [
    ("De winkelstraat op een zaterdagvoormiddag (illustratie).", "Illustratie: gevels van een winkelstraat met terrassen en voetgangers"),
    ("Het marktplein na de tijdelijke inrichting (illustratie).", "Illustratie: een plein met bomen, zitbanken en marktkramen"),
]  # fmt: skip


def street_image(rng: random.Random, plaza: bool) -> bytes:
    """A simple drawn illustration of a town centre, so the demo needs no photo files."""
    width, height = 1200, 675
    image = Image.new("RGB", (width, height), (205, 226, 242))
    draw = ImageDraw.Draw(image)
    ground = 520
    draw.rectangle([0, ground, width, height], fill=(196, 190, 180))
    x = 0
    palette = [(176, 92, 72), (222, 196, 150), (120, 130, 140), (236, 226, 208), (160, 120, 90)]
    while x < width:
        w = rng.randint(110, 190)
        h = rng.randint(220, 380)
        colour = rng.choice(palette)
        draw.rectangle([x, ground - h, x + w, ground], fill=colour, outline=(80, 70, 60))
        draw.polygon(
            [(x, ground - h), (x + w / 2, ground - h - 50), (x + w, ground - h)], fill=(90, 60, 50)
        )
        for wy in range(ground - h + 30, ground - 110, 60):
            for wx in range(x + 18, x + w - 30, 45):
                draw.rectangle([wx, wy, wx + 24, wy + 34], fill=(250, 240, 200))
        draw.rectangle([x + 12, ground - 90, x + w - 12, ground - 20], fill=(60, 80, 100))
        draw.rectangle(
            [x + 8, ground - 105, x + w - 8, ground - 92],
            fill=rng.choice([(0, 75, 141), (179, 38, 30), (27, 122, 58)]),
        )
        x += w
    if plaza:
        for tx in range(80, width, 260):
            draw.rectangle([tx + 18, ground + 10, tx + 26, ground + 80], fill=(90, 70, 50))
            draw.ellipse([tx - 30, ground - 70, tx + 74, ground + 30], fill=(70, 140, 80))
    for _ in range(14):
        px = rng.randint(20, width - 20)
        py = rng.randint(ground + 40, height - 40)
        draw.ellipse([px - 9, py - 48, px + 9, py - 30], fill=(60, 50, 45))
        draw.rectangle([px - 10, py - 30, px + 10, py + 10], fill=rng.choice(palette))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()  # fmt: skip


def weighted_score(rng: random.Random, low: int = 2) -> int:
    return rng.choices(range(low, 6), weights=[1, 3, 6, 5][-(6 - low) :])[0]


def answer(rng, invitation: Invitation, at: datetime.datetime, changes: list[str]) -> None:
    response = Response.objects.create(invitation=invitation, submitted_at=at)
    measures = recommended_measures(invitation.trajectory.measures)
    follow_up = invitation.questionnaire.kind == Questionnaire.Kind.FOLLOW_UP
    answers, measure_answers = [], []
    for question in invitation.questionnaire.active_questions():
        if question.kind == Question.Kind.SCALE:
            answers.append(Answer(response=response, question=question, score=weighted_score(rng)))
        elif question.kind == Question.Kind.TEXT:
            pool = changes if question.topic == Question.Topic.CHANGES else COMMENTS
            if question.topic == Question.Topic.COMMENTS and rng.random() < 0.35:
                continue
            answers.append(Answer(response=response, question=question, text=rng.choice(pool)))
        else:
            weights = [5, 3, 1] if follow_up else [2, 5, 1]
            for position, measure in enumerate(measures, start=1):
                status = rng.choices(
                    [
                        MeasureAnswer.Status.CARRIED_OUT,
                        MeasureAnswer.Status.PLANNED,
                        MeasureAnswer.Status.NOT_PLANNED,
                    ],
                    weights=weights,
                )[0]
                measure_answers.append(
                    MeasureAnswer(
                        response=response,
                        question=question,
                        position=position,
                        measure=measure,
                        status=status,
                    )
                )
    Answer.objects.bulk_create(answers)
    MeasureAnswer.objects.bulk_create(measure_answers)
    Invitation.objects.filter(pk=invitation.pk).update(answered_at=at)


def invite(rng, questionnaire, trajectory, sent_on: datetime.date, by, answer_rate, changes):
    if Invitation.objects.filter(questionnaire=questionnaire, trajectory=trajectory).exists():
        return
    sent_at = at_brussels(sent_on, 9)
    invitation = Invitation.objects.create(
        questionnaire=questionnaire,
        trajectory=trajectory,
        # A link is a credential, even in a demo: never derived from the seed.
        token=secrets.token_urlsafe(evaluation_services.TOKEN_BYTES),
        recipient_email=trajectory.application.contact_email,
        sent_at=sent_at,
        sent_by=by,
        expires_at=sent_at + datetime.timedelta(days=questionnaire.link_valid_days),
    )
    roll = rng.random()
    if sent_on + datetime.timedelta(days=15) <= UNTIL and roll > answer_rate * 0.6:
        Invitation.objects.filter(pk=invitation.pk).update(
            reminded_at=sent_at + datetime.timedelta(days=14)
        )
    if roll < answer_rate:
        late = roll > answer_rate * 0.6
        days = rng.randint(16, 35) if late else rng.randint(1, 12)
        answered_on = sent_on + datetime.timedelta(days=days)
        if answered_on <= UNTIL:
            invitation.refresh_from_db()
            answer(rng, invitation, at_brussels(answered_on, rng.randint(9, 16)), changes)


def load_evaluations(rng: random.Random, programme: Programme, staff: User) -> list[Trajectory]:
    completed = list(
        Trajectory.objects.in_programme(programme)
        .filter(status=Trajectory.Status.COMPLETED)
        .select_related("application__municipality", "application__round")
        .order_by("ended_on", "pk")
    )
    completion = evaluation_services.questionnaire_for(programme, Questionnaire.Kind.COMPLETION)
    follow_up = evaluation_services.questionnaire_for(programme, Questionnaire.Kind.FOLLOW_UP)
    for trajectory in completed:
        sent_on = trajectory.ended_on + datetime.timedelta(days=1)
        invite(rng, completion, trajectory, sent_on, None, 0.82, CHANGES)
    # The follow-up goes out each autumn to the trajectories completed the year before.
    for trajectory in completed:
        if trajectory.ended_on < D(2023, 1, 1):
            invite(rng, follow_up, trajectory, D(2023, 11, 6), staff, 0.62, FOLLOW_UP_CHANGES)
        elif trajectory.ended_on < D(2024, 1, 1):
            invite(rng, follow_up, trajectory, D(2024, 10, 7), staff, 0.62, FOLLOW_UP_CHANGES)
    if not Indicator.objects.filter(trajectory__in=completed).exists():
        indicators = []
        for trajectory in completed:
            if rng.random() > 0.55:
                continue
            before_on = trajectory.started_on - datetime.timedelta(days=rng.randint(20, 90))
            after_on = min(
                trajectory.ended_on + datetime.timedelta(days=rng.randint(180, 360)), UNTIL
            )
            vacancy = Decimal(rng.randint(80, 190)) / 10
            footfall = Decimal(rng.randrange(1800, 9000, 50))
            businesses = Decimal(rng.randint(2, 9))
            for kind, before, after in (
                (Indicator.Kind.VACANCY_RATE, vacancy, vacancy - Decimal(rng.randint(5, 45)) / 10),
                (Indicator.Kind.FOOTFALL, footfall, footfall * Decimal(rng.randint(96, 118)) / 100),
                (Indicator.Kind.NEW_BUSINESSES, businesses, businesses + rng.randint(0, 5)),
            ):
                if kind != Indicator.Kind.VACANCY_RATE and rng.random() < 0.4:
                    continue
                for moment, value, day in (
                    ("before", before, before_on),
                    ("after", after, after_on),
                ):
                    indicators.append(
                        Indicator(
                            trajectory=trajectory,
                            kind=kind,
                            moment=moment,
                            value=value.quantize(Decimal("0.1")),
                            measured_on=day,
                            source=f"{SOURCES[kind]}, {day.year}",
                            recorded_by=staff,
                            recorded_at=recorded_on(trajectory, day),
                        )
                    )
        Indicator.objects.bulk_create(indicators)
    return completed


def recorded_on(trajectory: Trajectory, measured_on: datetime.date) -> datetime.datetime:
    """A week after the measurement, and never before the trajectory existed (the day after its
    intake): record_indicator needs the trajectory, so the history workbook replays it then."""
    day = max(
        measured_on + datetime.timedelta(days=7), trajectory.created_on + datetime.timedelta(days=1)
    )
    return at_brussels(day, 15)


def approver(municipality) -> User:
    """A municipality account that approves the case text: the demo's own municipality user
    where there is one, else a service account of the municipality (no person's name)."""
    existing = (
        User.objects.filter(role=User.Role.MUNICIPALITY, municipality=municipality.current)
        .order_by("pk")
        .first()
    )
    if existing:
        return existing
    found, _created = User.objects.get_or_create(
        username=f"lokale-economie-{municipality.current.refnis}",
        defaults={
            "role": User.Role.MUNICIPALITY,
            "municipality": municipality.current,
            "first_name": "Dienst lokale economie",
            "last_name": municipality.current.name,
        },
    )
    return found


def event(case, action, by, day, hour, from_status="", to_status=None, reason=""):
    return CaseEvent(
        case=case,
        action=action,
        from_status=from_status,
        to_status=to_status or case.status,
        at=at_brussels(day, hour),
        by=by,
        reason=reason,
    )


def case_indicators(rng: random.Random, trajectory: Trajectory, staff: User) -> list[Indicator]:
    """A published case shows at least the vacancy rate before and after."""
    before_on = trajectory.started_on - datetime.timedelta(days=rng.randint(20, 90))
    after_on = min(trajectory.ended_on + datetime.timedelta(days=rng.randint(180, 360)), UNTIL)
    before = Decimal(rng.randint(90, 190)) / 10
    after = before - Decimal(rng.randint(10, 50)) / 10
    kind = Indicator.Kind.VACANCY_RATE
    return [
        Indicator(
            trajectory=trajectory,
            kind=kind,
            moment=moment,
            value=value,
            measured_on=day,
            source=f"{SOURCES[kind]}, {day.year}",
            recorded_by=staff,
            recorded_at=recorded_on(trajectory, day),
        )
        for moment, value, day in (("before", before, before_on), ("after", after, after_on))
    ]


def load_cases(rng: random.Random, completed: list[Trajectory], staff: User) -> None:
    if Case.objects.filter(trajectory__in=completed).exists():
        return
    answered = set(
        Invitation.objects.filter(trajectory__in=completed, answered_at__isnull=False).values_list(
            "trajectory_id", flat=True
        )
    )
    candidates = [t for t in completed if t.pk in answered and t.ended_on <= D(2023, 9, 30)]
    chosen, used = [], set()
    for text in CASE_TEXTS:
        pool = [t for t in candidates if text[1] in t.question and t.pk not in used]
        if pool:
            trajectory = rng.choice(pool)
            used.add(trajectory.pk)
            chosen.append((trajectory, text, Case.Status.PUBLISHED))
    # The last one is still a draft; the demo municipality user has one to approve.
    chosen[-1] = (chosen[-1][0], chosen[-1][1], Case.Status.DRAFT)
    demo_user = User.objects.filter(username="gemeente").first()
    own = [
        t
        for t in completed
        if demo_user
        and t.application.municipality.current == demo_user.municipality
        and t.pk not in used
    ]
    if own:
        text = next((x for x in CASE_TEXTS if x[1] in own[0].question), CASE_TEXTS[0])
        chosen.append((own[0], text, Case.Status.REVIEW))
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    events, photos, indicators = [], [], []
    for trajectory, text, status in chosen:
        theme, _keyword, measures, title, summary, approach, results = text
        municipality = trajectory.application.municipality
        name = municipality.name
        published = status == Case.Status.PUBLISHED
        created_on = min(trajectory.ended_on + datetime.timedelta(days=rng.randint(60, 120)), UNTIL)
        published_on = min(created_on + datetime.timedelta(days=rng.randint(20, 45)), UNTIL)
        case = Case.objects.create(
            trajectory=trajectory,
            slug=slugify(f"{name} {theme}"),
            title=title.format(m=name),
            summary=summary.format(m=name),
            question=trajectory.question,
            approach=approach.format(m=name),
            measures="\n".join(measures),
            results=results.format(m=name),
            size_class=rng.choice(SIZES),
            status=status,
            approved_version=1 if published else None,
            approved_at=at_brussels(published_on - datetime.timedelta(days=5), 11)
            if published
            else None,
            approved_by=approver(municipality) if published else None,
            first_published_at=at_brussels(published_on, 10) if published else None,
            public_changed_at=at_brussels(published_on, 10) if published else None,
        )
        case.themes.set([themes[theme]] if theme in themes else [])
        events.append(event(case, "created", staff, created_on, 10, to_status="draft"))
        if status != Case.Status.DRAFT:
            submitted_on = created_on + datetime.timedelta(days=3)
            events.append(event(case, "submitted", staff, submitted_on, 14, "draft", "review"))
        if published:
            approved_on = published_on - datetime.timedelta(days=5)
            events.append(
                event(case, "approved", approver(municipality), approved_on, 11, "review", "review")
            )
            events.append(event(case, "published", staff, published_on, 10, "review", "published"))
            if not trajectory.indicators.exists():
                indicators += case_indicators(rng, trajectory, staff)
        for number in range(rng.choice([1, 1, 2])):
            caption, alt = PHOTO_CAPTIONS[number]
            photo = CasePhoto(
                case=case,
                alt_text=alt,
                caption=caption,
                position=number + 1,
                width=1200,
                height=675,
            )
            image = street_image(rng, plaza=number == 1 or theme == "publieke-ruimte")
            # A fixed name, written once: loading the demo again (tests do) adds no files.
            photo.image.name = f"showcase/demo/{case.slug}-{number + 1}.jpg"
            if not default_storage.exists(photo.image.name):
                default_storage.save(photo.image.name, ContentFile(image))
            photos.append(photo)
    CaseEvent.objects.bulk_create(events)
    CasePhoto.objects.bulk_create(photos)
    Indicator.objects.bulk_create(indicators)  # fmt: skip


def load_showcase(programme: Programme, *, seed: int = 2024) -> None:
    """Answered questionnaires, indicators and cases for the completed trajectories."""
    rng = random.Random(seed)
    staff = User.objects.filter(role=User.Role.STAFF).order_by("pk").first()
    completed = load_evaluations(rng, programme, staff)
    load_cases(rng, completed, staff)
