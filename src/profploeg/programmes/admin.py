from django.contrib import admin

from .models import InfoSession, Programme, Round, Theme


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class RoundInline(ReadOnlyInline):
    model = Round
    fields = ["number", "opens_on", "deadline"]


class InfoSessionInline(ReadOnlyInline):
    model = InfoSession
    fields = ["title", "held_on", "registrations", "attendees"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    """Read-only: programmes, rounds and info sessions change through the programme pages, whose
    services check the role and keep round numbers and deadlines in order."""

    list_display = ["title", "published_on", "capacity", "budget_eur"]
    search_fields = ["title"]
    date_hierarchy = "published_on"
    inlines = [RoundInline, InfoSessionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
