from django.contrib import admin

from .models import Case, CaseEvent, CasePhoto


class CasePhotoInline(admin.TabularInline):
    model = CasePhoto
    extra = 0
    fields = ["image", "alt_text", "caption", "position"]
    readonly_fields = ["image"]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "at", "by", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: the workflow (consent, publication, audit) goes through the services."""

    list_display = ["title", "status", "size_class", "first_published_at"]
    list_filter = ["status", "size_class"]
    search_fields = ["title", "slug"]
    inlines = [CasePhotoInline, CaseEventInline]

    def has_change_permission(self, request, obj=None):
        return False
