from django.urls import path

from portal.audit import views

app_name = "audit"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("export/", views.export, name="export"),
]
