from django.contrib import admin

from .models import (
    Assignment,
    DayRate,
    Expert,
    ExpertiseArea,
    Intake,
    IntakeForm,
    Offer,
    OfferAmendment,
    Organisation,
    PersonDayCorrection,
    PersonDayEntry,
    Trajectory,
    TrajectoryEvent,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "is_lead_partner"]
    search_fields = ["name"]


@admin.register(ExpertiseArea)
class ExpertiseAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class DayRateInline(admin.TabularInline):
    model = DayRate
    extra = 0
    readonly_fields = ["created_by", "created_at"]


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "email", "user", "is_active"]
    list_filter = ["organisation", "is_active"]
    search_fields = ["name", "email"]
    inlines = [DayRateInline]


class AmendmentInline(admin.TabularInline):
    model = OfferAmendment
    extra = 0
    readonly_fields = ["by", "recorded_at"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["programme", "total_eur", "capacity", "average_person_days", "valid_from"]
    inlines = [AmendmentInline]


@admin.register(Intake)
class IntakeAdmin(admin.ModelAdmin):
    list_display = ["application", "planned_at", "status", "held_on", "sequence"]
    list_filter = ["status"]
    search_fields = ["application__municipality__name"]
    readonly_fields = ["uid", "sequence"]


admin.site.register(IntakeForm)


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0


class EventInline(admin.TabularInline):
    model = TrajectoryEvent
    extra = 0
    readonly_fields = [f.name for f in TrajectoryEvent._meta.fields]
    can_delete = False


@admin.register(Trajectory)
class TrajectoryAdmin(admin.ModelAdmin):
    list_display = ["application", "status", "phase", "started_on", "ended_on"]
    list_filter = ["status", "phase", "application__round"]
    search_fields = ["application__municipality__name"]
    inlines = [AssignmentInline, EventInline]


@admin.register(PersonDayEntry)
class PersonDayEntryAdmin(admin.ModelAdmin):
    """Read-only: corrections go through the audited page, not the admin."""

    list_display = ["date", "expert", "trajectory", "days", "activity", "rate_eur"]
    list_filter = ["activity", "expert__organisation"]
    date_hierarchy = "date"

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PersonDayCorrection)
class PersonDayCorrectionAdmin(admin.ModelAdmin):
    list_display = ["at", "by", "expert", "old_date", "old_days", "new_days", "reason"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
