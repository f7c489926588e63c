"""Setting a partner up for the EDI channel: its SSH public key on its technical account."""

import asyncssh
import pytest
from django.urls import reverse

from chorus.models import User
from tests.chorus.factories import TechnicalAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("admin@exemple.fr", "Motdepasse-2026"))
    return client


def _post(admin_client, account, keys: str):
    return admin_client.post(
        reverse("admin:chorus_technicalaccount_change", args=[account.pk]),
        {
            "login": account.login,
            "structure": account.structure.pk,
            "active": "on",
            "ssh_public_keys": keys,
        },
    )


def test_the_ssh_keys_are_registered_in_the_admin(admin_client):
    account = TechnicalAccountFactory()
    page = admin_client.get(reverse("admin:chorus_technicalaccount_change", args=[account.pk]))
    assert 'name="ssh_public_keys"' in page.text
    assert "Clés publiques SSH (EDI)" in page.text
    line = asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh").decode()

    response = _post(admin_client, account, f"# partenaire\n{line}")

    assert response.status_code == 302
    account.refresh_from_db()
    assert line.strip() in account.ssh_public_keys


def test_an_unreadable_key_is_refused_on_its_field(admin_client):
    account = TechnicalAccountFactory()

    response = _post(admin_client, account, "ssh-ed25519 pas-une-cle")

    errors = response.context["adminform"].form.errors
    assert list(errors) == ["ssh_public_keys"]
    assert "La ligne 1 n'est pas une clé publique SSH lisible" in errors["ssh_public_keys"][0]
    account.refresh_from_db()
    assert account.ssh_public_keys == ""
