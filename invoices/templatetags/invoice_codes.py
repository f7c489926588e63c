"""`{{ line.unit_code|unit_label }}`, `{{ breakdown|vat_label }}`: invoices.codes in templates."""

from django import template

from invoices import codes

register = template.Library()


@register.filter
def unit_label(code: str) -> str:
    return codes.code_label(codes.UNIT, code)


@register.filter
def vat_label(breakdown) -> str:
    """The VAT category and rate of a VAT breakdown row (canonical `VatBreakdown`)."""
    return codes.vat_label(breakdown.category_code, breakdown.rate)
