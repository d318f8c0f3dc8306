from django.urls import path

from applications.employers import views

app_name = "employers"

urlpatterns = [
    path("sign-up/", views.sign_up, name="signup"),
    path("organisation/", views.organisation, name="organisation"),
    path("verification/", views.verification_list, name="verification_list"),
    path("verification/<int:pk>/", views.verification, name="verification"),
    # Job offers and employees (the employer's own), the holder's new employer, overdue grace periods.
    path("offers/", views.offer_list, name="offer_list"),
    path("offers/<int:pk>/", views.offer, name="offer"),
    path("offers/<int:pk>/start/", views.offer_start, name="offer_start"),
    path("employees/", views.employee_list, name="employee_list"),
    path("employees/<int:pk>/", views.employee, name="employee"),
    path("cards/<str:number>/new-employer/", views.new_employer, name="new_employer"),
    path("grace-overdue/", views.grace_overdue_list, name="grace_overdue"),
]
