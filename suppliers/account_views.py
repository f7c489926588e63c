"""Password reset on Django's views, slowed against brute force (`chorus.lockout`)."""

import math

from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _

from chorus import lockout


class PasswordResetView(auth_views.PasswordResetView):
    """Sends the reset link, at most PASSWORD_RESET_RATE per account and per address."""

    def form_valid(self, form):
        wait = lockout.password_reset_wait(self.request, form.cleaned_data["email"])
        if not wait:
            return super().form_valid(form)
        form.add_error(
            None,
            _(
                "Trop de demandes de réinitialisation pour cette adresse e-mail ou depuis votre "
                "connexion : réessayez dans %(minutes)s minutes. Si un lien vous a déjà été "
                "envoyé, il reste valable : consultez votre messagerie (et vos indésirables)."
            )
            % {"minutes": math.ceil(wait / 60)},
        )
        response = self.form_invalid(form)
        response.status_code = 429
        response["Retry-After"] = str(wait)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password chosen from the e-mailed link also lifts a lockout of the account."""

    def form_valid(self, form):
        response = super().form_valid(form)
        lockout.account_unlock(email=form.user.email)
        return response
