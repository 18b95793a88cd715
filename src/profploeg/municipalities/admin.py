from django.contrib import admin

from .models import Municipality, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["refnis", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["refnis", "name", "province", "valid_from", "valid_until", "merged_into"]
    list_filter = ["province"]
    search_fields = ["refnis", "name"]
