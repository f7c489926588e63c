"""CSV exports: a search's invoices (streamed, the accountant's columns, French-friendly,
formula-safe, only the columns read) and an invoice's history."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chorus.workflow import Actor
from invoices.enums import InvoiceStatus as S
from invoices.services import invoice_certify, invoice_mandate, invoice_suspend
from tests.backoffice.conftest import available, logged_in
from tests.chorus.factories import StructureFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("reception:invoice_export")


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_export_has_the_accountants_columns_in_french_form(client, agent, works, supplier):
    invoice = available(supplier=supplier, service=works, number="FA-2025-0107")
    actor = Actor.member(agent)
    invoice_certify(invoice=invoice, actor=actor)
    invoice_mandate(invoice=invoice, actor=actor, mandate_number="M-2025-000042")

    rows = read_csv(logged_in(client, agent).get(EXPORT))

    header, row = rows
    assert header == [
        "Numéro de facture",
        "Date d'émission",
        "Date de dépôt",
        "Fournisseur",
        "SIRET du fournisseur",
        "Code service",
        "Engagement juridique",
        "Montant HT",
        "Montant TVA",
        "Montant TTC",
        "Devise",
        "Statut",
        "Date du statut",
        "Date d'échéance",
        "Numéro de mandat",
        "Canal de dépôt",
    ]
    values = dict(zip(header, row, strict=True))
    invoice.refresh_from_db()
    assert values["Numéro de facture"] == "FA-2025-0107"
    assert values["Date d'émission"] == invoice.issue_date.strftime("%d/%m/%Y")
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", values["Date de dépôt"])
    assert values["Fournisseur"] == "Menuiserie Durand"
    assert values["SIRET du fournisseur"] == supplier.identifier
    assert values["Code service"] == "TRAVAUX"
    assert values["Engagement juridique"] == invoice.order_reference
    ht, ttc = invoice.total_without_vat, invoice.total_with_vat
    assert values["Montant HT"] == f"{ht:.2f}".replace(".", ",")
    assert values["Montant TVA"] == f"{ttc - ht:.2f}".replace(".", ",")
    assert values["Montant TTC"] == f"{ttc:.2f}".replace(".", ",")
    assert values["Devise"] == "EUR"
    assert values["Statut"] == "Mandatée"
    due = invoice.canonical.due_date
    assert values["Date d'échéance"] == (due.strftime("%d/%m/%Y") if due else "")
    assert values["Numéro de mandat"] == "M-2025-000042"


def test_a_supplier_name_starting_with_equals_is_not_a_formula(client, agent, works):
    hostile = StructureFactory(legal_name='=HYPERLINK("http://evil.example","Cliquez")')
    available(supplier=hostile, service=works, number="-2+3")

    header, row = read_csv(logged_in(client, agent).get(EXPORT))

    values = dict(zip(header, row, strict=True))
    assert values["Fournisseur"] == '\'=HYPERLINK("http://evil.example","Cliquez")'
    assert values["Numéro de facture"] == "'-2+3"


def test_the_export_is_the_search_and_only_what_the_agent_may_see(
    client, agent, works, school, supplier
):
    wanted = available(supplier=supplier, service=works)
    suspended = available(supplier=supplier, service=works)
    invoice_suspend(invoice=suspended, actor=Actor.member(agent), motive="JUSTIF_ABS")
    available(supplier=supplier, service=school)
    available(supplier=supplier)

    client = logged_in(client, agent)
    everything = read_csv(client.get(EXPORT))[1:]
    searched = read_csv(client.get(EXPORT, {"status": S.MISE_A_DISPOSITION}))[1:]

    assert sorted(row[0] for row in everything) == sorted([wanted.number, suspended.number])
    assert [row[0] for row in searched] == [wanted.number]


def test_the_export_never_reads_the_stored_document(client, agent, works, supplier):
    for _ in range(3):
        available(supplier=supplier, service=works)
    client = logged_in(client, agent)

    with CaptureQueriesContext(connection) as queries:
        rows = read_csv(client.get(EXPORT))

    assert len(rows) == 4
    export_sql = [q["sql"] for q in queries.captured_queries if "invoices_invoice" in q["sql"]]
    assert export_sql
    for sql in export_sql:
        # The due date is extracted inside the database (SQLite's JSON functions, PostgreSQL's
        # ->): the document column itself is never selected.
        selected = sql.split(" FROM ")[0]
        assert not re.findall(r'"invoices_invoice"\."document"(?!,\s*\'\$| *->)', selected)


def test_the_history_export_has_one_row_per_move(client, agent, works, supplier):
    invoice = available(supplier=supplier, service=works)
    invoice_suspend(
        invoice=invoice,
        actor=Actor.member(agent),
        motive="JUSTIF_ABS",
        comment="=Joignez le devis",
    )

    rows = read_csv(
        logged_in(client, agent).get(reverse("reception:invoice_history_export", args=[invoice.pk]))
    )

    header, *moves = rows
    assert header[:4] == ["Date", "Statut précédent", "Nouveau statut", "Action"]
    assert [move[2] for move in moves] == ["Déposée", "Mise à disposition", "Suspendue"]
    last = dict(zip(header, moves[-1], strict=True))
    assert last["Auteur"] == str(agent.user)
    assert last["Code motif"] == "JUSTIF_ABS"
    assert last["Motif"] == "Justificatif absent ou insuffisant"
    assert last["Commentaire"] == "'=Joignez le devis"
    assert last["Canal"] == "Portail"


def test_exports_refuse_suppliers_and_other_services(
    client, agent, seller, works, school, supplier
):
    other = available(supplier=supplier, service=school)
    history = reverse("reception:invoice_history_export", args=[other.pk])

    assert logged_in(client, agent).get(history).status_code == 404
    assert logged_in(client, seller).get(history).status_code == 403
    assert logged_in(client, seller).get(EXPORT).status_code == 403
