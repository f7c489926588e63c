"""Coded messages of the energy refund operations (GCU_MSG_40_xxx)."""

from django.utils.translation import gettext_lazy as _

from chorus.api.errors import Message

REQUEST_NOT_FOUND = Message(
    "GCU_MSG_40_001",
    404,
    _(
        "Aucune demande de remboursement d'identifiant {request_id} ne vous est accessible : "
        "vérifiez l'identifiant avec remboursementsTIC/v1/rechercher."
    ),
)
NOT_A_BENEFICIARY = Message(
    "GCU_MSG_40_002",
    403,
    _(
        "La structure de votre compte technique n'a pas de profil de bénéficiaire du "
        "remboursement TIC : créez-le sur le portail (catégorie et IBAN), puis soumettez à nouveau."
    ),
)
REQUEST_EXISTS = Message(
    "GCU_MSG_40_003",
    400,
    _(
        "Une demande existe déjà pour les livraisons {year} : {reference} (identifiant "
        "{request_id}). Une seule demande par année : complétez-la tant qu'elle n'est pas en "
        "instruction."
    ),
)
REQUEST_REFUSED = Message("GCU_MSG_40_004", 400, _("La demande est refusée : {details}"))
MOVE_REFUSED = Message("GCU_MSG_40_005", 400, _("Action refusée : {details}"))
