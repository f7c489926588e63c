"""`{{ line.unit_code|unit_label }}`, `{{ group|vat_label }}`: invoices.codes in templates."""

from django import template

from invoices import codes

register = template.Library()


@register.filter
def unit_label(code: str) -> str:
    return codes.code_label(codes.UNIT, code)


@register.filter
def vat_label(obj) -> str:
    """The VAT of a line (`vat_category_code`, `vat_rate`) or a breakdown row (`category_code`,
    `rate`)."""
    category = getattr(obj, "vat_category_code", None) or obj.category_code
    rate = obj.vat_rate if hasattr(obj, "vat_category_code") else obj.rate
    return codes.vat_label(category, rate)
