from django.urls import path

from applications.analytics import views
from applications.analytics.dashboards import DASHBOARDS

app_name = "analytics"

urlpatterns = [
    path("", views.overview, name="overview"),
    # One URL name per dashboard, so each is in the permission tables by name.
    *(path(f"{d.slug}/", views.dashboard, {"slug": d.slug}, name=d.slug) for d in DASHBOARDS),
]
