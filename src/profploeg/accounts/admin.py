from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import AccountEvent, Invitation, User


@admin.register(User)
class ProfploegUserAdmin(UserAdmin):
    list_display = ["username", "email", "role", "municipality", "province", "is_active"]
    list_filter = ["role", "is_active", "province"]
    autocomplete_fields = ["municipality"]
    fieldsets = UserAdmin.fieldsets + (
        ("Profploeg", {"fields": ["role", "municipality", "province"]}),
    )


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record of what happened: read in the admin, changed only through the services."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "user", "invited_by", "created_at", "expires_at", "used_at"]
    exclude = ["secret_hash"]


@admin.register(AccountEvent)
class AccountEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "kind", "by"]
    list_filter = ["kind"]
