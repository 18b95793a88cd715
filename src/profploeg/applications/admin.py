from django.contrib import admin

from .models import Application, Attachment, Message, Referral, Transition


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        # Shown, never edited: non-editable fields (uploaded_at) must be listed here too.
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class TransitionInline(ReadOnlyInline):
    model = Transition
    fields = ["at", "from_status", "to_status", "by", "reason"]


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["original_name", "size", "uploaded_at"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Applications are submitted and decided through the services; the admin only reads them,
    and may correct contact details."""

    list_display = ["municipality", "round", "submitted_at", "status"]
    list_filter = ["status", "round__programme", "round", "municipality__province"]
    search_fields = ["municipality__name", "municipality__refnis", "contact_name"]
    list_select_related = ["municipality", "round__programme"]
    date_hierarchy = "submitted_at"
    readonly_fields = [
        "round",
        "municipality",
        "submitted_at",
        "submitted_by",
        "status",
        "version",
        "previous_application",
    ]
    inlines = [TransitionInline, AttachmentInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["application", "contacted_on", "outcome", "contacted_by"]
    list_filter = ["outcome", "application__municipality__province"]
    list_select_related = ["application__municipality", "application__round", "contacted_by"]
    raw_id_fields = ["application", "contacted_by"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "municipality", "recipient_email", "created_at", "sent_at"]
    list_filter = ["sent_at"]
    search_fields = ["subject", "municipality__name", "recipient_email"]
    list_select_related = ["municipality"]
    readonly_fields = [
        "municipality",
        "application",
        "recipient_email",
        "subject",
        "body",
        "created_at",
        "sent_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False
