"""The EN 16931 amounts every producer of canonical invoices computes with `invoices.totals`:
line net amounts, the VAT breakdown per category and rate, document-level allowances and
charges, and the document totals."""

from decimal import Decimal

from invoices import canonical as c
from invoices.totals import Exemption, invoice_amounts, line_net_amount, money, vat_amount


def _line(amount: str, category: str, rate: str | None) -> c.Line:
    return c.Line(
        id="1",
        quantity=Decimal(1),
        unit_code="C62",
        net_amount=Decimal(amount),
        price=c.Price(net_price=Decimal(amount)),
        vat_category_code=category,
        vat_rate=Decimal(rate) if rate is not None else None,
        item=c.Item(name="Article"),
    )


def test_money_rounds_half_up_to_the_cent():
    assert money(Decimal("0.125")) == Decimal("0.13")
    assert money(Decimal("0.124999")) == Decimal("0.12")
    assert money(Decimal("-0.125")) == Decimal("-0.13")


def test_line_net_amount_applies_base_quantity_allowances_and_charges_then_rounds():
    price = c.Price(net_price=Decimal("12.345"), base_quantity=Decimal("10"))
    allowances_charges = [
        c.AllowanceCharge(is_charge=False, amount=Decimal("2.00")),
        c.AllowanceCharge(is_charge=True, amount=Decimal("0.50")),
    ]
    # 25 × 12.345 / 10 = 30.8625; − 2.00 + 0.50 = 29.3625 -> 29.36
    amount = line_net_amount(
        quantity=Decimal("25"), price=price, allowances_charges=allowances_charges
    )
    assert amount == Decimal("29.36")
    assert line_net_amount(quantity=Decimal("3"), price=c.Price(Decimal("0.335"))) == Decimal(
        "1.01"
    )


def test_vat_is_computed_per_rate_on_the_rounded_base():
    lines = [_line("1.01", "S", "20"), _line("0.13", "S", "20"), _line("174.30", "S", "5.5")]
    breakdown, totals = invoice_amounts(lines)
    assert [(b.category_code, b.rate, b.taxable_amount, b.tax_amount) for b in breakdown] == [
        ("S", Decimal("20"), Decimal("1.14"), Decimal("0.23")),  # not 0.20 + 0.03 per line
        ("S", Decimal("5.5"), Decimal("174.30"), Decimal("9.59")),
    ]
    assert vat_amount(Decimal("1.14"), Decimal("20")) == Decimal("0.23")
    assert (totals.line_net_total, totals.tax_exclusive_amount) == (
        Decimal("175.44"),
        Decimal("175.44"),
    )
    assert (totals.vat_total, totals.tax_inclusive_amount, totals.amount_due) == (
        Decimal("9.82"),
        Decimal("185.26"),
        Decimal("185.26"),
    )
    assert (totals.allowance_total, totals.charge_total, totals.prepaid_amount) == (
        None,
        None,
        None,
    )


def test_only_categories_without_vat_carry_the_exemption():
    lines = [_line("100.00", "S", "20"), _line("50.00", "E", "0"), _line("30.00", "O", None)]
    breakdown, totals = invoice_amounts(
        lines,
        exemption=Exemption(reason="Exonération, article 261 du CGI", code="VATEX-FR-FRANCHISE"),
    )
    assert [
        (b.category_code, b.rate, b.tax_amount, b.exemption_reason, b.exemption_reason_code)
        for b in breakdown
    ] == [
        ("S", Decimal("20"), Decimal("20.00"), None, None),
        (
            "E",
            Decimal("0"),
            Decimal("0.00"),
            "Exonération, article 261 du CGI",
            "VATEX-FR-FRANCHISE",
        ),
        ("O", None, Decimal("0.00"), "Exonération, article 261 du CGI", "VATEX-FR-FRANCHISE"),
    ]
    assert totals.tax_inclusive_amount == Decimal("200.00")


def test_document_allowances_and_charges_enter_their_rate_and_the_totals():
    lines = [_line("100.00", "S", "20"), _line("40.00", "S", "10")]
    allowances_charges = [
        c.AllowanceCharge(
            is_charge=False, amount=Decimal("10.00"), vat_category_code="S", vat_rate=Decimal("20")
        ),
        c.AllowanceCharge(
            is_charge=True, amount=Decimal("5.00"), vat_category_code="S", vat_rate=Decimal("10")
        ),
    ]
    breakdown, totals = invoice_amounts(lines, allowances_charges, prepaid=Decimal("50.00"))
    assert [(b.rate, b.taxable_amount, b.tax_amount) for b in breakdown] == [
        (Decimal("20"), Decimal("90.00"), Decimal("18.00")),
        (Decimal("10"), Decimal("45.00"), Decimal("4.50")),
    ]
    assert (totals.line_net_total, totals.allowance_total, totals.charge_total) == (
        Decimal("140.00"),
        Decimal("10.00"),
        Decimal("5.00"),
    )
    assert (totals.tax_exclusive_amount, totals.vat_total, totals.tax_inclusive_amount) == (
        Decimal("135.00"),
        Decimal("22.50"),
        Decimal("157.50"),
    )
    assert (totals.prepaid_amount, totals.amount_due) == (Decimal("50.00"), Decimal("107.50"))
