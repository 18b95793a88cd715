from django.contrib import admin

from .models import Download


@admin.register(Download)
class DownloadAdmin(admin.ModelAdmin):
    """Read only, to follow the queue; the file itself is served to its requester alone."""

    list_display = ("title", "requested_by", "status", "progress", "created_at", "expires_at")
    list_filter = ("status", "kind")
    exclude = ("file",)
    readonly_fields = [field.name for field in Download._meta.fields if field.name != "file"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
