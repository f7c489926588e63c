import base64
import io
import json

import pytest
from django.apps import apps
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse
from oauth2_provider.models import Application

from chorus.enums import PublicKind, Role
from chorus.identifiers import normalise_iban, normalise_siret, normalise_vat_number
from chorus.models import Structure, TechnicalAccount

pytestmark = pytest.mark.django_db


def seed_json() -> dict:
    output = io.StringIO()
    call_command("seed_demo", "--json", stdout=output)
    return json.loads(output.getvalue())


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seeding_twice_leaves_the_same_world():
    first = seed_json()
    counts = row_counts()

    second = seed_json()

    assert second == first
    assert row_counts() == counts


def test_json_has_the_documented_shape():
    world = seed_json()

    assert set(world) >= {"structures", "users", "api"}
    for structure in world["structures"]:
        assert set(structure) >= {
            "identifier",
            "identifier_type",
            "name",
            "public",
            "kind",
            "service_code_required",
            "ej_required",
            "services",
            "ejs",
        }
        for service in structure["services"]:
            assert set(service) >= {"code", "name", "ej_required"}
        for ej in structure["ejs"]:
            assert set(ej) >= {"number", "service"}
    for user in world["users"]:
        assert set(user) >= {"email", "password", "role", "structure"}
    assert set(world["api"]) >= {
        "client_id",
        "client_secret",
        "technical_login",
        "technical_password",
        "structure",
    }


def test_the_world_covers_every_kind_of_recipient_and_parameter():
    structures = seed_json()["structures"]
    public = [s for s in structures if s["public"]]

    assert {s["kind"] for s in public} >= {
        PublicKind.ETAT,
        PublicKind.COLLECTIVITE,
        PublicKind.ETABLISSEMENT_SANTE,
        PublicKind.JURIDICTION,
        PublicKind.DDFIP,
    }
    parameters = {(s["service_code_required"], s["ej_required"]) for s in public}
    assert {(False, True), (True, False), (False, False)} <= parameters
    assert all(s["services"] for s in public)
    ej_services = {ej["service"] for s in public for ej in s["ejs"]}
    codes = {service["code"] for s in public for service in s["services"]}
    assert ej_services - {None} <= codes
    assert len([s for s in structures if not s["public"]]) >= 5
    assert all(s["bank_accounts"] for s in structures if not s["public"])


def test_every_identifier_and_bank_detail_is_valid():
    for structure in seed_json()["structures"]:
        assert normalise_siret(structure["identifier"]) == structure["identifier"]
        for account in structure["bank_accounts"]:
            assert normalise_iban(account["iban"]) == account["iban"]
    for structure in Structure.objects.exclude(vat_number=""):
        assert normalise_vat_number(structure.vat_number) == structure.vat_number


def test_there_is_a_user_for_every_role():
    users = seed_json()["users"]
    public_by_identifier = {s.identifier: s.is_public for s in Structure.objects.all()}

    supplier_roles = {
        u["role"] for u in users if u["structure"] and not public_by_identifier[u["structure"]]
    }
    assert supplier_roles == set(Role.values)
    assert any(u["structure"] and public_by_identifier[u["structure"]] for u in users)
    admins = [u for u in users if u["role"] == "administrateur"]
    assert len(admins) == 1 and admins[0]["structure"] is None


def test_demo_users_can_log_in(client):
    for user in seed_json()["users"]:
        # django-axes checks every sign-in against its request.
        credentials = {"email": user["email"], "password": user["password"]}
        assert client.login(request=HttpRequest(), **credentials), user["email"]
        client.logout()


def test_demo_users_can_log_in_through_the_login_page(client):
    users = seed_json()["users"]
    supplier = next(u for u in users if u["role"] == Role.GESTIONNAIRE_PRINCIPAL)
    admin = next(u for u in users if u["role"] == "administrateur")

    response = client.post(
        reverse("login"), {"username": supplier["email"], "password": supplier["password"]}
    )
    assert response.status_code == 302
    client.logout()
    client.post(reverse("login"), {"username": admin["email"], "password": admin["password"]})
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_api_credentials_work():
    api = seed_json()["api"]

    application = Application.objects.get(client_id=api["client_id"])
    assert application.client_secret != api["client_secret"]
    assert check_password(api["client_secret"], application.client_secret)
    assert application.authorization_grant_type == Application.GRANT_CLIENT_CREDENTIALS
    assert application.client_type == Application.CLIENT_CONFIDENTIAL
    technical = TechnicalAccount.objects.get(login=api["technical_login"])
    assert technical.check_password(api["technical_password"])
    assert technical.structure.identifier == api["structure"]
    assert not technical.structure.is_public


def test_the_demo_api_credentials_open_the_api(client):
    api = seed_json()["api"]
    token = client.post(
        reverse("api_token"),
        {
            "grant_type": "client_credentials",
            "client_id": api["client_id"],
            "client_secret": api["client_secret"],
            "scope": "openid",
        },
    )
    assert token.status_code == 200
    account = f"{api['technical_login']}:{api['technical_password']}".encode()

    response = client.post(
        reverse("cpro_rechercher_structure"),
        {"structure": {"identifiantStructure": api["structure"]}},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}",
        HTTP_CPRO_ACCOUNT=base64.b64encode(account).decode(),
    )

    assert response.status_code == 200
    assert response.json()["codeRetour"] == 0


def test_the_demo_world_carries_invoices_at_every_step_on_both_sides():
    from invoices.enums import InvoiceStatus
    from invoices.models import Invoice

    world = seed_json()

    assert set(world["api_recipient"]) == set(world["api"])
    recipient_account = TechnicalAccount.objects.get(
        login=world["api_recipient"]["technical_login"]
    )
    assert recipient_account.structure.is_public
    statuses = set(Invoice.objects.values_list("status", flat=True))
    assert statuses >= {
        InvoiceStatus.EN_COURS_ACHEMINEMENT,
        InvoiceStatus.MISE_A_DISPOSITION,
        InvoiceStatus.SUSPENDUE,
        InvoiceStatus.COMPLETEE,
        InvoiceStatus.A_RECYCLER,
        InvoiceStatus.REJETEE,
        InvoiceStatus.SERVICE_FAIT,
        InvoiceStatus.MANDATEE,
        InvoiceStatus.MISE_EN_PAIEMENT,
    }
    assert Invoice.objects.filter(supplier__is_public=True, recipient__is_public=True).exists()
    acknowledged = Invoice.objects.filter(rejection_acknowledged_at__isnull=False)
    assert acknowledged.exists()
    assert Invoice.objects.filter(
        status=InvoiceStatus.REJETEE, rejection_acknowledged_at=None
    ).exists()
