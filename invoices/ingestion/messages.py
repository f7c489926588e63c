"""What the deposit pipeline itself tells a depositor, beside the validation's findings."""

from invoices.enums import FlowSyntax
from invoices.validation import Finding, Severity

_FORMAT_LABELS = {"ubl": "UBL 2.1", "cii": "CII D16B", "facturx": "Factur-X (PDF)"}

# Flow-level error codes (`listeErreurTechnique.codeErreur`), by reason.
_FLOW_ERROR_CODES = {
    "corrupt": "FLUX_ILLISIBLE",
    "not_archive": "FLUX_ILLISIBLE",
    "empty": "FLUX_VIDE",
    "path_traversal": "ARCHIVE_CHEMIN",
    "absolute_path": "ARCHIVE_CHEMIN",
    "link": "ARCHIVE_LIEN",
    "too_many_invoices": "FLUX_TROP_DE_FACTURES",
    "too_large_inflated": "FLUX_TROP_VOLUMINEUX",
    "too_large": "FLUX_TROP_VOLUMINEUX",
    "partial": "FLUX_INCOMPLET",
    "unknown_name": "FLUX_NOM_INCONNU",
}


def flow_error(code: str, message: str) -> dict:
    """A flow-level error as Chorus Pro reports it in `listeErreurTechnique`; the message
    says what is wrong and how to fix it."""
    return {
        "codeErreur": _FLOW_ERROR_CODES.get(code, "FLUX_REFUSE"),
        "libelleErreur": message,
        "natureErreur": "FLUX",
    }


def syntax_mismatch_finding(declared: str, found_format: str) -> Finding:
    declared_label = FlowSyntax(declared).label
    found = _FORMAT_LABELS.get(found_format, found_format)
    return Finding(
        rule="CPP-SYNTAXE",
        severity=Severity.FATAL,
        message_fr=(
            f"Le flux a été déclaré en syntaxe {declared} ({declared_label}) mais ce fichier est "
            f"au format {found} : déclarez la syntaxe qui correspond au fichier."
        ),
        message_en=f"The flow was declared as {declared} but this file is {found}.",
        stage="deposit",
    )
