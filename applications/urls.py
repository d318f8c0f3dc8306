from django.urls import path

from applications import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.product_choose, name="choose"),
    path("occupations/search/", views.occupation_search, name="occupation_search"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/tasks/", views.task_list, name="tasks"),
    path("<int:pk>/section/<slug:slug>/", views.section_page, name="section"),
    path("<int:pk>/family/", views.family_page, name="family"),
    path("<int:pk>/documents/", views.documents_page, name="documents"),
    path("<int:pk>/documents/upload/<slug:kind>/", views.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:document_pk>/delete/", views.document_delete, name="document_delete"),
    path("<int:pk>/check/", views.check_answers, name="check"),
    path("<int:pk>/submitted/", views.confirmation, name="confirmation"),
    path("<int:pk>/status/", views.status_page, name="status"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/review/", views.review_request, name="review"),
    path("<int:pk>/review/withdraw/", views.review_withdraw, name="review_withdraw"),
]
