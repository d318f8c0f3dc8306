from django.urls import path

from eligibility import views

app_name = "eligibility"

urlpatterns = [
    path("", views.self_check_start, name="self_check_start"),
    path("<slug:product>/", views.self_check, name="self_check"),
]
