from django.urls import path

from applications.staff import views

app_name = "staff"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_search, name="case_search"),
]
