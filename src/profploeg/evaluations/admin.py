from django.contrib import admin

from .models import Indicator, Invitation, Question, Questionnaire


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "kind", "link_valid_days"]
    list_filter = ["programme", "kind"]
    inlines = [QuestionInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["trajectory", "questionnaire", "sent_at", "reminded_at", "answered_at"]
    list_filter = ["questionnaire"]
    # The token is the municipality's credential: not shown, not searchable.
    exclude = ["token"]
    readonly_fields = ["sent_at", "reminded_at", "answered_at", "expires_at"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["trajectory", "kind", "moment", "value", "measured_on", "source"]
    list_filter = ["kind", "moment"]
