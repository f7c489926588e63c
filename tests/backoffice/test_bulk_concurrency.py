"""A bulk operation's message delivered twice and run by two workers at once: each invoice
is handled by exactly one of them, none is refused as "moved by someone else"."""

import threading

import pytest
from django.db import connection, connections

from chorus.enums import Role
from invoices.channels.backoffice import bulk
from invoices.channels.backoffice.models import BulkStatus
from invoices.enums import InvoiceStatus
from invoices.models import InvoiceStatusChange
from tests.backoffice.conftest import available
from tests.chorus.factories import MembershipFactory, ServiceFactory, StructureFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need a server database: set DATABASE_URL to PostgreSQL",
)
def test_two_workers_on_one_operation_move_each_invoice_once():
    service = ServiceFactory()
    agent = MembershipFactory(structure=service.structure, role=Role.UTILISATEUR)
    agent.services.add(service)
    supplier = StructureFactory()
    invoices = [available(supplier=supplier, service=service) for _ in range(12)]
    operation = bulk.bulk_operation_create(
        membership=agent, action="certify", invoice_ids=[i.pk for i in invoices]
    )
    start = threading.Barrier(2)
    errors = []

    def work():
        try:
            start.wait()
            bulk.bulk_operation_run(operation.pk)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    operation.refresh_from_db()
    assert (operation.status, operation.done, operation.refused_count) == (
        BulkStatus.TERMINEE,
        12,
        0,
    )
    moves = InvoiceStatusChange.objects.filter(target=InvoiceStatus.SERVICE_FAIT)
    assert moves.count() == 12
