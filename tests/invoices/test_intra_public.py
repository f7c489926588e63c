"""A public structure invoicing another one: the same keying, deposit and lifecycle as any
supplier, with its own users."""

import pytest
from django.urls import reverse

from chorus.enums import PublicKind, Role
from chorus.workflow import Actor, available_transitions
from invoices.enums import InvoiceRole, InvoiceStatus
from invoices.models import Invoice
from invoices.services import invoice_certify
from invoices.workflow import invoice_roles
from tests.api.conftest import CproClient, cpro_account, make_application, request_token
from tests.api.invoices_support import SOUMETTRE, soumettre_payload
from tests.chorus.factories import (
    MembershipFactory,
    PublicStructureFactory,
    ServiceFactory,
    TechnicalAccountFactory,
)
from tests.invoices.factories import french_vat_number
from tests.invoices.test_portal_keying import keyed

pytestmark = pytest.mark.django_db


@pytest.fixture
def issuer():
    """A public establishment that sells services to a commune."""
    structure = PublicStructureFactory(
        legal_name="Syndicat intercommunal des eaux", kind=PublicKind.ETABLISSEMENT_PUBLIC
    )
    structure.vat_number = french_vat_number(structure.identifier[:9])
    structure.save()
    return structure


def test_a_public_structure_keys_an_invoice_to_another_and_follows_it(
    client, issuer, django_capture_on_commit_callbacks
):
    recipient = PublicStructureFactory(legal_name="Commune de Valmont")
    agent = MembershipFactory(structure=issuer, role=Role.UTILISATEUR).user
    client.force_login(agent)

    home = client.get(reverse("home"))
    assert reverse("invoices:invoice_new") in home.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("invoices:invoice_new"), keyed(recipient))
    assert response.status_code == 302

    invoice = Invoice.objects.get()
    assert (invoice.supplier, invoice.recipient) == (issuer, recipient)
    assert invoice.status == InvoiceStatus.MISE_A_DISPOSITION
    assert invoice.history.first().actor == agent
    listed = client.get(reverse("invoices:invoice_list")).content.decode()
    assert invoice.number in listed

    supplier_side = Actor.member(agent.memberships.get())
    recipient_side = Actor.member(MembershipFactory(structure=recipient))
    assert invoice_roles(supplier_side, invoice) == {InvoiceRole.FOURNISSEUR}
    assert available_transitions(document=invoice, actor=supplier_side) == []
    invoice_certify(invoice=invoice, actor=recipient_side)
    assert Invoice.objects.get().status == InvoiceStatus.SERVICE_FAIT


def test_a_public_structure_submits_through_the_api(client, issuer):
    account = TechnicalAccountFactory(structure=issuer)
    token = request_token(client, make_application()).json()["access_token"]
    cpro = CproClient(client, token, cpro_account(account.login))
    service = ServiceFactory(code="SERV-EAU")

    response = cpro.post(SOUMETTRE, soumettre_payload(service, number="SIE-2026-001"))

    assert response.status_code == 200, response.content
    invoice = Invoice.objects.get(pk=response.json()["identifiantFactureCPP"])
    assert (invoice.supplier, invoice.recipient) == (issuer, service.structure)
    assert invoice.status == InvoiceStatus.MISE_A_DISPOSITION
