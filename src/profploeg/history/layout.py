"""The layout of the history workbook: its sheets and their columns, Dutch first, English too.

One definition that the export writes, the import reads, the template shows and
docs/history-workbook.md describes. Rows refer to each other by natural keys: a round by its
number, an application by the municipality's REFNIS code and its round, an expert by name (or
email), a user by username."""

from dataclasses import dataclass

TEXT, DATE, DATETIME, INT, DECIMAL, BOOL = "text", "date", "datetime", "int", "decimal", "bool"


@dataclass(frozen=True)
class Column:
    key: str
    dutch: str
    english: str
    kind: str = TEXT
    required: bool = False

    @property
    def names(self) -> set[str]:
        return {self.dutch.lower(), self.english.lower(), self.key.lower()}


@dataclass(frozen=True)
class Sheet:
    key: str
    dutch: str
    english: str
    columns: tuple[Column, ...]
    required: bool = True

    @property
    def names(self) -> set[str]:
        return {self.dutch.lower(), self.english.lower(), self.key.lower()}

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


def col(key, dutch, english, kind=TEXT, required=False) -> Column:
    return Column(key, dutch, english, kind, required)


APPLICATION_KEY = (
    col("refnis", "REFNIS", "REFNIS", TEXT, True),
    col("round", "Ronde", "Round", INT, True),
)
MUNICIPALITY_NAME = col("municipality", "Gemeente", "Municipality")

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "programme",
        "Programma",
        "Programme",
        (
            col("title", "Titel", "Title", TEXT, True),
            col("description", "Beschrijving", "Description"),
            col("published_on", "Publicatiedatum", "Published on", DATE, True),
            col("capacity", "Capaciteit", "Capacity", INT, True),
            col("budget_eur", "Budget (EUR)", "Budget (EUR)", DECIMAL, True),
        ),
    ),
    Sheet(
        "rounds",
        "Rondes",
        "Rounds",
        (
            col("number", "Ronde", "Round", INT, True),
            col("opens_on", "Opent op", "Opens on", DATE, True),
            col("deadline", "Indiendatum", "Deadline", DATE, True),
        ),
    ),
    Sheet(
        "info_sessions",
        "Infosessies",
        "Info sessions",
        (
            col("title", "Titel", "Title", TEXT, True),
            col("held_on", "Datum", "Date", DATE, True),
            col("registrations", "Inschrijvingen", "Registrations", INT),
            col("attendees", "Deelnemers", "Attendees", INT),
        ),
    ),
    Sheet(
        "themes",
        "Thema's",
        "Themes",
        (
            col("slug", "Code", "Slug", TEXT, True),
            col("name", "Naam", "Name", TEXT, True),
        ),
    ),
    Sheet(
        "offer",
        "Offerte",
        "Offer",
        (
            col("total_eur", "Totaal (EUR)", "Total (EUR)", DECIMAL, True),
            col("capacity", "Capaciteit", "Capacity", INT, True),
            col(
                "average_person_days",
                "Gemiddelde mensdagen per traject",
                "Average person-days per trajectory",
                DECIMAL,
                True,
            ),
            col("valid_from", "Geldig vanaf", "Valid from", DATE, True),
            col("valid_until", "Geldig tot", "Valid until", DATE),
        ),
    ),
    Sheet(
        "amendments",
        "Offertewijzigingen",
        "Offer amendments",
        (
            col("effective_on", "Vanaf", "Effective from", DATE, True),
            col("total_eur", "Nieuw totaal (EUR)", "New total (EUR)", DECIMAL, True),
            col("capacity", "Nieuwe capaciteit", "New capacity", INT, True),
            col("reason", "Reden", "Reason", TEXT, True),
            col("by", "Door", "By"),
            col("recorded_at", "Geregistreerd op", "Recorded at", DATETIME),
        ),
    ),
    Sheet(
        "organisations",
        "Organisaties",
        "Organisations",
        (
            col("name", "Naam", "Name", TEXT, True),
            col("lead_partner", "Hoofdpartner", "Lead partner", BOOL),
        ),
    ),
    Sheet(
        "expertise_areas",
        "Expertisedomeinen",
        "Expertise areas",
        (
            col("slug", "Code", "Slug", TEXT, True),
            col("name", "Naam", "Name", TEXT, True),
        ),
    ),
    Sheet(
        "experts",
        "Experten",
        "Experts",
        (
            col("name", "Naam", "Name", TEXT, True),
            col("email", "E-mail", "Email"),
            col("organisation", "Organisatie", "Organisation", TEXT, True),
            col("expertise", "Expertisedomeinen", "Expertise areas"),
            col("username", "Gebruiker", "User"),
            col("active", "Actief", "Active", BOOL),
        ),
    ),
    Sheet(
        "day_rates",
        "Dagtarieven",
        "Day rates",
        (
            col("expert", "Expert", "Expert", TEXT, True),
            col("email", "E-mail expert", "Expert email"),
            col("valid_from", "Geldig vanaf", "Valid from", DATE, True),
            col("rate_eur", "Dagtarief (EUR)", "Day rate (EUR)", DECIMAL, True),
            col("by", "Door", "By"),
        ),
    ),
    Sheet(
        "applications",
        "Aanvragen",
        "Applications",
        (
            *APPLICATION_KEY,
            MUNICIPALITY_NAME,
            col("received_at", "Ontvangen op", "Received at", DATETIME, True),
            col("submitted_by", "Ingediend door", "Submitted by"),
            col("contact_name", "Contactpersoon", "Contact name", TEXT, True),
            col("contact_email", "E-mail contactpersoon", "Contact email", TEXT, True),
            col("contact_phone", "Telefoon", "Contact phone"),
            col("question", "Vraag", "Question", TEXT, True),
            col("themes", "Thema's", "Themes"),
        ),
    ),
    Sheet(
        "decisions",
        "Beslissingen",
        "Decisions",
        (
            *APPLICATION_KEY,
            MUNICIPALITY_NAME,
            col("from_status", "Van", "From", TEXT, True),
            col("to_status", "Naar", "To", TEXT, True),
            col("at", "Op", "At", DATETIME, True),
            col("reason", "Reden", "Reason"),
            col("channel", "Ontvangen via", "Received by"),
            col("over_capacity", "Boven capaciteit", "Over capacity", BOOL),
            col("by", "Door", "By"),
            col("recorded_at", "Geregistreerd op", "Recorded at", DATETIME),
        ),
    ),
    Sheet(
        "referrals",
        "Provinciale opvolging",
        "Province follow-ups",
        (
            *APPLICATION_KEY,
            MUNICIPALITY_NAME,
            col("contacted_on", "Contact op", "Contacted on", DATE, True),
            col("outcome", "Uitkomst", "Outcome", TEXT, True),
            col("note", "Notitie", "Note"),
            col("by", "Door", "By"),
        ),
    ),
    Sheet(
        "intakes",
        "Intakes",
        "Intakes",
        (
            *APPLICATION_KEY,
            MUNICIPALITY_NAME,
            col("planned_at", "Gepland op", "Planned at", DATETIME, True),
            col("duration_minutes", "Duur (minuten)", "Duration (minutes)", INT),
            col("location", "Plaats", "Location"),
            col("video_url", "Videolink", "Video link"),
            col("participants", "Deelnemers", "Participants"),
            col("experts", "Experten", "Experts"),
            col("status", "Status", "Status", TEXT, True),
            col("held_on", "Gehouden op", "Held on", DATE),
            col("agreed_question", "Afgesproken vraag", "Agreed question"),
            col("cancel_reason", "Reden annulering", "Cancel reason"),
            col("by", "Door", "By"),
        ),
    ),
    Sheet(
        "trajectories",
        "Trajecten",
        "Trajectories",
        (
            *APPLICATION_KEY,
            MUNICIPALITY_NAME,
            col("planned_start", "Geplande start", "Planned start", DATE, True),
            col("planned_end", "Gepland einde", "Planned end", DATE, True),
            col("status", "Status", "Status"),
            col("phase", "Fase", "Phase", INT),
            col("started_on", "Gestart op", "Started on", DATE),
            col("ended_on", "Beëindigd op", "Ended on", DATE),
            col("stop_reason", "Reden stopzetting", "Stop reason"),
            col("findings", "Bevindingen", "Findings"),
            col("measures", "Aanbevolen maatregelen", "Recommended measures"),
        ),
    ),
    Sheet(
        "trajectory_events",
        "Trajectstappen",
        "Trajectory steps",
        (
            *APPLICATION_KEY,
            MUNICIPALITY_NAME,
            col("from_status", "Van", "From"),
            col("to_status", "Naar", "To", TEXT, True),
            col("phase", "Fase", "Phase", INT, True),
            col("effective_on", "Datum", "Date", DATE, True),
            col("note", "Notitie", "Note"),
            col("by", "Door", "By"),
        ),
    ),
    Sheet(
        "assignments",
        "Toewijzingen",
        "Assignments",
        (
            *APPLICATION_KEY,
            MUNICIPALITY_NAME,
            col("expert", "Expert", "Expert", TEXT, True),
            col("planned_days", "Geplande mensdagen", "Planned person-days", DECIMAL, True),
            col("assigned_on", "Toegewezen op", "Assigned on", DATE, True),
            col("by", "Door", "By"),
        ),
    ),
    Sheet(
        "plan_changes",
        "Planwijzigingen",
        "Plan changes",
        (
            *APPLICATION_KEY,
            MUNICIPALITY_NAME,
            col("expert", "Expert", "Expert", TEXT, True),
            col("planned_days", "Geplande mensdagen", "Planned person-days", DECIMAL, True),
            col("effective_on", "Vanaf", "Effective from", DATE, True),
            col("reason", "Reden", "Reason"),
            col("by", "Door", "By"),
            col("recorded_at", "Geregistreerd op", "Recorded at", DATETIME),
        ),
    ),
    Sheet(
        "expected_ends",
        "Verwachte einddata",
        "Expected ends",
        (
            *APPLICATION_KEY,
            MUNICIPALITY_NAME,
            col("expected_end", "Verwacht einde", "Expected end", DATE, True),
            col("effective_on", "Vanaf", "Effective from", DATE, True),
            col("reason", "Reden", "Reason", TEXT, True),
            col("by", "Door", "By"),
            col("recorded_at", "Geregistreerd op", "Recorded at", DATETIME),
        ),
    ),
    Sheet(
        "person_days",
        "Mensdagen",
        "Person-days",
        (
            *APPLICATION_KEY,
            MUNICIPALITY_NAME,
            col("expert", "Expert", "Expert", TEXT, True),
            col("date", "Datum", "Date", DATE, True),
            col("days", "Mensdagen", "Person-days", DECIMAL, True),
            col("activity", "Activiteit", "Activity", TEXT, True),
            col("note", "Notitie", "Note"),
            col("rate_eur", "Dagtarief (EUR)", "Day rate (EUR)", DECIMAL),
            col("by", "Door", "By"),
        ),
    ),
    Sheet(
        "invitations",
        "Evaluatie-uitnodigingen",
        "Evaluation invitations",
        (
            *APPLICATION_KEY,
            MUNICIPALITY_NAME,
            col("questionnaire", "Vragenlijst", "Questionnaire", TEXT, True),
            col("recipient_email", "Verstuurd naar", "Sent to"),
            col("sent_at", "Verstuurd op", "Sent at", DATETIME, True),
            col("sent_by", "Verstuurd door", "Sent by"),
            col("reminded_at", "Herinnerd op", "Reminded at", DATETIME),
            col("answered_at", "Beantwoord op", "Answered at", DATETIME),
        ),
    ),
    Sheet(
        "answers",
        "Evaluatie-antwoorden",
        "Evaluation answers",
        (
            *APPLICATION_KEY,
            MUNICIPALITY_NAME,
            col("questionnaire", "Vragenlijst", "Questionnaire", TEXT, True),
            col("question", "Vraag nr", "Question number", INT, True),
            col("question_text", "Vraag", "Question"),
            col("measure", "Maatregel nr", "Measure number", INT),
            col("score", "Score", "Score", INT),
            col("answer", "Antwoord", "Answer"),
        ),
    ),
    Sheet(
        "indicators",
        "Indicatoren",
        "Indicators",
        (
            *APPLICATION_KEY,
            MUNICIPALITY_NAME,
            col("kind", "Indicator", "Indicator", TEXT, True),
            col("moment", "Moment", "Moment", TEXT, True),
            col("value", "Waarde", "Value", DECIMAL, True),
            col("measured_on", "Gemeten op", "Measured on", DATE, True),
            col("source", "Bron", "Source", TEXT, True),
            col("recorded_at", "Geregistreerd op", "Recorded at", DATETIME),
            col("by", "Door", "By"),
        ),
    ),
    Sheet(
        "cases",
        "Vitrine-cases",
        "Showcase cases",
        (
            *APPLICATION_KEY,
            MUNICIPALITY_NAME,
            col("title", "Titel", "Title", TEXT, True),
            col("summary", "Samenvatting", "Summary", TEXT, True),
            col("question", "Vraag", "Question"),
            col("approach", "Aanpak", "Approach"),
            col("measures", "Maatregelen", "Measures"),
            col("results", "Resultaten", "Results"),
            col("size_class", "Grootteklasse", "Size class", TEXT, True),
            col("themes", "Thema's", "Themes"),
            col("status", "Status", "Status"),
        ),
    ),
    Sheet(
        "case_events",
        "Vitrine-stappen",
        "Showcase steps",
        (
            *APPLICATION_KEY,
            MUNICIPALITY_NAME,
            col("action", "Actie", "Action", TEXT, True),
            col("from_status", "Van", "From"),
            col("to_status", "Naar", "To"),
            col("at", "Op", "At", DATETIME, True),
            col("by", "Door", "By"),
            col("reason", "Reden", "Reason"),
        ),
    ),
)

SHEETS_BY_KEY = {sheet.key: sheet for sheet in SHEETS}
