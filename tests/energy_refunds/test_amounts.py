"""The refund arithmetic: one rounding, per product, and the advances."""

from decimal import Decimal

import pytest

from energy_refunds.amounts import refund_amounts, refund_round

D = Decimal
RATES_2023 = {
    "GNR": D("14.96"),
    "FIOUL_LOURD": D("13.76"),
    "GPL": D("5.72"),
    "GN_COMBUSTIBLE": D("7.83"),
    "GN_CARBURANT": D("4.69"),
}


@pytest.mark.parametrize(
    "value, rounded",
    [
        ("0.005", "0.01"),  # half up, not half to even
        ("0.125", "0.13"),
        ("0.135", "0.14"),
        ("2.004999", "2.00"),
        ("1496", "1496.00"),
    ],
)
def test_refund_round_goes_half_up_to_the_cent(value, rounded):
    assert refund_round(D(value)) == D(rounded)


def test_rounding_is_per_product_total_not_per_invoice():
    # Three deliveries of 0.001 hl: 0.01496 € each would round to 0.01 three times (0.03);
    # the product's total, 0.04488 €, rounds to 0.04.
    amounts = refund_amounts(lines=[("GNR", D("0.001"))] * 3, rates=RATES_2023)

    assert amounts.products[0].quantity == D("0.003")
    assert amounts.products[0].amount == D("0.04")
    assert amounts.gross == D("0.04")


def test_several_products_are_summed_each_then_totalled():
    amounts = refund_amounts(
        lines=[
            ("GNR", D("60")),
            ("GN_COMBUSTIBLE", D("12.345")),
            ("GNR", D("40.5")),
            ("FIOUL_LOURD", D("3.333")),
        ],
        rates=RATES_2023,
    )

    by_product = {t.product: (t.quantity, t.amount) for t in amounts.products}
    assert by_product == {
        "GNR": (D("100.5"), D("1503.48")),  # 1503.48 exactly
        "FIOUL_LOURD": (D("3.333"), D("45.86")),  # 45.86208
        "GN_COMBUSTIBLE": (D("12.345"), D("96.66")),  # 96.66135
    }
    assert [t.product for t in amounts.products] == ["GNR", "FIOUL_LOURD", "GN_COMBUSTIBLE"]
    assert amounts.gross == D("1646.00")


def test_the_advance_is_half_the_refund_rounded_half_up():
    amounts = refund_amounts(lines=[("GNR", D("0.002"))], rates=RATES_2023, advance_requested=True)

    assert amounts.gross == D("0.03")  # 0.02992
    assert amounts.advance == D("0.02")  # 0.015 half up
    assert amounts.to_pay == D("0.05")


def test_the_advance_paid_last_year_is_deducted_from_this_refund():
    amounts = refund_amounts(
        lines=[("GNR", D("100"))], rates=RATES_2023, advance_deducted=D("600.00")
    )

    assert (amounts.gross, amounts.net) == (D("1496.00"), D("896.00"))


def test_an_advance_larger_than_the_refund_leaves_nothing_to_pay_not_a_negative_payment():
    amounts = refund_amounts(
        lines=[("GNR", D("10"))], rates=RATES_2023, advance_deducted=D("500.00")
    )

    assert amounts.net == D("0.00")


def test_an_adjusted_amount_replaces_the_computed_one_and_bases_the_advance():
    amounts = refund_amounts(
        lines=[("GNR", D("100"))],
        rates=RATES_2023,
        adjusted=D("1000.005"),
        advance_requested=True,
    )

    assert (amounts.gross, amounts.retained, amounts.advance) == (
        D("1496.00"),
        D("1000.01"),
        D("500.01"),  # 500.005 half up
    )


def test_a_product_without_rate_has_no_amount_and_is_named():
    amounts = refund_amounts(lines=[("GN_CARBURANT", D("5"))], rates={"GNR": D("14.96")})

    assert amounts.products[0].amount is None
    assert amounts.missing_rates == ["GN_CARBURANT"]
    assert amounts.gross == D("0.00")
