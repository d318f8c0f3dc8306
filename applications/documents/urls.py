from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/<slug:variant>", views.document_file, name="file"),
    path("application/<int:application_pk>/upload/", views.document_upload_page, name="upload"),
]
