"""Coded messages of the mémoire operations (group 30: justice fees), in the envelope of
`chorus.api.errors`."""

from django.utils.translation import gettext_lazy as _

from chorus.api.errors import CproError, Message

MEMOIRE_NOT_FOUND = Message(
    "GCU_MSG_30_001",
    404,
    _(
        "Aucun mémoire d'identifiant {memoire_id} ne vous est accessible : vérifiez "
        "l'identifiant avec memoires/v1/rechercher."
    ),
)
MEMOIRE_REFUSED = Message(
    "GCU_MSG_30_002",
    400,
    _("Le mémoire est refusé : {details} Corrigez-le puis soumettez-le à nouveau."),
)
CADRE_NOT_MEMOIRE = Message(
    "GCU_MSG_30_003",
    400,
    _(
        "cadreDeFacturation.codeCadreFacturation « {code} » n'est pas celui d'un mémoire de "
        "frais de justice : envoyez A3_MEMOIRE_JUSTICE (une facture se soumet par "
        "factures/v1/soumettre)."
    ),
)
MEMOIRE_MOVE_REFUSED = Message(
    "GCU_MSG_30_004",
    400,
    _("Le mémoire {memoire_id} ne peut pas être traité ainsi : {detail}"),
)
MEMOIRE_NOT_FOUND_TO_PROCESS = Message(
    "GCU_MSG_30_005",
    400,
    _(
        "Aucun mémoire d'identifiant {memoire_id} ne vous est accessible : vérifiez "
        "l'identifiant avec memoires/v1/rechercher."
    ),
)


def transition_refusal(refused, *, memoire_id: int) -> CproError:
    """The coded 400 answering a move the mémoire's workflow refused (`TransitionRefused`)."""
    if refused.code == "not_party":
        return CproError(MEMOIRE_NOT_FOUND_TO_PROCESS, memoire_id=memoire_id)
    return CproError(MEMOIRE_MOVE_REFUSED, memoire_id=memoire_id, detail=refused.message)
