from django.urls import path

from applications.stay import views

app_name = "stay"

# Addressed by the card number like the card's own pages; the gate is cards.access.card_for.
urlpatterns = [
    path("<str:number>/", views.stay_timeline, name="timeline"),
    path("<str:number>/declare/", views.absence_declare, name="declare"),
]
