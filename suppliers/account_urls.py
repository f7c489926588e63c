"""Sign-in, sign-out, notification preferences and password pages, on Django's views with the DSFR forms and templates."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from chorus import views as chorus_views
from chorus.forms import LoginForm
from suppliers import account_views
from suppliers.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm

urlpatterns = [
    path("connexion/", auth_views.LoginView.as_view(form_class=LoginForm), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("notifications/", chorus_views.notification_settings, name="notification_settings"),
    path(
        "mot-de-passe/modifier/",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm),
        name="password_change",
    ),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "mot-de-passe/oublie/",
        account_views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
            # The link starts with the configured address, not the request's Host header.
            extra_email_context={"site_url": settings.CHORUS_SITE_URL},
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(form_class=SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/enregistre/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
