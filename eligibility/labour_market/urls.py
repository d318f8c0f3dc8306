from django.urls import path

from eligibility.labour_market import quota_views, views

app_name = "labour_market"

urlpatterns = [
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/<int:pk>/", views.proposal, name="proposal"),
    path("proposals/<int:pk>/rows/<int:row_pk>/", views.row_edit, name="row_edit"),
    path("proposals/<int:pk>/<slug:action>/", views.proposal_action, name="proposal_action"),
    path("quota-proposals/", quota_views.quota_proposals, name="quota_proposals"),
    path("quota-proposals/<int:pk>/", quota_views.quota_proposal, name="quota_proposal"),
    path("quota-proposals/<int:pk>/rows/<int:row_pk>/", quota_views.quota_row_edit, name="quota_row_edit"),
    path("quota-proposals/<int:pk>/<slug:action>/", quota_views.quota_proposal_action, name="quota_proposal_action"),
]
