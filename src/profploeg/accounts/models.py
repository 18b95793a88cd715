from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from profploeg.municipalities.models import Municipality, Province


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
