"""Log entries as a reader wants them: field labels and values as the pages show them, the old
value left out when there was none, and when the change took effect next to when it was made."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The field of each model that says when its change took effect (a decision dated in the past).
EFFECTIVE_FIELDS = {
    "applications.transition": ("at",),
    "applications.application": ("submitted_at",),
    "applications.referral": ("contacted_on",),
    "trajectories.intake": ("held_on",),
    "trajectories.trajectory": ("ended_on", "started_on", "created_on"),
    "trajectories.assignment": ("assigned_on",),
    "trajectories.persondayentry": ("date",),
}
EMPTY = (None, "", "None")
# Two fields read as one change: the status a step came from and the one it went to.
PAIRS = {
    "applications.transition": ("from_status", "to_status"),
    "trajectories.trajectoryevent": ("from_status", "to_status"),
}
HIDDEN = {"id"}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Entry:
    timestamp: datetime.datetime
    effective: str
    actor: object
    action: str
    object_name: str
    object_pk: str
    changes: list[Change]


ACTIONS = {
    0: gettext_lazy("created"),
    1: gettext_lazy("changed"),
    2: gettext_lazy("deleted"),
    3: gettext_lazy("viewed"),
}


# Labels of logged fields that have no verbose name of their own (bookkeeping columns, links),
# written out here so that makemessages finds them and the history reads in Dutch.
UNNAMED_FIELDS = {
    "application": gettext_lazy("Application"),
    "approved_by": gettext_lazy("Approved by"),
    "approved_version": gettext_lazy("Approved version"),
    "by": gettext_lazy("By"),
    "case": gettext_lazy("Case"),
    "contacted_by": gettext_lazy("Contacted by"),
    "content_version": gettext_lazy("Text version"),
    "created_at": gettext_lazy("Created at"),
    "created_by": gettext_lazy("Created by"),
    "entry": gettext_lazy("Entry"),
    "expert": gettext_lazy("Expert"),
    "file": gettext_lazy("File"),
    "height": gettext_lazy("Height (pixels)"),
    "image": gettext_lazy("Image"),
    "intake": gettext_lazy("Intake"),
    "new_activity": gettext_lazy("New activity"),
    "new_date": gettext_lazy("New date"),
    "new_days": gettext_lazy("New person-days"),
    "new_rate_eur": gettext_lazy("New day rate (EUR)"),
    "old_activity": gettext_lazy("Old activity"),
    "old_date": gettext_lazy("Old date"),
    "old_days": gettext_lazy("Old person-days"),
    "old_rate_eur": gettext_lazy("Old day rate (EUR)"),
    "original_name": gettext_lazy("File name"),
    "position": gettext_lazy("Position"),
    "public_changed_at": gettext_lazy("Public text changed at"),
    "recorded_at": gettext_lazy("Recorded at"),
    "sequence": gettext_lazy("Calendar version"),
    "size": gettext_lazy("Size (bytes)"),
    "slug": gettext_lazy("Address (slug)"),
    "submitted_by": gettext_lazy("Submitted by"),
    "trajectory": gettext_lazy("Trajectory"),
    "uid": gettext_lazy("Calendar identity"),
    "uploaded_at": gettext_lazy("Uploaded at"),
    "version": gettext_lazy("Version"),
    "width": gettext_lazy("Width (pixels)"),
}


def label_of(field) -> str:
    if getattr(field, "_verbose_name", None) is None:
        if field.name in UNNAMED_FIELDS:
            return str(UNNAMED_FIELDS[field.name])
        # Any other: its name made readable, looked up as a message id all the same.
        return _(capfirst(str(field.verbose_name)))
    return capfirst(field.verbose_name)


def display(field, value, names: dict) -> str:
    """One logged value (a string as django-auditlog keeps it) as the pages show it."""
    if value in EMPTY:
        return ""
    if field is None:
        return str(value)
    if field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        return str(labels.get(str(value), value))
    if isinstance(field, models.BooleanField):
        return _("yes") if str(value) == "True" else _("no")
    if isinstance(field, models.ForeignKey):
        key = (field.related_model, str(value))
        if key not in names:
            names[key] = field.related_model._base_manager.filter(pk=value).first()
        return str(names[key]) if names[key] is not None else str(value)
    try:
        if isinstance(field, models.DateTimeField):
            moment = parse_datetime(str(value))
            if moment is None:
                return str(value)
            if timezone.is_naive(moment):
                moment = moment.replace(tzinfo=datetime.UTC)
            return date_format(timezone.localtime(moment), "d/m/Y H:i")
        if isinstance(field, models.DateField):
            day = parse_date(str(value)[:10])
            return date_format(day, "j F Y") if day else str(value)
        if isinstance(field, models.DecimalField):
            return number_format(value)
    except (ValueError, OverflowError):
        return str(value)
    return str(value)


def entry_of(log, names: dict) -> Entry:
    model = log.content_type.model_class()
    changes = []
    effective = ""
    label = f"{log.content_type.app_label}.{log.content_type.model}"
    logged = dict(log.changes_dict or {})
    pair = PAIRS.get(label)
    if pair and pair[0] in logged and pair[1] in logged:
        # The step's own "from" becomes the old value of its "to": Ingediend → Ontvankelijk.
        before, after = logged.pop(pair[0]), logged[pair[1]]
        if not isinstance(before, dict) and not isinstance(after, dict):
            logged[pair[1]] = [list(before)[-1], list(after)[-1]]
    for name, values in logged.items():
        if name in HIDDEN:
            continue
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        if isinstance(values, dict):
            # A many-to-many change: {"type": "m2m", "operation": "add", "objects": [...]}.
            objects = ", ".join(str(o) for o in values.get("objects", []))
            old, new = ("", objects) if values.get("operation") == "add" else (objects, "")
        else:
            old, new = (list(values) + ["", ""])[:2]
            old, new = display(field, old, names), display(field, new, names)
        if name in EFFECTIVE_FIELDS.get(label, ()) and new and not effective:
            effective = new
        if not old and not new:
            continue
        changes.append(Change(label_of(field) if field else capfirst(name), old, new))
    return Entry(
        timestamp=log.timestamp,
        effective=effective,
        actor=log.actor,
        action=str(ACTIONS.get(log.action, log.get_action_display())),
        object_name=str(capfirst(model._meta.verbose_name)) if model else label,
        object_pk=log.object_pk,
        changes=changes,
    )


def entries_of(logs) -> list[Entry]:
    names: dict = {}
    return [entry_of(log, names) for log in logs]
