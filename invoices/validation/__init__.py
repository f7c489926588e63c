"""Validation of received invoices: safe reading, XSD, official Schematron, platform rules.

`validate(data, ...)` runs every stage (see `pipeline`); each stage module can also be
called on its own. Findings are `findings.Finding` objects; the result a `ValidationReport`.
"""

from .findings import Finding, Severity, ValidationReport
from .pipeline import BudgetExceeded, validate, validate_path

__all__ = ["BudgetExceeded", "Finding", "Severity", "ValidationReport", "validate", "validate_path"]
