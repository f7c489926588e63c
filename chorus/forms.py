"""Form bases rendering with the DSFR: labels, hints and errors tied to their field."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from dsfr.forms import DsfrBaseForm, DsfrBoundField
from dsfr.utils import dsfr_input_class_attr

from chorus.models import User


class DsfrModelForm(forms.ModelForm):
    template_name = "dsfr/form_snippet.html"
    bound_field_class = DsfrBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)


class LoginForm(DsfrBaseForm, AuthenticationForm):
    """Sign-in with an e-mail address.

    The DSFR base comes first so that its set-up, which binds the fields, runs after
    AuthenticationForm has labelled the login field from User.email ("Adresse e-mail").
    """

    username = UsernameField(widget=forms.EmailInput(attrs={"autofocus": True}))


class NotificationSettingsForm(DsfrModelForm):
    """How a user wants to be told of the events that concern them."""

    class Meta:
        model = User
        fields = ["email_digest"]


__all__ = ["DsfrBaseForm", "DsfrModelForm", "LoginForm", "NotificationSettingsForm"]
