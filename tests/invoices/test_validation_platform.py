"""Stage d: the platform's CPP rules, each with a passing and a failing case."""

import dataclasses
import datetime

import pytest

from chorus.enums import EngagementStatus
from invoices import canonical as c
from invoices.formats import detect, write_cii, write_ubl
from invoices.validation import platform_rules, validate
from tests.chorus.factories import (
    EngagementJuridiqueFactory,
    PublicStructureFactory,
    ServiceFactory,
    StructureFactory,
)
from tests.invoices.factories import french_invoice, stored_invoice

pytestmark = pytest.mark.django_db

# What the rules are told about the received document: only its syntax matters to them.
UBL = detect(write_ubl(french_invoice()))
CII = detect(write_cii(french_invoice()))


@pytest.fixture
def supplier():
    return StructureFactory()


@pytest.fixture
def recipient():
    return PublicStructureFactory()


def invoice_for(supplier, recipient, **changes) -> c.Invoice:
    """A valid French invoice from `supplier` to `recipient`, no service code nor EJ."""
    invoice = french_invoice(
        seller_siret=supplier.identifier,
        buyer_siret=recipient.identifier,
        service_code=None,
        engagement=None,
    )
    return dataclasses.replace(invoice, **changes)


def rules(invoice, detected=UBL, depositor=None, **kwargs):
    context = platform_rules.Context(detected=detected, depositor=depositor)
    return [f.rule for f in platform_rules.check(invoice, context, **kwargs)]


def test_a_plain_invoice_to_a_recipient_without_requirements_passes(supplier, recipient):
    assert rules(invoice_for(supplier, recipient), depositor=supplier) == []


def test_cpp_001_the_recipient_siret_is_required(supplier, recipient):
    invoice = invoice_for(supplier, recipient)
    invoice.buyer.identifiers = []  # only the SIREN is left: no SIRET

    assert rules(invoice) == ["CPP-001"]


def test_cpp_002_the_recipient_is_in_the_directory(supplier, recipient):
    invoice = invoice_for(supplier, recipient)
    invoice.buyer.identifiers = [c.Identifier(supplier.identifier, c.SIRET_SCHEME)]

    assert rules(invoice) == ["CPP-002"]  # a private structure is no recipient


def test_cpp_003_the_recipient_is_active(supplier, recipient):
    recipient.active = False
    recipient.save()

    assert rules(invoice_for(supplier, recipient)) == ["CPP-003"]


def test_cpp_004_service_code_required(supplier, recipient):
    recipient.service_code_required = True
    recipient.save()
    service = ServiceFactory(structure=recipient)

    assert rules(invoice_for(supplier, recipient)) == ["CPP-004"]
    assert rules(invoice_for(supplier, recipient, buyer_reference=service.code)) == []


def test_cpp_005_service_code_names_an_active_service_of_the_recipient(supplier, recipient):
    active = ServiceFactory(structure=recipient)
    inactive = ServiceFactory(structure=recipient, active=False)
    elsewhere = ServiceFactory()

    assert rules(invoice_for(supplier, recipient, buyer_reference=active.code)) == []
    for code in (inactive.code, elsewhere.code, "INCONNU"):
        assert rules(invoice_for(supplier, recipient, buyer_reference=code)) == ["CPP-005"]


def test_cpp_006_ej_required_by_the_structure_with_the_platform_message(supplier, recipient):
    recipient.ej_required = True
    recipient.save()

    findings = platform_rules.check(
        invoice_for(supplier, recipient), platform_rules.Context(detected=CII)
    )

    assert [f.rule for f in findings] == ["CPP-006"]
    assert findings[0].message_fr.startswith(
        "L'engagement juridique (…BuyerOrderReferencedDocument/IssuerAssignedID) est "
        "obligatoire pour ce destinataire"
    )
    assert findings[0].location.endswith("ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID")
    assert findings[0].bt == "BT-13"
    assert rules(invoice_for(supplier, recipient, purchase_order_reference="EJ1")) == []


def test_cpp_006_ej_required_by_the_service(supplier, recipient):
    service = ServiceFactory(structure=recipient, ej_required=True)

    without = invoice_for(supplier, recipient, buyer_reference=service.code)
    with_ej = invoice_for(
        supplier, recipient, buyer_reference=service.code, purchase_order_reference="EJ1"
    )

    assert rules(without) == ["CPP-006"]
    assert rules(with_ej) == []


def test_cpp_007_ej_or_service_code(supplier, recipient):
    recipient.ej_or_service_code_required = True
    recipient.save()
    service = ServiceFactory(structure=recipient)

    assert rules(invoice_for(supplier, recipient)) == ["CPP-007"]
    assert rules(invoice_for(supplier, recipient, buyer_reference=service.code)) == []
    assert rules(invoice_for(supplier, recipient, purchase_order_reference="EJ1")) == []


def test_cpp_008_ej_at_most_50_characters(supplier, recipient):
    assert rules(invoice_for(supplier, recipient, purchase_order_reference="E" * 50)) == []
    assert rules(invoice_for(supplier, recipient, purchase_order_reference="E" * 51)) == ["CPP-008"]


def test_cpp_009_ej_known_where_the_recipient_manages_its_ejs(supplier, recipient):
    unmanaged = PublicStructureFactory()
    assert rules(invoice_for(supplier, unmanaged, purchase_order_reference="EJ-LIBRE")) == []

    ej = EngagementJuridiqueFactory(structure=recipient, status=EngagementStatus.OUVERT)
    EngagementJuridiqueFactory(number="EJ-AILLEURS")

    assert rules(invoice_for(supplier, recipient, purchase_order_reference=ej.number)) == []
    assert rules(invoice_for(supplier, recipient, purchase_order_reference="EJ-AILLEURS")) == [
        "CPP-009"
    ]


def test_cpp_010_the_seller_is_the_depositing_structure(supplier, recipient):
    other = StructureFactory()

    assert rules(invoice_for(supplier, recipient), depositor=supplier) == []
    assert rules(invoice_for(supplier, recipient), depositor=other) == ["CPP-010"]


def test_cpp_011_no_duplicate_same_supplier_number_and_year(supplier, recipient):
    stored_invoice(supplier=supplier, recipient=recipient)
    check = platform_rules.already_deposited

    same = invoice_for(supplier, recipient)
    next_year = invoice_for(supplier, recipient, issue_date=datetime.date(2026, 3, 14))
    other_number = invoice_for(supplier, recipient, number="FA-2025-00043")

    assert rules(same, depositor=supplier, is_duplicate=check) == ["CPP-011"]
    assert rules(same, is_duplicate=check) == ["CPP-011"]  # supplier found by its SIRET
    assert rules(next_year, depositor=supplier, is_duplicate=check) == []
    assert rules(other_number, depositor=supplier, is_duplicate=check) == []
    assert rules(same, depositor=StructureFactory(), is_duplicate=check) == ["CPP-010"]


def test_cpp_012_a_credit_note_references_an_original(supplier, recipient):
    credit_note = invoice_for(supplier, recipient, type_code=c.TYPE_CREDIT_NOTE)
    referenced = dataclasses.replace(
        credit_note, preceding_invoices=[c.PrecedingInvoice(number="FA-2025-00041")]
    )

    assert rules(credit_note) == ["CPP-012"]
    assert rules(referenced) == []


def _attachment(name: str, size: int) -> c.Attachment:
    return c.Attachment(id="PJ1", content=b"x" * size, mime_code="application/pdf", filename=name)


def test_cpp_013_each_attachment_at_most_10_mb(supplier, recipient):
    limit = platform_rules.ATTACHMENT_MAX_BYTES
    within = invoice_for(supplier, recipient, attachments=[_attachment("devis.pdf", limit)])
    beyond = invoice_for(supplier, recipient, attachments=[_attachment("devis.pdf", limit + 1)])

    assert rules(within) == []
    assert rules(beyond) == ["CPP-013"]


@pytest.mark.parametrize(
    "name,ok",
    [
        ("bon-de-livraison.PDF", True),
        ("a" * 46 + ".pdf", True),  # 50 characters
        ("a" * 47 + ".pdf", False),  # 51 characters
        ("sans-extension", False),
        ("script.exe", False),
        ("", False),
    ],
)
def test_cpp_014_attachment_name(supplier, recipient, name, ok):
    invoice = invoice_for(supplier, recipient, attachments=[_attachment(name, 10)])

    assert rules(invoice) == ([] if ok else ["CPP-014"])


def test_cpp_015_attachments_total_at_most_120_mb(supplier, recipient, monkeypatch):
    monkeypatch.setattr(platform_rules, "ATTACHMENTS_TOTAL_MAX_BYTES", 25)
    two = [_attachment("a.pdf", 12), _attachment("b.pdf", 13)]
    three = [*two, _attachment("c.pdf", 1)]

    assert rules(invoice_for(supplier, recipient, attachments=two)) == []
    assert rules(invoice_for(supplier, recipient, attachments=three)) == ["CPP-015"]


@pytest.mark.parametrize("write", [write_ubl, write_cii], ids=["ubl", "cii"])
def test_the_pipeline_applies_the_platform_rules_after_the_standards(supplier, recipient, write):
    recipient.ej_required = True
    recipient.save()
    ej = EngagementJuridiqueFactory(structure=recipient)

    accepted = validate(
        write(invoice_for(supplier, recipient, purchase_order_reference=ej.number)),
        depositor=supplier,
    )
    refused = validate(write(invoice_for(supplier, recipient)), depositor=supplier)

    assert (accepted.valid, accepted.findings) == (True, [])
    assert accepted.stages_run[-1] == "platform"
    assert [f.rule for f in refused.findings] == ["CPP-006"]
    assert not refused.valid
    standards_only = validate(write(invoice_for(supplier, recipient)), recipient_check=False)
    assert standards_only.valid and "platform" not in standards_only.stages_run
