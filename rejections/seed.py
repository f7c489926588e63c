"""The reform's reason codes (chorus_pro.md §8.3, BR-FR-CDV-CL-09) as first seeded; the
catalogue is then the administrators' to edit. Outcomes follow the least disruptive use:
a missing document suspends, wrong routing data sends back, only what cannot be paid
rejects."""

S, B, R, X = "suspend", "send_back", "reject", "refuse_integration"
# A court's moves on a mémoire de frais de justice.
MS, MR = "memoire_suspend", "memoire_reject"
TS, TR = "tic_suspend", "tic_reject"  # a farmer's energy-tax refund request (energy_refunds)

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
    ("FJ_FORCLUSION", "METIER", "Mémoire forclos : présenté plus d'un an après la fin de la mission (article 800 du code de procédure pénale)", "Time-barred claim: filed more than one year after the end of the mission (article 800 of the code of criminal procedure)", [MR], False, ""),
    ("FJ_DECISION_ABS", "METIER", "Décision de désignation absente ou illisible", "Designating decision missing or illegible", [MS], False, ""),
    ("FJ_PIECE_ABS", "METIER", "Pièce justificative manquante (attestation de mission, déclaration sur l'honneur, devis)", "Supporting document missing (mission certificate, sworn statement, quote)", [MS], False, ""),
    ("FJ_HORS_CHAMP", "METIER", "Hors du champ des frais de justice (aide juridictionnelle, consignation)", "Outside the scope of justice fees (legal aid, deposit paid by a party)", [MR], False, ""),
    ("FJ_JURIDICTION_ERR", "METIER", "Juridiction erronée : la décision émane d'une autre juridiction", "Wrong court: the decision comes from another court", [MR], False, ""),
    ("FJ_DOUBLON", "METIER", "Mémoire déjà présenté pour la même mission", "Claim already filed for the same mission", [MR], False, ""),
    ("FJ_AUTRE", "METIER", "Autre motif (précisé en commentaire)", "Other reason (explained in the comment)", [MS, MR], True, ""),
    ("TIC_PIECE_MANQUANTE", "METIER", "Pièce manquante (facture, RIB, attestation de minimis)", "Missing document (invoice, bank details, de minimis certificate)", [TS], False, ""),
    ("TIC_FACTURE_ILLISIBLE", "METIER", "Facture de carburant illisible ou incomplète", "Fuel invoice unreadable or incomplete", [TS], False, ""),
    ("TIC_QUANTITE_ECART", "METIER", "Quantités déclarées différentes des factures", "Quantities declared differ from the invoices", [TS, TR], True, ""),
    ("TIC_NON_ELIGIBLE", "METIER", "Demandeur non éligible (activité non agricole)", "Applicant not eligible (not a farming activity)", [TR], False, ""),
    ("TIC_USAGE_NON_AGRICOLE", "METIER", "Produit non utilisé pour des travaux agricoles ou forestiers", "Product not used for farming or forestry work", [TR], True, ""),
    ("TIC_HORS_DELAI", "METIER", "Demande déposée après la date limite", "Request filed after the deadline", [TR], False, ""),
    ("TIC_DE_MINIMIS_DEPASSE", "METIER", "Plafond des aides de minimis dépassé", "De minimis aid ceiling exceeded", [TR], False, ""),
]  # fmt: skip


# code: (what is wrong, what to do) in French, then the same in English; written for a supplier.
EXPLANATIONS = {
    "JUSTIF_ABS": (
        "Il manque une pièce justificative (bon de livraison, procès-verbal, état des dépenses...) pour vérifier la facture.",
        "Complétez la facture en joignant le justificatif demandé dans le commentaire du service.",
        "A supporting document (delivery note, acceptance report, expense statement...) is needed to check the invoice.",
        "Complete the invoice by attaching the document the service asks for in its comment.",
    ),
    "ROUTAGE_ERR": (
        "Les données d'acheminement (destinataire, code service) ne correspondent plus au service qui doit traiter la facture.",
        "Corrigez le destinataire ou le code service indiqué par l'agent, puis renvoyez la facture.",
        "The routing data (recipient, service code) no longer points to the service that must handle the invoice.",
        "Correct the recipient or service code the agent indicates, then send the invoice again.",
    ),
    "CODE_ROUTAGE_ERR": (
        "Le code service indiqué ne correspond pas au service qui a passé la commande.",
        "Demandez le bon code service à votre acheteur (il figure sur le bon de commande) et corrigez-le.",
        "The service code given does not match the service that placed the order.",
        "Ask your buyer for the right service code (it is on the purchase order) and correct it.",
    ),
    "SIRET_ERR": (
        "Le SIRET du destinataire n'est pas celui de l'entité qui doit payer la facture.",
        "Vérifiez le SIRET dans l'annuaire ou sur le bon de commande et corrigez le destinataire.",
        "The recipient SIRET is not that of the entity that must pay the invoice.",
        "Check the SIRET in the directory or on the purchase order and correct the recipient.",
    ),
    "DEST_INC": (
        "Le destinataire ne connaît pas cette commande ou cette facture.",
        "Vérifiez auprès de votre acheteur à quelle structure adresser la facture et corrigez le destinataire.",
        "The recipient does not know this order or invoice.",
        "Check with your buyer which structure to address the invoice to and correct the recipient.",
    ),
    "DEST_ERR": (
        "La facture est adressée à une autre entité juridique que celle qui a passé la commande.",
        "Adressez la facture à l'entité juridique qui figure sur le bon de commande.",
        "The invoice is addressed to a legal entity other than the one that placed the order.",
        "Address the invoice to the legal entity named on the purchase order.",
    ),
    "ADR_ERR": (
        "L'adresse de facturation électronique utilisée n'est pas celle du destinataire.",
        "Reprenez l'adresse de facturation électronique publiée dans l'annuaire pour ce destinataire.",
        "The electronic invoicing address used is not the recipient's.",
        "Use the electronic invoicing address the directory publishes for this recipient.",
    ),
    "CMD_ERR": (
        "Le numéro de bon de commande (engagement juridique) est absent ou ne correspond à aucune commande du destinataire.",
        "Indiquez le numéro d'engagement juridique qui figure sur le bon de commande.",
        "The purchase order number (engagement juridique) is missing or matches no order of the recipient.",
        "Give the engagement juridique number printed on the purchase order.",
    ),
    "REF_CT_ABSENT": (
        "La référence du marché ou du contrat n'apparaît pas sur la facture.",
        "Ajoutez la référence du marché ou du contrat indiquée par votre acheteur.",
        "The reference of the contract is not on the invoice.",
        "Add the contract reference your buyer gave you.",
    ),
    "REF_ERR": (
        "Une référence de la facture (commande, contrat, référence acheteur) est erronée.",
        "Corrigez la référence indiquée dans le commentaire de l'agent.",
        "A reference on the invoice (order, contract, buyer reference) is wrong.",
        "Correct the reference named in the agent's comment.",
    ),
    "COORD_BANC_ERR": (
        "Les coordonnées bancaires (IBAN, BIC) ne permettent pas le paiement ou ne sont pas les vôtres.",
        "Mettez à jour vos coordonnées bancaires dans votre espace et transmettez un RIB à votre nom.",
        "The bank details (IBAN, BIC) cannot be paid to or are not yours.",
        "Update your bank details in your space and provide a bank certificate in your name.",
    ),
    "MODPAI_ERR": (
        "Les modalités de paiement (délai, échéance, mode de règlement) ne sont pas celles du marché.",
        "Reprenez les modalités de paiement prévues au marché.",
        "The payment terms (delay, due date, means of payment) are not those of the contract.",
        "Use the payment terms set in the contract.",
    ),
    "TRANSAC_INC": (
        "Le destinataire ne trouve aucune livraison ou prestation correspondant à cette facture.",
        "Joignez la preuve de livraison ou contactez le service qui a passé la commande.",
        "The recipient finds no delivery or service matching this invoice.",
        "Attach the proof of delivery or contact the service that placed the order.",
    ),
    "LIVR_INCOMP": (
        "La livraison ou la prestation facturée n'est pas encore complète.",
        "Attendez la fin de la livraison, ou facturez seulement ce qui a été livré.",
        "The delivery or service invoiced is not yet complete.",
        "Wait until delivery is complete, or invoice only what was delivered.",
    ),
    "QUALITE_ERR": (
        "Ce qui a été livré ne correspond pas à la qualité commandée.",
        "Réglez le litige avec le service (remplacement, avoir), puis complétez ou refaites la facture.",
        "What was delivered does not match the quality ordered.",
        "Settle the dispute with the service (replacement, credit note), then complete or redo the invoice.",
    ),
    "QTE_ERR": (
        "La quantité facturée ne correspond pas à la quantité commandée ou livrée.",
        "Facturez la quantité réellement livrée sur les lignes signalées.",
        "The quantity invoiced does not match the quantity ordered or delivered.",
        "Invoice the quantity actually delivered on the lines pointed out.",
    ),
    "PU_ERR": (
        "Le prix unitaire ne correspond pas au prix du marché ou du devis.",
        "Appliquez le prix unitaire du marché sur les lignes signalées.",
        "The unit price does not match the contract or quote price.",
        "Apply the contract unit price on the lines pointed out.",
    ),
    "REM_ERR": (
        "La remise appliquée n'est pas celle prévue au marché.",
        "Appliquez la remise prévue au marché et recalculez les montants.",
        "The discount applied is not the one set in the contract.",
        "Apply the discount set in the contract and recompute the amounts.",
    ),
    "ART_ERR": (
        "Un article facturé n'a pas été commandé.",
        "Retirez ou remplacez les lignes signalées par les articles commandés.",
        "An invoiced item was not ordered.",
        "Remove the lines pointed out or replace them with the items ordered.",
    ),
    "NON_CONFORME": (
        "Une mention obligatoire manque sur la facture (numéro de TVA, date de livraison, pénalités de retard...).",
        "Ajoutez la mention indiquée dans le commentaire de l'agent.",
        "A mandatory mention is missing from the invoice (VAT number, delivery date, late-payment penalties...).",
        "Add the mention named in the agent's comment.",
    ),
    "TX_TVA_ERR": (
        "Le taux de TVA appliqué ne correspond pas à ce qui est facturé.",
        "Émettez une nouvelle facture avec le bon taux de TVA.",
        "The VAT rate applied does not fit what is invoiced.",
        "Issue a new invoice with the right VAT rate.",
    ),
    "MONTANTTOTAL_ERR": (
        "Le montant total de la facture ne correspond pas à ce qui est dû.",
        "Émettez une nouvelle facture avec le montant corrigé sur les lignes signalées.",
        "The invoice total does not match what is owed.",
        "Issue a new invoice with the amount corrected on the lines pointed out.",
    ),
    "CALCUL_ERR": (
        "Les montants de la facture ne sont pas cohérents entre eux (lignes, totaux, TVA).",
        "Recalculez les montants et émettez une nouvelle facture.",
        "The invoice amounts do not add up (lines, totals, VAT).",
        "Recompute the amounts and issue a new invoice.",
    ),
    "DOUBLON": (
        "Une facture avec le même numéro, du même fournisseur et de la même année a déjà été reçue.",
        "Ne renvoyez pas cette facture ; si elle est différente, donnez-lui un nouveau numéro.",
        "An invoice with the same number, from the same supplier and year has already been received.",
        "Do not send this invoice again; if it is a different one, give it a new number.",
    ),
    "DOUBLE_FACT": (
        "Ce qui est facturé l'a déjà été par une autre facture.",
        "Vérifiez vos factures précédentes ; n'émettez une nouvelle facture que pour ce qui n'a pas été facturé.",
        "What is invoiced has already been invoiced in another invoice.",
        "Check your previous invoices; issue a new one only for what was not invoiced.",
    ),
    "EMMET_INC": (
        "Le destinataire ne vous connaît pas comme fournisseur.",
        "Contactez le service acheteur pour vérifier le titulaire du marché et l'identifiant à utiliser.",
        "The recipient does not know you as a supplier.",
        "Contact the buying service to check who holds the contract and which identifier to use.",
    ),
    "CONTRAT_TERM": (
        "Le marché ou le contrat était terminé à la date de la prestation facturée.",
        "Contactez le service acheteur pour savoir quel contrat couvre cette prestation.",
        "The contract had ended at the date of the invoiced service.",
        "Contact the buying service to learn which contract covers this service.",
    ),
    "AUTRE": (
        "Le service explique le problème dans son commentaire.",
        "Suivez les indications du commentaire de l'agent.",
        "The service explains the problem in its comment.",
        "Follow the agent's comment.",
    ),
    "NON_TRANSMISE": (
        "Le destinataire n'est pas raccordé à la facturation électronique ; la facture n'a pas pu lui être transmise.",
        "Vérifiez le destinataire dans l'annuaire, ou contactez-le pour convenir d'un autre envoi.",
        "The recipient is not connected to electronic invoicing; the invoice could not be passed on.",
        "Check the recipient in the directory, or contact them to agree on another way to send it.",
    ),
    "REJ_SEMAN": (
        "La facture ne respecte pas les règles de la norme européenne EN 16931 (une donnée obligatoire manque ou est incohérente).",
        "Corrigez chaque donnée signalée dans le compte rendu, puis déposez la facture à nouveau.",
        "The invoice breaks the rules of the European standard EN 16931 (a mandatory data item is missing or inconsistent).",
        "Correct each data item listed in the report, then deposit the invoice again.",
    ),
    "REJ_UNI": (
        "Une facture avec le même numéro a déjà été déposée par votre structure cette année.",
        "Ne déposez pas cette facture à nouveau ; si c'est une autre facture, donnez-lui un nouveau numéro.",
        "An invoice with the same number has already been deposited by your structure this year.",
        "Do not deposit this invoice again; if it is another invoice, give it a new number.",
    ),
    "REJ_COH": (
        "Des données de la facture se contredisent (dates, montants, type de document).",
        "Corrigez les données signalées dans le compte rendu, puis déposez la facture à nouveau.",
        "Some invoice data contradict each other (dates, amounts, document type).",
        "Correct the data listed in the report, then deposit the invoice again.",
    ),
    "REJ_ADR": (
        "Le destinataire indiqué n'existe pas dans l'annuaire ou n'accepte pas de factures.",
        "Cherchez le destinataire dans l'annuaire, corrigez son identifiant, puis déposez à nouveau.",
        "The recipient given is not in the directory or does not accept invoices.",
        "Look the recipient up in the directory, correct its identifier, then deposit again.",
    ),
    "REJ_CONT_B2G": (
        "Le destinataire public exige un code service ou un numéro d'engagement juridique qui manque ou est inconnu.",
        "Ajoutez le code service ou l'engagement juridique figurant sur le bon de commande, puis déposez à nouveau.",
        "The public recipient requires a service code or engagement juridique number that is missing or unknown.",
        "Add the service code or engagement juridique from the purchase order, then deposit again.",
    ),
    "REJ_REF_PJ": (
        "La facture cite une pièce jointe qui n'a pas été trouvée dans le dépôt.",
        "Joignez la pièce citée ou corrigez sa référence, puis déposez à nouveau.",
        "The invoice refers to an attachment that was not found in the deposit.",
        "Attach the document referred to or correct its reference, then deposit again.",
    ),
    "REJ_ASS_PJ": (
        "Une pièce jointe déposée n'est rattachée à aucune facture.",
        "Citez la pièce jointe dans la facture, ou retirez-la, puis déposez à nouveau.",
        "An attachment deposited is linked to no invoice.",
        "Refer to the attachment in the invoice, or remove it, then deposit again.",
    ),
    "IRR_VIDE_F": (
        "Le fichier déposé est vide.",
        "Vérifiez l'export de votre logiciel et déposez le fichier complet.",
        "The file deposited is empty.",
        "Check your software's export and deposit the complete file.",
    ),
    "IRR_TYPE_F": (
        "Ce type de fichier n'est pas accepté.",
        "Déposez la facture en Factur-X (PDF), UBL ou CII.",
        "This type of file is not accepted.",
        "Deposit the invoice as Factur-X (PDF), UBL or CII.",
    ),
    "IRR_SYNTAX": (
        "Le fichier n'est pas un XML valide au regard de son format (balise manquante, structure incorrecte).",
        "Corrigez le fichier dans votre logiciel (ou signalez-le à son éditeur), puis déposez à nouveau.",
        "The file is not valid XML for its format (missing element, wrong structure).",
        "Fix the file in your software (or report it to its vendor), then deposit again.",
    ),
    "IRR_TAILLE_PJ": (
        "Une pièce jointe dépasse la taille autorisée.",
        "Réduisez la pièce jointe (compression, numérisation moins fine) ou découpez-la, puis déposez à nouveau.",
        "An attachment exceeds the size allowed.",
        "Make the attachment smaller (compression, lower scan resolution) or split it, then deposit again.",
    ),
    "IRR_NOM_PJ": (
        "Le nom d'une pièce jointe contient des caractères non acceptés ou est trop long.",
        "Renommez la pièce jointe avec des lettres, chiffres, tirets et points seulement, puis déposez à nouveau.",
        "An attachment's name contains characters not accepted or is too long.",
        "Rename the attachment using letters, digits, dashes and dots only, then deposit again.",
    ),
    "IRR_VID_PJ": (
        "Une pièce jointe est vide.",
        "Joignez le document complet, puis déposez à nouveau.",
        "An attachment is empty.",
        "Attach the complete document, then deposit again.",
    ),
    "IRR_EXT_DOC": (
        "L'extension d'un document joint n'est pas acceptée.",
        "Convertissez le document dans un format accepté (PDF de préférence), puis déposez à nouveau.",
        "The extension of an attached document is not accepted.",
        "Convert the document to an accepted format (preferably PDF), then deposit again.",
    ),
    "IRR_TAILLE_F": (
        "Le fichier déposé dépasse la taille autorisée.",
        "Réduisez le fichier ou répartissez les factures sur plusieurs dépôts.",
        "The file deposited exceeds the size allowed.",
        "Make the file smaller or spread the invoices over several deposits.",
    ),
    "IRR_ANTIVIRUS": (
        "L'antivirus a détecté un risque dans le fichier.",
        "Analysez le fichier sur votre poste, générez-le à nouveau depuis votre logiciel, puis déposez-le.",
        "The antivirus found a threat in the file.",
        "Scan the file on your computer, produce it again from your software, then deposit it.",
    ),
    "FJ_FORCLUSION": (
        "La saisie du mémoire a commencé plus d'un an après la fin de la mission : l'article 800 du code de procédure pénale ne permet plus de le payer.",
        "Aucune correction n'est possible pour cette mission ; pour les prochaines, déposez le mémoire dans l'année qui suit la fin de la mission.",
        "The claim was started more than one year after the end of the mission: article 800 of the code of criminal procedure no longer allows it to be paid.",
        "Nothing can be corrected for this mission; for the next ones, file the claim within a year of the end of the mission.",
    ),
    "FJ_DECISION_ABS": (
        "La décision qui vous a désigné (réquisition, ordonnance, jugement, commission rogatoire) manque ou ne se lit pas.",
        "Complétez le mémoire en joignant une copie lisible de la décision de désignation.",
        "The decision that appointed you (requisition, order, judgment, letter rogatory) is missing or cannot be read.",
        "Complete the claim by attaching a legible copy of the designating decision.",
    ),
    "FJ_PIECE_ABS": (
        "Une pièce exigée pour cette prestation manque : attestation de mission, déclaration sur l'honneur ou devis accepté.",
        "Complétez le mémoire en joignant la pièce indiquée dans le commentaire du service.",
        "A document required for this service is missing: mission certificate, sworn statement or accepted quote.",
        "Complete the claim by attaching the document the service names in its comment.",
    ),
    "FJ_HORS_CHAMP": (
        "Cette prestation n'est pas payée sur les frais de justice (aide juridictionnelle, expertise consignée par une partie).",
        "Adressez votre demande à qui la paie : le bureau d'aide juridictionnelle ou la régie qui détient la consignation.",
        "This service is not paid from justice fees (legal aid, expert fees deposited by a party).",
        "Send your claim to whoever pays it: the legal aid office or the registry that holds the deposit.",
    ),
    "FJ_JURIDICTION_ERR": (
        "La décision de désignation émane d'une autre juridiction que celle à qui le mémoire est adressé.",
        "Saisissez un nouveau mémoire adressé à la juridiction nommée sur la décision.",
        "The designating decision comes from another court than the one the claim is addressed to.",
        "Enter a new claim addressed to the court named on the decision.",
    ),
    "FJ_DOUBLON": (
        "Un mémoire a déjà été présenté pour la même mission.",
        "Suivez le premier mémoire ; s'il concerne une autre mission, précisez-le dans un nouveau mémoire.",
        "A claim has already been filed for the same mission.",
        "Follow the first claim; if this one concerns another mission, say so in a new claim.",
    ),
    "FJ_AUTRE": (
        "Le service de la juridiction explique le problème dans son commentaire.",
        "Suivez les indications du commentaire, puis complétez le mémoire ou saisissez-en un nouveau.",
        "The court's service explains the problem in its comment.",
        "Follow the comment's directions, then complete the claim or enter a new one.",
    ),
    "TIC_PIECE_MANQUANTE": (
        "Une pièce nécessaire à l'instruction manque : une facture de carburant, le RIB au nom du demandeur ou l'attestation de minimis.",
        "Joignez la pièce indiquée dans le commentaire de la DDFiP : l'instruction reprendra dès réception.",
        "A document needed to instruct the request is missing: a fuel invoice, bank details in the applicant's name or the de minimis certificate.",
        "Attach the document named in the DDFiP's comment: instruction resumes as soon as it arrives.",
    ),
    "TIC_FACTURE_ILLISIBLE": (
        "Une facture de carburant jointe est illisible ou n'indique pas l'adresse de livraison, la date ou la quantité.",
        "Joignez une copie lisible et complète de la facture (une copie de la facture du fournisseur suffit).",
        "An attached fuel invoice is unreadable or lacks the delivery address, the date or the quantity.",
        "Attach a readable, complete copy of the invoice (a copy from the supplier will do).",
    ),
    "TIC_QUANTITE_ECART": (
        "Les quantités déclarées ne correspondent pas à celles des factures jointes.",
        "Vérifiez l'unité (hectolitres, 100 kg, MWh) et les quantités, puis joignez les factures manquantes.",
        "The quantities declared do not match those of the invoices attached.",
        "Check the unit (hectolitres, 100 kg, MWh) and the quantities, then attach the missing invoices.",
    ),
    "TIC_NON_ELIGIBLE": (
        "Le demandeur n'exerce pas une activité ouvrant droit au remboursement (exploitant agricole, CUMA, ETARF, GIE d'exploitants).",
        "Si votre activité est agricole, contactez la DDFiP avec un justificatif (affiliation MSA, extrait Kbis).",
        "The applicant's activity does not give the right to a refund (farmer, CUMA, agricultural contractor, farmers' GIE).",
        "If your activity is agricultural, contact the DDFiP with proof (MSA affiliation, company register extract).",
    ),
    "TIC_USAGE_NON_AGRICOLE": (
        "Les produits déclarés n'ont pas été utilisés pour des travaux agricoles ou forestiers.",
        "Ne déclarez que les volumes utilisés pour l'exploitation ; tenez le registre des travaux pour les travaux de type BTP.",
        "The products declared were not used for farming or forestry work.",
        "Declare only the volumes used for farming; keep the works register for construction-type works.",
    ),
    "TIC_HORS_DELAI": (
        "La demande a été déposée après la date limite de la campagne pour ce produit.",
        "Aucun remboursement n'est possible pour ces livraisons ; déposez vos prochaines demandes avant la date limite.",
        "The request was filed after the campaign's deadline for this product.",
        "No refund is possible for these deliveries; file your next requests before the deadline.",
    ),
    "TIC_DE_MINIMIS_DEPASSE": (
        "Le remboursement du fioul lourd ou du gaz naturel dépasserait le plafond des aides de minimis sur trois exercices.",
        "Vérifiez les aides de minimis déclarées ; seul le gazole non routier peut être remboursé au-delà.",
        "The refund of heavy fuel oil or natural gas would exceed the de minimis aid ceiling over three financial years.",
        "Check the de minimis aid declared; only non-road diesel can be refunded beyond it.",
    ),
}  # fmt: skip


def motives_seed(motive_model) -> None:
    """Creates the motives missing from the catalogue and fills explanations left empty;
    edits made in the admin are kept."""
    for position, (code, family, fr, en, outcomes, comment, lifecycle) in enumerate(MOTIVES):
        explanation_fr, fix_fr, explanation_en, fix_en = EXPLANATIONS[code]
        texts = {
            "explanation_fr": explanation_fr,
            "fix_fr": fix_fr,
            "explanation_en": explanation_en,
            "fix_en": fix_en,
        }
        motive, _created = motive_model.objects.get_or_create(
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
        # An earlier migration runs this on a model without the explanation fields.
        empty = {
            field: text for field, text in texts.items() if not getattr(motive, field, "missing")
        }
        if empty:
            motive_model.objects.filter(pk=code).update(**empty)
