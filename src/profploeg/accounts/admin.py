from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class ProfploegUserAdmin(UserAdmin):
    list_display = ["username", "email", "role", "municipality", "province", "is_active"]
    list_filter = ["role", "is_active", "province"]
    autocomplete_fields = ["municipality"]
    fieldsets = UserAdmin.fieldsets + (
        ("Profploeg", {"fields": ["role", "municipality", "province"]}),
    )
