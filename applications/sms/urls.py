from django.urls import path

from applications.sms import views

app_name = "sms"

urlpatterns = [
    path("", views.phone, name="phone"),
    path("confirm/", views.verify, name="verify"),
    path("remove/", views.remove, name="remove"),
]
