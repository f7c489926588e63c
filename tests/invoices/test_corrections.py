"""Correcting a rejected invoice ("corriger et renvoyer"): the keying form pre-filled from the
rejected invoice whatever channel it came through, one submit, and the new invoice linked to
the rejected one both ways, on the supplier's and the agent's pages and in the API."""

import dataclasses
import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from chorus.enums import Role
from chorus.workflow import Actor
from invoices import canonical as c
from invoices.enums import DepositChannel, FlowItemStatus, FlowSyntax, InvoiceStatus
from invoices.formats import write_cii, write_ubl
from invoices.formats.facturx import write_facturx
from invoices.ingestion.receive import flow_receive
from invoices.models import Invoice
from invoices.services import (
    invoice_correction_refused,
    invoice_create,
    invoice_reject,
    invoice_route,
    received_file_store,
)
from rejections import statistics as st
from tests.chorus.factories import MembershipFactory, PublicStructureFactory, StructureFactory
from tests.invoices.factories import french_invoice, french_vat_number, stored_invoice

pytestmark = pytest.mark.django_db

WRITERS = {
    FlowSyntax.UBL: (write_ubl, "facture.xml", "UBL"),
    FlowSyntax.CII: (write_cii, "facture.xml", "CII"),
    FlowSyntax.FACTURX: (write_facturx, "facture.pdf", "FX"),
}


@pytest.fixture
def supplier():
    structure = StructureFactory(legal_name="Menuiserie Durand")
    structure.vat_number = french_vat_number(structure.identifier[:9])
    structure.save()
    return structure


@pytest.fixture
def seller(supplier):
    return MembershipFactory(structure=supplier)


@pytest.fixture
def commune():
    return PublicStructureFactory(legal_name="Commune de Valmont")


@pytest.fixture
def manager(commune):
    return MembershipFactory(structure=commune, role=Role.GESTIONNAIRE_PRINCIPAL)


@pytest.fixture
def client_in(client, seller):
    client.force_login(seller.user)
    return client


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def deposited_flow(on_commit, *, supplier, user, buyer_siret, number, syntax, channel, **changes):
    """A flow of one invoice of `syntax` through `channel`, whatever became of it."""
    write, filename, _short = WRITERS[syntax]
    document = dataclasses.replace(
        french_invoice(
            number=number,
            seller_siret=supplier.identifier,
            buyer_siret=buyer_siret,
            service_code=None,
            engagement=None,
        ),
        **changes,
    )
    with on_commit():
        return flow_receive(
            data=write(document),
            filename=filename,
            channel=channel,
            structure=supplier,
            user=user,
            syntax=syntax,
        ).flow


def deposit(on_commit, *, supplier, user, commune, number, syntax, channel, **changes):
    """A flow of one invoice of `syntax` through `channel`; the invoice it made."""
    flow = deposited_flow(
        on_commit,
        supplier=supplier,
        user=user,
        buyer_siret=commune.identifier,
        number=number,
        syntax=syntax,
        channel=channel,
        **changes,
    )
    item = flow.items.get()
    assert item.status == FlowItemStatus.INTEGREE, item.findings
    return item.invoice


def rejected_invoice(supplier, commune, manager, *, number="FA-2026-00001"):
    invoice = stored_invoice(
        supplier=supplier,
        recipient=commune,
        document=french_invoice(
            number=number,
            seller_siret=supplier.identifier,
            buyer_siret=commune.identifier,
            service_code=None,
        ),
    )
    invoice_route(invoice=invoice)
    invoice.refresh_from_db()
    invoice_reject(
        invoice=invoice,
        actor=Actor.member(manager),
        motive="MONTANTTOTAL_ERR",
        comment="Le prix de la ligne 1 ne suit pas le devis.",
    )
    invoice.refresh_from_db()
    return invoice


def form_as_shown(page, **changes) -> dict:
    """The keying form posted as the page shows it, with `changes` typed over it."""
    form, formset = page.context["form"], page.context["formset"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["mode"] = page.context["mode"]
    data.update(
        {
            "lines-TOTAL_FORMS": str(len(formset.forms)),
            "lines-INITIAL_FORMS": "0",
            "action": "submit",
        }
    )
    for index, row in enumerate(formset.forms):
        for name in row.fields:
            data[f"lines-{index}-{name}"] = row[name].value() or ""
    data.update(changes)
    return {key: str(value) for key, value in data.items()}


def correct(client_in, on_commit, rejected, **changes):
    url = f"{reverse('invoices:invoice_new')}?correcting={rejected.pk}"
    page = client_in.get(url)
    assert page.status_code == 200
    data = form_as_shown(page, **changes)
    with on_commit():
        response = client_in.post(reverse("invoices:invoice_new"), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    return Invoice.objects.get(supplier=rejected.supplier, number=data["number"])


@pytest.mark.parametrize("syntax", list(WRITERS))
def test_an_invoice_of_any_channel_is_corrected_and_linked_both_ways(
    client_in, on_commit, supplier, seller, commune, manager, syntax
):
    short = WRITERS[syntax][2]
    rejected = deposit(
        on_commit,
        supplier=supplier,
        user=seller.user,
        commune=commune,
        number=f"FA-{short}-1",
        syntax=syntax,
        channel=DepositChannel.API,
    )
    invoice_reject(
        invoice=rejected, actor=Actor.member(manager), motive="MONTANTTOTAL_ERR", comment="Prix."
    )

    correction = correct(client_in, on_commit, rejected, number=f"FA-{short}-2")

    assert correction.replaces == rejected
    assert list(rejected.corrections.all()) == [correction]
    assert correction.status == InvoiceStatus.MISE_A_DISPOSITION
    assert correction.total_with_vat == rejected.total_with_vat  # nothing changed but the number


def test_the_fixed_amount_is_deposited_and_both_pages_show_the_link(
    client, client_in, on_commit, supplier, commune, manager
):
    rejected = rejected_invoice(supplier, commune, manager)
    # From the returns page, "corriger et renvoyer" is the one click before the form.
    returns = client_in.get(reverse("invoices:returns")).content.decode()
    assert f"?correcting={rejected.pk}" in returns

    correction = correct(
        client_in, on_commit, rejected, number="FA-2026-00002", **{"lines-0-unit_price": "1"}
    )

    assert correction.replaces == rejected
    assert correction.total_without_vat < rejected.total_without_vat
    new_page = client_in.get(reverse("invoices:invoice_detail", args=[correction.pk]))
    assert "Remplace la facture n°" in new_page.content.decode()
    assert reverse("invoices:invoice_detail", args=[rejected.pk]) in new_page.content.decode()
    old_page = client_in.get(reverse("invoices:invoice_detail", args=[rejected.pk]))
    html = old_page.content.decode()
    assert "Corrigée par la facture n°" in html and "FA-2026-00002" in html
    assert f"?correcting={rejected.pk}" not in html  # corrected once: no second offer
    assert (
        "Corrigée par la facture n° FA-2026-00002"
        in client_in.get(reverse("invoices:returns")).content.decode()
    )

    client.force_login(manager.user)
    agent_page = client.get(reverse("reception:invoice_detail", args=[correction.pk]))
    assert agent_page.status_code == 200
    assert reverse("reception:invoice_detail", args=[rejected.pk]) in agent_page.content.decode()
    agent_old = client.get(reverse("reception:invoice_detail", args=[rejected.pk]))
    assert "Corrigée par la facture n°" in agent_old.content.decode()


def test_a_replaced_invoice_of_another_structure_is_not_linked(
    client_in, on_commit, supplier, commune, manager
):
    rejected = rejected_invoice(supplier, commune, manager)
    theirs = rejected_invoice(StructureFactory(), commune, manager, number="FA-AUTRE-1")

    correction = correct(client_in, on_commit, rejected, number="FA-2026-00003", replaces=theirs.pk)

    assert correction.replaces is None
    assert not theirs.corrections.exists()


def test_the_service_links_only_a_rejected_invoice_of_the_same_supplier(supplier, commune, manager):
    rejected = rejected_invoice(supplier, commune, manager)
    other = StructureFactory()
    document = french_invoice(number="X-1", seller_siret=other.identifier)
    invoice = invoice_create(
        document=document,
        received_file=received_file_store(data=write_ubl(document), filename="x.xml"),
        syntax="ubl",
        profile=None,
        supplier=other,
        replaces=rejected,
    )

    assert invoice.replaces is None


def test_the_agent_does_not_get_a_link_to_an_invoice_it_cannot_open(
    client, client_in, on_commit, supplier, commune, manager
):
    rejected = rejected_invoice(supplier, commune, manager)
    other_commune = PublicStructureFactory()
    correction = correct(
        client_in,
        on_commit,
        rejected,
        number="FA-2026-00004",
        recipient_siret=other_commune.identifier,
    )
    assert correction.recipient == other_commune
    other_manager = MembershipFactory(structure=other_commune, role=Role.GESTIONNAIRE_PRINCIPAL)
    client.force_login(other_manager.user)

    html = client.get(reverse("reception:invoice_detail", args=[correction.pk])).content.decode()

    assert "Remplace la facture n° FA-2026-00001 rejetée" in html
    assert reverse("reception:invoice_detail", args=[rejected.pk]) not in html


# A refused keyed deposit, corrected and deposited again in one step ---------------------------


def refused_keyed_deposit(on_commit, supplier, seller, *, buyer_siret, number="FA-2026-00010"):
    flow = deposited_flow(
        on_commit,
        supplier=supplier,
        user=seller.user,
        buyer_siret=buyer_siret,
        number=number,
        syntax=FlowSyntax.FACTURX,
        channel=DepositChannel.PORTAIL,
    )
    assert flow.items.get().status == FlowItemStatus.REFUSEE
    return flow


def test_a_refused_keyed_deposit_is_corrected_and_deposited_again_in_one_step(
    client_in, on_commit, supplier, seller, commune
):
    unknown = PublicStructureFactory.build().identifier  # a valid SIRET, not in the directory
    flow = refused_keyed_deposit(on_commit, supplier, seller, buyer_siret=unknown)
    report = client_in.get(reverse("invoices:flow_detail", args=[flow.pk])).content.decode()
    correct_url = f"{reverse('invoices:invoice_new')}?refused={flow.pk}"
    assert correct_url in report
    returns = client_in.get(reverse("invoices:returns")).content.decode()
    assert correct_url in returns  # from "Rejets et retours" too: one click to the form

    page = client_in.get(correct_url)

    assert page.status_code == 200
    assert page.context["form"]["recipient_siret"].value() == unknown
    assert page.context["form"]["number"].value() == "FA-2026-00010"  # kept, as keyed
    data = form_as_shown(page, recipient_siret=commune.identifier)
    with on_commit():
        response = client_in.post(reverse("invoices:invoice_new"), data)  # the one step
    assert response.status_code == 302
    invoice = Invoice.objects.get(supplier=supplier, number="FA-2026-00010")
    assert (invoice.recipient, invoice.status) == (commune, InvoiceStatus.MISE_A_DISPOSITION)


def test_only_the_structures_refused_portal_deposits_can_be_corrected(
    client_in, on_commit, supplier, seller, commune
):
    other = StructureFactory()
    theirs = refused_keyed_deposit(
        on_commit,
        other,
        MembershipFactory(structure=other),
        buyer_siret=PublicStructureFactory.build().identifier,
    )
    integrated = deposited_flow(
        on_commit,
        supplier=supplier,
        user=seller.user,
        buyer_siret=commune.identifier,
        number="FA-2026-00011",
        syntax=FlowSyntax.FACTURX,
        channel=DepositChannel.PORTAIL,
    )
    assert integrated.items.get().status == FlowItemStatus.INTEGREE
    url = reverse("invoices:invoice_new")

    assert client_in.get(f"{url}?refused={theirs.pk}").status_code == 404
    assert client_in.get(f"{url}?refused={integrated.pk}").status_code == 404
    page = client_in.get(reverse("invoices:flow_detail", args=[integrated.pk])).content.decode()
    assert "?refused=" not in page


# Corrected once, and linked by the preceding invoice (BT-25) whatever the channel ------------
# "Corriger et renvoyer" names the rejected invoice as the preceding invoice in the document
# itself; an API or EDI deposit (UBL, CII, Factur-X) naming, in BG-3, the supplier's rejected
# invoice not corrected yet is linked to it. A credit note's preceding invoice is the invoice it
# credits: never a correction.


def preceding(invoice: Invoice, *, dated=True) -> list[c.PrecedingInvoice]:
    return [c.PrecedingInvoice(invoice.number, invoice.issue_date if dated else None)]


# Corrected once --------------------------------------------------------------------------------


def test_a_second_correction_typed_in_the_address_bar_is_refused(
    client_in, on_commit, supplier, commune, manager
):
    rejected = rejected_invoice(supplier, commune, manager)
    url = f"{reverse('invoices:invoice_new')}?correcting={rejected.pk}"
    second_form = form_as_shown(client_in.get(url), number="FA-2026-00010")
    first = correct(client_in, on_commit, rejected, number="FA-2026-00009")

    # Opening the form again by its address leads to the correction, saying why.
    response = client_in.get(url)
    assert response.status_code == 302
    assert response.url == reverse("invoices:invoice_detail", args=[first.pk])
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("déjà corrigée par la facture FA-2026-00009" in message for message in said)

    # A form opened before the first correction was sent is refused on submit.
    with on_commit():
        refused = client_in.post(reverse("invoices:invoice_new"), second_form)
    assert refused.status_code == 400
    assert "déjà corrigée par la facture FA-2026-00009" in refused.content.decode()
    assert not Invoice.objects.filter(number="FA-2026-00010").exists()
    assert list(rejected.corrections.all()) == [first]


def test_the_rule_says_what_may_be_corrected(supplier, commune, manager, on_commit, seller):
    rejected = rejected_invoice(supplier, commune, manager)
    assert invoice_correction_refused(rejected) == ""
    correction = deposit(
        on_commit,
        supplier=supplier,
        user=seller.user,
        commune=commune,
        number="FA-2026-00020",
        syntax=FlowSyntax.UBL,
        channel=DepositChannel.API,
        preceding_invoices=preceding(rejected),
    )
    assert "FA-2026-00020" in invoice_correction_refused(rejected)
    assert "n'est pas rejetée" in invoice_correction_refused(correction)


# The correction names the rejected invoice in its document --------------------------------------


def test_corriger_et_renvoyer_writes_the_rejected_invoice_as_the_preceding_one(
    client_in, on_commit, supplier, commune, manager
):
    rejected = rejected_invoice(supplier, commune, manager)
    page = client_in.get(f"{reverse('invoices:invoice_new')}?correcting={rejected.pk}")
    assert page.context["form"]["preceding_number"].value() == rejected.number

    correction = correct(client_in, on_commit, rejected, number="FA-2026-00030")

    assert correction.replaces == rejected
    assert correction.canonical.preceding_invoices == [
        c.PrecedingInvoice(rejected.number, rejected.issue_date)
    ]


# API and EDI deposits naming the rejected invoice (BG-3) ----------------------------------------


@pytest.mark.parametrize(
    "syntax, channel",
    [
        (FlowSyntax.UBL, DepositChannel.API),
        (FlowSyntax.CII, DepositChannel.EDI),
        (FlowSyntax.FACTURX, DepositChannel.API),
        (FlowSyntax.FACTURX, DepositChannel.PORTAIL),
    ],
)
def test_a_deposit_naming_a_rejected_invoice_in_bg3_corrects_it(
    on_commit, supplier, seller, commune, manager, syntax, channel
):
    rejected = rejected_invoice(supplier, commune, manager)

    correction = deposit(
        on_commit,
        supplier=supplier,
        user=seller.user,
        commune=commune,
        number="FA-2026-00040",
        syntax=syntax,
        channel=channel,
        preceding_invoices=preceding(rejected, dated=syntax != FlowSyntax.CII),
    )

    assert correction.replaces == rejected
    assert correction.channel == channel


def test_a_preceding_invoice_of_another_date_is_not_linked(
    on_commit, supplier, seller, commune, manager
):
    rejected = rejected_invoice(supplier, commune, manager)
    elsewhere = [
        c.PrecedingInvoice(rejected.number, rejected.issue_date - datetime.timedelta(days=400))
    ]

    invoice = deposit(
        on_commit,
        supplier=supplier,
        user=seller.user,
        commune=commune,
        number="FA-2026-00041",
        syntax=FlowSyntax.UBL,
        channel=DepositChannel.API,
        preceding_invoices=elsewhere,
    )

    assert invoice.replaces is None


def test_a_credit_note_naming_a_rejected_invoice_is_not_its_correction(
    on_commit, supplier, seller, commune, manager
):
    rejected = rejected_invoice(supplier, commune, manager)

    credit_note = deposit(
        on_commit,
        supplier=supplier,
        user=seller.user,
        commune=commune,
        number="AV-2026-00001",
        syntax=FlowSyntax.CII,
        channel=DepositChannel.API,
        type_code=c.TYPE_CREDIT_NOTE,
        preceding_invoices=preceding(rejected),
    )

    assert credit_note.type_code == c.TYPE_CREDIT_NOTE
    assert credit_note.replaces is None
    assert not rejected.corrections.exists()


def test_only_a_rejected_invoice_of_the_supplier_not_corrected_yet_is_linked(
    on_commit, supplier, seller, commune, manager
):
    rejected = rejected_invoice(supplier, commune, manager)
    other = StructureFactory(legal_name="Plomberie Martin")
    other.vat_number = french_vat_number(other.identifier[:9])
    other.save()
    theirs = rejected_invoice(other, commune, manager, number="FA-AUTRE-1")
    common = {"user": seller.user, "commune": commune, "syntax": FlowSyntax.UBL}
    common["channel"] = DepositChannel.API

    first = deposit(
        on_commit, supplier=supplier, number="FA-2026-00050", **common,
        preceding_invoices=preceding(rejected),
    )  # fmt: skip
    second = deposit(
        on_commit, supplier=supplier, number="FA-2026-00051", **common,
        preceding_invoices=preceding(rejected),
    )  # fmt: skip
    not_theirs = deposit(
        on_commit, supplier=supplier, number="FA-2026-00052", **common,
        preceding_invoices=preceding(theirs),
    )  # fmt: skip
    not_rejected = deposit(
        on_commit, supplier=supplier, number="FA-2026-00053", **common,
        preceding_invoices=preceding(first),
    )  # fmt: skip

    assert first.replaces == rejected
    assert second.replaces is None  # corrected once already
    assert not_theirs.replaces is None and not theirs.corrections.exists()
    assert not_rejected.replaces is None


def test_the_statistics_count_a_correction_deposited_by_api(
    on_commit, supplier, seller, commune, manager
):
    rejected = rejected_invoice(supplier, commune, manager)
    rejected_at = rejected.history.get(target=InvoiceStatus.REJETEE).at
    rejected.history.filter(target=InvoiceStatus.REJETEE).update(
        at=rejected_at - datetime.timedelta(days=4)
    )

    deposit(
        on_commit,
        supplier=supplier,
        user=seller.user,
        commune=commune,
        number="FA-2026-00060",
        syntax=FlowSyntax.UBL,
        channel=DepositChannel.API,
        preceding_invoices=preceding(rejected),
    )

    delays = {row.key: row for row in st.correction_delays(Invoice.objects.all())}
    assert delays["rejected"].count == 1
    assert delays["rejected"].average_days == 4.0
