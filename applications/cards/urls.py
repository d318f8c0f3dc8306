from django.urls import path

from applications.cards import views

app_name = "cards"

# Cards are addressed by their number, decision letters by the case's reference: never by a
# sequential id (docs/security.md). The gate is applications/cards/access.card_for.
urlpatterns = [
    path("", views.card_list, name="list"),
    path("<str:number>/", views.card_detail, name="detail"),
    path("<str:number>/photo/", views.card_photo, name="photo"),
    path("<str:number>/card.pdf", views.card_pdf, name="pdf"),
    path("<str:number>/share-codes/", views.share_code_create, name="share_code_create"),
    path("<str:number>/share-codes/<int:code_pk>/withdraw/", views.share_code_withdraw, name="share_code_withdraw"),
    path("<str:number>/address/", views.address_change, name="address"),
    path("<str:number>/employer/", views.employer_change, name="employer"),
    path("<str:number>/renew/", views.card_renew, name="renew"),
    path("<str:number>/revoke/", views.card_revoke, name="revoke"),
    path("decisions/<str:reference>/letter.pdf", views.decision_letter, name="decision_letter"),
]

verify_patterns = (
    [
        path("", views.verify, name="verify"),
        path("scan/", views.verify_scan, name="scan"),
        path("photo/<str:token>/", views.verify_photo, name="photo"),
    ],
    "verify",
)
