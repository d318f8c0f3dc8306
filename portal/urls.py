from django.contrib import admin
from django.urls import include, path

from applications.cards import urls as cards_urls
from portal import views
from portal.accounts.urls import auth_patterns as account_auth_patterns

handler400 = views.bad_request

portal_patterns = [
    path("", views.start, name="start"),
    path("start/", views.start_choice, name="start_choice"),
    path("dashboard/", views.dashboard, name="dashboard"),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("healthz", views.healthz, name="healthz"),
    path("check/", include("eligibility.urls")),
    path("i18n/setlang/", views.change_language, name="set_language"),
    path("accounts/two-factor/", include("portal.twofactor_views")),
    path("accounts/my-data/", include("portal.privacy_views")),
    path("accounts/api-tokens/", include("portal.api.pages")),
    path("accounts/phone/", include("applications.sms.urls")),
    # Applicant accounts (sign-up, verification) and the portal's versions of Django's auth views.
    path("accounts/", include(account_auth_patterns)),
    path("accounts/", include("portal.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("applications/", include("applications.urls")),
    path("casework/", include("applications.casework.urls")),
    path("staff/audit/", include("portal.audit.urls")),
    path("staff/labour-market/", include("eligibility.labour_market.urls")),
    path("staff/forecasts/", include("applications.forecasts.urls")),
    path("staff/analytics/", include("applications.analytics.urls")),
    path("staff/", include("applications.staff.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("portal.api.urls")),
    path("documents/", include("applications.documents.urls")),
    path("notifications/", include("applications.inbox.urls")),
    path("cards/", include("applications.cards.urls")),
    path("stay/", include("applications.stay.urls")),
    path("employers/", include("applications.employers.urls")),
    path("statistics/", include("applications.statistics.urls")),
    path("verify/", include(cards_urls.verify_patterns)),
]
