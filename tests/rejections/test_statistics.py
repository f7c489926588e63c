"""Rejection statistics: the figures (rates by motive, recipient, supplier, channel, month;
refusals by rule; answer delays), the pages that show them to whom (a supplier its own, a
public structure what it received, administrators everything), and their CSV exports."""

import csv
import datetime
import io
import itertools

import pytest
from django.utils import timezone, translation

from chorus.enums import Role
from chorus.spreadsheets import spreadsheet_cell
from chorus.workflow import Actor
from invoices.enums import DepositChannel, FlowItemStatus, InvoiceStatus
from invoices.ingestion.receive import flow_receive
from invoices.models import FlowItem, Invoice, InvoiceStatusChange
from invoices.services import (
    invoice_complete,
    invoice_recycle,
    invoice_reject,
    invoice_rejection_acknowledge,
    invoice_route,
    invoice_send_back,
    invoice_suspend,
)
from rejections import statistics as st
from rejections.views import statistics_tables
from tests.chorus.factories import (
    MembershipFactory,
    PublicStructureFactory,
    ServiceFactory,
    StructureFactory,
    UserFactory,
)
from tests.invoices.factories import french_invoice, stored_invoice

pytestmark = pytest.mark.django_db

NUMBERS = itertools.count(1)
STRUCTURE_URL = "/statistiques/"
PLATFORM_URL = "/statistiques/plateforme/"


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


def refused_item(actor, findings):
    flow = flow_receive(
        data=f"<Invoice>{next(NUMBERS)}</Invoice>".encode(),
        filename="refusee.xml",
        channel=DepositChannel.PORTAIL,
        structure=actor.structure,
        user=actor.user,
    ).flow
    return FlowItem.objects.create(
        flow=flow,
        position=1,
        name="refusee.xml",
        received_file=flow.received_file,
        status=FlowItemStatus.REFUSEE,
        findings=[{"rule": rule, "severity": severity} for rule, severity in findings],
    )


@pytest.fixture
def world():
    """Two suppliers, two communes: Durand's invoices to Valmont (one rejected then
    corrected, one suspended then completed, one paid on), Martin's to Brenne (one sent back
    then recycled, one untouched)."""
    durand = StructureFactory(legal_name="Menuiserie Durand")
    martin = StructureFactory(legal_name="Plomberie Martin")
    valmont = PublicStructureFactory(legal_name="Commune de Valmont")
    brenne = PublicStructureFactory(legal_name="Commune de Brenne")
    valmont_agent = Actor.member(
        MembershipFactory(structure=valmont, role=Role.GESTIONNAIRE_PRINCIPAL)
    )
    brenne_agent = Actor.member(
        MembershipFactory(structure=brenne, role=Role.GESTIONNAIRE_PRINCIPAL)
    )
    durand_actor = Actor.member(MembershipFactory(structure=durand))
    martin_actor = Actor.member(MembershipFactory(structure=martin))

    rejected = available(durand, valmont)
    invoice_reject(invoice=rejected, actor=valmont_agent, motive="MONTANTTOTAL_ERR", comment="x")
    invoice_rejection_acknowledge(invoice=rejected, actor=durand_actor)  # not a new rejection
    correction = available(durand, valmont)
    correction.replaces = rejected
    correction.save(update_fields=["replaces"])
    suspended = available(durand, valmont)
    invoice_suspend(invoice=suspended, actor=valmont_agent, motive="JUSTIF_ABS")
    invoice_complete(invoice=suspended, actor=durand_actor, comment="Le devis est joint.")
    sent_back = available(martin, brenne)
    invoice_send_back(invoice=sent_back, actor=brenne_agent, motive="SIRET_ERR")
    invoice_recycle(
        invoice=sent_back,
        actor=martin_actor,
        recipient=brenne,
        service=None,
        order_reference="",
    )
    available(martin, brenne)

    # Answer delays set by hand: 3 days to correct, 1 day to complete, 2 days to recycle.
    now = timezone.now()
    for invoice, target, days in (
        (rejected, InvoiceStatus.REJETEE, 3),
        (suspended, InvoiceStatus.SUSPENDUE, 1),
        (sent_back, InvoiceStatus.A_RECYCLER, 2),
    ):
        InvoiceStatusChange.objects.filter(invoice=invoice, target=target).update(
            at=now - datetime.timedelta(days=days)
        )
    InvoiceStatusChange.objects.filter(invoice=suspended, target=InvoiceStatus.COMPLETEE).update(
        at=now
    )
    InvoiceStatusChange.objects.filter(
        invoice=sent_back, target=InvoiceStatus.DEPOSEE, action="recycle"
    ).update(at=now)
    Invoice.objects.filter(pk=correction.pk).update(created_at=now)

    refused_item(durand_actor, [("BR-01", "fatal"), ("BR-FR-12", "fatal"), ("BR-CO-15", "warning")])
    refused_item(durand_actor, [("BR-01", "fatal")])
    refused_item(martin_actor, [("BR-FR-12", "fatal")])
    return {
        "durand": durand,
        "martin": martin,
        "valmont": valmont,
        "brenne": brenne,
    }


def by_label(rows):
    return {row.label: (row.total, row.rejected, row.suspended, row.sent_back) for row in rows}


def test_rates_by_recipient_supplier_and_month(world):
    invoices = Invoice.objects.all()

    assert by_label(st.rates_by(invoices, "recipient")) == {
        "Commune de Valmont": (3, 1, 1, 0),
        "Commune de Brenne": (2, 0, 0, 1),
    }
    assert by_label(st.rates_by(invoices, "supplier")) == {
        "Menuiserie Durand": (3, 1, 1, 0),
        "Plomberie Martin": (2, 0, 0, 1),
    }
    month = timezone.localdate().strftime("%m/%Y")
    by_month = st.rates_by_month(invoices)
    assert by_label(by_month) == {month: (5, 1, 1, 1)}
    total = st.rates_total(by_month)
    assert (total.total, total.rates["rejected"]) == (5, 20.0)


def test_rates_by_motive_count_each_send_back_once(world):
    invoices = Invoice.objects.all()

    rows = {
        row.key: (row.rejected, row.suspended, row.sent_back)
        for row in st.rates_by_motive(invoices, total=invoices.count())
    }

    assert rows == {"MONTANTTOTAL_ERR": (1, 0, 0), "JUSTIF_ABS": (0, 1, 0), "SIRET_ERR": (0, 0, 1)}


def test_refusals_by_rule_count_refused_invoices_per_fatal_rule(world):
    everything = st.refusals_by_rule(FlowItem.objects.all())
    durand = st.refusals_by_rule(FlowItem.objects.filter(flow__structure=world["durand"]))

    assert [(row.rule, row.items) for row in everything] == [("BR-01", 2), ("BR-FR-12", 2)]
    assert [(row.rule, row.items) for row in durand] == [("BR-01", 2), ("BR-FR-12", 1)]


def test_answer_delays_use_the_history_and_the_correction_link(world):
    invoices = Invoice.objects.all()

    delays = {row.key: (row.count, row.average_days) for row in st.correction_delays(invoices)}

    assert delays == {"suspended": (1, 1.0), "sent_back": (1, 2.0), "rejected": (1, 3.0)}


def test_the_dashboard_costs_the_same_queries_however_many_invoices(
    world, django_assert_max_num_queries
):
    def count():
        with django_assert_max_num_queries(1000) as captured:
            statistics_tables(
                invoices=Invoice.objects.all(),
                items=FlowItem.objects.all(),
                dimensions=["recipient", "supplier", "channel"],
            )
        return len(captured)

    before = count()
    agent = Actor.member(
        MembershipFactory(structure=world["brenne"], role=Role.GESTIONNAIRE_PRINCIPAL)
    )
    for motive in ("DOUBLON", "CALCUL_ERR", "TX_TVA_ERR"):
        invoice_reject(
            invoice=available(world["durand"], world["brenne"]), actor=agent, motive=motive
        )
    assert count() == before


# Pages ---------------------------------------------------------------------------------------


def member_client(client, structure, role=Role.GESTIONNAIRE_PRINCIPAL):
    client.force_login(MembershipFactory(structure=structure, role=role).user)
    return client


def test_a_supplier_sees_only_its_own_invoices(client, world):
    html = member_client(client, world["durand"]).get(STRUCTURE_URL).content.decode()

    assert "factures émises par Menuiserie Durand" in html
    assert "Commune de Valmont" in html and "BR-01" in html
    assert "Commune de Brenne" not in html and "Plomberie Martin" not in html
    assert "<svg" in html  # the charts, each followed by its table


def test_a_public_structure_sees_only_what_it_received(client, world):
    html = member_client(client, world["brenne"]).get(STRUCTURE_URL).content.decode()

    assert "factures reçues par Commune de Brenne" in html
    assert "Plomberie Martin" in html and "SIRET_ERR" in html
    assert "Menuiserie Durand" not in html and "MONTANTTOTAL_ERR" not in html
    assert "BR-01" not in html  # refused deposits are the suppliers' own


def test_the_platform_page_is_for_administrators(client, world):
    assert client.get(PLATFORM_URL).status_code == 302  # to the sign-in page
    member_client(client, world["valmont"])
    assert client.get(PLATFORM_URL).status_code == 403
    client.force_login(UserFactory(is_staff=True))

    html = client.get(PLATFORM_URL).content.decode()

    assert "toute la plateforme" in html
    assert "Menuiserie Durand" in html and "Plomberie Martin" in html


def test_a_user_without_structure_is_refused_the_structure_page(client):
    client.force_login(UserFactory())
    assert client.get(STRUCTURE_URL).status_code == 403


def test_each_table_exports_as_csv_with_formula_cells_defused(client, world):
    world["valmont"].legal_name = '=HYPERLINK("http://x")'
    world["valmont"].save(update_fields=["legal_name"])
    member_client(client, world["durand"])

    response = client.get(STRUCTURE_URL, {"export": "destinataires"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Destinataire", "Factures déposées"]
    assert rows[1][:5] == ['\'=HYPERLINK("http://x")', "3", "1", "1", "0"]
    assert client.get(STRUCTURE_URL, {"export": "nothing"}).status_code == 404


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"])
def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(value):
    assert spreadsheet_cell(value) == f"'{value}"
    assert spreadsheet_cell("Commune") == "Commune"


def test_the_page_speaks_english(client, world):
    member_client(client, world["durand"])
    client.cookies["django_language"] = "en"
    try:
        html = client.get(STRUCTURE_URL).content.decode()
    finally:
        translation.activate("fr")

    assert "Rejection statistics" in html
    assert "Returns by motive" in html


def test_an_agent_sees_the_invoices_of_their_services_only(client):
    commune = PublicStructureFactory(legal_name="Commune de Valmont")
    works = ServiceFactory(structure=commune, code="TRAVAUX")
    schools = ServiceFactory(structure=commune, code="ECOLES")
    joiner = StructureFactory(legal_name="Menuiserie Durand")
    caterer = StructureFactory(legal_name="Cantine Martin")
    for supplier, service in ((joiner, works), (caterer, schools)):
        document = french_invoice(
            number=f"FA-2026-{next(NUMBERS):05d}",
            seller_siret=supplier.identifier,
            buyer_siret=commune.identifier,
            service_code=service.code,
        )
        invoice_route(invoice=stored_invoice(supplier=supplier, service=service, document=document))
    agent = MembershipFactory(structure=commune, role=Role.UTILISATEUR)
    agent.services.add(works)
    client.force_login(agent.user)

    html = client.get(STRUCTURE_URL).content.decode()

    assert "Menuiserie Durand" in html and "Cantine Martin" not in html


def test_the_period_is_chosen_and_a_bad_one_is_an_error_on_its_field(client, world):
    member_client(client, world["durand"])
    Invoice.objects.filter(supplier=world["durand"], status=InvoiceStatus.REJETEE).update(
        created_at=timezone.now() - datetime.timedelta(days=200)
    )

    recent = client.get(STRUCTURE_URL, {"mois": "3"})
    bad = client.get(STRUCTURE_URL, {"mois": "7"})

    assert recent.context["total"].total == 2
    assert client.get(STRUCTURE_URL, {"mois": "12"}).context["total"].total == 3
    assert "?mois=3&amp;export=mois" in recent.content.decode()
    assert bad.status_code == 400
    assert "Choisissez une période de la liste." in bad.content.decode()
