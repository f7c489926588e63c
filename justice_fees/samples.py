"""Sample E3 flows, built by the platform's own code (the canonical invoice, `invoices.totals`,
the UBL writer), for the tests and the demo world.

`e3_ubl_flow(...)` returns the bytes of a UBL 2.1 Invoice carrying a mémoire de frais de
justice, mapped as `justice_fees.edi` reads it: provider as seller, juridiction as buyer
(service code BT-10, requesting magistrate BT-56), procedure number BT-12, designating
decision BT-11 (`KIND:AAAA-MM-JJ`), end of mission BT-74, tariff codes in BT-155, the
decision embedded as an attachment (BG-24). Unit prices are the seeded reference table's
(`justice_fees.seed`), so a sample needs no database.
"""

import datetime
from decimal import Decimal

from invoices import canonical as c
from invoices.formats import write_ubl
from invoices.samples import french_vat_number
from invoices.totals import Exemption, invoice_amounts, line_net_amount
from justice_fees.enums import CADRE_MEMOIRE, DecisionKind
from justice_fees.seed import TARIFFS

# A one-page PDF standing for the scanned designating decision.
DECISION_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
FRANCHISE = Exemption("TVA non applicable, art. 293 B du CGI", "VATEX-FR-FRANCHISE")
_PRICES = {code: (label, price, vat) for code, _kind, label, _unit, price, vat in TARIFFS}
# (tariff code or None, quantity, unit price for a free amount, label for a free line)
DEFAULT_LINES = (("INT-ORAL-H", "3", None, ""), ("DEPL-KM", "42", None, ""))


def _party(name: str, siret: str, city: str, postcode: str) -> c.Party:
    return c.Party(
        name=name,
        identifiers=[c.Identifier(siret, c.SIRET_SCHEME)],
        legal_registration_id=c.Identifier(siret[:9], c.SIREN_SCHEME),
        vat_id=french_vat_number(siret[:9]),
        electronic_address=c.Identifier(siret, c.SIRET_SCHEME),
        address=c.PostalAddress(line1="1 place du Palais", city=city, postal_code=postcode,
                                country_code="FR"),
    )  # fmt: skip


def _line(index: int, spec: tuple, *, subject_to_vat: bool) -> c.Line:
    code, quantity, free_price, free_label = spec
    label, price, vat = _PRICES.get(code, (free_label, None, True))
    price = Decimal(price if price is not None else free_price)
    taxed = subject_to_vat and vat
    line_price = c.Price(net_price=price)
    return c.Line(
        id=str(index),
        quantity=Decimal(quantity),
        unit_code="C62",
        net_amount=line_net_amount(quantity=Decimal(quantity), price=line_price),
        price=line_price,
        vat_category_code="S" if taxed else "E",
        vat_rate=Decimal("20") if taxed else Decimal("0"),
        item=c.Item(name=free_label or label, seller_id=code),
    )


def e3_memoire(
    *,
    provider_siret: str,
    court_siret: str,
    number: str = "MJ-2026-001",
    provider_name: str = "Olga Petrova (EI)",
    court_name: str = "Tribunal judiciaire de Valmont",
    service_code: str | None = "FRAIS-JUSTICE",
    requester: str = "Mme la juge d'instruction Leroy",
    procedure_number: str = "PARQUET 26/01234",
    decision_kind: str = DecisionKind.ORDONNANCE,
    decision_date: datetime.date | None = None,
    mission_end: datetime.date | None = None,
    issue_date: datetime.date | None = None,
    lines=DEFAULT_LINES,
    subject_to_vat: bool = False,
    with_decision: bool = True,
) -> c.Invoice:
    """The canonical invoice of a mémoire, as an E3 flow carries it (see the module)."""
    today = datetime.date.today()
    mission_end = mission_end or today - datetime.timedelta(days=10)
    decision_date = decision_date or mission_end - datetime.timedelta(days=20)
    issue_date = issue_date or today
    memoire_lines = [
        _line(i, spec, subject_to_vat=subject_to_vat) for i, spec in enumerate(lines, start=1)
    ]
    amounts = invoice_amounts(memoire_lines, exemption=FRANCHISE)
    buyer = _party(court_name, court_siret, "Valmont", "75001")
    buyer.contact = c.Contact(name=requester)
    attachments = []
    if with_decision:
        attachments.append(
            c.Attachment(
                id=f"DECISION-{number}",
                description="Décision de désignation",
                content=DECISION_PDF,
                mime_code="application/pdf",
                filename="decision.pdf",
            )
        )
    return c.Invoice(
        number=number,
        issue_date=issue_date,
        type_code=c.TYPE_INVOICE,
        currency="EUR",
        seller=_party(provider_name, provider_siret, "Lyon", "69003"),
        buyer=buyer,
        totals=amounts.totals,
        lines=memoire_lines,
        vat_breakdown=amounts.vat_breakdown,
        tax_point_date_code="3" if subject_to_vat else None,
        buyer_reference=service_code,
        project_reference=f"{decision_kind}:{decision_date.isoformat()}",
        contract_reference=procedure_number,
        business_process=CADRE_MEMOIRE,
        invoicing_period=c.Period(start=decision_date, end=mission_end),
        payment_terms="Paiement par virement à réception de la certification du mémoire.",
        attachments=attachments,
    )


def e3_ubl_flow(**kwargs) -> bytes:
    """The bytes of an E3 flow: `e3_memoire(**kwargs)` written in UBL 2.1."""
    return write_ubl(e3_memoire(**kwargs))
