"""Sample French invoices built by the platform's own code, for demos, benchmarks and tests.

`french_invoice(...)` returns a canonical invoice from a French supplier (SIRET, SIREN, VAT
number) to a public buyer (SIRET, service code, engagement juridique), with lines at 20 %,
10 %, 5.5 % and one VAT-exempt line with its motive, its amounts computed by
`invoices.totals` as every channel computes them. Written to UBL or CII, it passes the
EN 16931 rules.

Hostile documents, for the benchmark and the tests of the validation's budgets:
`ubl_with_wrong_line_amounts(lines)` and `cii_with_empty_elements(count)`.
"""

import datetime
import re
from decimal import Decimal

from chorus.identifiers import sample_siret
from invoices import canonical as c
from invoices.formats import write_cii, write_ubl
from invoices.totals import Exemption, invoice_amounts, line_net_amount

IBAN = "FR7630006000011234567890189"
BIC = "AGRIFRPP"
EXEMPTION_REASON = "Exonération de TVA, article 261-4-4° a du CGI (formation professionnelle)"
EXEMPTION_CODE = "VATEX-EU-132-1I"
PAYMENT_TERMS = (
    "Paiement à 30 jours par virement. En cas de retard, pénalités au taux de 3 fois le taux "
    "d'intérêt légal et indemnité forfaitaire pour frais de recouvrement de 40 € "
    "(articles L441-10 et D441-5 du code de commerce). Pas d'escompte pour paiement anticipé."
)

# (name, quantity, net unit price, VAT category, VAT rate): one line per French rate.
DEFAULT_LINES = (
    ("Prestation de conseil en organisation", "3", "450.00", "S", "20"),
    ("Repas servis en restauration collective", "12", "8.35", "S", "10"),
    ("Ouvrages de bibliothèque", "7", "24.90", "S", "5.5"),
    ("Session de formation professionnelle continue", "1", "800.00", "E", "0"),
)


def french_vat_number(siren: str) -> str:
    """The intra-community VAT number the French tax office derives from a SIREN."""
    key = (12 + 3 * (int(siren) % 97)) % 97
    return f"FR{key:02d}{siren}"


def _party(name: str, siret: str, street: str, postcode: str, city: str) -> c.Party:
    return c.Party(
        name=name,
        identifiers=[c.Identifier(siret, c.SIRET_SCHEME)],
        legal_registration_id=c.Identifier(siret[:9], c.SIREN_SCHEME),
        vat_id=french_vat_number(siret[:9]),
        electronic_address=c.Identifier(siret, c.SIRET_SCHEME),
        address=c.PostalAddress(line1=street, city=city, postal_code=postcode, country_code="FR"),
    )


def _line(index: int, name: str, quantity: str, price: str, category: str, rate: str) -> c.Line:
    line_price = c.Price(net_price=Decimal(price))
    return c.Line(
        id=str(index),
        quantity=Decimal(quantity),
        unit_code="C62",
        net_amount=line_net_amount(quantity=Decimal(quantity), price=line_price),
        price=line_price,
        vat_category_code=category,
        vat_rate=Decimal(rate),
        item=c.Item(name=name),
    )


def french_invoice(
    *,
    number: str = "FA-2025-00042",
    issue_date: datetime.date = datetime.date(2025, 3, 14),
    type_code: str = c.TYPE_INVOICE,
    seller_siret: str | None = None,
    seller_name: str = "Atelier Dupont SAS",
    buyer_siret: str | None = None,
    buyer_name: str = "Commune de Villeneuve-sur-Lot",
    service_code: str | None = "SERV0001",
    engagement: str | None = "EJ2025000123",
    lines=DEFAULT_LINES,
    currency: str = "EUR",
) -> c.Invoice:
    """A valid EN 16931 invoice from a French company to a French public buyer."""
    seller = _party(
        seller_name, seller_siret or sample_siret(1), "12 rue des Artisans", "69002", "Lyon"
    )
    seller.additional_legal_info = "SAS au capital de 10 000 €, RCS Lyon"
    seller.contact = c.Contact(name="Service facturation", email="facturation@dupont.example")
    buyer = _party(
        buyer_name,
        buyer_siret or sample_siret(50_001),
        "Place de la Mairie",
        "47300",
        "Villeneuve-sur-Lot",
    )
    invoice_lines = [_line(i, *spec) for i, spec in enumerate(lines, start=1)]
    amounts = invoice_amounts(invoice_lines, exemption=Exemption(EXEMPTION_REASON, EXEMPTION_CODE))
    return c.Invoice(
        number=number,
        issue_date=issue_date,
        type_code=type_code,
        currency=currency,
        seller=seller,
        buyer=buyer,
        totals=amounts.totals,
        lines=invoice_lines,
        vat_breakdown=amounts.vat_breakdown,
        due_date=issue_date + datetime.timedelta(days=30),
        buyer_reference=service_code,
        purchase_order_reference=engagement,
        payment_terms=PAYMENT_TERMS,
        notes=[c.Note(text="Facture établie selon le devis D-2025-017.", subject_code="AAI")],
        invoicing_period=c.Period(start=issue_date.replace(day=1), end=issue_date),
        delivery=c.Delivery(date=issue_date),  # a legal mention: date of the service
        payment=c.PaymentInstructions(
            means_code="30",
            remittance_information=number,
            credit_transfers=[c.CreditTransfer(account_id=IBAN, provider_id=BIC)],
        ),
    )


_LINE_AMOUNT = re.compile(
    rb"(<cac:InvoiceLine>\s*<cbc:ID>\d+</cbc:ID>\s*<cbc:InvoicedQuantity[^>]*>[^<]*"
    rb'</cbc:InvoicedQuantity>\s*<cbc:LineExtensionAmount currencyID="EUR">)([0-9.]+)<'
)


def invoice_lines(count: int) -> tuple:
    """`count` lines, the default ones repeated (`count` a multiple of 4)."""
    return DEFAULT_LINES * (count // len(DEFAULT_LINES))


def ubl_with_wrong_line_amounts(lines: int) -> bytes:
    """A UBL invoice each of whose line net amounts has a third decimal: every line fails
    two rules (UBL-DT-01, BR-DEC-23)."""
    data = write_ubl(french_invoice(lines=invoice_lines(lines)))
    return _LINE_AMOUNT.sub(rb"\g<1>\g<2>1<", data)


def cii_with_empty_elements(count: int, *, guideline: bytes | None = None) -> bytes:
    """A CII invoice whose first note holds `count` empty elements; `guideline` replaces its
    specification identifier (BT-24), e.g. a Factur-X profile's."""
    data = write_cii(french_invoice())
    if guideline:
        data = data.replace(b"urn:cen.eu:en16931:2017<", guideline + b"<", 1)
    return data.replace(b"<ram:IncludedNote>", b"<ram:IncludedNote>" + b"<ram:X/>" * count, 1)
