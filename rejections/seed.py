"""The reform's reason codes (chorus_pro.md §8.3, BR-FR-CDV-CL-09) as first seeded; the
catalogue is then the administrators' to edit. Outcomes follow the least disruptive use:
a missing document suspends, wrong routing data sends back, only what cannot be paid
rejects."""

S, B, R, X = "suspend", "send_back", "reject", "refuse_integration"

# code, family, French label, English label, outcomes, comment required, lifecycle code
MOTIVES = [
    ("JUSTIF_ABS", "METIER", "Justificatif absent ou insuffisant", "Supporting document missing or insufficient", [S], False, "208"),
    ("ROUTAGE_ERR", "METIER", "Données d'acheminement obsolètes ou erronées", "Obsolete or wrong routing data", [B, S], False, "208"),
    ("CODE_ROUTAGE_ERR", "METIER", "Code service erroné", "Wrong service code", [B], False, "208"),
    ("SIRET_ERR", "METIER", "SIRET du destinataire erroné", "Wrong recipient SIRET", [B], False, "208"),
    ("DEST_INC", "METIER", "Destinataire inconnu", "Unknown recipient", [B], False, "208"),
    ("DEST_ERR", "METIER", "Erreur de destinataire (entité juridique)", "Wrong recipient (legal entity)", [B, R], False, "210"),
    ("ADR_ERR", "METIER", "Adresse de facturation électronique erronée", "Wrong electronic invoicing address", [B, R], False, "210"),
    ("CMD_ERR", "METIER", "Bon de commande (engagement juridique) absent ou erroné", "Purchase order (engagement juridique) missing or wrong", [B, S, R], False, "208"),
    ("REF_CT_ABSENT", "METIER", "Référence contractuelle absente", "Contractual reference missing", [S, B, R], False, "208"),
    ("REF_ERR", "METIER", "Référence erronée", "Wrong reference", [B, S], False, "208"),
    ("COORD_BANC_ERR", "METIER", "Coordonnées bancaires erronées", "Wrong bank details", [S, R], False, "208"),
    ("MODPAI_ERR", "METIER", "Modalités de paiement erronées", "Wrong payment terms", [S, R], False, "208"),
    ("TRANSAC_INC", "METIER", "Transaction inconnue (aucune livraison correspondante)", "Unknown transaction (no matching delivery)", [S, R], False, "210"),
    ("LIVR_INCOMP", "METIER", "Livraison incomplète", "Incomplete delivery", [S, R], False, "208"),
    ("QUALITE_ERR", "METIER", "Qualité non conforme", "Quality not as ordered", [S, R], False, "208"),
    ("QTE_ERR", "METIER", "Quantité facturée erronée", "Wrong invoiced quantity", [S, R], False, "210"),
    ("PU_ERR", "METIER", "Prix unitaire erroné", "Wrong unit price", [S, R], False, "210"),
    ("REM_ERR", "METIER", "Remise erronée", "Wrong discount", [S, R], False, "210"),
    ("ART_ERR", "METIER", "Article facturé erroné", "Wrong invoiced item", [S, R], False, "210"),
    ("NON_CONFORME", "METIER", "Mention légale manquante", "Legal mention missing", [S, R], False, "210"),
    ("TX_TVA_ERR", "METIER", "Taux de TVA erroné", "Wrong VAT rate", [R], False, "210"),
    ("MONTANTTOTAL_ERR", "METIER", "Montant total erroné", "Wrong total amount", [R], False, "210"),
    ("CALCUL_ERR", "METIER", "Erreur de calcul", "Calculation error", [R], False, "210"),
    ("DOUBLON", "METIER", "Facture en double (même numéro, fournisseur et année)", "Duplicate invoice (same number, supplier and year)", [R], False, "210"),
    ("DOUBLE_FACT", "METIER", "Déjà facturé par ailleurs", "Already invoiced elsewhere", [R], False, "210"),
    ("EMMET_INC", "METIER", "Émetteur inconnu", "Unknown issuer", [R], False, "210"),
    ("CONTRAT_TERM", "METIER", "Contrat terminé", "Contract ended", [R], False, "210"),
    ("AUTRE", "METIER", "Autre motif (précisé en commentaire)", "Other reason (explained in the comment)", [S, B, R], True, ""),
    ("NON_TRANSMISE", "REJET_PLATEFORME", "Destinataire non raccordé", "Recipient not connected", [], False, "200"),
    ("REJ_SEMAN", "REJET_PLATEFORME", "Rejet sémantique (règles EN 16931)", "Semantic rejection (EN 16931 rules)", [X], False, "213"),
    ("REJ_UNI", "REJET_PLATEFORME", "Rejet pour doublon", "Rejected as a duplicate", [X], False, "213"),
    ("REJ_COH", "REJET_PLATEFORME", "Rejet de cohérence des données", "Data consistency rejection", [X], False, "213"),
    ("REJ_ADR", "REJET_PLATEFORME", "Rejet d'adressage (destinataire)", "Addressing rejection (recipient)", [X], False, "213"),
    ("REJ_CONT_B2G", "REJET_PLATEFORME", "Rejet des contrôles propres au secteur public (code service, engagement juridique)", "Public-sector check rejection (service code, engagement juridique)", [X], False, "213"),
    ("REJ_REF_PJ", "REJET_PLATEFORME", "Référence de pièce jointe erronée", "Wrong attachment reference", [X], False, "213"),
    ("REJ_ASS_PJ", "REJET_PLATEFORME", "Pièce jointe non associée", "Attachment not associated", [X], False, "213"),
    ("IRR_VIDE_F", "IRRECEVABILITE", "Fichier vide", "Empty file", [X], False, "213"),
    ("IRR_TYPE_F", "IRRECEVABILITE", "Type de fichier non accepté", "File type not accepted", [X], False, "213"),
    ("IRR_SYNTAX", "IRRECEVABILITE", "Syntaxe invalide", "Invalid syntax", [X], False, "213"),
    ("IRR_TAILLE_PJ", "IRRECEVABILITE", "Pièce jointe trop volumineuse", "Attachment too large", [X], False, "213"),
    ("IRR_NOM_PJ", "IRRECEVABILITE", "Nom de pièce jointe invalide", "Invalid attachment name", [X], False, "213"),
    ("IRR_VID_PJ", "IRRECEVABILITE", "Pièce jointe vide", "Empty attachment", [X], False, "213"),
    ("IRR_EXT_DOC", "IRRECEVABILITE", "Extension de document non acceptée", "Document extension not accepted", [X], False, "213"),
    ("IRR_TAILLE_F", "IRRECEVABILITE", "Fichier trop volumineux", "File too large", [X], False, "213"),
    ("IRR_ANTIVIRUS", "IRRECEVABILITE", "Fichier refusé par l'antivirus", "File refused by the antivirus", [X], False, "213"),
]  # fmt: skip


def motives_seed(motive_model) -> None:
    """Creates the motives missing from the catalogue; edits made in the admin are kept."""
    for position, (code, family, fr, en, outcomes, comment, lifecycle) in enumerate(MOTIVES):
        motive_model.objects.get_or_create(
            code=code,
            defaults={
                "family": family,
                "label_fr": fr,
                "label_en": en,
                "outcomes": outcomes,
                "comment_required": comment,
                "lifecycle_code": lifecycle,
                "position": position,
            },
        )
