import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from profploeg.lib import formats
from profploeg.programmes.models import Programme, Theme
from profploeg.trajectories.models import Trajectory, visible_municipality_filter


class SizeClass(models.TextChoices):
    """Population is not in our data: staff choose the size class of the municipality."""

    SMALL = "small", _("Fewer than 10,000 inhabitants")
    MEDIUM = "medium", _("10,000 to 25,000 inhabitants")
    LARGE = "large", _("25,000 to 50,000 inhabitants")
    CITY = "city", _("More than 50,000 inhabitants")


class CaseQuerySet(models.QuerySet):
    def published(self) -> "CaseQuerySet":
        """What the public sees: published cases, nothing else."""
        return self.filter(status=Case.Status.PUBLISHED)

    def in_programme(self, programme: Programme | int) -> "CaseQuerySet":
        return self.filter(trajectory__application__round__programme=programme)

    def visible_to(self, user) -> "CaseQuerySet":
        """Staff and experts see every case; a municipality its own; a province those of its
        municipalities. The public reads through `published()` only."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        condition = visible_municipality_filter(user, "trajectory__application__")
        return self if condition is None else self.filter(condition)

    def search(self, text: str) -> "CaseQuerySet":
        """Cases that contain every word of `text` in their texts or municipality name."""
        for word in text.split()[:8]:
            self = self.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(question__icontains=word)
                | Q(approach__icontains=word)
                | Q(measures__icontains=word)
                | Q(results__icontains=word)
                | Q(trajectory__application__municipality__name__icontains=word)
            )
        return self

    def with_public_relations(self) -> "CaseQuerySet":
        return self.select_related(
            "trajectory__application__municipality__province",
            "trajectory__application__municipality__merged_into",
        ).prefetch_related("themes", "photos")


class Case(models.Model):
    """A completed trajectory told for De Vitrine: published by staff once the municipality
    approved its text. It holds no personal data: no contact persons, no expert names."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("Ready for review")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Fields whose change needs the municipality's approval again.
    CONTENT_FIELDS = ("title", "summary", "question", "approach", "measures", "results")

    trajectory = models.OneToOneField(
        Trajectory, on_delete=models.PROTECT, related_name="case", verbose_name=_("trajectory")
    )
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=600)
    question = models.TextField(_("question"))
    approach = models.TextField(_("approach"))
    measures = models.TextField(_("measures"))
    results = models.TextField(_("results"))
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="cases", verbose_name=_("themes")
    )
    size_class = models.CharField(
        _("size of the municipality"), max_length=10, choices=SizeClass.choices
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Raised by every change the municipality must see; it approves one version.
    content_version = models.PositiveIntegerField(default=1)
    approved_version = models.PositiveIntegerField(null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_published_at = models.DateTimeField(_("first published at"), null=True, blank=True)
    # The last change the public can see (publication, or a change while published).
    public_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-first_published_at", "title"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(approved_version=models.F("content_version")),
                name="published_case_is_approved",
            ),
        ]
        indexes = [models.Index(fields=["status", "first_published_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def municipality(self):
        return self.trajectory.application.municipality

    @property
    def year(self) -> int | None:
        return self.trajectory.ended_on.year if self.trajectory.ended_on else None

    @property
    def is_approved(self) -> bool:
        return self.approved_version == self.content_version


class CaseEvent(models.Model):
    """One step of a case's history: what happened, when, by whom and why. Every change adds
    one, so the latest event also tells the public pages' cache that something changed."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Sent to the municipality for approval")
        APPROVED = "approved", _("Approved by the municipality")
        CHANGES_REQUESTED = "changes_requested", _("Changes asked by the municipality")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        PHOTO_ADDED = "photo_added", _("Photo added")
        PHOTO_REMOVED = "photo_removed", _("Photo removed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, choices=Case.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Case.Status.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_action_display()} ({formats.short_day(self.at)})"


def photo_path(instance: "CasePhoto", filename: str) -> str:
    # The service re-encodes every upload and names it photo.jpg or photo.png: the extension is
    # ours, the uploaded name is never used.
    extension = "png" if filename.endswith(".png") else "jpg"
    return f"showcase/{instance.case_id}/{uuid.uuid4().hex}.{extension}"


class CasePhoto(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=photo_path)
    # Set by the service from the re-encoded image: the page reserves the space before it loads.
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    alt_text = models.CharField(
        _("text alternative"),
        max_length=250,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=250, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="photo_has_alt_text"),
        ]

    def __str__(self) -> str:
        return self.alt_text

    @property
    def content_type(self) -> str:
        return "image/png" if self.image.name.endswith(".png") else "image/jpeg"
