from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("2fa/setup/", views.setup, name="setup"),
    path("2fa/verify/", views.verify, name="verify"),
    path("sessions/sign-out-elsewhere/", views.sign_out_elsewhere, name="sign_out_elsewhere"),
    path("security/", views.security_admin, name="security_admin"),
]
