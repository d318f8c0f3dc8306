from django.urls import path

from applications.forecasts import views

app_name = "forecasts"

urlpatterns = [
    path("", views.forecasts, name="list"),
    path("scenario/", views.scenario, name="scenario"),
]
