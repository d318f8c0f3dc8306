from django.urls import path

from applications.casework import views

app_name = "casework"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("next/", views.claim_next, name="claim_next"),
    path("reassign/", views.bulk_reassign, name="bulk_reassign"),
    path("quotas/", views.quotas, name="quotas"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/<slug:action>/", views.case_action, name="case_action"),
]
