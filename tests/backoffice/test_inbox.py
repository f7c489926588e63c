"""The agents' inbox at volume (issue 8): keyset pages, counts kept with each move, list pages
that read only their columns, tabs, filters and sorts, the saved default view, and the
invoice page's previous / next within the search."""

import datetime
import io
import itertools
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chorus.enums import Role
from chorus.pagination import keyset_page
from chorus.workflow import Actor
from invoices.channels.backoffice.search import received_search
from invoices.counts import invoice_counts_for, invoice_counts_rebuild
from invoices.enums import InvoiceStatus
from invoices.models import InboxView, Invoice, InvoiceCount, ReceivedFile
from invoices.services import (
    invoice_certify,
    invoice_recycle,
    invoice_send_back,
    invoice_suspend,
)
from tests.backoffice.conftest import available, logged_in
from tests.chorus.factories import (
    MembershipFactory,
    StructureFactory,
)
from tests.invoices.factories import french_invoice

pytestmark = pytest.mark.django_db

NUMBERS = itertools.count(1)
S = InvoiceStatus


@pytest.fixture
def manager(commune):
    """A secondary manager (the shared `manager` is a principal one)."""
    return MembershipFactory(structure=commune, role=Role.GESTIONNAIRE_SECONDAIRE)


def listed(*, supplier, service, deposited, amount="100.00", **fields):
    """An invoice row written directly, deposited at `deposited` (its counts are not kept)."""
    number = f"L-{next(NUMBERS):05d}"
    received = ReceivedFile.objects.create(
        file=f"invoices/received/{number}.xml",
        filename=f"{number}.xml",
        content_type="application/xml",
        size=1,
        sha256="0" * 64,
    )
    invoice = Invoice.objects.create(
        supplier=supplier,
        recipient=service.structure,
        service=service,
        number=number,
        type_code="380",
        issue_date=deposited.date(),
        issue_year=deposited.year,
        currency="EUR",
        seller_identifier=supplier.identifier,
        total_with_vat=Decimal(amount),
        supplier_name=supplier.legal_name,
        due_date=deposited.date() + datetime.timedelta(days=30),
        syntax="ubl",
        document=french_invoice(number=number).to_dict(),
        received_file=received,
        status=fields.pop("status", S.MISE_A_DISPOSITION),
        **fields,
    )
    Invoice.objects.filter(pk=invoice.pk).update(created_at=deposited)
    return invoice


INBOX = "/reception/factures/"


def follow_pages(client, params, direction="apres"):
    """Every page of the inbox, following the "next" cursors; returns the ids page by page."""
    pages, cursor = [], None
    while True:
        response = client.get(INBOX, {**params, **({"apres": cursor} if cursor else {})})
        assert response.status_code == 200
        page = response.context["page_obj"]
        pages.append([invoice.pk for invoice in page])
        if not page.has_next:
            return pages
        cursor = page.next_cursor


# Keyset pagination


def test_following_next_lists_every_invoice_once_while_invoices_arrive(
    client, manager, works, supplier
):
    start = timezone.now() - datetime.timedelta(days=60)
    before = [
        listed(supplier=supplier, service=works, deposited=start + datetime.timedelta(hours=i))
        for i in range(45)
    ]
    client = logged_in(client, manager)
    seen, cursor = [], None
    for turn in range(10):  # noqa: B007 (checked after the loop)
        params = {"tab": "", **({"apres": cursor} if cursor else {})}
        page = client.get(INBOX, params).context["page_obj"]
        seen += [invoice.pk for invoice in page]
        # Invoices keep arriving between two pages, newer than any shown.
        listed(supplier=supplier, service=works, deposited=timezone.now())
        if not page.has_next:
            break
        cursor = page.next_cursor

    assert turn == 2  # 45 invoices, 20 a page
    old = [pk for pk in seen if pk in {i.pk for i in before}]
    assert sorted(old) == sorted(i.pk for i in before) and len(old) == len(set(old))
    assert old == [i.pk for i in reversed(before)]  # newest deposit first


def test_previous_pages_give_back_the_same_pages(client, manager, works, supplier):
    start = timezone.now() - datetime.timedelta(days=10)
    for i in range(41):
        # Equal amounts in pairs: the id settles the order among equal keys.
        listed(
            supplier=supplier,
            service=works,
            deposited=start + datetime.timedelta(minutes=i),
            amount=f"{100 + i // 2}.00",
        )
    client = logged_in(client, manager)
    forward = follow_pages(client, {"sort": "montant"})
    assert [len(page) for page in forward] == [20, 20, 1]

    last = client.get(
        INBOX,
        {
            "sort": "montant",
            "apres": client.get(INBOX, {"sort": "montant"}).context["page_obj"].next_cursor,
        },
    ).context["page_obj"]
    back = client.get(INBOX, {"sort": "montant", "avant": last.previous_cursor}).context["page_obj"]

    assert [i.pk for i in back] == forward[0]
    assert not back.has_previous and back.has_next
    amounts = [i.total_with_vat for page in forward for i in Invoice.objects.filter(pk__in=page)]
    assert sorted(amounts) == [Decimal(f"{100 + i // 2}.00") for i in range(41)]
    ids = [pk for page in forward for pk in page]
    assert len(ids) == len(set(ids)) == 41


def test_a_keyset_page_never_offsets_nor_counts_the_result(manager, works, supplier):
    for i in range(5):
        listed(
            supplier=supplier,
            service=works,
            deposited=timezone.now() - datetime.timedelta(hours=i),
        )
    _form, invoices = received_search(manager, {})
    first = keyset_page(invoices, key="created_at", per_page=2)
    with CaptureQueriesContext(connection) as captured:
        second = keyset_page(invoices, key="created_at", per_page=2, after_cursor=first.next_cursor)

    sql = " ".join(q["sql"] for q in captured).upper()
    assert len(captured) == 1 and "OFFSET" not in sql and "COUNT(" not in sql
    assert len(second) == 2 and second.has_next and second.has_previous


def test_a_cursor_edited_by_hand_starts_the_list_over(client, manager, works, supplier):
    listed(supplier=supplier, service=works, deposited=timezone.now())

    response = logged_in(client, manager).get(INBOX, {"tab": "", "apres": "pas-un-curseur"})

    assert response.status_code == 200 and len(response.context["page_obj"]) == 1


# Counts kept with each move


def actual_counts(recipient) -> dict:
    rows = {}
    for invoice in Invoice.objects.filter(recipient=recipient):
        key = (invoice.service_id or 0, invoice.status)
        rows[key] = rows.get(key, 0) + 1
    return rows


def kept_counts(recipient) -> dict:
    return {
        (row.service_key, row.status): row.count
        for row in InvoiceCount.objects.filter(recipient=recipient)
        if row.count
    }


def test_counts_follow_deposits_moves_and_rerouting(agent, works, school, supplier):
    commune = works.structure
    invoices = [available(supplier=supplier, service=works) for _ in range(4)]
    other = available(supplier=supplier, service=school)
    unassigned = available(supplier=supplier, recipient=commune)
    assert kept_counts(commune) == actual_counts(commune)

    invoice_suspend(invoice=invoices[0], actor=Actor.member(agent), motive="JUSTIF_ABS")
    invoice_certify(invoice=invoices[1], actor=Actor.member(agent))
    invoice_send_back(
        invoice=invoices[2], actor=Actor.member(agent), motive="CODE_ROUTAGE_ERR", comment="Service"
    )
    assert kept_counts(commune) == actual_counts(commune)

    # The supplier sends it to the schools service instead: counted there now.
    supplier_member = MembershipFactory(structure=supplier)
    invoice_recycle(
        invoice=invoices[2],
        actor=Actor.member(supplier_member),
        recipient=commune,
        service=school,
        order_reference="",
    )
    assert kept_counts(commune) == actual_counts(commune)

    assert invoice_counts_for(agent) == {S.MISE_A_DISPOSITION: 2, S.SUSPENDUE: 1, S.SERVICE_FAIT: 1}
    manager = MembershipFactory(structure=commune, role=Role.GESTIONNAIRE_PRINCIPAL)
    assert invoice_counts_for(manager)[S.MISE_A_DISPOSITION] == 4
    assert invoice_counts_for(manager, service_ids=[school.pk]) == {S.MISE_A_DISPOSITION: 2}
    assert other.service == school and unassigned.service is None

    InvoiceCount.objects.update(count=999)
    invoice_counts_rebuild()
    assert kept_counts(commune) == actual_counts(commune)


def test_the_rebuild_command_counts_again(works, supplier):
    available(supplier=supplier, service=works)
    InvoiceCount.objects.all().delete()

    call_command("invoice_counts_rebuild", stdout=io.StringIO())

    assert kept_counts(works.structure) == {(works.pk, S.MISE_A_DISPOSITION): 1}


def test_the_tabs_show_the_kept_counts_of_the_agents_services(
    client, agent, works, school, supplier
):
    available(supplier=supplier, service=works)
    suspended = available(supplier=supplier, service=works)
    invoice_suspend(invoice=suspended, actor=Actor.member(agent), motive="JUSTIF_ABS")
    available(supplier=supplier, service=school)  # not theirs

    response = logged_in(client, agent).get(INBOX, {"tab": "a_traiter"})

    tabs = {(t.tab.slug if t.tab else ""): t.count for t in response.context["tabs"]}
    assert tabs[""] == 2 and tabs["a_traiter"] == 1 and tabs["suspendues"] == 1
    assert response.context["total"].count == 1
    assert [i.pk for i in response.context["page_obj"]] != [suspended.pk]
    html = response.content.decode()
    assert "À traiter" in html and 'aria-current="page"' in html


# The list reads only its columns


def test_the_list_pages_never_read_the_document_nor_the_file(client, manager, works, supplier):
    available(supplier=supplier, service=works)
    client = logged_in(client, manager)

    for params in ({"tab": ""}, {"supplier": "Menuiserie", "sort": "fournisseur"}):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(INBOX, params)
        assert response.status_code == 200 and len(response.context["page_obj"]) == 1
        invoice_queries = [q["sql"] for q in captured if '"invoices_invoice"' in q["sql"]]
        assert invoice_queries
        for sql in invoice_queries:
            assert '"invoices_invoice"."document"' not in sql
            assert "invoices_receivedfile" not in sql


# Filters, sorts and permissions


def test_the_filters_narrow_the_list(client, manager, works, school, supplier):
    now = timezone.now()
    other_supplier = StructureFactory(legal_name="Plomberie Martin")
    big = listed(
        supplier=supplier,
        service=works,
        deposited=now - datetime.timedelta(days=40),
        amount="5000.00",
        order_reference="EJ-77",
        channel="EDI",
        has_attachments=True,
    )
    small = listed(
        supplier=other_supplier, service=school, deposited=now, amount="20.00", channel="API"
    )
    client = logged_in(client, manager)

    def found(**params):
        return [i.pk for i in client.get(INBOX, params).context["page_obj"]]

    assert found(amount_min="1000") == [big.pk]
    assert found(amount_max="100") == [small.pk]
    assert found(ej="EJ-77") == [big.pk]
    assert found(channel="API") == [small.pk]
    assert found(attachments="oui") == [big.pk]
    assert found(attachments="non") == [small.pk]
    assert found(service=school.pk) == [small.pk]
    assert found(supplier="Plomberie") == [small.pk]
    assert found(deposited_to=(now - datetime.timedelta(days=1)).date().isoformat()) == [big.pk]
    assert found(sort="montant") == [small.pk, big.pk]
    assert found(sort="-montant") == [big.pk, small.pk]
    assert found(sort="fournisseur") == [big.pk, small.pk]  # Menuiserie, Plomberie
    assert found(sort="depot") == [big.pk, small.pk]
    total = client.get(INBOX, {"amount_min": "1000"}).context["total"]
    assert (total.count, total.at_least) == (1, False)


def test_a_service_the_agent_does_not_act_for_is_an_error_on_the_field(
    client, agent, school, supplier
):
    response = logged_in(client, agent).get(INBOX, {"service": school.pk})

    assert response.status_code == 200
    assert "service" in response.context["search"].errors


def test_a_supplier_gets_403_on_the_inbox_and_the_invoice_page(client, works, supplier):
    invoice = available(supplier=supplier, service=works)
    client = logged_in(client, MembershipFactory(structure=supplier))

    assert client.get(INBOX).status_code == 403
    assert client.get(reverse("reception:invoice_detail", args=[invoice.pk])).status_code == 403
    assert client.post(reverse("reception:inbox_view_save"), {"query": "tab="}).status_code == 403


def test_an_agent_never_reaches_another_services_invoice_through_previous_next(
    client, agent, works, school, supplier
):
    start = timezone.now() - datetime.timedelta(days=3)
    mine = [
        listed(supplier=supplier, service=works, deposited=start + datetime.timedelta(hours=2 * i))
        for i in range(2)
    ]
    listed(supplier=supplier, service=school, deposited=start + datetime.timedelta(hours=1))

    page = logged_in(client, agent).get(
        reverse("reception:invoice_detail", args=[mine[1].pk]), {"tab": ""}
    )

    neighbours = page.context["neighbours"]
    assert neighbours["next"].startswith(reverse("reception:invoice_detail", args=[mine[0].pk]))
    assert "previous" not in neighbours


# Previous / next and the saved view


def test_the_invoice_page_moves_to_the_previous_and_next_of_the_search(
    client, manager, works, supplier
):
    invoices = [available(supplier=supplier, service=works) for _ in range(3)]
    client = logged_in(client, manager)

    page = client.get(
        reverse("reception:invoice_detail", args=[invoices[1].pk]), {"tab": "a_traiter"}
    )

    neighbours = page.context["neighbours"]
    query = "?tab=a_traiter"
    assert (
        neighbours["previous"] == reverse("reception:invoice_detail", args=[invoices[2].pk]) + query
    )
    assert neighbours["next"] == reverse("reception:invoice_detail", args=[invoices[0].pk]) + query
    html = page.content.decode()
    assert "Facture suivante" in html and "Facture précédente" in html
    # After a move the page keeps the search: its next invoice is one click away.
    moved = client.post(
        reverse("reception:invoice_process", args=[invoices[1].pk, S.SERVICE_FAIT]) + query
    )
    assert moved.status_code == 302 and moved["Location"].endswith(query)
    # Without a search, no previous / next.
    assert (
        client.get(reverse("reception:invoice_detail", args=[invoices[1].pk])).context["neighbours"]
        == {}
    )


def test_the_default_view_opens_the_inbox_and_can_be_forgotten(client, agent, works, supplier):
    client = logged_in(client, agent)

    saved = client.post(
        reverse("reception:inbox_view_save"), {"query": "tab=suspendues&sort=echeance&apres=x"}
    )

    assert saved.status_code == 302
    assert InboxView.objects.get(membership=agent).query == "tab=suspendues&sort=echeance"
    opened = client.get(INBOX)
    assert (
        opened.status_code == 302 and opened["Location"] == f"{INBOX}?tab=suspendues&sort=echeance"
    )
    assert client.get(INBOX, {"tab": ""}).status_code == 200  # the other tabs stay reachable

    client.post(reverse("reception:inbox_view_save"), {"forget": "1"})
    assert not InboxView.objects.filter(membership=agent).exists()
    assert client.get(INBOX).status_code == 200


def test_a_search_with_errors_is_not_saved(client, agent):
    client = logged_in(client, agent)

    client.post(reverse("reception:inbox_view_save"), {"query": "amount_min=abc"})

    assert not InboxView.objects.filter(membership=agent).exists()


# The volume tools


def test_seed_volume_adds_real_invoices_with_their_history_and_counts(client):
    call_command("seed_volume", invoices=60, seed=3, stdout=io.StringIO())
    call_command("seed_volume", invoices=10, seed=4, stdout=io.StringIO())

    from invoices.benchmarks.volume import LARGE_SIRET, MANAGER_EMAIL

    assert Invoice.objects.count() == 70  # additive
    invoice = Invoice.objects.filter(recipient__identifier=LARGE_SIRET).first()
    assert invoice.history.count() >= 1 and invoice.history.last().target == invoice.status
    assert invoice.canonical.number == invoice.number
    large = invoice.recipient
    assert kept_counts(large) == actual_counts(large)
    manager = large.memberships.get(user__email=MANAGER_EMAIL)
    client.force_login(manager.user)
    assert client.get(reverse("reception:invoice_detail", args=[invoice.pk])).status_code == 200
    assert client.get(INBOX, {"tab": ""}).status_code == 200


def test_the_invoice_page_shows_the_readable_invoice_beside_its_data(
    client, manager, works, supplier
):
    invoice = available(supplier=supplier, service=works)
    client = logged_in(client, manager)

    page = client.get(reverse("reception:invoice_detail", args=[invoice.pk])).content.decode()
    document = client.get(reverse("reception:invoice_document", args=[invoice.pk]))

    assert f'src="{reverse("reception:invoice_document", args=[invoice.pk])}"' in page
    assert "<iframe" in page and 'title="Facture' in page
    # Framed by the platform's own page, by no other site.
    assert document["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in document["Content-Security-Policy"]


def test_the_suppliers_lists_read_by_keyset_and_never_the_document(client, works, supplier):
    start = timezone.now() - datetime.timedelta(days=5)
    invoices = [
        listed(supplier=supplier, service=works, deposited=start + datetime.timedelta(hours=i))
        for i in range(23)
    ]
    client = logged_in(client, MembershipFactory(structure=supplier))
    url = reverse("invoices:invoice_list")

    with CaptureQueriesContext(connection) as captured:
        first = client.get(url)
    page = first.context["page_obj"]
    second = client.get(url, {"apres": page.next_cursor}).context["page_obj"]

    assert [i.pk for i in page] + [i.pk for i in second] == [i.pk for i in reversed(invoices)]
    assert first.context["total"] == (23, False)
    for sql in (q["sql"] for q in captured if '"invoices_invoice"' in q["sql"]):
        assert '"invoices_invoice"."document"' not in sql and " OFFSET " not in sql.upper()


def test_the_inbox_reads_in_english(client, manager, works, supplier):
    invoice = available(supplier=supplier, service=works)
    client = logged_in(client, manager)
    client.cookies["django_language"] = "en"

    inbox = client.get(INBOX, {"tab": "a_traiter"}).content.decode()
    page = client.get(reverse("reception:invoice_detail", args=[invoice.pk]), {"tab": ""})

    assert "To process&nbsp;(1)" in inbox and "Save as default view" in inbox
    assert "Deposit, newest first" in inbox and "Due date" in inbox
    assert "Back to the search" in page.content.decode()


def test_the_inbox_costs_the_same_queries_for_a_few_invoices_or_a_full_page(
    client, manager, works, supplier
):
    client = logged_in(client, manager)
    start = timezone.now() - datetime.timedelta(days=2)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(INBOX, {"tab": ""}).status_code == 200
        return len(captured)

    listed(supplier=supplier, service=works, deposited=start)
    few = queries()
    for i in range(30):
        listed(supplier=supplier, service=works, deposited=start + datetime.timedelta(hours=i))

    assert queries() == few


def test_sorting_a_suppliers_search_by_supplier_pages_and_moves_through_it(
    client, manager, works, supplier
):
    other = StructureFactory(legal_name="Menuiserie Dubois")
    start = timezone.now() - datetime.timedelta(days=3)
    rows = [
        listed(
            supplier=supplier if i % 2 else other,
            service=works,
            deposited=start + datetime.timedelta(minutes=i),
        )
        for i in range(25)
    ]
    client = logged_in(client, manager)
    params = {"supplier": "Menuiserie", "sort": "fournisseur"}

    pages = follow_pages(client, params)
    expected = sorted(rows, key=lambda r: (r.supplier_name, r.pk))
    assert [pk for page in pages for pk in page] == [r.pk for r in expected]

    detail = client.get(reverse("reception:invoice_detail", args=[expected[1].pk]), params)
    neighbours = detail.context["neighbours"]
    assert neighbours["previous"].startswith(
        reverse("reception:invoice_detail", args=[expected[0].pk]) + "?"
    )
    assert neighbours["next"].startswith(
        reverse("reception:invoice_detail", args=[expected[2].pk]) + "?"
    )
    by_siret = follow_pages(client, {"supplier": supplier.identifier, "sort": "-fournisseur"})
    assert sorted(pk for page in by_siret for pk in page) == sorted(
        r.pk for r in rows if r.supplier_id == supplier.pk
    )
