"""The supplier's invoice page: the timeline, and the one move available now (complete a
suspended invoice, recycle one sent back, acknowledge a rejection) with its form."""

import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chorus.enums import Role
from chorus.workflow import Actor
from invoices.enums import InvoiceStatus
from invoices.models import AttachmentUpload, InvoiceAttachment
from invoices.services import invoice_reject, invoice_route, invoice_send_back, invoice_suspend
from tests.chorus.factories import (
    MembershipFactory,
    PublicStructureFactory,
    ServiceFactory,
    StructureFactory,
)
from tests.invoices.factories import french_invoice, stored_invoice

pytestmark = pytest.mark.django_db

NUMBERS = itertools.count(1)


@pytest.fixture
def supplier():
    return StructureFactory(legal_name="Menuiserie Durand")


@pytest.fixture
def seller(supplier):
    return MembershipFactory(structure=supplier)


@pytest.fixture
def commune():
    return PublicStructureFactory(legal_name="Commune de Valmont")


@pytest.fixture
def recipient_agent(commune):
    return MembershipFactory(structure=commune, role=Role.GESTIONNAIRE_PRINCIPAL)


@pytest.fixture
def client_in(client, seller):
    client.force_login(seller.user)
    return client


def available(supplier, recipient):
    document = french_invoice(
        number=f"FA-2025-{next(NUMBERS):05d}",
        seller_siret=supplier.identifier,
        buyer_siret=recipient.identifier,
        service_code=None,
    )
    invoice = stored_invoice(supplier=supplier, recipient=recipient, document=document)
    invoice_route(invoice=invoice)
    invoice.refresh_from_db()
    return invoice


@pytest.fixture
def suspended(supplier, commune, recipient_agent):
    invoice = available(supplier, commune)
    invoice_suspend(
        invoice=invoice,
        actor=Actor.member(recipient_agent),
        motive="JUSTIF_ABS",
        comment="Le devis signé manque.",
    )
    return invoice


def page_url(invoice):
    return reverse("invoices:invoice_detail", args=[invoice.pk])


def pdf(name="devis.pdf", content=b"%PDF-1.4 devis signe"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_the_page_shows_the_suspension_and_the_form_to_complete(client_in, suspended):
    page = client_in.get(page_url(suspended))

    html = page.content.decode()
    assert [item["action"] for item in page.context["actions"]] == ["complete"]
    assert "Justificatif absent ou insuffisant" in html and "Le devis signé manque." in html
    assert reverse("invoices:invoice_complete", args=[suspended.pk]) in html
    assert 'name="attachments"' in html and "multiple" in html


def test_the_supplier_completes_with_a_comment_and_documents(
    client_in, client, suspended, recipient_agent
):
    response = client_in.post(
        reverse("invoices:invoice_complete", args=[suspended.pk]),
        {"comment": "Voici le devis signé.", "attachments": [pdf(), pdf("bon.pdf")]},
    )

    assert response.status_code == 302
    suspended.refresh_from_db()
    assert suspended.status == InvoiceStatus.COMPLETEE
    added = InvoiceAttachment.objects.filter(invoice=suspended)
    assert sorted(a.upload.name for a in added) == ["bon.pdf", "devis.pdf"]
    html = client_in.get(page_url(suspended)).content.decode()
    assert "Voici le devis signé." in html and "devis.pdf" in html
    client.force_login(recipient_agent.user)
    agent_page = client.get(reverse("reception:invoice_detail", args=[suspended.pk]))
    assert "Voici le devis signé." in agent_page.content.decode()
    assert "certify" in [item["transition"].action for item in agent_page.context["actions"]]


def test_completing_without_a_comment_shows_the_error_on_the_field(client_in, suspended):
    response = client_in.post(reverse("invoices:invoice_complete", args=[suspended.pk]), {})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Expliquez au destinataire ce que vous apportez." in html
    assert 'aria-describedby="id_comment-desc-error"' in html
    suspended.refresh_from_db()
    assert suspended.status == InvoiceStatus.SUSPENDUE


def test_a_document_the_portal_does_not_accept_is_refused_and_nothing_moves(client_in, suspended):
    response = client_in.post(
        reverse("invoices:invoice_complete", args=[suspended.pk]),
        {"comment": "Voici.", "attachments": [pdf("outil.exe", b"MZ")]},
    )

    assert response.status_code == 400
    assert "n&#x27;a pas une extension acceptée" in response.content.decode()
    suspended.refresh_from_db()
    assert suspended.status == InvoiceStatus.SUSPENDUE
    assert not InvoiceAttachment.objects.exists()


def test_a_move_the_status_does_not_allow_is_refused_with_its_reason(client_in, supplier, commune):
    invoice = available(supplier, commune)

    response = client_in.post(
        reverse("invoices:invoice_complete", args=[invoice.pk]), {"comment": "Voici."}
    )

    assert response.status_code == 403
    html = response.content.decode()
    assert "Action impossible" in html and "ne peut pas passer au statut « Complétée »" in html
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.MISE_A_DISPOSITION


def test_documents_sent_with_a_refused_completion_are_not_kept(
    client_in, supplier, commune, settings
):
    invoice = available(supplier, commune)
    stored_before = sorted(settings.MEDIA_ROOT.rglob("*"))

    response = client_in.post(
        reverse("invoices:invoice_complete", args=[invoice.pk]),
        {"comment": "Voici.", "attachments": [pdf()]},
    )

    assert response.status_code == 403
    assert not AttachmentUpload.objects.exists()
    assert sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) == [
        p for p in stored_before if p.is_file()
    ]


def test_another_suppliers_invoice_is_not_found(client, suspended):
    client.force_login(MembershipFactory(structure=StructureFactory()).user)

    response = client.post(
        reverse("invoices:invoice_complete", args=[suspended.pk]), {"comment": "Voici."}
    )

    assert response.status_code == 404
    assert client.get(page_url(suspended)).status_code == 404


def test_a_supplier_cannot_make_the_recipients_moves(client_in, supplier, commune):
    invoice = available(supplier, commune)

    response = client_in.post(
        reverse("reception:invoice_process", args=[invoice.pk, InvoiceStatus.SERVICE_FAIT])
    )

    assert response.status_code == 403
    assert client_in.get(page_url(invoice)).context["actions"] == []
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.MISE_A_DISPOSITION


@pytest.fixture
def sent_back(supplier, commune, recipient_agent):
    invoice = available(supplier, commune)
    invoice_send_back(invoice=invoice, actor=Actor.member(recipient_agent), motive="SIRET_ERR")
    return invoice


def test_recycling_is_checked_against_the_new_recipients_requirements(client_in, sent_back):
    hospital = PublicStructureFactory(legal_name="Hôpital de Valmont", service_code_required=True)
    ServiceFactory(structure=hospital, code="PHARMA", name="Pharmacie")
    url = reverse("invoices:invoice_recycle", args=[sent_back.pk])

    missing = client_in.post(url, {"recipient_siret": hospital.identifier})
    done = client_in.post(url, {"recipient_siret": hospital.identifier, "service_code": "PHARMA"})

    assert missing.status_code == 400
    assert "Ce destinataire exige un code service" in missing.content.decode()
    assert done.status_code == 302
    sent_back.refresh_from_db()
    assert (sent_back.recipient, sent_back.service.code) == (hospital, "PHARMA")
    assert sent_back.status == InvoiceStatus.MISE_A_DISPOSITION
    assert sent_back.canonical.buyer.siret == hospital.identifier
    assert [c.target for c in sent_back.history.all()][-2:] == [
        InvoiceStatus.DEPOSEE,
        InvoiceStatus.MISE_A_DISPOSITION,
    ]


def test_recycling_without_script_shows_the_chosen_recipients_services(client_in, sent_back):
    hospital = PublicStructureFactory(service_code_required=True)
    ServiceFactory(structure=hospital, code="PHARMA", name="Pharmacie")

    response = client_in.post(
        reverse("invoices:invoice_recycle", args=[sent_back.pk]),
        {"recipient_siret": hospital.identifier, "pick": "1"},
    )

    assert response.status_code == 200
    assert "PHARMA – Pharmacie" in response.content.decode()
    sent_back.refresh_from_db()
    assert sent_back.status == InvoiceStatus.A_RECYCLER


def test_the_supplier_acknowledges_a_rejection_once(client_in, supplier, commune, recipient_agent):
    invoice = available(supplier, commune)
    invoice_reject(
        invoice=invoice, actor=Actor.member(recipient_agent), motive="AUTRE", comment="Doublon."
    )
    assert [a["action"] for a in client_in.get(page_url(invoice)).context["actions"]] == [
        "acknowledge"
    ]

    response = client_in.post(reverse("invoices:invoice_acknowledge", args=[invoice.pk]))

    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.rejection_acknowledged_at is not None
    page = client_in.get(page_url(invoice))
    assert page.context["actions"] == []
    assert "Rejet pris en compte par le fournisseur" in page.content.decode()


def test_the_supplier_is_told_when_payment_statuses_will_not_come(client_in, supplier):
    silent = PublicStructureFactory(payment_status_not_reported=True)
    reporting = PublicStructureFactory()

    silent_page = client_in.get(page_url(available(supplier, silent)))
    reporting_page = client_in.get(page_url(available(supplier, reporting)))

    assert "ne communique pas les statuts de paiement" in silent_page.content.decode()
    assert "ne communique pas les statuts de paiement" not in reporting_page.content.decode()


def test_the_page_says_what_happens_next(client_in, supplier, commune, recipient_agent):
    invoice = available(supplier, commune)
    html = client_in.get(page_url(invoice)).content.decode()
    assert 'data-testid="next-step"' in html
    assert "Le destinataire a reçu la facture" in html

    invoice_reject(
        invoice=invoice,
        actor=Actor.member(recipient_agent),
        motive="MONTANTTOTAL_ERR",
        comment="Le total ne correspond pas au devis.",
    )
    html = client_in.get(page_url(invoice)).content.decode()
    assert "Émettez une nouvelle facture, avec un nouveau numéro." in html
