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
    "internal": "ERREUR_INTERNE",
}


def flow_error(code: str, message: str) -> dict:
    """A flow-level error as Chorus Pro reports it in `listeErreurTechnique`; the message
    says what is wrong and how to fix it."""
    return {
        "codeErreur": _FLOW_ERROR_CODES.get(code, "FLUX_REFUSE"),
        "libelleErreur": message,
        "natureErreur": "FLUX",
    }


def flow_internal_error(reference: str) -> dict:
    return flow_error(
        "internal",
        f"Erreur interne de la plateforme à l'ouverture du flux (référence {reference}) : il "
        "est refusé. Déposez-le à nouveau ; si l'erreur persiste, contactez le support en "
        "citant cette référence.",
    )


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


def member_too_large_finding(name: str, max_bytes: int) -> Finding:
    return Finding(
        rule="READ-SIZE",
        severity=Severity.FATAL,
        message_fr=(
            f"Le fichier « {name} » de l'archive dépasse, une fois décompressé, la taille "
            f"maximale d'une facture ({max_bytes} octets, pièces jointes comprises) : il est "
            "refusé sans être décompressé au-delà. Allégez les pièces jointes ou déposez-les "
            "à part."
        ),
        message_en=f"The file '{name}' of the archive is larger than an invoice may be "
        f"({max_bytes} bytes) once inflated.",
        stage="reading",
    )


def budget_finding(seconds: int, stage: str = "") -> Finding:
    """The invoice took longer to check than an invoice may (INVOICE_TIME_BUDGET_SECONDS)."""
    at = f" (à l'étape « {stage} »)" if stage else ""
    at_en = f" (at stage '{stage}')" if stage else ""
    return Finding(
        rule="CPP-DELAI",
        severity=Severity.FATAL,
        message_fr=(
            f"La vérification de cette facture a dépassé le temps accordé à une facture "
            f"({seconds} s){at} : elle est refusée. Une facture ordinaire se vérifie en moins "
            "d'une seconde ; vérifiez le fichier produit (éléments répétés ou vides en grand "
            "nombre) ou découpez la facture."
        ),
        message_en=f"Checking this invoice took longer than the {seconds} s allowed{at_en}.",
        stage="deposit",
    )


def flow_budget_finding(seconds: int) -> Finding:
    """The flow's processing went past FLOW_TIME_BUDGET_SECONDS before this invoice's turn."""
    return Finding(
        rule="CPP-DELAI-FLUX",
        severity=Severity.FATAL,
        message_fr=(
            f"Le traitement du flux a dépassé le temps accordé à un flux ({seconds} s) avant "
            "que cette facture soit vérifiée : elle est refusée. Déposez-la à nouveau, dans un "
            "flux plus petit."
        ),
        message_en=f"The flow's processing went past the {seconds} s allowed to a flow "
        "before this invoice was checked.",
        stage="deposit",
    )


def internal_error_finding(reference: str, attempts: int | None = None) -> Finding:
    """An unexpected failure while processing this invoice; `reference` is in the logs."""
    tries = f" après {attempts} tentatives" if attempts else ""
    tries_en = f" after {attempts} attempts" if attempts else ""
    return Finding(
        rule="CPP-ERREUR-INTERNE",
        severity=Severity.FATAL,
        message_fr=(
            f"Erreur interne de la plateforme{tries} pendant le traitement de cette facture "
            f"(référence {reference}) : elle est refusée. Déposez-la à nouveau ; si l'erreur "
            "persiste, contactez le support en citant cette référence."
        ),
        message_en=f"Internal error{tries_en} while processing this invoice "
        f"(reference {reference}).",
        stage="deposit",
    )
