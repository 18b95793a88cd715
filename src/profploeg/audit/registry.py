"""The models whose every change is logged (django-auditlog), and what each object's history
page gathers: its own entries and those of the rows that belong to it."""

AUDITED = {
    "applications.Application": {
        "register": {"m2m_fields": {"themes"}},
        "related": ["transitions", "referral", "attachments", "intakes", "intake_form"],
    },
    # A decision is a transition; its own entry says who made it and when.
    "applications.Transition": {},
    "applications.Referral": {},
    "applications.Attachment": {"register": {"exclude_fields": ["file"]}},
    "trajectories.Intake": {"register": {"m2m_fields": {"experts"}}},
    "trajectories.IntakeForm": {},
    "trajectories.Trajectory": {"related": ["assignments", "entries"]},
    "trajectories.Assignment": {},
    "trajectories.PersonDayEntry": {"related": ["corrections"]},
    "trajectories.PersonDayCorrection": {},
    "showcase.Case": {"register": {"m2m_fields": {"themes"}}, "related": ["photos"]},
    "showcase.CasePhoto": {"register": {"exclude_fields": ["image"]}},
}


def audited_label(app_label: str, model_name: str) -> str | None:
    """The registry key of a model given as in a URL (`applications`, `application`)."""
    for label in AUDITED:
        app, model = label.split(".")
        if app == app_label and model.lower() == model_name:
            return label
    return None
