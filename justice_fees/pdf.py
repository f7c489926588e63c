"""The mémoire as a PDF (weasyprint): the claimed amounts, and once certified the certified
amounts beside them, line by line, with the reasons of the reductions."""

from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from justice_fees.enums import LineKind, VatRegime
from justice_fees.totals import certified_totals, claimed_totals


def memoire_pdf(memoire) -> bytes:
    lines = list(memoire.lines.select_related("tariff"))
    certified = memoire.certified_total is not None
    exempt = memoire.vat_regime == VatRegime.FRANCHISE
    with translation.override("fr"):
        html = render_to_string(
            "justice_fees/memoire_pdf.html",
            {
                "memoire": memoire,
                "sections": [
                    (label, [line for line in lines if line.kind == kind])
                    for kind, label in LineKind.choices
                ],
                "certified": certified,
                "claimed_totals": claimed_totals(lines, exempt=exempt),
                "certified_totals": certified_totals(lines, exempt=exempt) if certified else None,
                "attachments": list(memoire.attachments.select_related("upload")),
                "printed_at": timezone.localtime(),
                "demonstration": any(line.tariff and line.tariff.demonstration for line in lines),
            },
        )
    return HTML(string=html).write_pdf()
