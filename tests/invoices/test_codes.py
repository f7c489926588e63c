from decimal import Decimal

from django.utils import translation

from invoices.codes import UNIT, VAT_CATEGORY, code_label, vat_label


def test_units_and_vat_categories_read_as_french_words_with_english_available():
    with translation.override("fr"):
        assert code_label(UNIT, "C62") == "unité"
        assert code_label(VAT_CATEGORY, "AE") == "Autoliquidation"
        assert vat_label("Z", Decimal("0")) == "Taux zéro"
    with translation.override("en"):
        assert code_label(UNIT, "HUR") == "hour"
        assert vat_label("E", Decimal("0")) == "VAT exemption"


def test_a_code_without_a_name_is_shown_as_it_is():
    assert code_label(UNIT, "XPP") == "XPP"


def test_the_standard_rate_reads_as_its_percentage():
    assert vat_label("S", Decimal("5.50")) == "5,5 %"
    assert vat_label("S", Decimal("20.00")) == "20 %"
