"""Bulk operations from the inbox: one move on a selection or a whole search, each invoice
through the workflow (a refused one listed with its reason, the others moved), safe to run
again after a crash, with its progress and result pages."""

from unittest import mock

import pytest
from django.urls import reverse

from chorus.enums import Channel
from chorus.models import AuditEvent
from chorus.workflow import Actor
from invoices.channels.backoffice import bulk
from invoices.channels.backoffice.models import BulkOperation, BulkStatus
from invoices.enums import InvoiceStatus as S
from invoices.models import InvoiceStatusChange
from invoices.services import invoice_suspend
from tests.backoffice.conftest import available, logged_in
from tests.chorus.factories import MembershipFactory

pytestmark = pytest.mark.django_db

URL = reverse("reception:bulk_create")


def post_bulk(client, capture, *, action, scope="selection", invoices=(), search="", **fields):
    data = {
        "bulk-action": action,
        "bulk-scope": scope,
        "bulk-search": search,
        "invoice": [str(i.pk) for i in invoices],
        **{f"bulk-{name}": value for name, value in fields.items()},
    }
    with capture(execute=True):
        return client.post(URL, data)


def statuses(*invoices):
    for invoice in invoices:
        invoice.refresh_from_db()
    return [invoice.status for invoice in invoices]


def test_certifying_a_selection_moves_the_allowed_invoices_and_lists_the_refused_one(
    client, django_capture_on_commit_callbacks, agent, works, supplier
):
    first, second, suspended = (available(supplier=supplier, service=works) for _ in range(3))
    invoice_suspend(invoice=suspended, actor=Actor.member(agent), motive="JUSTIF_ABS")

    response = post_bulk(
        logged_in(client, agent),
        django_capture_on_commit_callbacks,
        action="certify",
        invoices=[first, second, suspended],
        comment="Travaux réceptionnés.",
    )

    operation = BulkOperation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reception:bulk_operation", args=[operation.pk])
    assert (operation.status, operation.total, operation.done) == (BulkStatus.TERMINEE, 3, 2)
    assert statuses(first, second, suspended) == [S.SERVICE_FAIT, S.SERVICE_FAIT, S.SUSPENDUE]
    refusal = operation.refusals.get()
    assert (refusal.invoice_id, refusal.code) == (suspended.pk, "wrong_status")
    assert "Suspendue" in refusal.reason
    change = InvoiceStatusChange.objects.get(invoice=first, target=S.SERVICE_FAIT)
    assert (change.actor, change.channel, change.comment) == (
        agent.user,
        Channel.PORTAIL,
        "Travaux réceptionnés.",
    )
    assert AuditEvent.objects.filter(action="bulk_operation_create", actor=agent.user).exists()

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "2 factures traitées" in page.content.decode()
    assert suspended.number in page.content.decode()


def test_a_selection_holds_only_the_invoices_the_agent_may_see(
    client, django_capture_on_commit_callbacks, agent, works, school, supplier
):
    own = available(supplier=supplier, service=works)
    other_service = available(supplier=supplier, service=school)
    other_structure = available(supplier=supplier)

    post_bulk(
        logged_in(client, agent),
        django_capture_on_commit_callbacks,
        action="certify",
        invoices=[own, other_service, other_structure],
    )

    operation = BulkOperation.objects.get()
    assert (operation.total, operation.done, operation.invoice_ids) == (1, 1, [own.pk])
    assert statuses(own, other_service, other_structure) == [
        S.SERVICE_FAIT,
        S.MISE_A_DISPOSITION,
        S.MISE_A_DISPOSITION,
    ]


def test_a_bulk_suspension_on_the_whole_search_gives_each_invoice_the_one_motive(
    client, django_capture_on_commit_callbacks, agent, works, supplier
):
    from tests.chorus.factories import StructureFactory

    wanted = [available(supplier=supplier, service=works) for _ in range(3)]
    other = available(supplier=StructureFactory(legal_name="Plomberie Martin"), service=works)

    post_bulk(
        logged_in(client, agent),
        django_capture_on_commit_callbacks,
        action="suspend",
        scope="search",
        search="supplier=Menuiserie&status=MISE_A_DISPOSITION&page=2",
        motive="JUSTIF_ABS",
        comment="Joignez le procès-verbal de réception.",
    )

    operation = BulkOperation.objects.get()
    assert operation.search == {"supplier": ["Menuiserie"], "status": ["MISE_A_DISPOSITION"]}
    assert (operation.status, operation.total, operation.done) == (BulkStatus.TERMINEE, 3, 3)
    assert statuses(*wanted, other) == [S.SUSPENDUE] * 3 + [S.MISE_A_DISPOSITION]
    changes = InvoiceStatusChange.objects.filter(target=S.SUSPENDUE)
    assert {(c.motive, c.comment) for c in changes} == {
        ("JUSTIF_ABS", "Joignez le procès-verbal de réception.")
    }


def test_the_search_is_taken_as_it_stood_at_launch(agent, works, supplier):
    before = available(supplier=supplier, service=works)
    operation = bulk.bulk_operation_create(membership=agent, action="certify", search={})
    after = available(supplier=supplier, service=works)

    bulk.bulk_operation_run(operation.pk)

    assert statuses(before, after) == [S.SERVICE_FAIT, S.MISE_A_DISPOSITION]


def test_a_run_after_a_crash_resumes_without_moving_any_invoice_twice(agent, works, supplier):
    invoices = [available(supplier=supplier, service=works) for _ in range(4)]
    operation = bulk.bulk_operation_create(
        membership=agent, action="certify", invoice_ids=[i.pk for i in invoices]
    )
    real = bulk.invoice_process
    calls = []

    def crash_on_third(**kwargs):
        calls.append(kwargs["invoice"].pk)
        if len(calls) == 3:
            raise RuntimeError("worker lost")
        return real(**kwargs)

    with (
        mock.patch.object(bulk, "invoice_process", crash_on_third),
        pytest.raises(RuntimeError),
    ):
        bulk.bulk_operation_run(operation.pk)
    operation.refresh_from_db()
    assert (operation.status, operation.done, operation.cursor) == (
        BulkStatus.EN_COURS,
        2,
        invoices[1].pk,
    )

    bulk.bulk_operation_run(operation.pk)  # the message delivered again
    bulk.bulk_operation_run(operation.pk)  # and once more: nothing left to do

    operation.refresh_from_db()
    assert (operation.status, operation.done, operation.refused_count) == (
        BulkStatus.TERMINEE,
        4,
        0,
    )
    assert statuses(*invoices) == [S.SERVICE_FAIT] * 4
    assert InvoiceStatusChange.objects.filter(target=S.SERVICE_FAIT).count() == 4


def test_an_invoice_moved_by_someone_else_meanwhile_is_refused_with_its_reason(
    agent, works, supplier
):
    invoices = [available(supplier=supplier, service=works) for _ in range(2)]
    operation = bulk.bulk_operation_create(
        membership=agent, action="certify", invoice_ids=[i.pk for i in invoices]
    )
    invoice_suspend(invoice=invoices[1], actor=Actor.member(agent), motive="JUSTIF_ABS")

    bulk.bulk_operation_run(operation.pk)

    operation.refresh_from_db()
    assert (operation.done, operation.refused_count) == (1, 1)
    assert operation.refusals.get().invoice_id == invoices[1].pk


def test_an_agent_who_lost_the_service_gets_the_invoices_refused(agent, works, supplier):
    invoice = available(supplier=supplier, service=works)
    operation = bulk.bulk_operation_create(
        membership=agent, action="certify", invoice_ids=[invoice.pk]
    )
    agent.services.clear()

    bulk.bulk_operation_run(operation.pk)

    assert operation.refusals.get().code == "not_found"
    assert statuses(invoice) == [S.MISE_A_DISPOSITION]


def test_a_motive_action_without_a_motive_or_with_one_that_does_not_fit_is_refused_on_the_field(
    client, django_capture_on_commit_callbacks, agent, works, supplier
):
    invoice = available(supplier=supplier, service=works)
    client = logged_in(client, agent)

    missing = post_bulk(
        client, django_capture_on_commit_callbacks, action="suspend", invoices=[invoice]
    )
    wrong = post_bulk(
        client,
        django_capture_on_commit_callbacks,
        action="send_back",
        invoices=[invoice],
        motive="JUSTIF_ABS",
    )
    none_ticked = post_bulk(client, django_capture_on_commit_callbacks, action="certify")

    assert missing.status_code == wrong.status_code == none_ticked.status_code == 400
    assert missing.context["bulk"].errors["motive"] == [
        "Choisissez le motif, commun à toutes les factures."
    ]
    assert "ne permet pas cette action" in wrong.context["bulk"].errors["motive"][0]
    assert "Cochez au moins une facture" in none_ticked.context["bulk"].non_field_errors()[0]
    assert not BulkOperation.objects.exists()
    assert statuses(invoice) == [S.MISE_A_DISPOSITION]


def test_the_mandate_is_not_a_bulk_action(agent, works, supplier):
    invoice = available(supplier=supplier, service=works)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        bulk.bulk_operation_create(membership=agent, action="mandate", invoice_ids=[invoice.pk])
    assert "mandate" not in bulk.BULK_ACTIONS
    assert bulk.BULK_ACTIONS["certify"] == S.SERVICE_FAIT


def test_the_progress_endpoint_gives_the_figures(client, agent, works, supplier):
    invoice = available(supplier=supplier, service=works)
    operation = bulk.bulk_operation_create(
        membership=agent, action="certify", invoice_ids=[invoice.pk]
    )
    url = reverse("reception:bulk_operation_progress", args=[operation.pk])
    client = logged_in(client, agent)

    waiting = client.get(url).json()
    bulk.bulk_operation_run(operation.pk)
    finished = client.get(url).json()

    assert (waiting["finished"], waiting["done"], waiting["percent"]) == (False, 0, 0)
    assert (finished["finished"], finished["done"], finished["percent"]) == (True, 1, 100)


def test_an_operation_is_seen_by_its_agent_and_the_managers_only(
    client, agent, manager, works, supplier
):
    invoice = available(supplier=supplier, service=works)
    operation = bulk.bulk_operation_create(
        membership=agent, action="certify", invoice_ids=[invoice.pk]
    )
    colleague = MembershipFactory(structure=works.structure, role="UTILISATEUR")
    other_commune = MembershipFactory(
        structure=available(supplier=supplier).recipient, role="GESTIONNAIRE_PRINCIPAL"
    )
    url = reverse("reception:bulk_operation", args=[operation.pk])

    assert logged_in(client, agent).get(url).status_code == 200
    assert logged_in(client, manager).get(url).status_code == 200
    assert logged_in(client, colleague).get(url).status_code == 404
    assert logged_in(client, other_commune).get(url).status_code == 404


def test_a_supplier_never_reaches_the_bulk_pages(client, seller, agent, works, supplier):
    invoice = available(supplier=supplier, service=works)
    operation = bulk.bulk_operation_create(
        membership=agent, action="certify", invoice_ids=[invoice.pk]
    )
    client = logged_in(client, seller)

    assert client.post(URL, {"bulk-action": "certify", "invoice": [invoice.pk]}).status_code == 403
    assert client.get(reverse("reception:bulk_operation", args=[operation.pk])).status_code == 403
    assert statuses(invoice) == [S.MISE_A_DISPOSITION]


def test_the_inbox_shows_a_checkbox_per_invoice_and_the_bulk_bar(client, agent, works, supplier):
    invoice = available(supplier=supplier, service=works)

    page = logged_in(client, agent).get(
        reverse("reception:invoice_list"), {"status": S.MISE_A_DISPOSITION}
    )

    html = page.content.decode()
    assert f'name="invoice" value="{invoice.pk}" form="bulk-form"' in html
    assert 'id="bulk-form"' in html
    assert "status=MISE_A_DISPOSITION" in page.context["bulk"]["search"].value()
    assert reverse("reception:invoice_export") + "?status=MISE_A_DISPOSITION" in html


def test_a_search_with_errors_is_never_taken_whole(
    client, django_capture_on_commit_callbacks, agent, works, supplier
):
    invoice = available(supplier=supplier, service=works)

    response = post_bulk(
        logged_in(client, agent),
        django_capture_on_commit_callbacks,
        action="certify",
        scope="search",
        search="date_from=pas-une-date",
    )

    assert response.status_code == 400
    assert "La recherche contient des erreurs" in response.context["bulk"].non_field_errors()[0]
    assert statuses(invoice) == [S.MISE_A_DISPOSITION]


def test_a_search_that_finds_nothing_says_so_rather_than_asking_for_a_selection(
    client, django_capture_on_commit_callbacks, agent, works, supplier
):
    invoice = available(supplier=supplier, service=works)

    response = post_bulk(
        logged_in(client, agent),
        django_capture_on_commit_callbacks,
        action="certify",
        scope="search",
        search="number=PAS-DE-FACTURE",
    )

    assert response.status_code == 400
    assert "la recherche n'en trouve aucune" in response.context["bulk"].non_field_errors()[0]
    assert not BulkOperation.objects.exists()
    assert statuses(invoice) == [S.MISE_A_DISPOSITION]


def test_the_recent_operations_are_listed_to_their_agent_and_the_managers(
    client, agent, manager, works, supplier
):
    invoice = available(supplier=supplier, service=works)
    operation = bulk.bulk_operation_create(
        membership=agent, action="certify", invoice_ids=[invoice.pk]
    )
    colleague = MembershipFactory(structure=works.structure, role="UTILISATEUR")
    url = reverse("reception:bulk_operations")

    own = logged_in(client, agent).get(url).context["operations"]
    managed = logged_in(client, manager).get(url).context["operations"]
    others = logged_in(client, colleague).get(url).context["operations"]

    assert [o.pk for o in own] == [o.pk for o in managed] == [operation.pk]
    assert others == []
