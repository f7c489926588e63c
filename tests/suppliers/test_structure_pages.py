"""Members, structure details and bank accounts: managers manage, users read, others see nothing."""

import pytest
from django.urls import reverse

from chorus.enums import Role
from chorus.models import AuditEvent, BankAccount, Membership
from tests.chorus.factories import (
    BankAccountFactory,
    MembershipFactory,
    PublicStructureFactory,
    StructureFactory,
)

pytestmark = pytest.mark.django_db

VALID_IBAN = "FR76 3000 6000 0112 3456 7890 189"


@pytest.fixture
def principal():
    return MembershipFactory(role=Role.GESTIONNAIRE_PRINCIPAL)


def member_url(membership):
    return reverse("suppliers:member", args=[membership.pk])


# --- Roles -----------------------------------------------------------------------------------


def test_the_last_principal_manager_cannot_step_down(client, principal):
    client.force_login(principal.user)

    response = client.post(member_url(principal), {"role": Role.UTILISATEUR})

    assert response.status_code == 200
    assert "seul gestionnaire principal" in str(response.context["form"].errors["role"])
    principal.refresh_from_db()
    assert principal.role == Role.GESTIONNAIRE_PRINCIPAL


def test_a_principal_can_step_down_once_another_principal_exists(client, principal):
    colleague = MembershipFactory(structure=principal.structure, role=Role.UTILISATEUR)
    client.force_login(principal.user)

    client.post(member_url(colleague), {"role": Role.GESTIONNAIRE_PRINCIPAL})
    response = client.post(member_url(principal), {"role": Role.GESTIONNAIRE_SECONDAIRE})

    assert response.status_code == 302
    colleague.refresh_from_db()
    principal.refresh_from_db()
    assert colleague.role == Role.GESTIONNAIRE_PRINCIPAL
    assert principal.role == Role.GESTIONNAIRE_SECONDAIRE
    assert AuditEvent.objects.filter(action="membership_role_change").count() == 2


def test_the_last_principal_manager_cannot_be_removed(client, principal):
    client.force_login(principal.user)

    response = client.post(reverse("suppliers:member_remove", args=[principal.pk]), follow=True)

    assert "seul gestionnaire principal" in response.content.decode()
    assert Membership.objects.filter(pk=principal.pk).exists()


def test_a_manager_removes_a_member(client, principal):
    member = MembershipFactory(structure=principal.structure, role=Role.UTILISATEUR)
    client.force_login(principal.user)

    response = client.post(reverse("suppliers:member_remove", args=[member.pk]))

    assert response.url == reverse("suppliers:members")
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert AuditEvent.objects.filter(action="membership_remove").exists()


def test_a_secondary_manager_cannot_demote_or_remove_a_principal(client, principal):
    secondary = MembershipFactory(structure=principal.structure, role=Role.GESTIONNAIRE_SECONDAIRE)
    MembershipFactory(structure=principal.structure, role=Role.GESTIONNAIRE_PRINCIPAL)
    client.force_login(secondary.user)

    response = client.post(member_url(principal), {"role": Role.UTILISATEUR})
    client.post(reverse("suppliers:member_remove", args=[principal.pk]))

    assert response.status_code == 200
    principal.refresh_from_db()
    assert principal.role == Role.GESTIONNAIRE_PRINCIPAL


def test_plain_user_sees_members_read_only_and_gets_403_on_manager_pages(client, principal):
    plain = MembershipFactory(structure=principal.structure, role=Role.UTILISATEUR)
    account = BankAccountFactory(structure=principal.structure)
    client.force_login(plain.user)

    members = client.get(reverse("suppliers:members"))
    assert members.status_code == 200
    assert principal.user.email in members.content.decode()
    assert member_url(principal) not in members.content.decode()
    assert client.get(reverse("suppliers:structure")).status_code == 200
    assert client.get(reverse("suppliers:bank_accounts")).status_code == 200

    for url in (
        member_url(principal),
        reverse("suppliers:structure_edit"),
        reverse("suppliers:bank_account_add"),
        reverse("suppliers:join_requests"),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(member_url(principal), {"role": Role.UTILISATEUR}).status_code == 403
    assert client.post(reverse("suppliers:member_remove", args=[principal.pk])).status_code == 403
    response = client.post(
        reverse("suppliers:bank_account_activation", args=[account.pk]), {"active": "0"}
    )
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.active is True


def test_agents_of_public_structures_get_403_on_supplier_pages(client):
    agent = MembershipFactory(structure=PublicStructureFactory())
    client.force_login(agent.user)
    assert client.get(reverse("suppliers:dashboard")).status_code == 403
    assert client.get(reverse("suppliers:members")).status_code == 403


def test_another_structures_members_and_bank_accounts_are_out_of_reach(client, principal):
    other = MembershipFactory(structure=StructureFactory(), role=Role.UTILISATEUR)
    MembershipFactory(structure=other.structure, role=Role.GESTIONNAIRE_PRINCIPAL)
    other_account = BankAccountFactory(
        structure=other.structure, iban="FR7630004000031234567890143"
    )
    client.force_login(principal.user)

    members = client.get(reverse("suppliers:members")).content.decode()
    accounts = client.get(reverse("suppliers:bank_accounts")).content.decode()
    dashboard = client.get(reverse("suppliers:dashboard")).content.decode()
    assert other.user.email not in members + dashboard
    assert other_account.iban not in accounts + dashboard

    assert client.get(member_url(other)).status_code == 404
    assert client.post(member_url(other), {"role": Role.GESTIONNAIRE_SECONDAIRE}).status_code == 404
    assert client.post(reverse("suppliers:member_remove", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("suppliers:bank_account_activation", args=[other_account.pk]), {"active": "0"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    other_account.refresh_from_db()
    assert other.role == Role.UTILISATEUR
    assert other_account.active is True


def test_switching_structure_changes_the_pages_to_the_other_structure(client, principal):
    second = MembershipFactory(
        user=principal.user, structure=StructureFactory(legal_name="Zèbre SARL")
    )
    client.force_login(principal.user)

    client.post(reverse("switch_structure"), {"structure": second.structure_id, "next": "/"})
    response = client.get(reverse("suppliers:dashboard"))

    assert response.context["structure"] == second.structure
    assert 'data-testid="current-structure"' in response.content.decode()


# --- Structure details -----------------------------------------------------------------------


def test_manager_edits_the_structure_details(client, principal):
    client.force_login(principal.user)

    response = client.post(
        reverse("suppliers:structure_edit"),
        {
            "legal_name": "Nouveau Nom SAS",
            "address_line": "8 avenue Foch",
            "postcode": "75016",
            "city": "Paris",
            "vat_number": "FR 44 732829320",
        },
    )

    assert response.url == reverse("suppliers:structure")
    principal.structure.refresh_from_db()
    assert principal.structure.legal_name == "Nouveau Nom SAS"
    assert principal.structure.vat_number == "FR44732829320"
    event = AuditEvent.objects.get(action="structure_update")
    assert event.details["legal_name"]["to"] == "Nouveau Nom SAS"


def test_invalid_vat_number_is_shown_on_its_field_and_nothing_changes(client, principal):
    name = principal.structure.legal_name
    client.force_login(principal.user)

    response = client.post(
        reverse("suppliers:structure_edit"),
        {
            "legal_name": "Autre nom",
            "address_line": "x",
            "postcode": "75001",
            "city": "Paris",
            "vat_number": "FR12",
        },
    )

    assert response.status_code == 200
    assert "TVA" in str(response.context["form"].errors["vat_number"])
    assert name in response.content.decode()  # the header still shows the saved name
    principal.structure.refresh_from_db()
    assert principal.structure.legal_name == name


# --- Bank accounts ---------------------------------------------------------------------------


def bank_data(**overrides):
    data = {
        "label": "Compte courant",
        "holder": "Entreprise",
        "iban": VALID_IBAN,
        "bic": "AGRIFRPP",
    }
    data.update(overrides)
    return data


def test_manager_adds_a_bank_account_normalised(client, principal):
    client.force_login(principal.user)

    response = client.post(reverse("suppliers:bank_account_add"), bank_data(bic="agrifrpp"))

    assert response.url == reverse("suppliers:bank_accounts")
    account = BankAccount.objects.get(structure=principal.structure)
    assert account.iban == "FR7630006000011234567890189"
    assert account.bic == "AGRIFRPP"


@pytest.mark.parametrize(
    ("overrides", "field", "expected"),
    [
        ({"iban": "FR7630006000011234567890180"}, "iban", "clé de contrôle"),
        ({"iban": "FR76300060000112"}, "iban", "longueur"),
        ({"bic": "AGRI"}, "bic", "8 ou 11 caractères"),
    ],
)
def test_iban_and_bic_errors_are_shown_on_their_fields(
    client, principal, overrides, field, expected
):
    client.force_login(principal.user)

    response = client.post(reverse("suppliers:bank_account_add"), bank_data(**overrides))

    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert len(errors) == 1
    assert expected in errors[0]
    assert f'aria-describedby="id_{field}-desc-error"' in response.content.decode()
    assert not BankAccount.objects.exists()


def test_same_iban_twice_is_refused_on_the_field(client, principal):
    BankAccountFactory(structure=principal.structure)
    client.force_login(principal.user)

    response = client.post(reverse("suppliers:bank_account_add"), bank_data())

    assert "déjà enregistré" in str(response.context["form"].errors["iban"])
    assert BankAccount.objects.count() == 1


def test_manager_deactivates_then_reactivates_a_bank_account(client, principal):
    account = BankAccountFactory(structure=principal.structure)
    client.force_login(principal.user)
    url = reverse("suppliers:bank_account_activation", args=[account.pk])

    client.post(url, {"active": "0"})
    account.refresh_from_db()
    assert account.active is False
    assert account.iban not in client.get(reverse("suppliers:dashboard")).content.decode()

    client.post(url, {"active": "1"})
    account.refresh_from_db()
    assert account.active is True
    assert list(
        AuditEvent.objects.filter(object_id=str(account.pk)).values_list("action", flat=True)
    ) == ["bank_account_activate", "bank_account_deactivate"]
