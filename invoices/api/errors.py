"""Coded messages of the invoice (GCU_MSG_10_xxx) and flow / transverse (GCU_MSG_50_xxx)
operations, in the envelope of `chorus.api.errors`.

Parameter errors of a deposit (bad base64, unknown syntax, empty or oversized file, bad file
name) are answered at once and create no flow: nothing was received that could be processed.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from chorus.api.errors import REQUEST_REFUSED, CproError, Message

# 10: invoices (factures).
INVOICE_NOT_FOUND = Message(
    "GCU_MSG_10_001",
    404,
    _(
        "Aucune facture d'identifiant {invoice_id} ne vous est accessible : vérifiez "
        "l'identifiant avec factures/v1/rechercher/fournisseur (factures émises) ou "
        "factures/v1/rechercher/recipiendaire (factures reçues)."
    ),
)
SUPPLIER_NOT_CALLER = Message(
    "GCU_MSG_10_002",
    403,
    _(
        "fournisseur.idFournisseur {supplier_id} n'est pas la structure de votre compte "
        "technique : un compte technique ne dépose que pour sa structure (idStructureCPP "
        "{structure_id}). Omettez idFournisseur ou donnez {structure_id}."
    ),
)
SUBMISSION_INVALID = Message(
    "GCU_MSG_10_003",
    400,
    _("La facture ne peut pas être constituée : {details}."),
)
AMOUNTS_MISMATCH = Message(
    "GCU_MSG_10_004",
    400,
    _(
        "Les montants transmis ne correspondent pas à ceux calculés à partir des lignes "
        "(quantité × prix unitaire − remise, TVA arrondie au centime par taux) : {details}. "
        "Corrigez les lignes ou les montants pour qu'ils concordent."
    ),
)
INVOICE_REFUSED = Message(
    "GCU_MSG_10_005",
    400,
    _(
        "La facture {number} est refusée (flux {flow_number}) : {details} Corrigez-la puis "
        "soumettez-la à nouveau ; le compte rendu détaillé reste consultable avec "
        "transverses/v1/consulterCRDetaille."
    ),
)
INVOICE_PENDING = Message(
    "GCU_MSG_10_006",
    503,
    _(
        "La facture a été reçue (flux {flow_number}) mais son traitement n'est pas terminé : "
        "renvoyez la même requête dans quelques secondes (elle ne sera pas déposée deux fois) "
        "ou suivez le flux avec transverses/v1/consulterCRDetaille."
    ),
)
DOWNLOAD_TOO_LARGE = Message(
    "GCU_MSG_10_007",
    413,
    _(
        "Les fichiers demandés totalisent {size} octets, au-delà de la limite de {limit} "
        "octets (120 Mo) : demandez moins de factures à la fois, ou sans les pièces jointes "
        "complémentaires."
    ),
)

INVOICE_NOT_FOUND_TO_PROCESS = Message(
    "GCU_MSG_10_008",
    400,
    _(
        "Aucune facture d'identifiant {invoice_id} ne vous est accessible : vérifiez "
        "l'identifiant avec factures/v1/rechercher/recipiendaire (factures reçues) ou "
        "factures/v1/rechercher/fournisseur (factures émises)."
    ),
)
WRONG_STATUS = Message(
    "GCU_MSG_10_009",
    400,
    _(
        "{detail} Les statuts possibles depuis le statut courant sont donnés par "
        "transverses/v1/recuperer/etats/traitement ; suivez la facture avec "
        "factures/v1/consulter/historique."
    ),
)
WRONG_ROLE = Message(
    "GCU_MSG_10_010",
    400,
    _(
        "{detail} Le destinataire traite une facture reçue (factures/v1/traiter/recue) ; le "
        "fournisseur complète, recycle ou prend acte du rejet d'une facture émise."
    ),
)
MOTIVE_REFUSED = Message(
    "GCU_MSG_10_011",
    400,
    _(
        "{detail} Donnez dans « motif » un code du catalogue des motifs qui permet cette "
        "action (par exemple JUSTIF_ABS pour une suspension), ou un texte libre, enregistré "
        "sous le motif AUTRE."
    ),
)
MANDATE_NUMBER_MISSING = Message(
    "GCU_MSG_10_012",
    400,
    _("Le passage au statut MANDATEE demande le numéro du mandat : renseignez « numeroDPMandat »."),
)
COMMENT_MISSING = Message(
    "GCU_MSG_10_013",
    400,
    _("{detail} Renseignez « {field} » : dites ce que vous apportez ou corrigez."),
)
PROCESSED_CONCURRENTLY = Message(
    "GCU_MSG_10_014",
    400,
    _(
        "La facture {invoice_id} vient de changer de statut par une autre action : consultez "
        "son statut (factures/v1/consulter/historique) avant de renvoyer la demande."
    ),
)
# 20: rejections and recycling.
ROUTING_REFUSED = Message(
    "GCU_MSG_20_001",
    400,
    _(
        "La facture ne peut pas être acheminée avec ces données : {details} Corrigez "
        "destinataire et reference, puis renvoyez la demande de recyclage."
    ),
)
ATTACHMENT_NOT_FOUND = Message(
    "GCU_MSG_20_002",
    400,
    _(
        "pieceJointeComplementaireId {ids} : aucune pièce jointe disponible de votre structure "
        "ne porte cet identifiant. Déposez chaque fichier avec transverses/v1/ajouter/fichier et "
        "donnez le pieceJointeId renvoyé ; une pièce déjà jointe à une facture ne peut pas "
        "l'être une seconde fois."
    ),
)

# 50: flows (flux) and transverse operations.
FLOW_NOT_FOUND = Message(
    "GCU_MSG_50_001",
    404,
    _(
        "Aucun flux de numéro « {number} » ne vous est accessible : donnez le numeroFluxDepot "
        "renvoyé par factures/v1/deposer/flux à l'un des comptes de votre structure."
    ),
)
BASE64_INVALID = Message(
    "GCU_MSG_50_002",
    400,
    _(
        "{field} n'est pas un contenu base64 valide : encodez le fichier en base64 standard "
        "(alphabet A-Z a-z 0-9 + /, complété par =), sans préfixe « data: »."
    ),
)
FILE_EMPTY = Message(
    "GCU_MSG_50_003",
    400,
    _("{field} est vide : envoyez le contenu du fichier, encodé en base64."),
)
FILE_TOO_LARGE = Message(
    "GCU_MSG_50_004",
    413,
    _("{field} fait {size} octets, au-delà de la limite de {limit} octets : {advice}"),
)
SYNTAX_UNKNOWN = Message(
    "GCU_MSG_50_005",
    400,
    _("syntaxeFlux « {value} » n'est pas une syntaxe acceptée : utilisez {accepted}."),
)
FILENAME_INVALID = Message(
    "GCU_MSG_50_006",
    400,
    _("{field} « {name} » est refusé : {reason}"),
)
REQUEST_TOO_LARGE = Message(
    "GCU_MSG_50_007",
    413,
    _(
        "Le corps de la requête fait {size} octets, au-delà des {limit} octets admis pour "
        "cette opération : envoyez un fichier plus petit (découpez un lot en plusieurs "
        "dépôts, ou déposez-le par le portail ou par le canal EDI)."
    ),
)
NOT_REJECTED = Message(
    "GCU_MSG_20_003",
    400,
    _(
        "La facture {number} (identifiant {invoice_id}) n'est pas rejetée (statut « {status} ») : "
        "seul le rejet d'une facture au statut REJETEE se traite. Aucune facture de la liste "
        "n'a été traitée."
    ),
)
REJECTION_ALREADY_ACKNOWLEDGED = Message(
    "GCU_MSG_20_004",
    400,
    _(
        "Le rejet de la facture {number} (identifiant {invoice_id}) a déjà été traité : retirez-la "
        "de la liste. Aucune facture de la liste n'a été traitée."
    ),
)

_REFUSALS = {
    "not_party": INVOICE_NOT_FOUND_TO_PROCESS,
    "wrong_status": WRONG_STATUS,
    "wrong_role": WRONG_ROLE,
    "missing_motive": MOTIVE_REFUSED,
    "bad_motive": MOTIVE_REFUSED,
    "missing_comment": COMMENT_MISSING,
    "missing_mandate_number": MANDATE_NUMBER_MISSING,
    "concurrent": PROCESSED_CONCURRENTLY,
}


def transition_refusal(
    refused, *, invoice_id: int, comment_field: str = "commentaire"
) -> CproError:
    """The coded 400 answering a move the invoice's workflow refused (`TransitionRefused`)."""
    message = _REFUSALS.get(refused.code, REQUEST_REFUSED)
    return CproError(message, detail=refused.message, invoice_id=invoice_id, field=comment_field)


class CproFieldsError(CproError):
    """A coded error that also lists its findings field by field (`erreurs`)."""

    def __init__(self, message: Message, *, erreurs: list[dict], **params: Any):
        super().__init__(message, **params)
        self.erreurs = erreurs

    def body(self) -> dict:
        return {**super().body(), "erreurs": self.erreurs}
