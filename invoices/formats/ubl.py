"""UBL 2.1 Invoice / CreditNote <-> canonical invoice, following the EN 16931 UBL binding.

`read_ubl(root)` takes a parsed Invoice or CreditNote root; `write_ubl(invoice)` returns UTF-8
bytes: a CreditNote when the type code credits the buyer (381, 396...), an Invoice otherwise.
"""

import re
from decimal import Decimal

from lxml import etree

from invoices import canonical as c
from invoices.formats.xmltools import Builder, b64, binary, decimal, iso_date, text

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NS = {"cac": CAC, "cbc": CBC}

# BT-11 and BT-17 of a credit note: UBL 2.1 CreditNote has no ProjectReference element.
PROJECT_DOCUMENT_TYPE = "50"
INVOICED_OBJECT_DOCUMENT_TYPE = "130"
SEPA_SCHEME = "SEPA"  # BT-90 is written as a party identifier with this scheme
# UBL has no element for the note subject code (BT-21): it is written as a "#AAI#" prefix.
_SUBJECT_CODE = re.compile(r"^#([A-Z0-9]{1,5})#(.*)$", re.DOTALL)


def _find(element, path):
    return element.find(path, NS) if element is not None else None


def _t(element, path):
    return text(_find(element, path))


def _identifier(element) -> c.Identifier | None:
    value = text(element)
    if value is None:
        return None
    return c.Identifier(value=value, scheme=element.get("schemeID"))


# ---------------------------------------------------------------- reading


def read_ubl(root: etree._Element) -> c.Invoice:
    """Reads a UBL 2.1 Invoice or CreditNote into the canonical model."""
    is_credit_note = etree.QName(root).localname == "CreditNote"
    line_tag = "cac:CreditNoteLine" if is_credit_note else "cac:InvoiceLine"
    type_tag = "cbc:CreditNoteTypeCode" if is_credit_note else "cbc:InvoiceTypeCode"
    currency = _t(root, "cbc:DocumentCurrencyCode")
    tax_currency = _t(root, "cbc:TaxCurrencyCode")

    seller_el = _find(root, "cac:AccountingSupplierParty/cac:Party")
    payee_el = _find(root, "cac:PayeeParty")
    creditor_id = None
    for holder in (payee_el, seller_el):
        for ident in (
            holder.findall("cac:PartyIdentification/cbc:ID", NS) if holder is not None else []
        ):
            if ident.get("schemeID") == SEPA_SCHEME and creditor_id is None:
                creditor_id = text(ident)

    project = _t(root, "cac:ProjectReference/cbc:ID")
    invoiced_object = None
    attachments = []
    for ref in root.findall("cac:AdditionalDocumentReference", NS):
        code = _t(ref, "cbc:DocumentTypeCode")
        if code == INVOICED_OBJECT_DOCUMENT_TYPE:
            invoiced_object = c.DocumentReference(
                id=_t(ref, "cbc:ID"), scheme=_find(ref, "cbc:ID").get("schemeID")
            )
        elif code == PROJECT_DOCUMENT_TYPE and is_credit_note:
            project = _t(ref, "cbc:ID")
        else:
            attachments.append(_read_attachment(ref))

    tax_totals = root.findall("cac:TaxTotal", NS)
    vat_total = vat_total_accounting = None
    breakdown = []
    for tax_total in tax_totals:
        amount_el = _find(tax_total, "cbc:TaxAmount")
        subtotals = tax_total.findall("cac:TaxSubtotal", NS)
        if subtotals or (amount_el is not None and amount_el.get("currencyID") == currency):
            vat_total = decimal(amount_el)
            breakdown.extend(_read_vat_breakdown(sub) for sub in subtotals)
        else:
            vat_total_accounting = decimal(amount_el)

    if tax_currency == currency and vat_total_accounting is None:
        # One TaxTotal serves for both BT-110 and BT-111 when the two currencies are one.
        vat_total_accounting = vat_total

    totals_el = _find(root, "cac:LegalMonetaryTotal")
    invoice = c.Invoice(
        number=_t(root, "cbc:ID"),
        issue_date=iso_date(_find(root, "cbc:IssueDate")),
        type_code=_t(root, type_tag),
        currency=currency,
        seller=_read_party(seller_el),
        buyer=_read_party(_find(root, "cac:AccountingCustomerParty/cac:Party")),
        totals=c.Totals(
            line_net_total=decimal(_find(totals_el, "cbc:LineExtensionAmount")),
            tax_exclusive_amount=decimal(_find(totals_el, "cbc:TaxExclusiveAmount")),
            tax_inclusive_amount=decimal(_find(totals_el, "cbc:TaxInclusiveAmount")),
            amount_due=decimal(_find(totals_el, "cbc:PayableAmount")),
            allowance_total=decimal(_find(totals_el, "cbc:AllowanceTotalAmount")),
            charge_total=decimal(_find(totals_el, "cbc:ChargeTotalAmount")),
            vat_total=vat_total,
            vat_total_accounting_currency=vat_total_accounting,
            prepaid_amount=decimal(_find(totals_el, "cbc:PrepaidAmount")),
            rounding_amount=decimal(_find(totals_el, "cbc:PayableRoundingAmount")),
        ),
        lines=[_read_line(line, is_credit_note) for line in root.findall(line_tag, NS)],
        vat_breakdown=breakdown,
        vat_accounting_currency=tax_currency,
        tax_point_date=iso_date(_find(root, "cbc:TaxPointDate")),
        tax_point_date_code=_t(root, "cac:InvoicePeriod/cbc:DescriptionCode"),
        due_date=iso_date(_find(root, "cbc:DueDate"))
        or iso_date(_find(root, "cac:PaymentMeans/cbc:PaymentDueDate")),
        buyer_reference=_t(root, "cbc:BuyerReference"),
        project_reference=project,
        contract_reference=_t(root, "cac:ContractDocumentReference/cbc:ID"),
        purchase_order_reference=_t(root, "cac:OrderReference/cbc:ID"),
        sales_order_reference=_t(root, "cac:OrderReference/cbc:SalesOrderID"),
        receiving_advice_reference=_t(root, "cac:ReceiptDocumentReference/cbc:ID"),
        despatch_advice_reference=_t(root, "cac:DespatchDocumentReference/cbc:ID"),
        tender_reference=_t(root, "cac:OriginatorDocumentReference/cbc:ID"),
        invoiced_object=invoiced_object,
        buyer_accounting_reference=_t(root, "cbc:AccountingCost"),
        payment_terms=_t(root, "cac:PaymentTerms/cbc:Note"),
        notes=[_read_note(text(n)) for n in root.findall("cbc:Note", NS) if text(n)],
        business_process=_t(root, "cbc:ProfileID"),
        specification_id=_t(root, "cbc:CustomizationID"),
        preceding_invoices=[
            c.PrecedingInvoice(
                number=_t(ref, "cbc:ID"), issue_date=iso_date(_find(ref, "cbc:IssueDate"))
            )
            for ref in root.findall("cac:BillingReference/cac:InvoiceDocumentReference", NS)
        ],
        payee=_read_payee(payee_el),
        tax_representative=_read_tax_representative(_find(root, "cac:TaxRepresentativeParty")),
        delivery=_read_delivery(_find(root, "cac:Delivery")),
        invoicing_period=_read_period(_find(root, "cac:InvoicePeriod")),
        payment=_read_payment(root.findall("cac:PaymentMeans", NS), creditor_id),
        allowances_charges=[
            _read_allowance_charge(ac) for ac in root.findall("cac:AllowanceCharge", NS)
        ],
        attachments=attachments,
    )
    return invoice


def _read_note(value: str) -> c.Note:
    match = _SUBJECT_CODE.match(value)
    if match:
        return c.Note(text=match.group(2), subject_code=match.group(1))
    return c.Note(text=value)


def _note_text(note: c.Note) -> str:
    return f"#{note.subject_code}#{note.text}" if note.subject_code else note.text


def _read_address(element) -> c.PostalAddress | None:
    if element is None:
        return None
    return c.PostalAddress(
        line1=_t(element, "cbc:StreetName"),
        line2=_t(element, "cbc:AdditionalStreetName"),
        line3=_t(element, "cac:AddressLine/cbc:Line"),
        city=_t(element, "cbc:CityName"),
        postal_code=_t(element, "cbc:PostalZone"),
        country_subdivision=_t(element, "cbc:CountrySubentity"),
        country_code=_t(element, "cac:Country/cbc:IdentificationCode"),
    )


def _read_party(element) -> c.Party:
    if element is None:
        return c.Party()
    vat_id = tax_id = tax_scheme = None
    for scheme in element.findall("cac:PartyTaxScheme", NS):
        scheme_id = _t(scheme, "cac:TaxScheme/cbc:ID")
        if scheme_id == "VAT":
            vat_id = _t(scheme, "cbc:CompanyID")
        else:
            tax_id = _t(scheme, "cbc:CompanyID")
            tax_scheme = None if scheme_id == "TAX" else scheme_id
    contact_el = _find(element, "cac:Contact")
    contact = None
    if contact_el is not None:
        contact = c.Contact(
            name=_t(contact_el, "cbc:Name"),
            phone=_t(contact_el, "cbc:Telephone"),
            email=_t(contact_el, "cbc:ElectronicMail"),
        )
    return c.Party(
        name=_t(element, "cac:PartyLegalEntity/cbc:RegistrationName"),
        trading_name=_t(element, "cac:PartyName/cbc:Name"),
        identifiers=[
            ident
            for ident in map(_identifier, element.findall("cac:PartyIdentification/cbc:ID", NS))
            if ident is not None and ident.scheme != SEPA_SCHEME
        ],
        legal_registration_id=_identifier(_find(element, "cac:PartyLegalEntity/cbc:CompanyID")),
        vat_id=vat_id,
        tax_registration_id=tax_id,
        tax_registration_scheme=tax_scheme,
        additional_legal_info=_t(element, "cac:PartyLegalEntity/cbc:CompanyLegalForm"),
        electronic_address=_identifier(_find(element, "cbc:EndpointID")),
        address=_read_address(_find(element, "cac:PostalAddress")),
        contact=contact,
    )


def _read_payee(element) -> c.Payee | None:
    if element is None:
        return None
    return c.Payee(
        name=_t(element, "cac:PartyName/cbc:Name"),
        identifiers=[
            ident
            for ident in map(_identifier, element.findall("cac:PartyIdentification/cbc:ID", NS))
            if ident is not None and ident.scheme != SEPA_SCHEME
        ],
        legal_registration_id=_identifier(_find(element, "cac:PartyLegalEntity/cbc:CompanyID")),
    )


def _read_tax_representative(element) -> c.TaxRepresentative | None:
    if element is None:
        return None
    return c.TaxRepresentative(
        name=_t(element, "cac:PartyName/cbc:Name"),
        vat_id=_t(element, "cac:PartyTaxScheme/cbc:CompanyID"),
        address=_read_address(_find(element, "cac:PostalAddress")),
    )


def _read_delivery(element) -> c.Delivery | None:
    if element is None:
        return None
    delivery = c.Delivery(
        party_name=_t(element, "cac:DeliveryParty/cac:PartyName/cbc:Name"),
        location_id=_identifier(_find(element, "cac:DeliveryLocation/cbc:ID")),
        date=iso_date(_find(element, "cbc:ActualDeliveryDate")),
        address=_read_address(_find(element, "cac:DeliveryLocation/cac:Address")),
    )
    # An empty delivery group (seen in the wild) says nothing: no delivery.
    return None if delivery == c.Delivery() else delivery


def _read_period(element) -> c.Period | None:
    if element is None:
        return None
    start = iso_date(_find(element, "cbc:StartDate"))
    end = iso_date(_find(element, "cbc:EndDate"))
    if start is None and end is None:
        return None
    return c.Period(start=start, end=end)


def _read_payment(means: list, creditor_id: str | None) -> c.PaymentInstructions | None:
    if not means:
        return None
    codes = [code for m in means if (code := _find(m, "cbc:PaymentMeansCode")) is not None]
    payment = c.PaymentInstructions(
        means_code=text(codes[0]) if codes else None,
        means_text=next((code.get("name") for code in codes if code.get("name")), None),
        remittance_information=next(
            (_t(m, "cbc:PaymentID") for m in means if _t(m, "cbc:PaymentID")), None
        ),
    )
    for item in means:
        account = _find(item, "cac:PayeeFinancialAccount")
        if account is not None and _t(account, "cbc:ID"):
            payment.credit_transfers.append(
                c.CreditTransfer(
                    account_id=_t(account, "cbc:ID"),
                    account_name=_t(account, "cbc:Name"),
                    provider_id=_t(account, "cac:FinancialInstitutionBranch/cbc:ID"),
                )
            )
        card = _find(item, "cac:CardAccount")
        if card is not None and payment.card is None:
            payment.card = c.PaymentCard(
                primary_account_number=_t(card, "cbc:PrimaryAccountNumberID"),
                holder_name=_t(card, "cbc:HolderName"),
                network=_t(card, "cbc:NetworkID"),
            )
        mandate = _find(item, "cac:PaymentMandate")
        if mandate is not None and payment.direct_debit is None:
            payment.direct_debit = c.DirectDebit(
                mandate_reference=_t(mandate, "cbc:ID"),
                debited_account_id=_t(mandate, "cac:PayerFinancialAccount/cbc:ID"),
            )
    if creditor_id:
        payment.direct_debit = payment.direct_debit or c.DirectDebit()
        payment.direct_debit.creditor_id = creditor_id
    return payment


def _read_allowance_charge(element) -> c.AllowanceCharge:
    return c.AllowanceCharge(
        is_charge=_t(element, "cbc:ChargeIndicator") in ("true", "1"),
        amount=decimal(_find(element, "cbc:Amount")),
        base_amount=decimal(_find(element, "cbc:BaseAmount")),
        percentage=decimal(_find(element, "cbc:MultiplierFactorNumeric")),
        vat_category_code=_t(element, "cac:TaxCategory/cbc:ID"),
        vat_rate=decimal(_find(element, "cac:TaxCategory/cbc:Percent")),
        reason=_t(element, "cbc:AllowanceChargeReason"),
        reason_code=_t(element, "cbc:AllowanceChargeReasonCode"),
    )


def _read_vat_breakdown(element) -> c.VatBreakdown:
    return c.VatBreakdown(
        taxable_amount=decimal(_find(element, "cbc:TaxableAmount")),
        tax_amount=decimal(_find(element, "cbc:TaxAmount")),
        category_code=_t(element, "cac:TaxCategory/cbc:ID"),
        rate=decimal(_find(element, "cac:TaxCategory/cbc:Percent")),
        exemption_reason=_t(element, "cac:TaxCategory/cbc:TaxExemptionReason"),
        exemption_reason_code=_t(element, "cac:TaxCategory/cbc:TaxExemptionReasonCode"),
    )


def _read_attachment(element) -> c.Attachment:
    binary_el = _find(element, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject")
    return c.Attachment(
        id=_t(element, "cbc:ID"),
        description=_t(element, "cbc:DocumentDescription"),
        external_uri=_t(element, "cac:Attachment/cac:ExternalReference/cbc:URI"),
        content=binary(binary_el) if binary_el is not None else None,
        mime_code=binary_el.get("mimeCode") if binary_el is not None else None,
        filename=binary_el.get("filename") if binary_el is not None else None,
    )


def _read_line(element, is_credit_note: bool) -> c.Line:
    quantity_el = _find(
        element, "cbc:CreditedQuantity" if is_credit_note else "cbc:InvoicedQuantity"
    )
    price_el = _find(element, "cac:Price")
    item_el = _find(element, "cac:Item")
    base_el = _find(price_el, "cbc:BaseQuantity")
    # BT-128 is the line's document reference (type 130, sometimes left out by senders).
    object_el = _find(element, "cac:DocumentReference/cbc:ID")
    note = "\n".join(text(n) for n in element.findall("cbc:Note", NS) if text(n)) or None
    return c.Line(
        id=_t(element, "cbc:ID"),
        quantity=decimal(quantity_el),
        unit_code=quantity_el.get("unitCode") if quantity_el is not None else None,
        net_amount=decimal(_find(element, "cbc:LineExtensionAmount")),
        price=c.Price(
            net_price=decimal(_find(price_el, "cbc:PriceAmount")),
            gross_price=decimal(_find(price_el, "cac:AllowanceCharge/cbc:BaseAmount")),
            discount=decimal(_find(price_el, "cac:AllowanceCharge/cbc:Amount")),
            base_quantity=decimal(base_el),
            base_quantity_unit_code=base_el.get("unitCode") if base_el is not None else None,
        ),
        vat_category_code=_t(item_el, "cac:ClassifiedTaxCategory/cbc:ID"),
        vat_rate=decimal(_find(item_el, "cac:ClassifiedTaxCategory/cbc:Percent")),
        item=c.Item(
            name=_t(item_el, "cbc:Name"),
            description=_t(item_el, "cbc:Description"),
            seller_id=_t(item_el, "cac:SellersItemIdentification/cbc:ID"),
            buyer_id=_t(item_el, "cac:BuyersItemIdentification/cbc:ID"),
            standard_id=_identifier(_find(item_el, "cac:StandardItemIdentification/cbc:ID")),
            classifications=[
                c.ItemClassification(
                    code=text(code),
                    list_id=code.get("listID"),
                    list_version=code.get("listVersionID"),
                )
                for code in item_el.findall(
                    "cac:CommodityClassification/cbc:ItemClassificationCode", NS
                )
                if text(code)
            ],
            origin_country=_t(item_el, "cac:OriginCountry/cbc:IdentificationCode"),
            attributes=[
                c.ItemAttribute(name=_t(prop, "cbc:Name"), value=_t(prop, "cbc:Value"))
                for prop in item_el.findall("cac:AdditionalItemProperty", NS)
            ],
        ),
        note=note,
        object_id=_identifier(object_el),
        order_line_reference=_t(element, "cac:OrderLineReference/cbc:LineID"),
        accounting_reference=_t(element, "cbc:AccountingCost"),
        period=_read_period(_find(element, "cac:InvoicePeriod")),
        allowances_charges=[
            _read_allowance_charge(ac) for ac in element.findall("cac:AllowanceCharge", NS)
        ],
    )


# ---------------------------------------------------------------- writing

_B = Builder({"cac": CAC, "cbc": CBC})


def write_ubl(invoice: c.Invoice) -> bytes:
    """Writes the canonical invoice as a UBL 2.1 Invoice, or CreditNote for credit types."""
    credit = invoice.is_credit_note
    root_ns = CREDIT_NOTE_NS if credit else INVOICE_NS
    root = etree.Element(
        f"{{{root_ns}}}{'CreditNote' if credit else 'Invoice'}",
        nsmap={None: root_ns, "cac": CAC, "cbc": CBC},
    )
    add, group = _B.add, _B.group
    cur = invoice.currency
    add(root, "cbc:CustomizationID", invoice.specification_id)
    add(root, "cbc:ProfileID", invoice.business_process)
    add(root, "cbc:ID", invoice.number)
    add(root, "cbc:IssueDate", invoice.issue_date)
    if credit:
        add(root, "cbc:TaxPointDate", invoice.tax_point_date)
        add(root, "cbc:CreditNoteTypeCode", invoice.type_code)
    else:
        add(root, "cbc:DueDate", invoice.due_date)
        add(root, "cbc:InvoiceTypeCode", invoice.type_code)
    for note in invoice.notes:
        add(root, "cbc:Note", _note_text(note))
    if not credit:
        add(root, "cbc:TaxPointDate", invoice.tax_point_date)
    add(root, "cbc:DocumentCurrencyCode", cur)
    add(root, "cbc:TaxCurrencyCode", invoice.vat_accounting_currency)
    add(root, "cbc:AccountingCost", invoice.buyer_accounting_reference)
    add(root, "cbc:BuyerReference", invoice.buyer_reference)
    if invoice.invoicing_period or invoice.tax_point_date_code:
        period = group(root, "cac:InvoicePeriod")
        _write_period_dates(period, invoice.invoicing_period)
        add(period, "cbc:DescriptionCode", invoice.tax_point_date_code)
    if invoice.purchase_order_reference or invoice.sales_order_reference:
        order = group(root, "cac:OrderReference")
        # cbc:ID is mandatory in UBL; "NA" is the EN 16931 binding's filler when only BT-14 exists.
        add(order, "cbc:ID", invoice.purchase_order_reference or "NA")
        add(order, "cbc:SalesOrderID", invoice.sales_order_reference)
    for preceding in invoice.preceding_invoices:
        ref = group(group(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        add(ref, "cbc:ID", preceding.number)
        add(ref, "cbc:IssueDate", preceding.issue_date)
    if invoice.despatch_advice_reference:
        add(
            group(root, "cac:DespatchDocumentReference"),
            "cbc:ID",
            invoice.despatch_advice_reference,
        )
    if invoice.receiving_advice_reference:
        add(
            group(root, "cac:ReceiptDocumentReference"),
            "cbc:ID",
            invoice.receiving_advice_reference,
        )
    if not credit:
        _write_originator_and_contract(root, invoice)
    else:
        if invoice.contract_reference:
            add(group(root, "cac:ContractDocumentReference"), "cbc:ID", invoice.contract_reference)
    _write_document_references(root, invoice, credit)
    if credit and invoice.tender_reference:
        add(group(root, "cac:OriginatorDocumentReference"), "cbc:ID", invoice.tender_reference)
    if not credit and invoice.project_reference:
        add(group(root, "cac:ProjectReference"), "cbc:ID", invoice.project_reference)

    payee_has_creditor = invoice.payee is not None
    creditor_id = (
        invoice.payment.direct_debit.creditor_id
        if invoice.payment and invoice.payment.direct_debit
        else None
    )
    _write_party(
        group(root, "cac:AccountingSupplierParty"),
        invoice.seller,
        creditor_id=None if payee_has_creditor else creditor_id,
    )
    _write_party(group(root, "cac:AccountingCustomerParty"), invoice.buyer)
    if invoice.payee:
        _write_payee(root, invoice.payee, creditor_id)
    if invoice.tax_representative:
        _write_tax_representative(root, invoice.tax_representative)
    if invoice.delivery:
        _write_delivery(root, invoice.delivery)
    if invoice.payment:
        _write_payment(root, invoice, credit)
    if invoice.payment_terms:
        add(group(root, "cac:PaymentTerms"), "cbc:Note", invoice.payment_terms)
    for ac in invoice.allowances_charges:
        _write_allowance_charge(root, ac, cur, with_tax=True)
    _write_tax_totals(root, invoice)
    _write_totals(root, invoice.totals, cur)
    for line in invoice.lines:
        _write_line(root, line, cur, credit)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _write_originator_and_contract(root, invoice: c.Invoice) -> None:
    if invoice.tender_reference:
        _B.add(
            _B.group(root, "cac:OriginatorDocumentReference"), "cbc:ID", invoice.tender_reference
        )
    if invoice.contract_reference:
        _B.add(
            _B.group(root, "cac:ContractDocumentReference"), "cbc:ID", invoice.contract_reference
        )


def _write_document_references(root, invoice: c.Invoice, credit: bool) -> None:
    add, group = _B.add, _B.group
    if invoice.invoiced_object:
        ref = group(root, "cac:AdditionalDocumentReference")
        add(ref, "cbc:ID", invoice.invoiced_object.id, schemeID=invoice.invoiced_object.scheme)
        add(ref, "cbc:DocumentTypeCode", INVOICED_OBJECT_DOCUMENT_TYPE)
    if credit and invoice.project_reference:
        ref = group(root, "cac:AdditionalDocumentReference")
        add(ref, "cbc:ID", invoice.project_reference)
        add(ref, "cbc:DocumentTypeCode", PROJECT_DOCUMENT_TYPE)
    for attachment in invoice.attachments:
        ref = group(root, "cac:AdditionalDocumentReference")
        add(ref, "cbc:ID", attachment.id)
        add(ref, "cbc:DocumentDescription", attachment.description)
        if attachment.content is not None or attachment.external_uri:
            holder = group(ref, "cac:Attachment")
            if attachment.content is not None:
                add(
                    holder,
                    "cbc:EmbeddedDocumentBinaryObject",
                    b64(attachment.content),
                    mimeCode=attachment.mime_code,
                    filename=attachment.filename,
                )
            if attachment.external_uri:
                add(group(holder, "cac:ExternalReference"), "cbc:URI", attachment.external_uri)


def _write_period_dates(parent, period: c.Period | None) -> None:
    if period:
        _B.add(parent, "cbc:StartDate", period.start)
        _B.add(parent, "cbc:EndDate", period.end)


def _write_address(parent, tag: str, address: c.PostalAddress | None) -> None:
    if address is None:
        return
    add = _B.add
    element = _B.group(parent, tag)
    add(element, "cbc:StreetName", address.line1)
    add(element, "cbc:AdditionalStreetName", address.line2)
    add(element, "cbc:CityName", address.city)
    add(element, "cbc:PostalZone", address.postal_code)
    add(element, "cbc:CountrySubentity", address.country_subdivision)
    if address.line3:
        add(_B.group(element, "cac:AddressLine"), "cbc:Line", address.line3)
    if address.country_code:
        add(_B.group(element, "cac:Country"), "cbc:IdentificationCode", address.country_code)


def _write_party(holder, party: c.Party, creditor_id: str | None = None) -> None:
    add, group = _B.add, _B.group
    element = group(holder, "cac:Party")
    if party.electronic_address:
        add(
            element,
            "cbc:EndpointID",
            party.electronic_address.value,
            schemeID=party.electronic_address.scheme,
        )
    for ident in party.identifiers:
        add(group(element, "cac:PartyIdentification"), "cbc:ID", ident.value, schemeID=ident.scheme)
    if creditor_id:
        add(group(element, "cac:PartyIdentification"), "cbc:ID", creditor_id, schemeID=SEPA_SCHEME)
    if party.trading_name:
        add(group(element, "cac:PartyName"), "cbc:Name", party.trading_name)
    _write_address(element, "cac:PostalAddress", party.address)
    tax_scheme = party.tax_registration_scheme or "TAX"
    for company_id, scheme in ((party.vat_id, "VAT"), (party.tax_registration_id, tax_scheme)):
        if company_id:
            tax_scheme = group(element, "cac:PartyTaxScheme")
            add(tax_scheme, "cbc:CompanyID", company_id)
            add(group(tax_scheme, "cac:TaxScheme"), "cbc:ID", scheme)
    if party.name or party.legal_registration_id or party.additional_legal_info:
        legal = group(element, "cac:PartyLegalEntity")
        add(legal, "cbc:RegistrationName", party.name)
        if party.legal_registration_id:
            add(
                legal,
                "cbc:CompanyID",
                party.legal_registration_id.value,
                schemeID=party.legal_registration_id.scheme,
            )
        add(legal, "cbc:CompanyLegalForm", party.additional_legal_info)
    if party.contact:
        contact = group(element, "cac:Contact")
        add(contact, "cbc:Name", party.contact.name or party.contact.department)
        add(contact, "cbc:Telephone", party.contact.phone)
        add(contact, "cbc:ElectronicMail", party.contact.email)


def _write_payee(root, payee: c.Payee, creditor_id: str | None) -> None:
    add, group = _B.add, _B.group
    element = group(root, "cac:PayeeParty")
    for ident in payee.identifiers:
        add(group(element, "cac:PartyIdentification"), "cbc:ID", ident.value, schemeID=ident.scheme)
    if creditor_id:
        add(group(element, "cac:PartyIdentification"), "cbc:ID", creditor_id, schemeID=SEPA_SCHEME)
    if payee.name:
        add(group(element, "cac:PartyName"), "cbc:Name", payee.name)
    if payee.legal_registration_id:
        add(
            group(element, "cac:PartyLegalEntity"),
            "cbc:CompanyID",
            payee.legal_registration_id.value,
            schemeID=payee.legal_registration_id.scheme,
        )


def _write_tax_representative(root, representative: c.TaxRepresentative) -> None:
    add, group = _B.add, _B.group
    element = group(root, "cac:TaxRepresentativeParty")
    if representative.name:
        add(group(element, "cac:PartyName"), "cbc:Name", representative.name)
    _write_address(element, "cac:PostalAddress", representative.address)
    if representative.vat_id:
        tax_scheme = group(element, "cac:PartyTaxScheme")
        add(tax_scheme, "cbc:CompanyID", representative.vat_id)
        add(group(tax_scheme, "cac:TaxScheme"), "cbc:ID", "VAT")


def _write_delivery(root, delivery: c.Delivery) -> None:
    add, group = _B.add, _B.group
    element = group(root, "cac:Delivery")
    add(element, "cbc:ActualDeliveryDate", delivery.date)
    if delivery.location_id or delivery.address:
        location = group(element, "cac:DeliveryLocation")
        if delivery.location_id:
            add(
                location, "cbc:ID", delivery.location_id.value, schemeID=delivery.location_id.scheme
            )
        _write_address(location, "cac:Address", delivery.address)
    if delivery.party_name:
        add(
            group(group(element, "cac:DeliveryParty"), "cac:PartyName"),
            "cbc:Name",
            delivery.party_name,
        )


def _write_payment(root, invoice: c.Invoice, credit: bool) -> None:
    """One PaymentMeans per account (UBL holds one account per PaymentMeans)."""
    add, group = _B.add, _B.group
    payment = invoice.payment
    accounts = payment.credit_transfers or [None]
    for index, account in enumerate(accounts):
        means = group(root, "cac:PaymentMeans")
        # The means text (BT-82) may occur once only (UBL-SR-46): on the first.
        text_once = payment.means_text if index == 0 else None
        add(means, "cbc:PaymentMeansCode", payment.means_code, name=text_once)
        if credit and index == 0:
            add(means, "cbc:PaymentDueDate", invoice.due_date)
        add(means, "cbc:PaymentID", payment.remittance_information)
        if index == 0 and payment.card:
            card = group(means, "cac:CardAccount")
            add(card, "cbc:PrimaryAccountNumberID", payment.card.primary_account_number)
            # NetworkID is mandatory in UBL but unknown to EN 16931 (CII has none): "NA".
            add(card, "cbc:NetworkID", payment.card.network or "NA")
            add(card, "cbc:HolderName", payment.card.holder_name)
        if account is not None:
            financial = group(means, "cac:PayeeFinancialAccount")
            add(financial, "cbc:ID", account.account_id)
            add(financial, "cbc:Name", account.account_name)
            if account.provider_id:
                add(
                    group(financial, "cac:FinancialInstitutionBranch"),
                    "cbc:ID",
                    account.provider_id,
                )
        debit = payment.direct_debit
        if index == 0 and debit and (debit.mandate_reference or debit.debited_account_id):
            mandate = group(means, "cac:PaymentMandate")
            add(mandate, "cbc:ID", debit.mandate_reference)
            if debit.debited_account_id:
                add(group(mandate, "cac:PayerFinancialAccount"), "cbc:ID", debit.debited_account_id)


def _write_allowance_charge(
    parent, ac: c.AllowanceCharge, currency: str, *, with_tax: bool
) -> None:
    add, group = _B.add, _B.group
    element = group(parent, "cac:AllowanceCharge")
    add(element, "cbc:ChargeIndicator", ac.is_charge)
    add(element, "cbc:AllowanceChargeReasonCode", ac.reason_code)
    add(element, "cbc:AllowanceChargeReason", ac.reason)
    add(element, "cbc:MultiplierFactorNumeric", ac.percentage)
    add(element, "cbc:Amount", ac.amount, currencyID=currency)
    add(element, "cbc:BaseAmount", ac.base_amount, currencyID=currency)
    if with_tax and (ac.vat_category_code or ac.vat_rate is not None):
        category = group(element, "cac:TaxCategory")
        add(category, "cbc:ID", ac.vat_category_code)
        add(category, "cbc:Percent", ac.vat_rate)
        add(group(category, "cac:TaxScheme"), "cbc:ID", "VAT")


def _write_tax_totals(root, invoice: c.Invoice) -> None:
    add, group = _B.add, _B.group
    cur = invoice.currency
    if invoice.totals.vat_total is not None or invoice.vat_breakdown:
        tax_total = group(root, "cac:TaxTotal")
        vat_total = invoice.totals.vat_total
        if vat_total is None:
            vat_total = sum((b.tax_amount for b in invoice.vat_breakdown), Decimal(0))
        add(tax_total, "cbc:TaxAmount", vat_total, currencyID=cur)
        for breakdown in invoice.vat_breakdown:
            sub = group(tax_total, "cac:TaxSubtotal")
            add(sub, "cbc:TaxableAmount", breakdown.taxable_amount, currencyID=cur)
            add(sub, "cbc:TaxAmount", breakdown.tax_amount, currencyID=cur)
            category = group(sub, "cac:TaxCategory")
            add(category, "cbc:ID", breakdown.category_code)
            add(category, "cbc:Percent", breakdown.rate)
            add(category, "cbc:TaxExemptionReasonCode", breakdown.exemption_reason_code)
            add(category, "cbc:TaxExemptionReason", breakdown.exemption_reason)
            add(group(category, "cac:TaxScheme"), "cbc:ID", "VAT")
    same_currency = invoice.vat_accounting_currency == cur
    if invoice.totals.vat_total_accounting_currency is not None and not same_currency:
        add(
            group(root, "cac:TaxTotal"),
            "cbc:TaxAmount",
            invoice.totals.vat_total_accounting_currency,
            currencyID=invoice.vat_accounting_currency,
        )


def _write_totals(root, totals: c.Totals, currency: str) -> None:
    add = _B.add
    element = _B.group(root, "cac:LegalMonetaryTotal")
    add(element, "cbc:LineExtensionAmount", totals.line_net_total, currencyID=currency)
    add(element, "cbc:TaxExclusiveAmount", totals.tax_exclusive_amount, currencyID=currency)
    add(element, "cbc:TaxInclusiveAmount", totals.tax_inclusive_amount, currencyID=currency)
    add(element, "cbc:AllowanceTotalAmount", totals.allowance_total, currencyID=currency)
    add(element, "cbc:ChargeTotalAmount", totals.charge_total, currencyID=currency)
    add(element, "cbc:PrepaidAmount", totals.prepaid_amount, currencyID=currency)
    add(element, "cbc:PayableRoundingAmount", totals.rounding_amount, currencyID=currency)
    add(element, "cbc:PayableAmount", totals.amount_due, currencyID=currency)


def _write_line(root, line: c.Line, currency: str, credit: bool) -> None:
    add, group = _B.add, _B.group
    element = group(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
    add(element, "cbc:ID", line.id)
    add(element, "cbc:Note", line.note)
    add(
        element,
        "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity",
        line.quantity,
        unitCode=line.unit_code,
    )
    add(element, "cbc:LineExtensionAmount", line.net_amount, currencyID=currency)
    add(element, "cbc:AccountingCost", line.accounting_reference)
    if line.period:
        _write_period_dates(group(element, "cac:InvoicePeriod"), line.period)
    if line.order_line_reference:
        add(group(element, "cac:OrderLineReference"), "cbc:LineID", line.order_line_reference)
    if line.object_id:
        ref = group(element, "cac:DocumentReference")
        add(ref, "cbc:ID", line.object_id.value, schemeID=line.object_id.scheme)
        add(ref, "cbc:DocumentTypeCode", INVOICED_OBJECT_DOCUMENT_TYPE)
    for ac in line.allowances_charges:
        _write_allowance_charge(element, ac, currency, with_tax=False)
    item = group(element, "cac:Item")
    add(item, "cbc:Description", line.item.description)
    add(item, "cbc:Name", line.item.name)
    if line.item.buyer_id:
        add(group(item, "cac:BuyersItemIdentification"), "cbc:ID", line.item.buyer_id)
    if line.item.seller_id:
        add(group(item, "cac:SellersItemIdentification"), "cbc:ID", line.item.seller_id)
    if line.item.standard_id:
        add(
            group(item, "cac:StandardItemIdentification"),
            "cbc:ID",
            line.item.standard_id.value,
            schemeID=line.item.standard_id.scheme,
        )
    if line.item.origin_country:
        add(group(item, "cac:OriginCountry"), "cbc:IdentificationCode", line.item.origin_country)
    for classification in line.item.classifications:
        add(
            group(item, "cac:CommodityClassification"),
            "cbc:ItemClassificationCode",
            classification.code,
            listID=classification.list_id,
            listVersionID=classification.list_version,
        )
    category = group(item, "cac:ClassifiedTaxCategory")
    add(category, "cbc:ID", line.vat_category_code)
    add(category, "cbc:Percent", line.vat_rate)
    add(group(category, "cac:TaxScheme"), "cbc:ID", "VAT")
    for attribute in line.item.attributes:
        prop = group(item, "cac:AdditionalItemProperty")
        add(prop, "cbc:Name", attribute.name)
        add(prop, "cbc:Value", attribute.value)
    price = group(element, "cac:Price")
    add(price, "cbc:PriceAmount", line.price.net_price, currencyID=currency)
    add(
        price,
        "cbc:BaseQuantity",
        line.price.base_quantity,
        unitCode=line.price.base_quantity_unit_code,
    )
    if line.price.gross_price is not None or line.price.discount is not None:
        discount = group(price, "cac:AllowanceCharge")
        add(discount, "cbc:ChargeIndicator", False)
        amount = line.price.discount
        if amount is None:  # mandatory in UBL: the difference between gross and net price
            amount = line.price.gross_price - line.price.net_price
        add(discount, "cbc:Amount", amount, currencyID=currency)
        add(discount, "cbc:BaseAmount", line.price.gross_price, currencyID=currency)
