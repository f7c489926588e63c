"""Status files: a recipient's systems push invoice statuses as a CSV in the EDI in/; each line
applies or is refused with its reason, and a report appears in out/."""

import json

import pytest

from chorus.enums import Channel
from invoices.channels.edi.receive import on_upload
from invoices.channels.edi.server import OUTBOX, account_root
from invoices.channels.edi.status_files import status_file_receive
from invoices.enums import InvoiceStatus
from invoices.models import Invoice, ReceivedFile, StatusFile
from tests.chorus.factories import PublicStructureFactory, TechnicalAccountFactory
from tests.invoices.factories import french_invoice, stored_invoice
from tests.invoices.test_edi_channel import Partner
from tests.invoices.test_edi_server import RunningServer

pytestmark = pytest.mark.django_db

HEADER = "id_facture;numero_facture;statut;date;code_motif;numero_mandat;commentaire\n"


@pytest.fixture
def edi_root(settings, tmp_path):
    settings.EDI_ROOT = tmp_path / "edi"
    settings.EDI_HOST_KEY_PATH = tmp_path / "host_key"
    return settings.EDI_ROOT


@pytest.fixture
def recipient():
    return PublicStructureFactory()


@pytest.fixture
def account(recipient):
    return TechnicalAccountFactory(structure=recipient)


def _invoice(recipient, number="FA-2025-00042", status=InvoiceStatus.MISE_A_DISPOSITION):
    document = french_invoice(number=number, buyer_siret=recipient.identifier, service_code=None)
    invoice = stored_invoice(recipient=recipient, document=document)
    Invoice.objects.filter(pk=invoice.pk).update(status=status)
    invoice.refresh_from_db()
    return invoice


@pytest.fixture
def deposit(edi_root, account, django_capture_on_commit_callbacks):
    """Receives a status file as the SFTP server does; its task runs when it commits. Returns
    the JSON report and the text report."""

    def receive(content: str, name="STATUTS_2026-03-14.csv", by=None):
        with django_capture_on_commit_callbacks(execute=True):
            status_file_receive(account=by or account, data=content.encode(), filename=name)
        outbox = account_root((by or account).pk) / OUTBOX
        report = json.loads((outbox / f"CR_{name}.json").read_text("utf-8"))
        return report, (outbox / f"CR_{name}.txt").read_text("utf-8")

    return receive


def test_each_line_moves_its_invoice_in_order(recipient, account, deposit):
    first = _invoice(recipient, "FA-1", InvoiceStatus.SERVICE_FAIT)
    second = _invoice(recipient, "FA-2", InvoiceStatus.MANDATEE)

    report, text = deposit(
        HEADER
        + ";FA-1;MANDATEE;2026-03-10;;M-2026-001;\n"
        + f"{first.pk};;MISE_EN_PAIEMENT;2026-03-12;;;\n"
        + f"{second.pk};;COMPTABILISEE;2026-03-12;;;Écriture 42\n"
    )

    assert (report["lignesAppliquees"], report["lignesRefusees"]) == (3, 0)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (
        InvoiceStatus.MISE_EN_PAIEMENT,
        InvoiceStatus.COMPTABILISEE,
    )
    mandate = first.history.get(target=InvoiceStatus.MANDATEE)
    assert (mandate.mandate_number, mandate.channel, mandate.technical_account) == (
        "M-2026-001",
        Channel.EDI,
        account,
    )
    assert second.history.last().comment == "Écriture 42"
    assert "Lignes appliquées : 3." in text
    assert "Ligne 2, facture FA-1, statut MANDATEE : appliqué." in text


def test_refused_lines_give_their_reason_and_the_others_apply(recipient, deposit):
    mine = _invoice(recipient, "FA-1", InvoiceStatus.MISE_A_DISPOSITION)
    paid = _invoice(recipient, "FA-2", InvoiceStatus.MISE_EN_PAIEMENT)
    others = _invoice(PublicStructureFactory(), "FA-3")

    report, text = deposit(
        HEADER
        + ";FA-2;MANDATEE;2026-03-10;;M-1;\n"  # out of order: already paid
        + ";FA-404;MANDATEE;2026-03-10;;M-2;\n"
        + f"{others.pk};;SERVICE_FAIT;2026-03-10;;;\n"
        + ";FA-1;PAYEE;2026-03-10;;;\n"
        + ";FA-1;SERVICE_FAIT;14/03/2026;;;\n"
        + ";FA-1;SERVICE_FAIT;2999-01-01;;;\n"
        + ";FA-1;MANDATEE;2026-03-10;;;\n"  # no mandate number
        + ";FA-1;SERVICE_FAIT;2026-03-10;;;\n"
    )

    codes = [(line["ligne"], line["resultat"], line["code"]) for line in report["lignes"]]
    assert codes == [
        (2, "REFUSEE", "wrong_status"),
        (3, "REFUSEE", "unknown_invoice"),
        (4, "REFUSEE", "not_party"),
        (5, "REFUSEE", "unknown_status"),
        (6, "REFUSEE", "bad_date"),
        (7, "REFUSEE", "bad_date"),
        (8, "REFUSEE", "missing_mandate_number"),
        (9, "APPLIQUEE", ""),
    ]
    mine.refresh_from_db()
    paid.refresh_from_db()
    others.refresh_from_db()
    assert mine.status == InvoiceStatus.SERVICE_FAIT
    assert paid.status == InvoiceStatus.MISE_EN_PAIEMENT
    assert others.status == InvoiceStatus.MISE_A_DISPOSITION
    assert (
        "« Mise en paiement » ne peut pas passer au statut « Mandatée »"
        in report["lignes"][0]["motif"]
    )
    assert "ne porte le numéro « FA-404 »" in text
    assert "n'est pas adressée à votre structure" in text
    assert "écrivez-la AAAA-MM-JJ" in text


def test_a_motive_is_a_catalogue_code_or_free_text(recipient, deposit):
    coded = _invoice(recipient, "FA-1")
    free = _invoice(recipient, "FA-2")

    report, _text = deposit(
        HEADER
        + ";FA-1;SUSPENDUE;2026-03-10;;;\n"  # a suspension needs a motive
        + f"{coded.pk};;REJETEE;2026-03-10;AUTRE;;Commande annulée\n"
        + ";FA-2;SUSPENDUE;2026-03-10;Il manque le bon de livraison;;\n"
    )

    assert [line["code"] for line in report["lignes"]] == ["missing_motive", "", ""]
    change = free.history.last()
    assert (change.target, change.motive, change.comment) == (
        InvoiceStatus.SUSPENDUE,
        "AUTRE",
        "Il manque le bon de livraison",
    )


def test_an_unreadable_header_refuses_the_whole_file(recipient, deposit):
    invoice = _invoice(recipient, "FA-1")

    report, text = deposit("facture;etat\nFA-1;SERVICE_FAIT\n")

    assert report["lignes"] == []
    assert "colonnes inconnues : facture, etat" in report["erreur"]
    assert "colonnes manquantes : statut, date, id_facture ou numero_facture" in text
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.MISE_A_DISPOSITION


def test_a_comma_separated_file_with_a_byte_order_mark_is_read(recipient, deposit):
    invoice = _invoice(recipient, "FA-1")

    report, _text = deposit("\ufeffnumero_facture,statut,date\nFA-1,SERVICE_FAIT,2026-03-10\n")

    assert report["lignesAppliquees"] == 1
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SERVICE_FAIT


def test_the_same_bytes_again_get_the_same_report_and_move_nothing(recipient, deposit):
    invoice = _invoice(recipient, "FA-1", InvoiceStatus.MANDATEE)
    content = HEADER + ";FA-1;COMPTABILISEE;2026-03-10;;;\n"

    first, _text = deposit(content)
    again, _text = deposit(content, name="STATUTS_renvoi.csv")

    assert again["lignes"] == first["lignes"]
    assert again["lignesAppliquees"] == 1
    assert invoice.history.filter(target=InvoiceStatus.COMPTABILISEE).count() == 1
    assert (
        StatusFile.objects.count(),
        ReceivedFile.objects.filter(status_file__isnull=False).count(),
    ) == (1, 1)
    assert StatusFile.objects.get().uploaded_names == [
        "STATUTS_2026-03-14.csv",
        "STATUTS_renvoi.csv",
    ]


def test_processing_again_after_a_crash_resumes_after_the_recorded_lines(
    recipient, account, deposit
):
    invoice = _invoice(recipient, "FA-1", InvoiceStatus.SERVICE_FAIT)
    content = HEADER + ";FA-1;MANDATEE;2026-03-10;;M-1;\n;FA-1;MISE_EN_PAIEMENT;2026-03-11;;;\n"
    deposit(content)
    status_file = StatusFile.objects.get()
    # As if the worker had died after the lines and before marking the file processed.
    StatusFile.objects.filter(pk=status_file.pk).update(processed_at=None)

    report, _text = deposit(content)

    assert [line["resultat"] for line in report["lignes"]] == ["APPLIQUEE", "APPLIQUEE"]
    assert invoice.history.count() == 3  # created, mandated, paid: nothing twice


@pytest.fixture
def sftp(edi_root, transactional_db):
    running = RunningServer(on_upload)
    running.start()
    yield running
    running.stop()


def test_a_status_file_uploaded_over_sftp_gets_its_report(sftp):
    partner = Partner(sftp)
    recipient = PublicStructureFactory()
    partner.account.structure = recipient
    partner.account.save()
    invoice = _invoice(recipient, "FA-1", InvoiceStatus.SERVICE_FAIT)

    handled = len(sftp.uploads)
    with partner.session() as client, client.open("/in/statuts_mars.csv", "wb") as remote:
        remote.write((HEADER + ";FA-1;MANDATEE;2026-03-10;;M-9;\n").encode())
    sftp.wait_for_uploads(handled + 1)

    assert partner.reports() == ["CR_statuts_mars.csv.json", "CR_statuts_mars.csv.txt"]
    report = json.loads(partner.download("CR_statuts_mars.csv.json"))
    assert report["lignesAppliquees"] == 1
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.MANDATEE
