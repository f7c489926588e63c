"""Two agents acting on the same invoice at the same moment: exactly one move wins."""

import threading

import pytest
from django.db import connection, connections

from chorus.workflow import Actor, TransitionRefused, status_transition
from invoices.enums import InvoiceStatus
from invoices.models import Invoice
from rejections.models import Motive
from rejections.seed import motives_seed
from tests.chorus.factories import MembershipFactory, ServiceFactory
from tests.invoices.factories import stored_invoice

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need a server database: set DATABASE_URL to PostgreSQL",
)
def test_two_simultaneous_moves_exactly_one_wins():
    motives_seed(Motive)  # a transactional test before this one may have flushed the catalogue
    service = ServiceFactory()
    invoice = stored_invoice(service=service)
    Invoice.objects.filter(pk=invoice.pk).update(status=InvoiceStatus.MISE_A_DISPOSITION)
    agents = [Actor.member(MembershipFactory(structure=service.structure)) for _ in range(2)]
    moves = [
        {"target": InvoiceStatus.SERVICE_FAIT},
        {"target": InvoiceStatus.SUSPENDUE, "motive": "JUSTIF_ABS"},
    ]
    start = threading.Barrier(2)
    outcomes = [None, None]

    def act(index):
        try:
            copy = Invoice.objects.get(pk=invoice.pk)
            start.wait()
            status_transition(document=copy, actor=agents[index], **moves[index])
            outcomes[index] = "moved"
        except TransitionRefused as refused:
            outcomes[index] = refused.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["concurrent", "moved"]
    invoice.refresh_from_db()
    winner = moves[outcomes.index("moved")]["target"]
    assert invoice.status == winner
    assert [h.target for h in invoice.history.all()] == ["DEPOSEE", winner]
