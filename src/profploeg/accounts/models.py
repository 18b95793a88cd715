from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from profploeg.municipalities.models import Municipality, Province


class UserQuerySet(models.QuerySet):
    def listed(self) -> "UserQuerySet":
        """Users as the staff's user list shows them: with organisation and expert profile."""
        return self.select_related("municipality", "province", "expert_profile__organisation")

    def with_role(self) -> "UserQuerySet":
        return self.exclude(role="")

    def in_role(self, role: str) -> "UserQuerySet":
        return self.filter(role=role)

    def active(self, active: bool = True) -> "UserQuerySet":
        return self.filter(is_active=active)

    def matching(self, search: str) -> "UserQuerySet":
        """Users whose username, first or last name or email holds the text."""
        search = search.strip()
        return self.filter(
            Q(username__icontains=search)
            | Q(email__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
        )

    def filtered(
        self, *, role: str | None = None, active: bool | None = None, q: str | None = None
    ) -> "UserQuerySet":
        """The filters of the users list, the same on the page and in the API and by the same
        names; an empty one is left out."""
        found = self
        if role:
            found = found.in_role(role)
        if active is not None:
            found = found.active(active)
        if q and q.strip():
            found = found.matching(q)
        return found


class ProfploegUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    class Role(models.TextChoices):
        STAFF = "staff", _("Programme staff")
        EXPERT = "expert", _("Expert")
        MUNICIPALITY = "municipality", _("Municipality")
        PROVINCE = "province", _("Province")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("municipality"),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("province"),
    )

    objects = ProfploegUserManager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="municipality") | Q(municipality__isnull=False),
                name="municipality_user_has_municipality",
            ),
            models.CheckConstraint(
                condition=~Q(role="province") | Q(province__isnull=False),
                name="province_user_has_province",
            ),
        ]

    @property
    def is_programme_staff(self) -> bool:
        return self.is_active and self.role == self.Role.STAFF

    @property
    def is_expert(self) -> bool:
        return self.is_active and self.role == self.Role.EXPERT

    @property
    def is_municipality_user(self) -> bool:
        return self.is_active and self.role == self.Role.MUNICIPALITY

    @property
    def is_province_user(self) -> bool:
        return self.is_active and self.role == self.Role.PROVINCE

    @property
    def organisation_label(self) -> str:
        """Where the user works, as the user list shows it."""
        if self.municipality_id:
            return str(self.municipality)
        if self.province_id:
            return str(self.province)
        profile = getattr(self, "expert_profile", None)
        if profile is not None:
            return f"{profile.name} ({profile.organisation})"
        return ""


class InvitationQuerySet(models.QuerySet):
    def usable(self, now) -> "InvitationQuerySet":
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """A one-time link to choose a password; only a hash of the link's secret is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("user"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("invited by"),
    )
    email = models.EmailField(_("email"))
    created_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    secret_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} ({self.created_at:%Y-%m-%d})"


class AccountEvent(models.Model):
    """What happened to an account, by whom and when: invitations, deactivations."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        INVITED = "invited", _("invited")
        ACCEPTED = "accepted", _("invitation accepted")
        DEACTIVATED = "deactivated", _("deactivated")
        REACTIVATED = "reactivated", _("reactivated")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_events",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("account event")
        verbose_name_plural = _("account events")

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.at:%Y-%m-%d %H:%M}"
