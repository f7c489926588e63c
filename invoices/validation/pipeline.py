"""The whole validation: safe reading, detection, XSD, Schematron, platform rules, in order.

- Safe reading or detection fatal: stop there, nothing else can be trusted. Detection also
  refuses a document of thousands of empty elements (see `reading.MAX_EMPTY_ELEMENTS`). Both are done
  by `invoices.formats.detect`, which parses the document once: every later stage, and the
  canonical reading for the platform rules, uses that same parsed tree (the Schematron
  stage gives Saxon the XML bytes: it builds its own tree).
- XSD fatal: the Schematron still runs, on the same parsed tree. Once the document is
  well-formed and its root recognised, the tree is usable: the official rules are written
  to cope with missing or unexpected elements (their own unit tests run them on fragments
  that are not schema-valid), and the depositor gets every standard finding at once.
- An invoice with no fatal finding so far is then read into the canonical invoice: a value
  the readers cannot take (a date that is no date, or an absurd one: see invoices.dates)
  is a fatal finding naming its business term, what was found and what is expected.
- Platform rules (CPP-xxx) run only on an invoice with no fatal finding so far: they read
  the canonical invoice, which is only meaningful for a document that meets the standard.
  `recipient_check=False` skips them all, so that any invoice can be checked against the
  standards alone.
Each stage is timed (`ValidationReport.timings`, seconds) for the benchmark. Given a
`deadline` (a `time.monotonic()` value), a run past it stops after the current stage with
`BudgetExceeded`: the caller refuses the invoice with that reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from chorus.models import Structure
from invoices.canonical import Invoice
from invoices.formats import ReadError, read_detected

from . import platform_rules, reading, schematron, xsd
from .findings import ValidationReport

STAGES = ("reading", "detection", "xsd", "schematron", "canonical", "platform")


class BudgetExceeded(Exception):
    """The validation went past its deadline; `stage` is the last one run."""

    def __init__(self, stage: str):
        super().__init__(stage)
        self.stage = stage


@contextmanager
def _timed(report: ValidationReport, stage: str, deadline: float | None):
    start = time.perf_counter()
    try:
        yield
    finally:
        report.timings[stage] = time.perf_counter() - start
        report.stages_run.append(stage)
    if deadline is not None and time.monotonic() > deadline:
        raise BudgetExceeded(stage)


def validate(
    data: bytes,
    *,
    filename: str | None = None,
    recipient_check: bool | Callable[[Invoice], bool] = True,
    depositor: Structure | None = None,
    deadline: float | None = None,
) -> ValidationReport:
    """Validates one invoice (XML or Factur-X PDF bytes) through every stage.

    `recipient_check` may be a predicate on the canonical invoice: the deposit pipeline skips
    the invoices' platform rules for a document that is not an invoice (an E3 mémoire)."""
    report = ValidationReport(filename=filename)
    with _timed(report, "reading", deadline):
        document, findings = reading.read(data, filename)
        report.findings += findings
    if document is None:
        return report
    with _timed(report, "detection", deadline):
        detected, findings = reading.detect(document)
        report.findings += findings
        if detected is not None and (refusal := reading.empty_elements_refusal(detected)):
            report.findings.append(refusal)
            detected = None
    if detected is None:
        return report
    report.detected, report.format, report.profile = detected, detected.syntax, detected.profile
    with _timed(report, "xsd", deadline):
        report.findings += xsd.check(detected)
    with _timed(report, "schematron", deadline):
        report.findings += schematron.check(detected)
    if not report.valid:
        return report
    with _timed(report, "canonical", deadline):
        try:
            report.invoice = read_detected(detected)
        except ReadError as error:
            report.findings.append(reading.value_refusal(error))
    if callable(recipient_check) and report.valid:
        recipient_check = recipient_check(report.invoice)
    if recipient_check and report.valid:
        with _timed(report, "platform", deadline):
            invoice = report.invoice
            context = platform_rules.Context(detected=detected, depositor=depositor)
            report.findings += platform_rules.check(
                invoice, context, is_duplicate=platform_rules.already_deposited
            )
    return report


def validate_path(
    path: Path, *, recipient_check: bool = True, depositor: Structure | None = None
) -> ValidationReport:
    """Validates a file, measured before it is read so an oversized one is never loaded."""
    data, findings = reading.read_file(path)
    if data is None:
        return ValidationReport(filename=path.name, findings=findings)
    return validate(data, filename=path.name, recipient_check=recipient_check, depositor=depositor)
