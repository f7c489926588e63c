"""The supplier's "Rejets et retours": what waits for it, each motive explained with its one
next move, and every rejection acknowledged at once through the workflow core."""

import datetime
import itertools

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from chorus.enums import Role
from chorus.workflow import Actor
from invoices.channels.portal.computations import VAT_CHOICES
from invoices.enums import DepositChannel, FlowItemStatus, InvoiceStatus
from invoices.ingestion.receive import flow_receive
from invoices.models import FlowItem
from invoices.selectors import deposits_refused_to, invoices_returned_to
from invoices.services import (
    invoice_process,
    invoice_reject,
    invoice_rejection_acknowledge,
    invoice_route,
    invoice_send_back,
    invoice_suspend,
)
from rejections.models import Motive
from tests.chorus.factories import MembershipFactory, PublicStructureFactory, StructureFactory
from tests.invoices.factories import french_invoice, stored_invoice

pytestmark = pytest.mark.django_db

NUMBERS = itertools.count(1)
URL = "/factures/retours/"


@pytest.fixture
def supplier():
    return StructureFactory(legal_name="Menuiserie Durand")


@pytest.fixture
def seller(supplier):
    return MembershipFactory(structure=supplier)


@pytest.fixture
def commune():
    return PublicStructureFactory(legal_name="Commune de Valmont")


@pytest.fixture
def agent(commune):
    return Actor.member(MembershipFactory(structure=commune, role=Role.GESTIONNAIRE_PRINCIPAL))


@pytest.fixture
def client_in(client, seller):
    client.force_login(seller.user)
    return client


def available(supplier, recipient):
    document = french_invoice(
        number=f"FA-2026-{next(NUMBERS):05d}",
        seller_siret=supplier.identifier,
        buyer_siret=recipient.identifier,
        service_code=None,
    )
    invoice = stored_invoice(supplier=supplier, recipient=recipient, document=document)
    invoice_route(invoice=invoice)
    invoice.refresh_from_db()
    return invoice


def refused_deposit(structure, user, *, days_ago=0):
    flow = flow_receive(
        data=f"<Invoice>{next(NUMBERS)}</Invoice>".encode(),
        filename="refusee.xml",
        channel=DepositChannel.PORTAIL,
        structure=structure,
        user=user,
    ).flow
    flow.created_at = timezone.now() - datetime.timedelta(days=days_ago)
    flow.save(update_fields=["created_at"])
    return FlowItem.objects.create(
        flow=flow,
        position=1,
        name=f"refusee-{flow.pk}.xml",
        received_file=flow.received_file,
        status=FlowItemStatus.REFUSEE,
    )


def test_the_page_lists_exactly_what_waits_for_the_structure(
    client_in, supplier, seller, commune, agent
):
    suspended = available(supplier, commune)
    invoice_suspend(invoice=suspended, actor=agent, motive="JUSTIF_ABS", comment="Devis manquant.")
    to_recycle = available(supplier, commune)
    invoice_send_back(invoice=to_recycle, actor=agent, motive="AUTRE", comment="Mauvais service.")
    rejected = available(supplier, commune)
    invoice_reject(invoice=rejected, actor=agent, motive="AUTRE", comment="Doublon.")
    acknowledged = available(supplier, commune)
    invoice_reject(invoice=acknowledged, actor=agent, motive="AUTRE", comment="Doublon.")
    invoice_rejection_acknowledge(invoice=acknowledged, actor=Actor.member(seller))
    untouched = available(supplier, commune)
    other = StructureFactory()
    theirs = available(other, commune)
    invoice_reject(invoice=theirs, actor=agent, motive="AUTRE", comment="Doublon.")
    recent = refused_deposit(supplier, seller.user)
    old = refused_deposit(supplier, seller.user, days_ago=31)
    foreign = refused_deposit(other, MembershipFactory(structure=other).user)

    page = client_in.get(URL)

    assert page.status_code == 200
    listed = {invoice.number: invoice.next_action for invoice in page.context["invoices"]}
    assert set(listed) == {suspended.number, to_recycle.number, rejected.number}
    assert str(listed[suspended.number]["label"]) == "Compléter"
    assert str(listed[to_recycle.number]["label"]) == "Corriger l'acheminement"
    assert str(listed[rejected.number]["label"]) == "Prendre connaissance du rejet"
    assert listed[rejected.number]["url"].startswith(
        reverse("invoices:invoice_detail", args=[rejected.pk])
    )
    assert list(page.context["deposits"]) == [recent]
    html = page.content.decode()
    for absent in (acknowledged, untouched, theirs):
        assert absent.number not in html
    assert old.name not in html and foreign.name not in html
    assert 'aria-current="page">Rejets et retours' in html


def test_each_invoice_shows_its_motive_explained_and_what_is_disputed(
    client_in, supplier, commune, agent
):
    invoice = available(supplier, commune)
    invoice_process(
        invoice=invoice,
        actor=agent,
        target=InvoiceStatus.SUSPENDUE,
        motive="JUSTIF_ABS",
        comment="Le devis signé manque.",
        lines=["2"],
        disputed_amount="120.50",
    )
    motive = Motive.objects.get(code="JUSTIF_ABS")
    assert motive.explanation and motive.fix

    html = client_in.get(URL).content.decode()

    assert motive.label in html and "Le devis signé manque." in html
    assert motive.explanation in html or motive.explanation.replace("'", "&#x27;") in html
    assert "Lignes concernées :</strong> 2" in html
    assert "120,50 €" in html or "120.50 €" in html


def test_every_rejection_is_acknowledged_at_once_and_recorded(client_in, supplier, commune, agent):
    rejected = [available(supplier, commune) for _ in range(2)]
    for invoice in rejected:
        invoice_reject(invoice=invoice, actor=agent, motive="AUTRE", comment="Doublon.")
    suspended = available(supplier, commune)
    invoice_suspend(invoice=suspended, actor=agent, motive="JUSTIF_ABS")

    response = client_in.post(URL)

    assert response.status_code == 302
    for invoice in rejected:
        invoice.refresh_from_db()
        assert invoice.rejection_acknowledged_at is not None
        last = invoice.history.order_by("at", "pk").last()
        assert (last.action, last.target) == ("acknowledge", InvoiceStatus.REJETEE)
    suspended.refresh_from_db()
    assert suspended.status == InvoiceStatus.SUSPENDUE
    page = client_in.get(URL)
    assert [invoice.number for invoice in page.context["invoices"]] == [suspended.number]
    assert "Vous avez pris connaissance de 2 rejets." in page.content.decode()


def test_a_public_structure_sees_only_the_invoices_it_issued(client, commune, agent):
    """An agent of a public structure, as a supplier, sees what it issued, never what it
    received."""
    received = available(StructureFactory(), commune)
    invoice_reject(invoice=received, actor=agent, motive="AUTRE", comment="Doublon.")
    hospital = PublicStructureFactory()
    issued = available(commune, hospital)
    hospital_agent = MembershipFactory(structure=hospital, role=Role.GESTIONNAIRE_PRINCIPAL)
    invoice_reject(
        invoice=issued, actor=Actor.member(hospital_agent), motive="AUTRE", comment="Doublon."
    )
    client.force_login(MembershipFactory(structure=commune).user)

    page = client.get(URL)

    assert [invoice.number for invoice in page.context["invoices"]] == [issued.number]
    client.post(URL)
    received.refresh_from_db()
    assert received.rejection_acknowledged_at is None


def test_the_page_asks_for_a_login(client):
    assert client.get(URL).status_code == 302


def test_the_lists_cost_the_same_queries_however_many_invoices(supplier, commune, agent):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            for invoice in invoices_returned_to(supplier):
                assert invoice.recipient.legal_name and invoice.reason is not None
            list(deposits_refused_to(supplier))
        return len(captured)

    invoice_suspend(invoice=available(supplier, commune), actor=agent, motive="JUSTIF_ABS")
    one = queries()
    for _ in range(3):
        invoice_reject(
            invoice=available(supplier, commune), actor=agent, motive="AUTRE", comment="Doublon."
        )

    assert queries() == one == 3  # the invoices, their motives, the refused deposits


def test_correcting_a_rejection_opens_the_keying_form_filled_from_it(
    client_in, supplier, commune, agent
):
    rejected = available(supplier, commune)
    invoice_reject(invoice=rejected, actor=agent, motive="AUTRE", comment="Doublon.")
    document = rejected.canonical
    correct_url = f"{reverse('invoices:invoice_new')}?correcting={rejected.pk}"
    assert correct_url in client_in.get(URL).content.decode()

    page = client_in.get(correct_url)

    assert page.status_code == 200
    form, formset = page.context["form"], page.context["formset"]
    assert form["recipient_siret"].value() == commune.identifier
    assert form["number"].value() == ""
    assert form["issue_date"].value() == document.issue_date.isoformat()
    rows = formset.forms
    assert [row["description"].value() for row in rows] == [
        line.item.name for line in document.lines
    ]
    for row, line in zip(rows, document.lines, strict=True):
        category, rate, _label = VAT_CHOICES[row["vat"].value()]
        assert (category, rate) == (line.vat_category_code, line.vat_rate or 0)
    # Quantities and prices read back as typed: the same totals as the rejected invoice.
    totals = page.context["totals"]
    assert totals["with_vat_value"] == str(document.totals.tax_inclusive_amount)


def test_only_the_structures_rejected_invoices_can_be_corrected(client_in, supplier, commune):
    open_invoice = available(supplier, commune)
    theirs = available(StructureFactory(), commune)
    for invoice in (open_invoice, theirs):
        url = f"{reverse('invoices:invoice_new')}?correcting={invoice.pk}"
        assert client_in.get(url).status_code == 404


def test_the_page_speaks_english_motives_included(client_in, supplier, commune, agent):
    invoice_suspend(invoice=available(supplier, commune), actor=agent, motive="JUSTIF_ABS")
    motive = Motive.objects.get(code="JUSTIF_ABS")
    assert motive.label_en and motive.explanation_en
    client_in.cookies["django_language"] = "en"

    try:
        html = client_in.get(URL).content.decode()
    finally:
        translation.activate(settings.LANGUAGE_CODE)  # the request left English active

    assert "Rejections and returns" in html and motive.label_en in html
    assert motive.label_fr not in html
