from django.contrib import admin

from .models import Download


@admin.register(Download)
class DownloadAdmin(admin.ModelAdmin):
    list_display = ("title", "requested_by", "status", "progress", "created_at", "expires_at")
    list_filter = ("status", "kind")
    # The admin follows downloads; the files are served only to their requester.
    readonly_fields = [field.name for field in Download._meta.fields]

    def has_add_permission(self, request):
        return False
