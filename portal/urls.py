from django.contrib import admin
from django.urls import include, path

from portal import views

portal_patterns = [
    path("", views.start, name="start"),
    path("dashboard/", views.dashboard, name="dashboard"),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.change_language, name="set_language"),
    path("accounts/two-factor/", include("portal.twofactor_views")),
    path("accounts/my-data/", include("portal.privacy_views")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
