"""UN/CEFACT CII D16B CrossIndustryInvoice <-> canonical invoice (EN 16931 CII binding).

This is also the XML of Factur-X and ZUGFeRD 2. `read_cii(root)` takes a parsed
CrossIndustryInvoice root; `write_cii(invoice)` returns UTF-8 bytes valid against the
Factur-X EN16931 schema (the EN 16931 subset of D16B).
"""

import re

from lxml import etree

from invoices import canonical as c
from invoices.formats.xmltools import Builder, b64, binary, compact_date, decimal, text

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NS = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}

ATTACHMENT_TYPE = "916"
INVOICED_OBJECT_TYPE = "130"
TENDER_TYPE = "50"
# CII has no free name for the project (BT-11) but requires one: the binding's wording.
PROJECT_NAME = "Project reference"
# BT-8: CII codes it in UNTDID 2475, the canonical model (like UBL) in UNTDID 2005.
_TAX_POINT_CODE_FROM_CII = {"5": "3", "29": "35", "72": "432"}
_TAX_POINT_CODE_TO_CII = {v: k for k, v in _TAX_POINT_CODE_FROM_CII.items()}
_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$")


def _find(element, path):
    return element.find(path, NS) if element is not None else None


def _findall(element, path):
    return element.findall(path, NS) if element is not None else []


def _t(element, path):
    return text(_find(element, path))


def _date(element, path):
    return compact_date(_find(element, path))


def _identifier(element) -> c.Identifier | None:
    value = text(element)
    if value is None:
        return None
    return c.Identifier(value=value, scheme=element.get("schemeID"))


# ---------------------------------------------------------------- reading


def read_cii(root: etree._Element) -> c.Invoice:
    """Reads a CII CrossIndustryInvoice (plain, Factur-X or ZUGFeRD 2) into the canonical model."""
    context = _find(root, "rsm:ExchangedDocumentContext")
    document = _find(root, "rsm:ExchangedDocument")
    transaction = _find(root, "rsm:SupplyChainTradeTransaction")
    agreement = _find(transaction, "ram:ApplicableHeaderTradeAgreement")
    delivery = _find(transaction, "ram:ApplicableHeaderTradeDelivery")
    settlement = _find(transaction, "ram:ApplicableHeaderTradeSettlement")
    currency = _t(settlement, "ram:InvoiceCurrencyCode")
    summation = _find(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")

    vat_total = vat_total_accounting = None
    for amount in _findall(summation, "ram:TaxTotalAmount"):
        if amount.get("currencyID") in (None, currency) and vat_total is None:
            vat_total = decimal(amount)
        else:
            vat_total_accounting = decimal(amount)

    tender = invoiced_object = None
    attachments = []
    for ref in _findall(agreement, "ram:AdditionalReferencedDocument"):
        code = _t(ref, "ram:TypeCode")
        if code == TENDER_TYPE:
            tender = _t(ref, "ram:IssuerAssignedID")
        elif code == INVOICED_OBJECT_TYPE:
            invoiced_object = c.DocumentReference(
                id=_t(ref, "ram:IssuerAssignedID"), scheme=_t(ref, "ram:ReferenceTypeCode")
            )
        else:
            attachments.append(_read_attachment(ref))

    taxes = _findall(settlement, "ram:ApplicableTradeTax")
    tax_point_date = next(
        (
            _date(t, "ram:TaxPointDate/udt:DateString")
            for t in taxes
            if _date(t, "ram:TaxPointDate/udt:DateString")
        ),
        None,
    )
    tax_point_code = next(
        (_t(t, "ram:DueDateTypeCode") for t in taxes if _t(t, "ram:DueDateTypeCode")), None
    )
    terms = _find(settlement, "ram:SpecifiedTradePaymentTerms")

    return c.Invoice(
        number=_t(document, "ram:ID"),
        issue_date=_date(document, "ram:IssueDateTime/udt:DateTimeString"),
        type_code=_t(document, "ram:TypeCode"),
        currency=currency,
        seller=_read_party(_find(agreement, "ram:SellerTradeParty")),
        buyer=_read_party(_find(agreement, "ram:BuyerTradeParty")),
        totals=c.Totals(
            line_net_total=decimal(_find(summation, "ram:LineTotalAmount")),
            tax_exclusive_amount=decimal(_find(summation, "ram:TaxBasisTotalAmount")),
            tax_inclusive_amount=decimal(_find(summation, "ram:GrandTotalAmount")),
            amount_due=decimal(_find(summation, "ram:DuePayableAmount")),
            allowance_total=decimal(_find(summation, "ram:AllowanceTotalAmount")),
            charge_total=decimal(_find(summation, "ram:ChargeTotalAmount")),
            vat_total=vat_total,
            vat_total_accounting_currency=vat_total_accounting,
            prepaid_amount=decimal(_find(summation, "ram:TotalPrepaidAmount")),
            rounding_amount=decimal(_find(summation, "ram:RoundingAmount")),
        ),
        lines=[
            _read_line(item)
            for item in _findall(transaction, "ram:IncludedSupplyChainTradeLineItem")
        ],
        vat_breakdown=[_read_vat_breakdown(tax) for tax in taxes],
        vat_accounting_currency=_t(settlement, "ram:TaxCurrencyCode"),
        tax_point_date=tax_point_date,
        tax_point_date_code=_TAX_POINT_CODE_FROM_CII.get(tax_point_code, tax_point_code),
        due_date=_date(terms, "ram:DueDateDateTime/udt:DateTimeString"),
        buyer_reference=_t(agreement, "ram:BuyerReference"),
        project_reference=_t(agreement, "ram:SpecifiedProcuringProject/ram:ID"),
        contract_reference=_t(agreement, "ram:ContractReferencedDocument/ram:IssuerAssignedID"),
        purchase_order_reference=_t(
            agreement, "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"
        ),
        sales_order_reference=_t(
            agreement, "ram:SellerOrderReferencedDocument/ram:IssuerAssignedID"
        ),
        receiving_advice_reference=_t(
            delivery, "ram:ReceivingAdviceReferencedDocument/ram:IssuerAssignedID"
        ),
        despatch_advice_reference=_t(
            delivery, "ram:DespatchAdviceReferencedDocument/ram:IssuerAssignedID"
        ),
        tender_reference=tender,
        invoiced_object=invoiced_object,
        buyer_accounting_reference=_t(
            settlement, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID"
        ),
        payment_terms=_t(terms, "ram:Description"),
        notes=[
            c.Note(text=_t(note, "ram:Content"), subject_code=_t(note, "ram:SubjectCode"))
            for note in _findall(document, "ram:IncludedNote")
            if _t(note, "ram:Content")
        ],
        business_process=_t(context, "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"),
        specification_id=_t(context, "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"),
        preceding_invoices=[
            c.PrecedingInvoice(
                number=_t(ref, "ram:IssuerAssignedID"),
                issue_date=_date(ref, "ram:FormattedIssueDateTime/qdt:DateTimeString"),
            )
            for ref in _findall(settlement, "ram:InvoiceReferencedDocument")
        ],
        payee=_read_payee(_find(settlement, "ram:PayeeTradeParty")),
        tax_representative=_read_tax_representative(
            _find(agreement, "ram:SellerTaxRepresentativeTradeParty")
        ),
        delivery=_read_delivery(delivery),
        invoicing_period=_read_period(_find(settlement, "ram:BillingSpecifiedPeriod")),
        payment=_read_payment(settlement, terms),
        allowances_charges=[
            _read_allowance_charge(ac)
            for ac in _findall(settlement, "ram:SpecifiedTradeAllowanceCharge")
        ],
        attachments=attachments,
    )


def _read_address(element) -> c.PostalAddress | None:
    if element is None:
        return None
    return c.PostalAddress(
        line1=_t(element, "ram:LineOne"),
        line2=_t(element, "ram:LineTwo"),
        line3=_t(element, "ram:LineThree"),
        city=_t(element, "ram:CityName"),
        postal_code=_t(element, "ram:PostcodeCode"),
        country_subdivision=_t(element, "ram:CountrySubDivisionName"),
        country_code=_t(element, "ram:CountryID"),
    )


def _party_identifiers(element) -> list[c.Identifier]:
    found = _findall(element, "ram:ID") + _findall(element, "ram:GlobalID")
    return [ident for ident in map(_identifier, found) if ident is not None]


def _read_party(element) -> c.Party:
    if element is None:
        return c.Party()
    vat_id = tax_id = None
    for registration in _findall(element, "ram:SpecifiedTaxRegistration/ram:ID"):
        if registration.get("schemeID") == "VA":
            vat_id = text(registration)
        else:
            tax_id = text(registration)
    contact_el = _find(element, "ram:DefinedTradeContact")
    contact = None
    if contact_el is not None:
        contact = c.Contact(
            name=_t(contact_el, "ram:PersonName"),
            department=_t(contact_el, "ram:DepartmentName"),
            phone=_t(contact_el, "ram:TelephoneUniversalCommunication/ram:CompleteNumber"),
            email=_t(contact_el, "ram:EmailURIUniversalCommunication/ram:URIID"),
        )
    return c.Party(
        name=_t(element, "ram:Name"),
        trading_name=_t(element, "ram:SpecifiedLegalOrganization/ram:TradingBusinessName"),
        identifiers=_party_identifiers(element),
        legal_registration_id=_identifier(_find(element, "ram:SpecifiedLegalOrganization/ram:ID")),
        vat_id=vat_id,
        tax_registration_id=tax_id,
        additional_legal_info=_t(element, "ram:Description"),
        electronic_address=_identifier(_find(element, "ram:URIUniversalCommunication/ram:URIID")),
        address=_read_address(_find(element, "ram:PostalTradeAddress")),
        contact=contact,
    )


def _read_payee(element) -> c.Payee | None:
    if element is None:
        return None
    return c.Payee(
        name=_t(element, "ram:Name"),
        identifiers=_party_identifiers(element),
        legal_registration_id=_identifier(_find(element, "ram:SpecifiedLegalOrganization/ram:ID")),
    )


def _read_tax_representative(element) -> c.TaxRepresentative | None:
    if element is None:
        return None
    return c.TaxRepresentative(
        name=_t(element, "ram:Name"),
        vat_id=_t(element, "ram:SpecifiedTaxRegistration/ram:ID"),
        address=_read_address(_find(element, "ram:PostalTradeAddress")),
    )


def _read_delivery(element) -> c.Delivery | None:
    ship_to = _find(element, "ram:ShipToTradeParty")
    date = _date(
        element, "ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString"
    )
    if ship_to is None and date is None:
        return None
    location = (_party_identifiers(ship_to) or [None])[0]
    delivery = c.Delivery(
        party_name=_t(ship_to, "ram:Name"),
        location_id=location,
        date=date,
        address=_read_address(_find(ship_to, "ram:PostalTradeAddress")),
    )
    # An empty delivery group (seen in the wild) says nothing: no delivery.
    return None if delivery == c.Delivery() else delivery


def _read_period(element) -> c.Period | None:
    if element is None:
        return None
    start = _date(element, "ram:StartDateTime/udt:DateTimeString")
    end = _date(element, "ram:EndDateTime/udt:DateTimeString")
    if start is None and end is None:
        return None
    return c.Period(start=start, end=end)


def _read_payment(settlement, terms) -> c.PaymentInstructions | None:
    means = _findall(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
    creditor_id = _t(settlement, "ram:CreditorReferenceID")
    mandate = _t(terms, "ram:DirectDebitMandateID")
    if not means:
        return None
    payment = c.PaymentInstructions(
        means_code=_t(means[0], "ram:TypeCode"),
        means_text=next(
            (_t(m, "ram:Information") for m in means if _t(m, "ram:Information")), None
        ),
        remittance_information=_t(settlement, "ram:PaymentReference"),
    )
    debited_account = None
    for item in means:
        account = _find(item, "ram:PayeePartyCreditorFinancialAccount")
        account_id = _t(account, "ram:IBANID") or _t(account, "ram:ProprietaryID")
        if account_id:
            payment.credit_transfers.append(
                c.CreditTransfer(
                    account_id=account_id,
                    account_name=_t(account, "ram:AccountName"),
                    provider_id=_t(
                        item, "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID"
                    ),
                )
            )
        card = _find(item, "ram:ApplicableTradeSettlementFinancialCard")
        if card is not None and payment.card is None:
            payment.card = c.PaymentCard(
                primary_account_number=_t(card, "ram:ID"),
                holder_name=_t(card, "ram:CardholderName"),
            )
        debited_account = debited_account or _t(
            item, "ram:PayerPartyDebtorFinancialAccount/ram:IBANID"
        )
    if mandate or creditor_id or debited_account:
        payment.direct_debit = c.DirectDebit(
            mandate_reference=mandate, creditor_id=creditor_id, debited_account_id=debited_account
        )
    return payment


def _read_allowance_charge(element) -> c.AllowanceCharge:
    return c.AllowanceCharge(
        is_charge=_t(element, "ram:ChargeIndicator/udt:Indicator") in ("true", "1"),
        amount=decimal(_find(element, "ram:ActualAmount")),
        base_amount=decimal(_find(element, "ram:BasisAmount")),
        percentage=decimal(_find(element, "ram:CalculationPercent")),
        vat_category_code=_t(element, "ram:CategoryTradeTax/ram:CategoryCode"),
        vat_rate=decimal(_find(element, "ram:CategoryTradeTax/ram:RateApplicablePercent")),
        reason=_t(element, "ram:Reason"),
        reason_code=_t(element, "ram:ReasonCode"),
    )


def _read_vat_breakdown(element) -> c.VatBreakdown:
    return c.VatBreakdown(
        taxable_amount=decimal(_find(element, "ram:BasisAmount")),
        tax_amount=decimal(_find(element, "ram:CalculatedAmount")),
        category_code=_t(element, "ram:CategoryCode"),
        rate=decimal(_find(element, "ram:RateApplicablePercent")),
        exemption_reason=_t(element, "ram:ExemptionReason"),
        exemption_reason_code=_t(element, "ram:ExemptionReasonCode"),
    )


def _read_attachment(element) -> c.Attachment:
    binary_el = _find(element, "ram:AttachmentBinaryObject")
    return c.Attachment(
        id=_t(element, "ram:IssuerAssignedID"),
        description=_t(element, "ram:Name"),
        external_uri=_t(element, "ram:URIID"),
        content=binary(binary_el) if binary_el is not None else None,
        mime_code=binary_el.get("mimeCode") if binary_el is not None else None,
        filename=binary_el.get("filename") if binary_el is not None else None,
    )


def _read_line(element) -> c.Line:
    document = _find(element, "ram:AssociatedDocumentLineDocument")
    product = _find(element, "ram:SpecifiedTradeProduct")
    agreement = _find(element, "ram:SpecifiedLineTradeAgreement")
    settlement = _find(element, "ram:SpecifiedLineTradeSettlement")
    quantity = _find(element, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity")
    gross = _find(agreement, "ram:GrossPriceProductTradePrice")
    net = _find(agreement, "ram:NetPriceProductTradePrice")
    net_base = _find(net, "ram:BasisQuantity")
    gross_base = _find(gross, "ram:BasisQuantity")
    object_ref = None
    for ref in _findall(settlement, "ram:AdditionalReferencedDocument"):
        object_ref = c.Identifier(
            value=_t(ref, "ram:IssuerAssignedID"), scheme=_t(ref, "ram:ReferenceTypeCode")
        )
    notes = [
        _t(n, "ram:Content") for n in _findall(document, "ram:IncludedNote") if _t(n, "ram:Content")
    ]
    return c.Line(
        id=_t(document, "ram:LineID"),
        quantity=decimal(quantity),
        unit_code=quantity.get("unitCode") if quantity is not None else None,
        net_amount=decimal(
            _find(
                settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"
            )
        ),
        price=c.Price(
            net_price=decimal(_find(net, "ram:ChargeAmount")),
            gross_price=decimal(_find(gross, "ram:ChargeAmount")),
            discount=decimal(_find(gross, "ram:AppliedTradeAllowanceCharge/ram:ActualAmount")),
            base_quantity=decimal(net_base),
            base_quantity_unit_code=net_base.get("unitCode") if net_base is not None else None,
            gross_base_quantity=decimal(gross_base),
            gross_base_quantity_unit_code=gross_base.get("unitCode")
            if gross_base is not None
            else None,
        ),
        vat_category_code=_t(settlement, "ram:ApplicableTradeTax/ram:CategoryCode"),
        vat_rate=decimal(_find(settlement, "ram:ApplicableTradeTax/ram:RateApplicablePercent")),
        item=c.Item(
            name=_t(product, "ram:Name"),
            description=_t(product, "ram:Description"),
            seller_id=_t(product, "ram:SellerAssignedID"),
            buyer_id=_t(product, "ram:BuyerAssignedID"),
            standard_id=_identifier(_find(product, "ram:GlobalID")),
            classifications=[
                c.ItemClassification(
                    code=text(code),
                    list_id=code.get("listID"),
                    list_version=code.get("listVersionID"),
                )
                for code in _findall(product, "ram:DesignatedProductClassification/ram:ClassCode")
                if text(code)
            ],
            origin_country=_t(product, "ram:OriginTradeCountry/ram:ID"),
            attributes=[
                c.ItemAttribute(name=_t(prop, "ram:Description"), value=_t(prop, "ram:Value"))
                for prop in _findall(product, "ram:ApplicableProductCharacteristic")
            ],
        ),
        note="\n".join(notes) or None,
        object_id=object_ref,
        order_line_reference=_t(agreement, "ram:BuyerOrderReferencedDocument/ram:LineID"),
        accounting_reference=_t(settlement, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID"),
        period=_read_period(_find(settlement, "ram:BillingSpecifiedPeriod")),
        allowances_charges=[
            _read_allowance_charge(ac)
            for ac in _findall(settlement, "ram:SpecifiedTradeAllowanceCharge")
        ],
    )


# ---------------------------------------------------------------- writing

_B = Builder(NS)


def write_cii(invoice: c.Invoice) -> bytes:
    """Writes the canonical invoice as a CII D16B CrossIndustryInvoice."""
    add, group = _B.add, _B.group
    root = etree.Element(
        f"{{{RSM}}}CrossIndustryInvoice", nsmap={"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}
    )
    context = group(root, "rsm:ExchangedDocumentContext")
    if invoice.business_process:
        add(
            group(context, "ram:BusinessProcessSpecifiedDocumentContextParameter"),
            "ram:ID",
            invoice.business_process,
        )
    add(
        group(context, "ram:GuidelineSpecifiedDocumentContextParameter"),
        "ram:ID",
        invoice.specification_id,
    )

    document = group(root, "rsm:ExchangedDocument")
    add(document, "ram:ID", invoice.number)
    add(document, "ram:TypeCode", invoice.type_code)
    _write_date(document, "ram:IssueDateTime", invoice.issue_date)
    for note in invoice.notes:
        included = group(document, "ram:IncludedNote")
        add(included, "ram:Content", note.text)
        add(included, "ram:SubjectCode", note.subject_code)

    transaction = group(root, "rsm:SupplyChainTradeTransaction")
    for line in invoice.lines:
        _write_line(transaction, line)
    _write_agreement(group(transaction, "ram:ApplicableHeaderTradeAgreement"), invoice)
    _write_delivery(group(transaction, "ram:ApplicableHeaderTradeDelivery"), invoice)
    _write_settlement(group(transaction, "ram:ApplicableHeaderTradeSettlement"), invoice)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _write_date(parent, tag: str, value, *, qualified: bool = False) -> None:
    if value is None:
        return
    holder = _B.group(parent, tag)
    _B.add(
        holder,
        "qdt:DateTimeString" if qualified else "udt:DateTimeString",
        value.strftime("%Y%m%d"),
        format="102",
    )


def _write_period(parent, period: c.Period | None) -> None:
    if period is None:
        return
    element = _B.group(parent, "ram:BillingSpecifiedPeriod")
    _write_date(element, "ram:StartDateTime", period.start)
    _write_date(element, "ram:EndDateTime", period.end)


def _write_address(parent, address: c.PostalAddress | None) -> None:
    if address is None:
        return
    add = _B.add
    element = _B.group(parent, "ram:PostalTradeAddress")
    add(element, "ram:PostcodeCode", address.postal_code)
    add(element, "ram:LineOne", address.line1)
    add(element, "ram:LineTwo", address.line2)
    add(element, "ram:LineThree", address.line3)
    add(element, "ram:CityName", address.city)
    add(element, "ram:CountryID", address.country_code)
    add(element, "ram:CountrySubDivisionName", address.country_subdivision)


def _write_identifiers(parent, identifiers: list[c.Identifier]) -> None:
    # Without a scheme: ram:ID; with one: ram:GlobalID. The schema wants every ID first.
    for ident in identifiers:
        if ident.scheme is None:
            _B.add(parent, "ram:ID", ident.value)
    for ident in identifiers:
        if ident.scheme is not None:
            _B.add(parent, "ram:GlobalID", ident.value, schemeID=ident.scheme)


def _write_legal_organization(
    parent, legal: c.Identifier | None, trading_name: str | None = None
) -> None:
    if legal is None and trading_name is None:
        return
    element = _B.group(parent, "ram:SpecifiedLegalOrganization")
    if legal:
        _B.add(element, "ram:ID", legal.value, schemeID=legal.scheme)
    _B.add(element, "ram:TradingBusinessName", trading_name)


def _write_party(parent, tag: str, party: c.Party) -> None:
    add, group = _B.add, _B.group
    element = group(parent, tag)
    _write_identifiers(element, party.identifiers)
    add(element, "ram:Name", party.name)
    add(element, "ram:Description", party.additional_legal_info)
    _write_legal_organization(element, party.legal_registration_id, party.trading_name)
    if party.contact:
        contact = group(element, "ram:DefinedTradeContact")
        add(contact, "ram:PersonName", party.contact.name)
        add(contact, "ram:DepartmentName", party.contact.department)
        if party.contact.phone:
            add(
                group(contact, "ram:TelephoneUniversalCommunication"),
                "ram:CompleteNumber",
                party.contact.phone,
            )
        if party.contact.email:
            add(
                group(contact, "ram:EmailURIUniversalCommunication"),
                "ram:URIID",
                party.contact.email,
            )
    _write_address(element, party.address)
    if party.electronic_address:
        add(
            group(element, "ram:URIUniversalCommunication"),
            "ram:URIID",
            party.electronic_address.value,
            schemeID=party.electronic_address.scheme,
        )
    if party.vat_id:
        add(group(element, "ram:SpecifiedTaxRegistration"), "ram:ID", party.vat_id, schemeID="VA")
    if party.tax_registration_id:
        add(
            group(element, "ram:SpecifiedTaxRegistration"),
            "ram:ID",
            party.tax_registration_id,
            schemeID="FC",
        )


def _write_agreement(agreement, invoice: c.Invoice) -> None:
    add, group = _B.add, _B.group
    add(agreement, "ram:BuyerReference", invoice.buyer_reference)
    _write_party(agreement, "ram:SellerTradeParty", invoice.seller)
    _write_party(agreement, "ram:BuyerTradeParty", invoice.buyer)
    representative = invoice.tax_representative
    if representative:
        element = group(agreement, "ram:SellerTaxRepresentativeTradeParty")
        add(element, "ram:Name", representative.name)
        _write_address(element, representative.address)
        if representative.vat_id:
            add(
                group(element, "ram:SpecifiedTaxRegistration"),
                "ram:ID",
                representative.vat_id,
                schemeID="VA",
            )
    for tag, value in (
        ("ram:SellerOrderReferencedDocument", invoice.sales_order_reference),
        ("ram:BuyerOrderReferencedDocument", invoice.purchase_order_reference),
        ("ram:ContractReferencedDocument", invoice.contract_reference),
    ):
        if value:
            add(group(agreement, tag), "ram:IssuerAssignedID", value)
    if invoice.tender_reference:
        ref = group(agreement, "ram:AdditionalReferencedDocument")
        add(ref, "ram:IssuerAssignedID", invoice.tender_reference)
        add(ref, "ram:TypeCode", TENDER_TYPE)
    if invoice.invoiced_object:
        ref = group(agreement, "ram:AdditionalReferencedDocument")
        add(ref, "ram:IssuerAssignedID", invoice.invoiced_object.id)
        add(ref, "ram:TypeCode", INVOICED_OBJECT_TYPE)
        add(ref, "ram:ReferenceTypeCode", invoice.invoiced_object.scheme)
    for attachment in invoice.attachments:
        ref = group(agreement, "ram:AdditionalReferencedDocument")
        add(ref, "ram:IssuerAssignedID", attachment.id)
        add(ref, "ram:URIID", attachment.external_uri)
        add(ref, "ram:TypeCode", ATTACHMENT_TYPE)
        add(ref, "ram:Name", attachment.description)
        if attachment.content is not None:
            add(
                ref,
                "ram:AttachmentBinaryObject",
                b64(attachment.content),
                mimeCode=attachment.mime_code,
                filename=attachment.filename,
            )
    if invoice.project_reference:
        project = group(agreement, "ram:SpecifiedProcuringProject")
        add(project, "ram:ID", invoice.project_reference)
        add(project, "ram:Name", PROJECT_NAME)


def _write_delivery(element, invoice: c.Invoice) -> None:
    add, group = _B.add, _B.group
    delivery = invoice.delivery
    if delivery and (delivery.party_name or delivery.location_id or delivery.address):
        ship_to = group(element, "ram:ShipToTradeParty")
        if delivery.location_id:
            _write_identifiers(ship_to, [delivery.location_id])
        add(ship_to, "ram:Name", delivery.party_name)
        _write_address(ship_to, delivery.address)
    if delivery and delivery.date:
        _write_date(
            group(element, "ram:ActualDeliverySupplyChainEvent"),
            "ram:OccurrenceDateTime",
            delivery.date,
        )
    if invoice.despatch_advice_reference:
        add(
            group(element, "ram:DespatchAdviceReferencedDocument"),
            "ram:IssuerAssignedID",
            invoice.despatch_advice_reference,
        )
    if invoice.receiving_advice_reference:
        add(
            group(element, "ram:ReceivingAdviceReferencedDocument"),
            "ram:IssuerAssignedID",
            invoice.receiving_advice_reference,
        )


def _write_settlement(settlement, invoice: c.Invoice) -> None:
    add, group = _B.add, _B.group
    payment = invoice.payment
    debit = payment.direct_debit if payment else None
    add(settlement, "ram:CreditorReferenceID", debit.creditor_id if debit else None)
    add(settlement, "ram:PaymentReference", payment.remittance_information if payment else None)
    # BR-53 in CII forbids a VAT accounting currency equal to the invoice currency.
    if invoice.vat_accounting_currency != invoice.currency:
        add(settlement, "ram:TaxCurrencyCode", invoice.vat_accounting_currency)
    add(settlement, "ram:InvoiceCurrencyCode", invoice.currency)
    if invoice.payee:
        payee = group(settlement, "ram:PayeeTradeParty")
        _write_identifiers(payee, invoice.payee.identifiers)
        add(payee, "ram:Name", invoice.payee.name)
        _write_legal_organization(payee, invoice.payee.legal_registration_id)
    if payment:
        _write_payment_means(settlement, payment)
    tax_point_code = _TAX_POINT_CODE_TO_CII.get(
        invoice.tax_point_date_code, invoice.tax_point_date_code
    )
    for breakdown in invoice.vat_breakdown:
        tax = group(settlement, "ram:ApplicableTradeTax")
        add(tax, "ram:CalculatedAmount", breakdown.tax_amount)
        add(tax, "ram:TypeCode", "VAT")
        add(tax, "ram:ExemptionReason", breakdown.exemption_reason)
        add(tax, "ram:BasisAmount", breakdown.taxable_amount)
        add(tax, "ram:CategoryCode", breakdown.category_code)
        add(tax, "ram:ExemptionReasonCode", breakdown.exemption_reason_code)
        if invoice.tax_point_date:
            add(
                group(tax, "ram:TaxPointDate"),
                "udt:DateString",
                invoice.tax_point_date.strftime("%Y%m%d"),
                format="102",
            )
        add(tax, "ram:DueDateTypeCode", tax_point_code)
        add(tax, "ram:RateApplicablePercent", breakdown.rate)
    _write_period(settlement, invoice.invoicing_period)
    for ac in invoice.allowances_charges:
        _write_allowance_charge(settlement, ac, with_tax=True)
    mandate = debit.mandate_reference if debit else None
    if invoice.payment_terms or invoice.due_date or mandate:
        terms = group(settlement, "ram:SpecifiedTradePaymentTerms")
        add(terms, "ram:Description", invoice.payment_terms)
        _write_date(terms, "ram:DueDateDateTime", invoice.due_date)
        add(terms, "ram:DirectDebitMandateID", mandate)
    _write_totals(settlement, invoice)
    for preceding in invoice.preceding_invoices:
        ref = group(settlement, "ram:InvoiceReferencedDocument")
        add(ref, "ram:IssuerAssignedID", preceding.number)
        _write_date(ref, "ram:FormattedIssueDateTime", preceding.issue_date, qualified=True)
    if invoice.buyer_accounting_reference:
        add(
            group(settlement, "ram:ReceivableSpecifiedTradeAccountingAccount"),
            "ram:ID",
            invoice.buyer_accounting_reference,
        )


def _write_payment_means(settlement, payment: c.PaymentInstructions) -> None:
    """One SpecifiedTradeSettlementPaymentMeans per account, the text and card on the first."""
    add, group = _B.add, _B.group
    debit = payment.direct_debit
    for index, account in enumerate(payment.credit_transfers or [None]):
        means = group(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        add(means, "ram:TypeCode", payment.means_code)
        if index == 0:
            add(means, "ram:Information", payment.means_text)
            if payment.card:
                card = group(means, "ram:ApplicableTradeSettlementFinancialCard")
                add(card, "ram:ID", payment.card.primary_account_number)
                add(card, "ram:CardholderName", payment.card.holder_name)
            if debit and debit.debited_account_id:
                add(
                    group(means, "ram:PayerPartyDebtorFinancialAccount"),
                    "ram:IBANID",
                    debit.debited_account_id,
                )
        if account is not None:
            financial = group(means, "ram:PayeePartyCreditorFinancialAccount")
            is_iban = bool(_IBAN.match(account.account_id.replace(" ", "")))
            add(financial, "ram:IBANID", account.account_id if is_iban else None)
            add(financial, "ram:AccountName", account.account_name)
            add(financial, "ram:ProprietaryID", None if is_iban else account.account_id)
            if account.provider_id:
                add(
                    group(means, "ram:PayeeSpecifiedCreditorFinancialInstitution"),
                    "ram:BICID",
                    account.provider_id,
                )


def _write_allowance_charge(parent, ac: c.AllowanceCharge, *, with_tax: bool) -> None:
    add, group = _B.add, _B.group
    element = group(parent, "ram:SpecifiedTradeAllowanceCharge")
    add(group(element, "ram:ChargeIndicator"), "udt:Indicator", ac.is_charge)
    add(element, "ram:CalculationPercent", ac.percentage)
    add(element, "ram:BasisAmount", ac.base_amount)
    add(element, "ram:ActualAmount", ac.amount)
    add(element, "ram:ReasonCode", ac.reason_code)
    add(element, "ram:Reason", ac.reason)
    if with_tax and (ac.vat_category_code or ac.vat_rate is not None):
        tax = group(element, "ram:CategoryTradeTax")
        add(tax, "ram:TypeCode", "VAT")
        add(tax, "ram:CategoryCode", ac.vat_category_code)
        add(tax, "ram:RateApplicablePercent", ac.vat_rate)


def _write_totals(settlement, invoice: c.Invoice) -> None:
    add = _B.add
    totals = invoice.totals
    element = _B.group(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    add(element, "ram:LineTotalAmount", totals.line_net_total)
    add(element, "ram:ChargeTotalAmount", totals.charge_total)
    add(element, "ram:AllowanceTotalAmount", totals.allowance_total)
    add(element, "ram:TaxBasisTotalAmount", totals.tax_exclusive_amount)
    add(element, "ram:TaxTotalAmount", totals.vat_total, currencyID=invoice.currency)
    if invoice.vat_accounting_currency != invoice.currency:  # see BR-53 above
        add(
            element,
            "ram:TaxTotalAmount",
            totals.vat_total_accounting_currency,
            currencyID=invoice.vat_accounting_currency,
        )
    add(element, "ram:RoundingAmount", totals.rounding_amount)
    add(element, "ram:GrandTotalAmount", totals.tax_inclusive_amount)
    add(element, "ram:TotalPrepaidAmount", totals.prepaid_amount)
    add(element, "ram:DuePayableAmount", totals.amount_due)


def _write_line(transaction, line: c.Line) -> None:
    add, group = _B.add, _B.group
    element = group(transaction, "ram:IncludedSupplyChainTradeLineItem")
    document = group(element, "ram:AssociatedDocumentLineDocument")
    add(document, "ram:LineID", line.id)
    if line.note:
        add(group(document, "ram:IncludedNote"), "ram:Content", line.note)

    product = group(element, "ram:SpecifiedTradeProduct")
    item = line.item
    if item.standard_id:
        add(product, "ram:GlobalID", item.standard_id.value, schemeID=item.standard_id.scheme)
    add(product, "ram:SellerAssignedID", item.seller_id)
    add(product, "ram:BuyerAssignedID", item.buyer_id)
    add(product, "ram:Name", item.name)
    add(product, "ram:Description", item.description)
    for attribute in item.attributes:
        characteristic = group(product, "ram:ApplicableProductCharacteristic")
        add(characteristic, "ram:Description", attribute.name)
        add(characteristic, "ram:Value", attribute.value)
    for classification in item.classifications:
        add(
            group(product, "ram:DesignatedProductClassification"),
            "ram:ClassCode",
            classification.code,
            listID=classification.list_id,
            listVersionID=classification.list_version,
        )
    if item.origin_country:
        add(group(product, "ram:OriginTradeCountry"), "ram:ID", item.origin_country)

    agreement = group(element, "ram:SpecifiedLineTradeAgreement")
    if line.order_line_reference:
        add(
            group(agreement, "ram:BuyerOrderReferencedDocument"),
            "ram:LineID",
            line.order_line_reference,
        )
    price = line.price
    if price.gross_price is not None:
        gross = group(agreement, "ram:GrossPriceProductTradePrice")
        add(gross, "ram:ChargeAmount", price.gross_price)
        add(
            gross,
            "ram:BasisQuantity",
            price.gross_base_quantity,
            unitCode=price.gross_base_quantity_unit_code,
        )
        if price.discount is not None:
            discount = group(gross, "ram:AppliedTradeAllowanceCharge")
            add(group(discount, "ram:ChargeIndicator"), "udt:Indicator", False)
            add(discount, "ram:ActualAmount", price.discount)
    net = group(agreement, "ram:NetPriceProductTradePrice")
    add(net, "ram:ChargeAmount", price.net_price)
    add(net, "ram:BasisQuantity", price.base_quantity, unitCode=price.base_quantity_unit_code)

    add(
        group(element, "ram:SpecifiedLineTradeDelivery"),
        "ram:BilledQuantity",
        line.quantity,
        unitCode=line.unit_code,
    )

    settlement = group(element, "ram:SpecifiedLineTradeSettlement")
    tax = group(settlement, "ram:ApplicableTradeTax")
    add(tax, "ram:TypeCode", "VAT")
    add(tax, "ram:CategoryCode", line.vat_category_code)
    add(tax, "ram:RateApplicablePercent", line.vat_rate)
    _write_period(settlement, line.period)
    for ac in line.allowances_charges:
        _write_allowance_charge(settlement, ac, with_tax=False)
    add(
        group(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation"),
        "ram:LineTotalAmount",
        line.net_amount,
    )
    if line.object_id:
        ref = group(settlement, "ram:AdditionalReferencedDocument")
        add(ref, "ram:IssuerAssignedID", line.object_id.value)
        add(ref, "ram:TypeCode", INVOICED_OBJECT_TYPE)
        add(ref, "ram:ReferenceTypeCode", line.object_id.scheme)
    if line.accounting_reference:
        add(
            group(settlement, "ram:ReceivableSpecifiedTradeAccountingAccount"),
            "ram:ID",
            line.accounting_reference,
        )
