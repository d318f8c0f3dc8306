"""/api/: version 1 of the REST API, its OpenAPI schema and the documentation pages."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from applications import api as applications_api
from applications.cards import api as cards_api
from applications.casework import api as casework_api
from applications.statistics import api as statistics_api
from eligibility import api as eligibility_api
from portal.api import account
from portal.api.views import not_found

router = SimpleRouter()
router.register("applications", applications_api.ApplicationViewSet, basename="application")
router.register("casework/cases", casework_api.CaseViewSet, basename="case")
router.register("casework/queues", casework_api.QueueViewSet, basename="queue")
router.register("casework/legal-grounds", casework_api.LegalGroundViewSet, basename="legal-ground")
router.register("cards", cards_api.CardViewSet, basename="card")
router.register("me/tokens", account.TokenViewSet, basename="token")
router.register("regions", eligibility_api.RegionViewSet, basename="region")
router.register("occupations", eligibility_api.OccupationViewSet, basename="occupation")
router.register("criteria-sets", eligibility_api.CriteriaSetViewSet, basename="criteria-set")
router.register("rating", eligibility_api.RatingViewSet, basename="rating")
router.register("region-years", eligibility_api.RegionYearViewSet, basename="region-year")
router.register("quotas", eligibility_api.QuotaViewSet, basename="quota")
router.register("public/criteria", eligibility_api.PublishedCriteriaViewSet, basename="public-criteria")
router.register("public/statistics", statistics_api.StatisticsViewSet, basename="public-statistics")

v1 = [
    path(
        "public/self-check/<str:product>/",
        eligibility_api.SelfCheckViewSet.as_view({"get": "retrieve", "post": "score"}),
        name="self-check",
    ),
    # One object (a year's quotas and rounds), not a list: mapped by hand so the schema says so.
    path("public/quotas/", statistics_api.PublicQuotaViewSet.as_view({"get": "year"}), name="public-quotas"),
    path("public/verify/", cards_api.VerifyViewSet.as_view({"post": "create"}), name="verify"),
    path("me/", account.ProfileViewSet.as_view({"get": "retrieve", "patch": "partial_update"}), name="profile"),
    *router.urls,
]

app_name = "api"
urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    re_path(r"^[\s\S]*$", not_found),  # any path, newlines included
]
