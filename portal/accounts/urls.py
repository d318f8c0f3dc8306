from django.contrib.auth import views as auth_views
from django.urls import path

from portal.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-up/", views.sign_up, name="signup"),
    path("sign-up/check-your-email/", views.sign_up_done, name="signup_done"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("verify-your-email/", views.verify_pending, name="verify_pending"),
    path("session/keep-alive/", views.keep_alive, name="keep_alive"),
]

# Django's auth views under their usual names (login, logout, password_reset...), with
# the portal's forms; included without a namespace by portal/urls.py.
auth_patterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
]
