from django.contrib import admin

from eligibility.models import CriteriaSet, Occupation, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_en",
        "name_ru",
        "name_kk",
        "macro_zone",
        "resettlement_kandas",
        "resettlement_internal",
    )
    list_filter = ("macro_zone", "resettlement_kandas", "resettlement_internal")


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ("code", "title_en")
    search_fields = ("code", "title_en", "title_ru", "title_kk")


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ("product", "version", "status", "effective_from", "pass_mark")
    list_filter = ("product", "status")
