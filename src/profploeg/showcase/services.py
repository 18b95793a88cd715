import io
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from profploeg.accounts.models import User
from profploeg.applications.models import Message
from profploeg.applications.tasks import send_message
from profploeg.evaluations.models import recommended_measures
from profploeg.lib import clock
from profploeg.programmes.models import Theme
from profploeg.trajectories.models import Trajectory

from .models import Case, CaseEvent, CasePhoto, SizeClass

Status = Case.Status
Action = CaseEvent.Action
MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
# Photos are shown at most this wide or high; larger uploads are scaled down.
PHOTO_EDGE = 1600


def is_team(user: User) -> bool:
    return user.is_active and user.role in (User.Role.STAFF, User.Role.EXPERT)


def require_team(user: User) -> None:
    if not is_team(user):
        raise PermissionDenied(_("Only programme staff and experts can do this."))


def require_staff(user: User) -> None:
    if not (user.is_active and user.role == User.Role.STAFF):
        raise PermissionDenied(_("Only programme staff can do this."))


def is_own_municipality(user: User, case: Case) -> bool:
    municipality = case.trajectory.application.municipality
    return (
        user.is_active
        and user.role == User.Role.MUNICIPALITY
        and user.municipality_id in (municipality.pk, municipality.merged_into_id)
    )


def record(
    case: Case, action: str, by: User, *, from_status: str = "", reason: str = ""
) -> CaseEvent:
    """Audit one step; the newest event also invalidates the cached public pages."""
    return CaseEvent.objects.create(
        case=case,
        action=action,
        from_status=from_status,
        to_status=case.status,
        at=clock.now(),
        by=by,
        reason=reason,
    )


def lock(case: Case, *allowed: str) -> Case:
    # Only the case row: PostgreSQL cannot lock the nullable side of the outer join (merged_into).
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("trajectory__application__municipality__merged_into")
        .get(pk=case.pk)
    )
    if allowed and locked.status not in allowed:
        raise ValidationError(
            _("This case is %(status)s: that step is not possible.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


def unique_slug(title: str, municipality: str) -> str:
    base = slugify(f"{municipality} {title}")[:100].strip("-") or "case"
    slug, number = base, 2
    while Case.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def check_content(fields: dict) -> None:
    required = {
        "title": _("Give the case a title."),
        "summary": _("Write a short summary: it is what search results show."),
    }
    errors = {name: message for name, message in required.items() if not fields.get(name)}
    if errors:
        raise ValidationError(errors)
    if fields.get("size_class") not in SizeClass.values:
        raise ValidationError({"size_class": _("Choose the size of the municipality.")})


def notify(case: Case, template: str) -> Message:
    """Keep a Dutch message for the municipality and email it once the transaction commits."""
    application = case.trajectory.application
    context = {
        "case": case,
        "municipality": application.municipality,
        "manage_url": settings.SITE_URL.rstrip("/")
        + reverse("showcase:manage_case", args=[case.pk]),
        "public_url": settings.SITE_URL.rstrip("/") + reverse("showcase:case", args=[case.slug]),
    }
    with translation.override("nl-be"):
        subject = render_to_string(f"showcase/email/{template}_subject.txt", context)
        body = render_to_string(f"showcase/email/{template}_body.txt", context)
    message = Message.objects.create(
        municipality=application.municipality,
        application=application,
        recipient_email=application.contact_email,
        subject=" ".join(subject.split()),
        body=body.strip() + "\n",
        created_at=clock.now(),
    )
    transaction.on_commit(lambda: send_message.enqueue(message_id=message.pk))
    return message


@transaction.atomic
def create_case(
    *,
    by: User,
    trajectory: Trajectory,
    title: str,
    summary: str,
    size_class: str,
    themes: Iterable[Theme] | None = None,
) -> Case:
    """Start a draft case from a completed trajectory; its question and measures come from the
    trajectory and its closing report."""
    require_team(by)
    if trajectory.status != Trajectory.Status.COMPLETED:
        raise ValidationError(_("Only a completed trajectory becomes a case."))
    if Case.objects.filter(trajectory=trajectory).exists():
        raise ValidationError(_("This trajectory already has a case: edit that one."))
    fields = {"title": title.strip(), "summary": summary.strip(), "size_class": size_class}
    check_content(fields)
    municipality = trajectory.application.municipality
    case = Case.objects.create(
        trajectory=trajectory,
        slug=unique_slug(fields["title"], municipality.name),
        question=trajectory.question,
        approach="",
        measures="\n".join(recommended_measures(trajectory.measures)),
        results="",
        **fields,
    )
    case.themes.set(themes if themes is not None else trajectory.application.themes.all())
    record(case, Action.CREATED, by)
    return case


@transaction.atomic
def update_case(
    *,
    by: User,
    case: Case,
    title: str,
    summary: str,
    question: str,
    approach: str,
    measures: str,
    results: str,
    size_class: str,
    themes: Iterable[Theme],
) -> Case:
    """Change a case. A text change needs the municipality's approval again: a published case
    then leaves the public site until it is approved and published anew."""
    require_team(by)
    case = lock(case)
    fields = {
        "title": title.strip(),
        "summary": summary.strip(),
        "question": question.strip(),
        "approach": approach.strip(),
        "measures": measures.strip(),
        "results": results.strip(),
        "size_class": size_class,
    }
    check_content(fields)
    text_changed = any(getattr(case, name) != fields[name] for name in Case.CONTENT_FIELDS)
    themes = list(themes)
    themes_changed = {t.pk for t in themes} != set(case.themes.values_list("pk", flat=True))
    if not text_changed and not themes_changed and case.size_class == size_class:
        return case
    from_status = case.status
    for name, value in fields.items():
        setattr(case, name, value)
    reason = ""
    if text_changed:
        case.content_version = F("content_version") + 1
        if case.status == Status.PUBLISHED:
            case.status = Status.REVIEW
            reason = _("The text changed after publication: it is offline until approved again.")
    if case.status == Status.PUBLISHED:
        case.public_changed_at = clock.now()
    case.save()
    case.refresh_from_db()
    case.themes.set(themes)
    record(case, Action.EDITED, by, from_status=from_status, reason=reason)
    if text_changed and case.status == Status.REVIEW:
        # The municipality approves what it read: it reads the new text again.
        notify(case, "review")
    return case


def check_complete(case: Case) -> None:
    missing = [
        str(Case._meta.get_field(name).verbose_name)
        for name in Case.CONTENT_FIELDS
        if not getattr(case, name).strip()
    ]
    if missing:
        raise ValidationError(
            _("Complete the case before the municipality reads it: %(fields)s.")
            % {"fields": ", ".join(missing)}
        )


@transaction.atomic
def submit_for_review(*, by: User, case: Case) -> Case:
    """Send a complete draft (or a withdrawn case) to the municipality for its approval."""
    require_team(by)
    case = lock(case, Status.DRAFT, Status.WITHDRAWN)
    check_complete(case)
    from_status = case.status
    case.status = Status.REVIEW
    case.save()
    record(case, Action.SUBMITTED, by, from_status=from_status)
    notify(case, "review")
    return case


@transaction.atomic
def approve_case(*, by: User, case: Case, version: int) -> Case:
    """The municipality approves the text it read (its version) for publication."""
    case = lock(case, Status.REVIEW)
    if not is_own_municipality(by, case):
        raise PermissionDenied(_("Only the municipality of this case approves its text."))
    if version != case.content_version:
        raise ValidationError(
            _("The text changed while you were reading it. Nothing was approved: read it again.")
        )
    case.approved_version = case.content_version
    case.approved_at = clock.now()
    case.approved_by = by
    case.save()
    record(case, Action.APPROVED, by, from_status=Status.REVIEW)
    return case


@transaction.atomic
def request_changes(*, by: User, case: Case, reason: str) -> Case:
    """The municipality sends the text back with what must change."""
    case = lock(case, Status.REVIEW)
    if not is_own_municipality(by, case):
        raise PermissionDenied(_("Only the municipality of this case can ask for changes."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what must change: the profploeg will read it.")})
    case.status = Status.DRAFT
    case.approved_version = None
    case.save()
    record(case, Action.CHANGES_REQUESTED, by, from_status=Status.REVIEW, reason=reason)
    return case


@transaction.atomic
def publish_case(*, by: User, case: Case) -> Case:
    """Staff publish a case whose current text the municipality approved."""
    require_staff(by)
    case = lock(case, Status.REVIEW, Status.WITHDRAWN)
    if not case.is_approved:
        raise ValidationError(
            _(
                "The municipality has not approved this version of the text yet: it cannot be published."
            )
        )
    check_complete(case)
    from_status = case.status
    now = clock.now()
    case.status = Status.PUBLISHED
    case.first_published_at = case.first_published_at or now
    case.public_changed_at = now
    case.save()
    record(case, Action.PUBLISHED, by, from_status=from_status)
    notify(case, "published")
    return case


@transaction.atomic
def withdraw_case(*, by: User, case: Case, reason: str) -> Case:
    """Take a published case off the public site: staff, or the municipality withdrawing its
    consent."""
    case = lock(case, Status.PUBLISHED)
    if not (by.is_active and by.role == User.Role.STAFF) and not is_own_municipality(by, case):
        raise PermissionDenied(_("Only programme staff or the municipality withdraw a case."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the case is withdrawn.")})
    case.status = Status.WITHDRAWN
    case.save()
    record(case, Action.WITHDRAWN, by, from_status=Status.PUBLISHED, reason=reason)
    return case


def clean_photo(upload: UploadedFile) -> tuple[bytes, str, tuple[int, int]]:
    """Check an upload by its content and size; return it re-encoded (JPEG, or PNG when it has
    transparency), upright, at most PHOTO_EDGE pixels and without metadata such as GPS."""
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            {"image": _("The photo is larger than %(max)d MB.") % {"max": MAX_PHOTO_BYTES // 2**20}}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
            kind = probe.format
        upload.seek(0)
        with Image.open(upload) as image:
            if kind not in ("JPEG", "PNG", "WEBP"):
                raise ValidationError({"image": _("Upload a JPEG, PNG or WebP photo.")})
            if image.width * image.height > MAX_PHOTO_PIXELS:
                raise ValidationError(
                    {"image": _("The photo has too many pixels (at most 40 megapixels).")}
                )
            image = ImageOps.exif_transpose(image)
            image.thumbnail((PHOTO_EDGE, PHOTO_EDGE))
            out = io.BytesIO()
            if image.mode in ("RGBA", "LA") or "transparency" in image.info:
                image.convert("RGBA").save(out, "PNG", optimize=True)
                return out.getvalue(), "png", image.size
            image.convert("RGB").save(out, "JPEG", quality=85, optimize=True, progressive=True)
            return out.getvalue(), "jpg", image.size
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            {"image": _("This file is not a photo we can read (JPEG, PNG or WebP).")}
        ) from None


@transaction.atomic
def add_photo(
    *, by: User, case: Case, image: UploadedFile, alt_text: str, caption: str = ""
) -> CasePhoto:
    """Add a photo with its text alternative. The municipality approves photos as it does the
    text: a published case goes back for approval."""
    require_team(by)
    alt_text = alt_text.strip()
    if not alt_text:
        raise ValidationError({"alt_text": _("Describe the photo for people who cannot see it.")})
    content, extension, (width, height) = clean_photo(image)
    case = lock(case)
    last = case.photos.order_by("-position").values_list("position", flat=True).first() or 0
    photo = CasePhoto(
        case=case,
        alt_text=alt_text,
        caption=caption.strip(),
        position=last + 1,
        width=width,
        height=height,
    )
    photo.image.save(f"photo.{extension}", ContentFile(content), save=False)
    photo.save()
    from_status = case.status
    case.content_version = F("content_version") + 1
    reason = ""
    if case.status == Status.PUBLISHED:
        case.status = Status.REVIEW
        reason = _("A photo was added after publication: the case is offline until approved again.")
    case.save()
    case.refresh_from_db()
    record(case, Action.PHOTO_ADDED, by, from_status=from_status, reason=reason)
    if from_status == Status.PUBLISHED:
        notify(case, "review")
    return photo


@transaction.atomic
def remove_photo(*, by: User, photo: CasePhoto) -> None:
    """Remove a photo; a published case stays published without it."""
    if not is_team(by) and not is_own_municipality(by, photo.case):
        raise PermissionDenied(_("Only the profploeg or the municipality remove a photo."))
    case = lock(photo.case)
    photo.image.delete(save=False)
    photo.delete()
    if case.status == Status.PUBLISHED:
        case.public_changed_at = clock.now()
        case.save()
    record(case, Action.PHOTO_REMOVED, by, from_status=case.status)
