from django.urls import path

from applications.cards import views

app_name = "cards"

urlpatterns = [
    path("", views.card_list, name="list"),
    path("<int:pk>/", views.card_detail, name="detail"),
    path("<int:pk>/photo/", views.card_photo, name="photo"),
    path("<int:pk>/card.pdf", views.card_pdf, name="pdf"),
    path("<int:pk>/share-codes/", views.share_code_create, name="share_code_create"),
    path("<int:pk>/share-codes/<int:code_pk>/withdraw/", views.share_code_withdraw, name="share_code_withdraw"),
    path("<int:pk>/address/", views.address_change, name="address"),
    path("<int:pk>/employer/", views.employer_change, name="employer"),
    path("<int:pk>/renew/", views.card_renew, name="renew"),
    path("<int:pk>/revoke/", views.card_revoke, name="revoke"),
    path("decisions/<int:application_pk>/letter.pdf", views.decision_letter, name="decision_letter"),
]

verify_patterns = (
    [
        path("", views.verify, name="verify"),
        path("scan/", views.verify_scan, name="scan"),
        path("photo/<str:token>/", views.verify_photo, name="photo"),
    ],
    "verify",
)
