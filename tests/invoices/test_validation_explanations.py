"""Findings in plain language: the business term's names, the line, what and how, in French
and English, the technical details apart."""

import re

import pytest
from django.utils import translation

from invoices.samples import ubl_with_wrong_line_amounts
from invoices.validation import schematron
from invoices.validation.explanations import HAND_WRITTEN, TERMS, explain, sentence
from invoices.validation.findings import Finding, Severity

# The platform's rules and the EN 16931 rules the official unit tests assert most often
# (counted over the <error>/<warning> assertions of en16931/unit, Canary Islands and Ceuta
# taxes left aside).
MOST_FREQUENT = [
    *(f"CPP-{n:03}" for n in range(1, 16)),
    "XSD",
    "READ-NOT-XML-OR-PDF",
    "READ-PDF-NO-XML",
    "READ-VALUE",
    "READ-EMPTY-ELEMENTS",
    "BR-CO-15",
    "BR-CO-13",
    "BR-E-01",
    "BR-07",
    "BR-06",
    "BR-AE-02",
    "BR-AE-03",
    "BR-AE-04",
    "BR-IC-12",
    "BR-10",
    "BR-08",
    "BR-54",
    "BR-S-08",
    "BR-S-02",
    "BR-IC-03",
    "BR-IC-02",
    "BR-IC-04",
    "BR-S-03",
    "BR-IC-01",
    "BR-S-04",
]

UBL_LINE = "/Invoice/cac:InvoiceLine[3]/cac:Item/cbc:Name"
CII_LINE = (
    "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/"
    "ram:IncludedSupplyChainTradeLineItem[2]/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity"
)


def _finding(rule, location="", message="", message_en="", bt=None):
    return Finding(rule, Severity.FATAL, message, message_en, location, bt).to_dict()


def test_every_business_term_and_group_has_a_french_and_an_english_name():
    codes = [f"BT-{n}" for n in range(1, 166) if n != 4] + [f"BG-{n}" for n in range(1, 33)]
    assert sorted(TERMS) == sorted(codes)  # BT-4 does not exist in EN 16931
    assert all(french and english and french != english for french, english in TERMS.values())
    assert TERMS["BT-10"] == ("Référence acheteur", "Buyer reference")


def test_the_forty_most_frequent_rules_are_hand_written_in_both_languages():
    assert len(set(MOST_FREQUENT)) == 40
    for rule in MOST_FREQUENT:
        term, what_fr, fix_fr, what_en, fix_en = HAND_WRITTEN[rule]
        assert term is None or term in TERMS
        assert all(text.endswith((".", ")")) for text in (what_fr, fix_fr, what_en, fix_en))
        assert what_fr != what_en and fix_fr != fix_en
        assert not re.search(r"/\w+:", what_fr + fix_fr + what_en + fix_en)


@pytest.mark.parametrize("english", [False, True])
def test_a_hand_written_rule_names_the_term_and_the_line_without_xpath(english):
    finding = _finding(
        "BR-CO-15",
        "/Invoice/cac:LegalMonetaryTotal",
        message_en="[BR-CO-15]-Invoice total amount with VAT (BT-112) = ... (BT-110).",
        bt="BT-112",
    )
    explained = explain(finding, english=english)
    text = sentence(explained, english=english)
    if english:
        assert text.startswith("Invoice total amount with VAT (BT-112, Montant total TTC): ")
        assert "Recompute the total with VAT" in text
    else:
        assert text.startswith("Montant total TTC (BT-112, Invoice total amount with VAT) : ")
        assert "Recalculez le total TTC" in text
    assert "/Invoice" not in text and "BR-CO-15" not in text
    assert explained["technical"] == {
        "rule": "BR-CO-15",
        "xpath": "/Invoice/cac:LegalMonetaryTotal",
        "text": finding["message_en"],
    }


@pytest.mark.parametrize(("location", "line"), [(UBL_LINE, 3), (CII_LINE, 2), ("/Invoice", None)])
def test_the_invoice_line_comes_from_the_xpath(location, line):
    assert explain(_finding("BR-25", location), english=False)["line"] == line


def test_another_rule_gets_a_sentence_from_its_official_text_term_and_value():
    finding = _finding(
        "BR-CL-23",
        CII_LINE,
        message_en="Unit code MUST be coded according to the UN/ECE Recommendation 20 (value: 'ZZZ')",
        bt="BT-130",
    )
    text = sentence(explain(finding, english=False), english=False)
    assert text.startswith("Unité de la quantité facturée (BT-130, Invoiced quantity unit of")
    assert ", ligne 2 : " in text
    assert "« Unit code MUST be coded according to the UN/ECE Recommendation 20 »" in text
    assert "Valeur trouvée : « ZZZ »." in text
    assert "/rsm:" not in text
    with translation.override("en"):
        english = sentence(explain(finding))
    assert english.startswith("Invoiced quantity unit of measure code (BT-130, ")
    assert ", line 2: " in english and "Value found: “ZZZ”." in english


def test_a_platform_finding_keeps_its_facts_without_the_path():
    finding = _finding(
        "CPP-005",
        "/Invoice/cbc:BuyerReference",
        "Le code service « INCONNU » (…Invoice/BuyerReference) n'est pas un service actif de "
        "Mairie : choisissez un code service de ce destinataire dans l'annuaire.",
        "Service code “INCONNU” (…Invoice/BuyerReference) is not an active service of Mairie: "
        "pick one.",
        "BT-10",
    )
    explained = explain(finding, english=False)
    assert explained["found"] == "Le code service « INCONNU » n'est pas un service actif de Mairie"
    assert explain(finding, english=True)["found"] == (
        "Service code “INCONNU” is not an active service of Mairie"
    )
    assert "…" not in sentence(explained, english=False)


def test_a_real_line_finding_names_its_line_and_keeps_the_xpath_apart():
    findings = schematron.check_en16931(ubl_with_wrong_line_amounts(8), "ubl")
    second = next(f for f in findings if "InvoiceLine[2]" in f.location)
    explained = explain(second.to_dict(), english=False)
    assert explained["line"] == 2
    assert explained["technical"]["xpath"] == second.location
    text = sentence(explained, english=False)
    assert "ligne 2 : " in text and "/Invoice" not in text and second.rule not in text
