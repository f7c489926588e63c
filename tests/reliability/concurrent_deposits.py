"""Deposits at the same instant, as partners' requests arriving together, each in a thread of
its own with its own database connection; the processing runs inline (Celery eager).

Shared by the SQLite test, which runs this module as a script on a database file of its own
(`python -m tests.reliability.concurrent_deposits <file>`: threads cannot share pytest's
in-memory database as separate connections would), and by the PostgreSQL test, in process.
"""

import json
import os
import sys
import threading

DEPOSITS = 5


def deposit_at_once(payloads: list[bytes], supplier, user) -> list[list]:
    """Each payload deposited by its own thread, all released together: [outcome, detail]."""
    from django.db import connection

    from invoices.enums import DepositChannel
    from invoices.ingestion.receive import flow_receive

    barrier = threading.Barrier(len(payloads))
    outcomes: list[list] = [[]] * len(payloads)

    def deposit(index: int, data: bytes) -> None:
        try:
            barrier.wait()
            receipt = flow_receive(
                data=data,
                filename=f"facture-{index}.xml",
                channel=DepositChannel.API,
                structure=supplier,
                user=user,
            )
            outcomes[index] = ["created" if receipt.created else "answered", receipt.flow.pk]
        except Exception as exc:  # reported to the test, which fails on it
            outcomes[index] = ["error", repr(exc)]
        finally:
            connection.close()

    threads = [threading.Thread(target=deposit, args=item) for item in enumerate(payloads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def scenario() -> dict:
    """Five identical deposits at once, then five different invoices with one number."""
    from invoices.formats import write_ubl
    from invoices.models import Flow, FlowItem, Invoice
    from tests.chorus.factories import MembershipFactory, ServiceFactory, StructureFactory
    from tests.invoices.factories import french_invoice

    supplier = StructureFactory()
    service = ServiceFactory(code="SERV0001")
    user = MembershipFactory(structure=supplier).user

    def invoice(number: str, quantity: int) -> bytes:
        return write_ubl(
            french_invoice(
                number=number,
                seller_siret=supplier.identifier,
                buyer_siret=service.structure.identifier,
                service_code=service.code,
                engagement=None,
                lines=[("Prestation de conseil", str(quantity), "450.00", "S", "20")],
            )
        )

    identical = deposit_at_once([invoice("FA-1", 1)] * DEPOSITS, supplier, user)
    same_number = deposit_at_once(
        [invoice("FA-2", quantity) for quantity in range(1, DEPOSITS + 1)], supplier, user
    )
    return {
        "identical": identical,
        "same_number": same_number,
        "flows": dict(Flow.objects.values_list("pk", "status")),
        "items": [
            [item.flow_id, item.status, [finding["rule"] for finding in item.findings]]
            for item in FlowItem.objects.order_by("pk")
        ],
        "invoices": sorted(Invoice.objects.values_list("number", flat=True)),
    }


if __name__ == "__main__":
    os.environ["DATABASE_URL"] = f"sqlite:///{sys.argv[1]}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(json.dumps(scenario()))
