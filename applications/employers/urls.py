from django.urls import path

from applications.employers import views

app_name = "employers"

urlpatterns = [
    path("sign-up/", views.sign_up, name="signup"),
    path("organisation/", views.organisation, name="organisation"),
    path("verification/", views.verification_list, name="verification_list"),
    path("verification/<int:pk>/", views.verification, name="verification"),
]
