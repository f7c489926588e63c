"""The canonical invoice: the EN 16931 semantic model as typed Python dataclasses.

Every reader (UBL, CII, Factur-X) produces an `Invoice`; every writer and every platform
rule works on one. Field names say what the data is; the EN 16931 business term (BT-n) or
group (BG-n) is given in a comment. Amounts, quantities and rates are `Decimal` as read
(never floats), dates are `datetime.date`, codes are kept as the document gives them.

Public API:
- `Invoice` and its parts: `Party`, `Identifier`, `PostalAddress`, `Contact`, `Payee`,
  `TaxRepresentative`, `Delivery`, `Period`, `PaymentInstructions`, `CreditTransfer`,
  `PaymentCard`, `DirectDebit`, `AllowanceCharge`, `VatBreakdown`, `Totals`, `Line`,
  `Price`, `Item`, `ItemClassification`, `ItemAttribute`, `Attachment`, `Note`,
  `PrecedingInvoice`, `DocumentReference`.
- `Invoice.seller_siret` / `Invoice.buyer_siret`: the SIRET of a party (see `Party.siret`
  for the precedence), `Invoice.attachments_size`, `Attachment.size`,
  `Invoice.is_credit_note`.
- `Invoice.to_dict()` (JSON-safe: Decimal and dates as strings, bytes as base64) and
  `Invoice.from_dict(data)`, its exact inverse, for persistence.
- Code constants: `SIRET_SCHEME` ("0009"), `SIREN_SCHEME` ("0002"), `CREDIT_NOTE_TYPE_CODES`.

Readers do not validate: a term the document lacks is None, even one EN 16931 makes
mandatory (the validation stages report it). Where a syntax carries something EN 16931 does not name (e.g. a CII contact's department),
the field says so in its comment; the readers keep it so that a round trip loses nothing.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal

SIRET_SCHEME = "0009"  # ISO 6523 ICD of the French SIRET (14 digits)
SIREN_SCHEME = "0002"  # ISO 6523 ICD of the French SIREN (9 digits)

# UNTDID 1001 codes of documents that credit the buyer (UBL writes them as a CreditNote).
CREDIT_NOTE_TYPE_CODES = frozenset(
    {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"}
)

# Common document type codes (BT-3, UNTDID 1001).
TYPE_INVOICE = "380"
TYPE_CREDIT_NOTE = "381"
TYPE_CORRECTIVE = "384"
TYPE_PREPAYMENT = "386"
TYPE_SELF_BILLED = "389"


@dataclass
class Identifier:
    """An identifier with its optional scheme (ISO 6523 ICD such as 0009 for SIRET, EAS...)."""

    value: str
    scheme: str | None = None
    scheme_version: str | None = None  # listVersionID, used by item classifications only


@dataclass
class PostalAddress:
    """BG-5 / BG-8 / BG-12 / BG-15."""

    line1: str | None = None  # BT-35 / BT-50 / BT-64 / BT-75
    line2: str | None = None  # BT-36 / BT-51 / BT-65 / BT-76
    line3: str | None = None  # BT-162 / BT-163 / BT-164 / BT-165
    city: str | None = None  # BT-37 / BT-52 / BT-66 / BT-77
    postal_code: str | None = None  # BT-38 / BT-53 / BT-67 / BT-78
    country_subdivision: str | None = None  # BT-39 / BT-54 / BT-68 / BT-79
    country_code: str | None = None  # BT-40 / BT-55 / BT-69 / BT-80 (ISO 3166-1 alpha-2)


@dataclass
class Contact:
    """BG-6 / BG-9."""

    name: str | None = None  # BT-41 / BT-56 contact point (CII PersonName)
    department: str | None = None  # CII DepartmentName: also BT-41 / BT-56 in EN 16931
    phone: str | None = None  # BT-42 / BT-57
    email: str | None = None  # BT-43 / BT-58


@dataclass
class Party:
    """The seller (BG-4) or the buyer (BG-7)."""

    name: str | None = None  # BT-27 / BT-44 (legal name)
    trading_name: str | None = None  # BT-28 / BT-45
    identifiers: list[Identifier] = field(default_factory=list)  # BT-29 / BT-46, with scheme
    legal_registration_id: Identifier | None = None  # BT-30 / BT-47, with scheme
    vat_id: str | None = None  # BT-31 / BT-48
    tax_registration_id: str | None = None  # BT-32 (seller): tax id other than VAT
    tax_registration_scheme: str | None = None  # its UBL TaxScheme id when not "TAX" (e.g. LOC)
    additional_legal_info: str | None = None  # BT-33 (seller only, e.g. capital, RCS)
    electronic_address: Identifier | None = None  # BT-34 / BT-49, scheme = EAS code
    address: PostalAddress | None = None  # BG-5 / BG-8
    contact: Contact | None = None  # BG-6 / BG-9

    @property
    def siret(self) -> str | None:
        """The party's SIRET, looked for in this order:

        1. an identifier (BT-29 / BT-46) with scheme 0009;
        2. the legal registration id (BT-30 / BT-47) with scheme 0009;
        3. the legal registration id with scheme 0002 when it holds 14 digits: French
           invoices often put the SIRET there, under the SIREN scheme.
        A 9-digit SIREN is not a SIRET: it is never returned.
        """
        for identifier in self.identifiers:
            if identifier.scheme == SIRET_SCHEME and identifier.value:
                return identifier.value.strip()
        legal = self.legal_registration_id
        if legal and legal.value:
            value = legal.value.strip()
            if legal.scheme == SIRET_SCHEME:
                return value
            if legal.scheme == SIREN_SCHEME and len(value) == 14 and value.isdigit():
                return value
        return None


@dataclass
class Payee:
    """BG-10: who receives the payment when it is not the seller."""

    name: str | None = None  # BT-59
    identifiers: list[Identifier] = field(default_factory=list)  # BT-60, with scheme
    legal_registration_id: Identifier | None = None  # BT-61, with scheme


@dataclass
class TaxRepresentative:
    """BG-11: the seller's tax representative."""

    name: str | None = None  # BT-62
    vat_id: str | None = None  # BT-63
    address: PostalAddress | None = None  # BG-12


@dataclass
class Period:
    """BG-14 (invoicing period) / BG-26 (line period)."""

    start: datetime.date | None = None  # BT-73 / BT-134
    end: datetime.date | None = None  # BT-74 / BT-135


@dataclass
class Delivery:
    """BG-13: delivery information."""

    party_name: str | None = None  # BT-70 deliver to party name
    location_id: Identifier | None = None  # BT-71 deliver to location identifier, with scheme
    date: datetime.date | None = None  # BT-72 actual delivery date
    address: PostalAddress | None = None  # BG-15 deliver to address


@dataclass
class CreditTransfer:
    """BG-17: one account to pay into."""

    account_id: str  # BT-84 (IBAN or other account number)
    account_name: str | None = None  # BT-85
    provider_id: str | None = None  # BT-86 (BIC)


@dataclass
class PaymentCard:
    """BG-18."""

    primary_account_number: str  # BT-87 (at most the last digits, by law)
    holder_name: str | None = None  # BT-88
    network: str | None = None  # UBL NetworkID (mandatory there), not an EN 16931 term


@dataclass
class DirectDebit:
    """BG-19."""

    mandate_reference: str | None = None  # BT-89
    creditor_id: str | None = None  # BT-90 bank assigned creditor identifier (SEPA)
    debited_account_id: str | None = None  # BT-91


@dataclass
class PaymentInstructions:
    """BG-16."""

    means_code: str  # BT-81 (UNTDID 4461: 30 credit transfer, 58 SEPA, 49 direct debit...)
    means_text: str | None = None  # BT-82
    remittance_information: str | None = None  # BT-83
    credit_transfers: list[CreditTransfer] = field(default_factory=list)  # BG-17
    card: PaymentCard | None = None  # BG-18
    direct_debit: DirectDebit | None = None  # BG-19


@dataclass
class AllowanceCharge:
    """Document level allowance (BG-20) / charge (BG-21), line allowance (BG-27) / charge (BG-28)."""

    is_charge: bool  # False: allowance, True: charge
    amount: Decimal  # BT-92 / BT-99 / BT-136 / BT-141
    base_amount: Decimal | None = None  # BT-93 / BT-100 / BT-137 / BT-142
    percentage: Decimal | None = None  # BT-94 / BT-101 / BT-138 / BT-143
    vat_category_code: str | None = None  # BT-95 / BT-102 (document level only)
    vat_rate: Decimal | None = None  # BT-96 / BT-103 (document level only)
    reason: str | None = None  # BT-97 / BT-104 / BT-139 / BT-144
    reason_code: str | None = None  # BT-98 / BT-105 / BT-140 / BT-145


@dataclass
class VatBreakdown:
    """BG-23: one VAT category and rate."""

    taxable_amount: Decimal  # BT-116
    tax_amount: Decimal  # BT-117
    category_code: str  # BT-118 (UNTDID 5305: S, Z, E, AE, K, G, O, L, M)
    rate: Decimal | None = None  # BT-119
    exemption_reason: str | None = None  # BT-120
    exemption_reason_code: str | None = None  # BT-121 (VATEX)


@dataclass
class Totals:
    """BG-22: document totals."""

    line_net_total: Decimal  # BT-106
    tax_exclusive_amount: Decimal  # BT-109 total without VAT
    tax_inclusive_amount: Decimal  # BT-112 total with VAT
    amount_due: Decimal  # BT-115
    allowance_total: Decimal | None = None  # BT-107
    charge_total: Decimal | None = None  # BT-108
    vat_total: Decimal | None = None  # BT-110 (in the invoice currency)
    vat_total_accounting_currency: Decimal | None = None  # BT-111 (in BT-6)
    prepaid_amount: Decimal | None = None  # BT-113
    rounding_amount: Decimal | None = None  # BT-114


@dataclass
class Price:
    """BG-29: price details of a line."""

    net_price: Decimal  # BT-146
    gross_price: Decimal | None = None  # BT-148
    discount: Decimal | None = None  # BT-147 (gross - net)
    base_quantity: Decimal | None = None  # BT-149
    base_quantity_unit_code: str | None = None  # BT-150
    # CII may give the gross price its own base quantity; UBL and EN 16931 have only BT-149.
    gross_base_quantity: Decimal | None = None
    gross_base_quantity_unit_code: str | None = None


@dataclass
class ItemClassification:
    """BT-158 with its list id (BT-158-1) and list version (BT-158-2)."""

    code: str
    list_id: str | None = None
    list_version: str | None = None


@dataclass
class ItemAttribute:
    """BG-32."""

    name: str  # BT-160
    value: str  # BT-161


@dataclass
class Item:
    """BG-31: what is invoiced on a line."""

    name: str  # BT-153
    description: str | None = None  # BT-154
    seller_id: str | None = None  # BT-155
    buyer_id: str | None = None  # BT-156
    standard_id: Identifier | None = None  # BT-157, with scheme (GTIN is 0160)
    classifications: list[ItemClassification] = field(default_factory=list)  # BT-158
    origin_country: str | None = None  # BT-159
    attributes: list[ItemAttribute] = field(default_factory=list)  # BG-32


@dataclass
class Line:
    """BG-25: an invoice line."""

    id: str  # BT-126
    quantity: Decimal  # BT-129
    unit_code: str  # BT-130 (UN/ECE Rec 20/21)
    net_amount: Decimal  # BT-131
    price: Price  # BG-29
    vat_category_code: str  # BT-151
    item: Item  # BG-31
    vat_rate: Decimal | None = None  # BT-152
    note: str | None = None  # BT-127
    object_id: Identifier | None = None  # BT-128, with scheme
    order_line_reference: str | None = None  # BT-132
    accounting_reference: str | None = None  # BT-133
    period: Period | None = None  # BG-26
    allowances_charges: list[AllowanceCharge] = field(default_factory=list)  # BG-27 / BG-28

    @property
    def allowances(self) -> list[AllowanceCharge]:
        return [ac for ac in self.allowances_charges if not ac.is_charge]

    @property
    def charges(self) -> list[AllowanceCharge]:
        return [ac for ac in self.allowances_charges if ac.is_charge]


@dataclass
class Attachment:
    """BG-24: an additional supporting document, embedded or referenced by URI."""

    id: str  # BT-122
    description: str | None = None  # BT-123
    external_uri: str | None = None  # BT-124
    content: bytes | None = None  # BT-125 (decoded, not base64)
    mime_code: str | None = None  # BT-125-1
    filename: str | None = None  # BT-125-2

    @property
    def size(self) -> int:
        """Size in bytes of the embedded content (0 for an external reference)."""
        return len(self.content) if self.content is not None else 0


@dataclass
class Note:
    """BG-1."""

    text: str  # BT-22
    subject_code: str | None = None  # BT-21 (UNTDID 4451: AAI, REG, ABL, PMT, PMD, AAB...)


@dataclass
class PrecedingInvoice:
    """BG-3."""

    number: str  # BT-25
    issue_date: datetime.date | None = None  # BT-26


@dataclass
class DocumentReference:
    """A reference with an optional scheme, e.g. the invoiced object identifier (BT-18)."""

    id: str
    scheme: str | None = None


@dataclass
class Invoice:
    """The EN 16931 invoice (or credit note)."""

    number: str  # BT-1
    issue_date: datetime.date  # BT-2
    type_code: str  # BT-3 (380 invoice, 381 credit note, 384 corrective, 386 prepayment...)
    currency: str  # BT-5
    seller: Party  # BG-4
    buyer: Party  # BG-7
    totals: Totals  # BG-22
    lines: list[Line] = field(default_factory=list)  # BG-25
    vat_breakdown: list[VatBreakdown] = field(default_factory=list)  # BG-23
    vat_accounting_currency: str | None = None  # BT-6
    tax_point_date: datetime.date | None = None  # BT-7
    tax_point_date_code: str | None = None  # BT-8 (UNTDID 2005: 3, 35, 432)
    due_date: datetime.date | None = None  # BT-9
    buyer_reference: str | None = None  # BT-10: the recipient's service code
    project_reference: str | None = None  # BT-11
    contract_reference: str | None = None  # BT-12
    purchase_order_reference: str | None = None  # BT-13: the engagement juridique (EJ)
    sales_order_reference: str | None = None  # BT-14
    receiving_advice_reference: str | None = None  # BT-15
    despatch_advice_reference: str | None = None  # BT-16
    tender_reference: str | None = None  # BT-17 tender or lot reference
    invoiced_object: DocumentReference | None = None  # BT-18, with scheme
    buyer_accounting_reference: str | None = None  # BT-19
    payment_terms: str | None = None  # BT-20
    notes: list[Note] = field(default_factory=list)  # BG-1
    business_process: str | None = None  # BT-23
    specification_id: str = "urn:cen.eu:en16931:2017"  # BT-24 (customization / guideline)
    preceding_invoices: list[PrecedingInvoice] = field(default_factory=list)  # BG-3
    payee: Payee | None = None  # BG-10
    tax_representative: TaxRepresentative | None = None  # BG-11
    delivery: Delivery | None = None  # BG-13
    invoicing_period: Period | None = None  # BG-14
    payment: PaymentInstructions | None = None  # BG-16
    allowances_charges: list[AllowanceCharge] = field(default_factory=list)  # BG-20 / BG-21
    attachments: list[Attachment] = field(default_factory=list)  # BG-24

    @property
    def is_credit_note(self) -> bool:
        return self.type_code in CREDIT_NOTE_TYPE_CODES

    @property
    def seller_siret(self) -> str | None:
        return self.seller.siret

    @property
    def buyer_siret(self) -> str | None:
        return self.buyer.siret

    @property
    def allowances(self) -> list[AllowanceCharge]:
        return [ac for ac in self.allowances_charges if not ac.is_charge]

    @property
    def charges(self) -> list[AllowanceCharge]:
        return [ac for ac in self.allowances_charges if ac.is_charge]

    @property
    def attachments_size(self) -> int:
        """Total size in bytes of the embedded attachments."""
        return sum(attachment.size for attachment in self.attachments)

    def to_dict(self) -> dict:
        """A JSON-safe dict: Decimal and dates as strings, bytes as base64, None kept."""
        return _dump(self)

    @classmethod
    def from_dict(cls, data: dict) -> Invoice:
        """Rebuilds an Invoice from `to_dict()` output."""
        return _load(cls, data)


def _dump(value):
    if dataclasses.is_dataclass(value):
        return {f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_dump(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


_HINTS: dict[type, dict[str, object]] = {}


def _load(kind, data):
    if data is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return _load(inner, data)
    if origin is list:
        (inner,) = typing.get_args(kind)
        return [_load(inner, item) for item in data]
    if dataclasses.is_dataclass(kind):
        if kind not in _HINTS:
            _HINTS[kind] = typing.get_type_hints(kind)
        hints = _HINTS[kind]
        return kind(**{name: _load(hints[name], value) for name, value in data.items()})
    if kind is Decimal:
        return Decimal(data)
    if kind is datetime.date:
        return datetime.date.fromisoformat(data)
    if kind is bytes:
        return base64.b64decode(data)
    return data
