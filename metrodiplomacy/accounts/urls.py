"""The account area, under /workspace/accounts/ (sign-in and sign-out themselves live in the workspaces app)."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("code/", views.verify_sign_in, name="verify_sign_in"),
    path("enrol/", views.enrol_at_sign_in, name="enrol_at_sign_in"),
    path("confirm/", views.reauthenticate, name="reauthenticate"),
    path("security/", views.show_security, name="show_security"),
    path("security/password/", views.change_password, name="change_password"),
    path("security/email/", views.change_email, name="change_email"),
    path("security/authenticator/", views.start_enrolment, name="start_enrolment"),
    path("security/authenticator/<int:device_id>/", views.confirm_enrolment, name="confirm_enrolment"),
    path("security/authenticator/off/", views.disable_second_factor, name="disable_second_factor"),
    path("security/recovery-codes/", views.renew_recovery_codes, name="renew_recovery_codes"),
    path("security/tokens/", views.create_token, name="create_token"),
    path("security/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
]
