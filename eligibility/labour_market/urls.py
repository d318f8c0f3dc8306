from django.urls import path

from eligibility.labour_market import views

app_name = "labour_market"

urlpatterns = [
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/<int:pk>/", views.proposal, name="proposal"),
    path("proposals/<int:pk>/rows/<int:row_pk>/", views.row_edit, name="row_edit"),
    path("proposals/<int:pk>/<slug:action>/", views.proposal_action, name="proposal_action"),
]
