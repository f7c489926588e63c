"""What every validation stage reports: structured findings, and the report of a whole run."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from invoices.canonical import Invoice
    from invoices.formats.detect import Detected

_BT = re.compile(r"\b(BT-\d+)\b")


class Severity(StrEnum):
    FATAL = "fatal"  # the invoice is refused
    WARNING = "warning"  # reported, the invoice is accepted


@dataclass(frozen=True)
class Finding:
    """One broken rule: its id, severity, where (XPath, and the BT when known) and why."""

    rule: str
    severity: Severity
    message_fr: str
    message_en: str
    location: str = ""
    bt: str | None = None
    stage: str = ""

    @property
    def is_fatal(self) -> bool:
        return self.severity == Severity.FATAL

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "location": self.location,
            "bt": self.bt,
            "message": self.message_fr,
            "message_en": self.message_en,
        }


def first_bt(text: str) -> str | None:
    """The first business term (BT-n) a rule text names, if any."""
    match = _BT.search(text)
    return match.group(1) if match else None


@dataclass
class ValidationReport:
    """The result of `validate`: what was detected, every finding, and each stage's time."""

    filename: str | None = None
    format: str | None = None  # "ubl", "cii" or "facturx"; None when unreadable
    profile: str | None = None  # e.g. "EN16931", "BASIC WL" (see invoices.formats.detect)
    findings: list[Finding] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # stage name -> seconds
    detected: Detected | None = None  # which standard judged it
    invoice: Invoice | None = None  # the canonical invoice, read for the platform rules
    stages_run: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not any(finding.is_fatal for finding in self.findings)

    @property
    def fatal_findings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.is_fatal]

    def to_dict(self) -> dict:
        return {
            "format": self.format,
            "profile": self.profile,
            "valid": self.valid,
            "findings": [finding.to_dict() for finding in self.findings],
        }
