"""The demo world's refused deposits, so that the rejection statistics show integration
refusals by rule: invoices a supplier's software sent with errors the platform refuses.

Idempotent: a deposit already made (same structure and file name) is not made again.
"""

from chorus.models import Structure, TechnicalAccount
from invoices.demo import tasks_inline
from invoices.enums import DepositChannel, FlowSyntax
from invoices.formats import write_cii
from invoices.ingestion.pipeline import flow_process_inline
from invoices.ingestion.receive import flow_receive
from invoices.models import Flow
from invoices.samples import french_invoice

# A SIRET that passes the Luhn check but names no structure of the directory.
UNKNOWN_SIRET = "73282932000074"


def demo_refused_deposits_seed(*, supplier: str, recipient: str, technical_login: str) -> None:
    """Two invoices of `supplier` (SIRET) refused at deposit: one to a recipient missing from
    the directory, one to `recipient` without the service code and engagement it requires."""
    structure = Structure.objects.get(identifier=supplier)
    account = TechnicalAccount.objects.get(login=technical_login)
    refused = {
        "FA-2026-0190.xml": french_invoice(
            number="FA-2026-0190",
            seller_siret=supplier,
            seller_name=structure.legal_name,
            buyer_siret=UNKNOWN_SIRET,
            service_code=None,
            engagement=None,
        ),
        "FA-2026-0191.xml": french_invoice(
            number="FA-2026-0191",
            seller_siret=supplier,
            seller_name=structure.legal_name,
            buyer_siret=recipient,
            service_code="INCONNU",
            engagement=None,
        ),
    }
    done = set(
        Flow.objects.filter(structure=structure, filename__in=refused).values_list(
            "filename", flat=True
        )
    )
    with tasks_inline():
        for filename, document in refused.items():
            if filename in done:
                continue
            receipt = flow_receive(
                data=write_cii(document),
                filename=filename,
                channel=DepositChannel.API,
                structure=structure,
                technical_account=account,
                syntax=FlowSyntax.CII,
            )
            flow_process_inline(receipt.flow.pk)
