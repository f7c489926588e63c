"""Sign-in and password reset pages."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.chorus.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_wrong_password_shows_a_clear_french_message(client):
    user = UserFactory()

    response = client.post(reverse("login"), {"username": user.email, "password": "mauvais"})

    assert response.status_code == 200
    assert "L'adresse e-mail ou le mot de passe est incorrect" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_right_password_signs_in(client):
    user = UserFactory()
    response = client.post(reverse("login"), {"username": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_password_reset_sends_a_french_email_whose_link_sets_a_new_password(client):
    user = UserFactory(email="oubli@exemple.fr")

    response = client.post(reverse("password_reset"), {"email": "oubli@exemple.fr"})

    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["oubli@exemple.fr"]
    assert "Choisissez un nouveau mot de passe" in message.subject
    assert "Pour choisir votre nouveau mot de passe" in message.body
    # The link starts with CHORUS_SITE_URL, not with the host the request named.
    site_url = re.escape(settings.CHORUS_SITE_URL)
    link = re.search(rf"{site_url}(/\S+)", message.body).group(1)
    assert "testserver" not in message.body

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    new_password = "Un-tout-nouveau-secret-42"
    done = client.post(
        form_page.request["PATH_INFO"],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert client.get(link, follow=True).context["validlink"] is False


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "personne@exemple.fr"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_login_field_is_labelled_as_an_email_address(client):
    html = client.get(reverse("login")).content.decode()
    label = html.split('for="id_username"', 1)[1].split("</label>", 1)[0]
    assert "Adresse e-mail" in label
    assert 'type="email"' in html


def test_a_signed_in_user_changes_their_password_from_their_account_page(client):
    user = UserFactory()
    client.force_login(user)
    home = client.get(reverse("home")).content.decode()
    assert reverse("notification_settings") in home
    account = client.get(reverse("notification_settings")).content.decode()
    assert reverse("password_change") in account

    new_password = "Encore-un-autre-secret-77"
    response = client.post(
        reverse("password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )

    assert response.url == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_a_wrong_current_password_is_shown_on_its_field(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {"old_password": "faux", "new_password1": "Xy-12345-abc", "new_password2": "Xy-12345-abc"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    assert 'aria-describedby="id_old_password-desc-error"' in response.content.decode()
