"""Sign-up through the pages: a new company, an existing one, and every refusal."""

import pytest
from django.core import mail
from django.urls import reverse

from chorus.enums import Role
from chorus.models import AuditEvent, Membership, Structure, User
from suppliers.enums import JoinRequestStatus
from suppliers.models import JoinRequest
from tests.chorus.factories import (
    DEFAULT_PASSWORD,
    MembershipFactory,
    PublicStructureFactory,
    StructureFactory,
    UserFactory,
    valid_siret,
)

pytestmark = pytest.mark.django_db

SIGNUP_URL = reverse("suppliers:signup")


def signup_data(**overrides):
    data = {
        "email": "Claire.Martin@Exemple.fr",
        "first_name": "Claire",
        "last_name": "Martin",
        "password1": DEFAULT_PASSWORD,
        "password2": DEFAULT_PASSWORD,
        "siret": valid_siret(900),
        "legal_name": "Menuiserie Martin",
        "address_line": "3 rue des Artisans",
        "postcode": "69003",
        "city": "Lyon",
        "vat_number": "",
    }
    data.update(overrides)
    return data


def field_errors(response, field):
    return response.context["form"].errors.get(field, [])


def test_new_siret_creates_the_structure_with_the_user_as_principal_manager(client):
    siret = valid_siret(900)
    response = client.post(SIGNUP_URL, signup_data(siret=f"{siret[:3]} {siret[3:6]} {siret[6:]}"))

    assert response.status_code == 302
    assert response.url == reverse("suppliers:dashboard")
    user = User.objects.get(email="claire.martin@exemple.fr")
    structure = Structure.objects.get(identifier=siret)
    assert structure.is_public is False
    assert structure.legal_name == "Menuiserie Martin"
    membership = Membership.objects.get(user=user, structure=structure)
    assert membership.role == Role.GESTIONNAIRE_PRINCIPAL
    dashboard = client.get(response.url)
    assert dashboard.status_code == 200
    assert dashboard.context["user"] == user
    assert "Menuiserie Martin" in dashboard.content.decode()
    assert set(AuditEvent.objects.filter(structure=structure).values_list("action", flat=True)) == {
        "structure_create",
        "membership_add",
    }


def test_new_siret_with_vat_number_stores_it_normalised(client):
    client.post(SIGNUP_URL, signup_data(vat_number="fr 44 732829320"))
    assert Structure.objects.get(identifier=valid_siret(900)).vat_number == "FR44732829320"


def test_existing_siret_creates_a_join_request_and_emails_the_principal_manager(
    client, django_capture_on_commit_callbacks, settings
):
    settings.CHORUS_SITE_URL = "https://chorus.example.org"
    structure = StructureFactory(legal_name="Boulangerie Dupont")
    principal = MembershipFactory(structure=structure, role=Role.GESTIONNAIRE_PRINCIPAL).user
    MembershipFactory(structure=structure, role=Role.UTILISATEUR)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SIGNUP_URL, signup_data(siret=structure.identifier, legal_name="", address_line="")
        )

    assert response.status_code == 302
    assert response.url == reverse("suppliers:join_pending")
    user = User.objects.get(email="claire.martin@exemple.fr")
    join_request = JoinRequest.objects.get(user=user)
    assert join_request.structure == structure
    assert join_request.status == JoinRequestStatus.EN_ATTENTE
    assert not Membership.objects.filter(user=user).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [principal.email]
    assert "Boulangerie Dupont" in mail.outbox[0].subject
    link = reverse("suppliers:join_request_detail", args=[join_request.pk])
    assert f"https://chorus.example.org{link}" in mail.outbox[0].body  # not the request's host
    pending = client.get(response.url)
    assert "Demande envoyée" in pending.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "expected"),
    [
        ({"siret": "12345678901234"}, "siret", "SIREN"),
        ({"siret": "1234"}, "siret", "14 chiffres"),
        ({"vat_number": "FR00000000000"}, "vat_number", "TVA"),
        ({"password2": "Autre-mot-de-passe-2026"}, "password2", "pas identiques"),
        ({"password1": "123", "password2": "123"}, "password1", "trop court"),
        ({"postcode": "6900"}, "postcode", "5 chiffres"),
        ({"legal_name": ""}, "legal_name", "raison sociale"),
        ({"city": ""}, "city", "ville"),
    ],
)
def test_invalid_input_is_shown_on_its_field_and_nothing_is_saved(
    client, overrides, field, expected
):
    response = client.post(SIGNUP_URL, signup_data(**overrides))

    assert response.status_code == 200
    errors = field_errors(response, field)
    assert any(expected in str(error) for error in errors), errors
    html = response.content.decode()
    assert f'aria-describedby="id_{field}-desc-error"' in html
    assert User.objects.count() == 0
    assert Structure.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_used_email_is_refused_on_the_field_whatever_its_case(client):
    UserFactory(email="claire.martin@exemple.fr")

    response = client.post(SIGNUP_URL, signup_data(email="CLAIRE.MARTIN@exemple.fr"))

    assert "Un compte existe déjà" in str(field_errors(response, "email"))
    assert User.objects.count() == 1
    assert Structure.objects.count() == 0


def test_public_structure_siret_is_refused_with_a_clear_message(client):
    public = PublicStructureFactory(legal_name="Commune de Villeneuve")

    response = client.post(SIGNUP_URL, signup_data(siret=public.identifier))

    errors = str(field_errors(response, "siret"))
    assert "structure publique" in errors
    assert "Commune de Villeneuve" in errors
    assert not User.objects.filter(email="claire.martin@exemple.fr").exists()
    assert not JoinRequest.objects.exists()


def test_signed_in_user_is_sent_to_the_attach_page(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(SIGNUP_URL).url == reverse("suppliers:attach")


def test_signed_in_user_can_register_a_second_company_and_acts_for_it(client):
    user = MembershipFactory(role=Role.UTILISATEUR).user
    client.force_login(user)

    response = client.post(
        reverse("suppliers:attach"),
        {
            "siret": valid_siret(901),
            "legal_name": "Seconde Entreprise",
            "address_line": "1 place du Marché",
            "postcode": "33000",
            "city": "Bordeaux",
        },
    )

    assert response.url == reverse("suppliers:dashboard")
    dashboard = client.get(response.url)
    assert dashboard.context["structure"].legal_name == "Seconde Entreprise"
    assert dashboard.context["membership"].role == Role.GESTIONNAIRE_PRINCIPAL


def test_second_request_to_the_same_company_is_refused_while_one_is_pending(client):
    structure = StructureFactory()
    MembershipFactory(structure=structure)
    user = UserFactory()
    JoinRequest.objects.create(user=user, structure=structure)
    client.force_login(user)

    response = client.post(reverse("suppliers:attach"), {"siret": structure.identifier})

    assert "déjà en attente" in str(field_errors(response, "siret"))
    assert JoinRequest.objects.count() == 1
