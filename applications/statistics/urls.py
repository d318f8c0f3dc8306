from django.urls import path

from applications.statistics import views

app_name = "statistics"
urlpatterns = [
    path("", views.statistics_page, name="statistics"),
    path("download.csv", views.statistics_csv, name="csv"),
    path("quotas/", views.quotas_page, name="quotas"),
]
