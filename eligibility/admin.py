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


# --- Quotas (issue 6) -------------------------------------------------------------------
from eligibility.models import AllocationRound, Quota  # noqa: E402


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    list_display = ("product", "year", "sector", "region", "places", "used")
    list_filter = ("product", "year", "sector")
    # `used` moves only with approvals (applications.quotas.quota_consume).
    readonly_fields = ("used",)


@admin.register(AllocationRound)
class AllocationRoundAdmin(admin.ModelAdmin):
    """Rounds are run from the quota page (they move cases); the admin lists them."""

    list_display = ("created_at", "product", "year", "sector", "region", "places_released", "cases_moved")
    list_display += ("cut_off_score",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
