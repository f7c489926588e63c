"""Real routing: an invoice for a recipient receiving by EDI is written to its out/, one for a
recipient receiving by API waits until its technical account fetches it."""

import pytest

from chorus.enums import Channel, ReceptionChannel
from invoices import canonical
from invoices.channels.edi.deliver import invoice_edi_deliver
from invoices.channels.edi.receive import on_upload
from invoices.channels.edi.server import OUTBOX, account_root
from invoices.enums import InvoiceStatus
from invoices.formats import write_ubl
from invoices.models import Invoice, InvoiceAttachment
from invoices.services import attachment_upload_create, invoice_route
from invoices.tasks import invoices_deliveries_resume_task
from tests.api.conftest import CproClient, cpro_account, make_application, request_token
from tests.chorus.factories import PublicStructureFactory, TechnicalAccountFactory
from tests.invoices.factories import french_invoice, stored_invoice
from tests.invoices.test_edi_channel import Partner
from tests.invoices.test_edi_server import RunningServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def edi_root(settings, tmp_path):
    settings.EDI_ROOT = tmp_path / "edi"
    settings.EDI_HOST_KEY_PATH = tmp_path / "host_key"
    return settings.EDI_ROOT


def _recipient(channel=ReceptionChannel.EDI):
    return PublicStructureFactory(reception_channel=channel)


def _invoice_with_attachment(recipient):
    document = french_invoice(buyer_siret=recipient.identifier, service_code=None)
    document.attachments.append(
        canonical.Attachment(
            id="BL-1",
            description="Bon de livraison",
            content=b"%PDF-1.4 bon de livraison",
            mime_code="application/pdf",
            filename="bon-livraison.pdf",
        )
    )
    return stored_invoice(recipient=recipient, document=document)


def _route(invoice, capture):
    with capture(execute=True):
        invoice_route(invoice=invoice)
    invoice.refresh_from_db()
    return invoice


def _outbox(account):
    return account_root(account.pk) / OUTBOX


def test_invoice_and_attachments_are_written_to_the_recipients_out(
    edi_root, django_capture_on_commit_callbacks
):
    recipient = _recipient()
    account = TechnicalAccountFactory(structure=recipient)
    invoice = _invoice_with_attachment(recipient)

    invoice = _route(invoice, django_capture_on_commit_callbacks)

    assert invoice.status == InvoiceStatus.MISE_A_DISPOSITION
    base = f"FACTURE_{invoice.pk}_FA-2025-00042"
    assert sorted(p.name for p in _outbox(account).iterdir()) == [
        f"{base}.xml",
        f"{base}_PJ1_bon-livraison.pdf",
    ]
    assert (_outbox(account) / f"{base}.xml").read_bytes() == invoice.received_file.read_bytes()
    assert (_outbox(account) / f"{base}_PJ1_bon-livraison.pdf").read_bytes() == (
        b"%PDF-1.4 bon de livraison"
    )
    routed, delivered = invoice.history.order_by("pk")[1:]
    assert (routed.target, routed.action) == (InvoiceStatus.EN_COURS_ACHEMINEMENT, "route")
    assert (delivered.target, delivered.action, delivered.channel) == (
        InvoiceStatus.MISE_A_DISPOSITION,
        "deliver",
        Channel.SYSTEME,
    )


def test_attachments_added_later_are_delivered_too(edi_root):
    recipient = _recipient()
    account = TechnicalAccountFactory(structure=recipient)
    invoice = stored_invoice(recipient=recipient)
    upload = attachment_upload_create(
        structure=invoice.supplier, data=b"devis", name="devis signé.pdf", mime_type="x"
    )
    InvoiceAttachment.objects.create(invoice=invoice, upload=upload)
    Invoice.objects.filter(pk=invoice.pk).update(status=InvoiceStatus.EN_COURS_ACHEMINEMENT)

    invoice_edi_deliver(invoice.pk)

    assert (_outbox(account) / f"FACTURE_{invoice.pk}_FA-2025-00042_PJ1_devis_sign_.pdf").exists()


def test_the_account_with_ssh_keys_receives_the_invoice(
    edi_root, django_capture_on_commit_callbacks
):
    recipient = _recipient()
    api_only = TechnicalAccountFactory(structure=recipient)
    partner = TechnicalAccountFactory(structure=recipient, ssh_public_keys="ssh-ed25519 AAAA x")
    invoice = _route(stored_invoice(recipient=recipient), django_capture_on_commit_callbacks)

    assert [p.name for p in _outbox(partner).iterdir()] == [
        f"FACTURE_{invoice.pk}_FA-2025-00042.xml"
    ]
    assert not any(_outbox(api_only).iterdir())


def test_delivering_again_moves_nothing_twice(edi_root, django_capture_on_commit_callbacks):
    recipient = _recipient()
    TechnicalAccountFactory(structure=recipient)
    invoice = _route(stored_invoice(recipient=recipient), django_capture_on_commit_callbacks)

    assert invoice_edi_deliver(invoice.pk) == []
    assert invoice.history.filter(target=InvoiceStatus.MISE_A_DISPOSITION).count() == 1


def test_the_sweep_delivers_what_was_left_in_routing(
    edi_root, settings, django_capture_on_commit_callbacks
):
    recipient = _recipient()
    invoice = _route(stored_invoice(recipient=recipient), django_capture_on_commit_callbacks)
    # No technical account yet: the invoice waits in routing.
    assert invoice.status == InvoiceStatus.EN_COURS_ACHEMINEMENT

    account = TechnicalAccountFactory(structure=recipient)
    settings.FLOW_STALL_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        assert invoices_deliveries_resume_task.delay().get() == 1

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.MISE_A_DISPOSITION
    assert any(_outbox(account).iterdir())


def test_the_sweep_leaves_recent_routings_to_their_task(
    edi_root, settings, django_capture_on_commit_callbacks
):
    recipient = _recipient()
    _route(stored_invoice(recipient=recipient), django_capture_on_commit_callbacks)
    settings.FLOW_STALL_SECONDS = 3600
    assert invoices_deliveries_resume_task.delay().get() == 0


@pytest.fixture
def sftp(edi_root, transactional_db):
    running = RunningServer(on_upload)
    running.start()
    yield running
    running.stop()


def test_the_recipients_partner_downloads_the_invoice_over_sftp(sftp):
    """End to end: a supplier's flow is integrated, routed and delivered to the recipient's
    partner, who finds the invoice as deposited in its out/."""
    recipient = _recipient()
    partner = Partner(sftp)
    partner.account.structure = recipient
    partner.account.save()
    supplier_partner = Partner(sftp)
    data = write_ubl(
        french_invoice(
            seller_siret=supplier_partner.account.structure.identifier,
            buyer_siret=recipient.identifier,
            service_code=None,
            engagement=None,
        )
    )

    supplier_partner.upload("facture.xml", data)

    invoice = Invoice.objects.get()
    assert invoice.status == InvoiceStatus.MISE_A_DISPOSITION
    name = f"FACTURE_{invoice.pk}_FA-2025-00042.xml"
    assert partner.reports() == [name]
    assert partner.download(name) == data


def test_an_api_recipient_gets_the_invoice_once_its_account_fetches_it(
    client, django_capture_on_commit_callbacks
):
    recipient = _recipient(ReceptionChannel.API)
    account = TechnicalAccountFactory(structure=recipient)
    invoice = _route(stored_invoice(recipient=recipient), django_capture_on_commit_callbacks)
    assert invoice.status == InvoiceStatus.EN_COURS_ACHEMINEMENT

    token = request_token(client, make_application()).json()["access_token"]
    api = CproClient(client, token, cpro_account(account.login))
    response = api.post(
        "/cpro/factures/v1/consulter/recipiendaire", {"identifiantFactureCPP": invoice.pk}
    )

    assert response.status_code == 200, response.content
    assert response.json()["facture"]["statutFacture"] == InvoiceStatus.MISE_A_DISPOSITION
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.MISE_A_DISPOSITION
    assert invoice.history.last().action == "deliver"


def test_an_api_recipient_downloading_the_invoice_gets_it_delivered(
    client, django_capture_on_commit_callbacks
):
    recipient = _recipient(ReceptionChannel.API)
    account = TechnicalAccountFactory(structure=recipient)
    invoice = _route(stored_invoice(recipient=recipient), django_capture_on_commit_callbacks)
    token = request_token(client, make_application()).json()["access_token"]
    api = CproClient(client, token, cpro_account(account.login))

    response = api.post(
        "/cpro/factures/v1/telecharger/groupe",
        {"listeFacture": [{"idFacture": invoice.pk}], "format": "PIVOT"},
    )

    assert response.status_code == 200, response.content
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.MISE_A_DISPOSITION


def test_the_supplier_consulting_does_not_deliver(client, django_capture_on_commit_callbacks):
    recipient = _recipient(ReceptionChannel.API)
    invoice = _route(stored_invoice(recipient=recipient), django_capture_on_commit_callbacks)
    account = TechnicalAccountFactory(structure=invoice.supplier)
    token = request_token(client, make_application()).json()["access_token"]
    api = CproClient(client, token, cpro_account(account.login))

    api.post(
        "/cpro/factures/v1/telecharger/groupe",
        {"listeFacture": [{"idFacture": invoice.pk}], "format": "PIVOT"},
    )

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.EN_COURS_ACHEMINEMENT
