"""Findings in plain language: which field (by its business term's French and English name),
which invoice line, what is wrong and what to do, with the technical details set apart.

The business terms (BT) and groups (BG) of EN 16931-1 carry the names of the French edition of
the standard, as the FNFE-MPE uses them, so that a supplier finds the words of his invoicing
software. The rules suppliers meet most (the official unit tests' most exercised rules and
the platform's own) have hand-written explanations; any other rule gets a sentence built from
its official text and its business term.
"""

import re

from django.utils.translation import get_language

from invoices.validation.messages import FRENCH

# Address lines 3 (BT-162 to BT-165) were added late to the standard, hence their numbers.
_ADDRESS = {
    "Seller": ("du vendeur", ("BT-35", "BT-36", "BT-162", "BT-37", "BT-38", "BT-39", "BT-40")),
    "Buyer": ("de l'acheteur", ("BT-50", "BT-51", "BT-163", "BT-52", "BT-53", "BT-54", "BT-55")),
    "Tax representative": (
        "du représentant fiscal",
        ("BT-64", "BT-65", "BT-164", "BT-66", "BT-67", "BT-68", "BT-69"),
    ),
    "Deliver to": (
        "de livraison",
        ("BT-75", "BT-76", "BT-165", "BT-77", "BT-78", "BT-79", "BT-80"),
    ),
}
_ADDRESS_PARTS = (
    ("Ligne 1 de l'adresse {of}", "{who} address line 1"),
    ("Ligne 2 de l'adresse {of}", "{who} address line 2"),
    ("Ligne 3 de l'adresse {of}", "{who} address line 3"),
    ("Localité {of}", "{who} city"),
    ("Code postal {of}", "{who} post code"),
    ("Subdivision du pays {of}", "{who} country subdivision"),
    ("Code pays {of}", "{who} country code"),
)

# code: (French name, English name)
TERMS: dict[str, tuple[str, str]] = {
    "BT-1": ("Numéro de facture", "Invoice number"),
    "BT-2": ("Date d'émission de la facture", "Invoice issue date"),
    "BT-3": ("Code de type de facture", "Invoice type code"),
    "BT-5": ("Code de devise de la facture", "Invoice currency code"),
    "BT-6": ("Code de devise de comptabilisation de la TVA", "VAT accounting currency code"),
    "BT-7": ("Date d'exigibilité de la TVA", "Value added tax point date"),
    "BT-8": ("Code de date d'exigibilité de la TVA", "Value added tax point date code"),
    "BT-9": ("Date d'échéance du paiement", "Payment due date"),
    "BT-10": ("Référence acheteur", "Buyer reference"),
    "BT-11": ("Référence du projet", "Project reference"),
    "BT-12": ("Référence du contrat", "Contract reference"),
    "BT-13": ("Référence du bon de commande", "Purchase order reference"),
    "BT-14": ("Référence de la commande client", "Sales order reference"),
    "BT-15": ("Référence de l'avis de réception", "Receiving advice reference"),
    "BT-16": ("Référence de l'avis d'expédition", "Despatch advice reference"),
    "BT-17": ("Référence de l'appel d'offres ou du lot", "Tender or lot reference"),
    "BT-18": ("Identifiant d'objet facturé", "Invoiced object identifier"),
    "BT-19": ("Référence comptable de l'acheteur", "Buyer accounting reference"),
    "BT-20": ("Conditions de paiement", "Payment terms"),
    "BT-21": ("Code du sujet de la note", "Invoice note subject code"),
    "BT-22": ("Note de facture", "Invoice note"),
    "BT-23": ("Type de processus métier", "Business process type"),
    "BT-24": ("Identifiant de spécification", "Specification identifier"),
    "BT-25": ("Référence à une facture antérieure", "Preceding invoice reference"),
    "BT-26": ("Date d'émission de la facture antérieure", "Preceding invoice issue date"),
    "BT-27": ("Raison sociale du vendeur", "Seller name"),
    "BT-28": ("Nom commercial du vendeur", "Seller trading name"),
    "BT-29": ("Identifiant du vendeur", "Seller identifier"),
    "BT-30": (
        "Identifiant d'immatriculation légale du vendeur",
        "Seller legal registration identifier",
    ),
    "BT-31": ("Identifiant à la TVA du vendeur", "Seller VAT identifier"),
    "BT-32": ("Identifiant fiscal du vendeur", "Seller tax registration identifier"),
    "BT-33": (
        "Informations juridiques complémentaires du vendeur",
        "Seller additional legal information",
    ),
    "BT-34": ("Adresse électronique du vendeur", "Seller electronic address"),
    "BT-41": ("Point de contact du vendeur", "Seller contact point"),
    "BT-42": ("Téléphone du contact du vendeur", "Seller contact telephone number"),
    "BT-43": ("Courriel du contact du vendeur", "Seller contact email address"),
    "BT-44": ("Raison sociale de l'acheteur", "Buyer name"),
    "BT-45": ("Nom commercial de l'acheteur", "Buyer trading name"),
    "BT-46": ("Identifiant de l'acheteur", "Buyer identifier"),
    "BT-47": (
        "Identifiant d'immatriculation légale de l'acheteur",
        "Buyer legal registration identifier",
    ),
    "BT-48": ("Identifiant à la TVA de l'acheteur", "Buyer VAT identifier"),
    "BT-49": ("Adresse électronique de l'acheteur", "Buyer electronic address"),
    "BT-56": ("Point de contact de l'acheteur", "Buyer contact point"),
    "BT-57": ("Téléphone du contact de l'acheteur", "Buyer contact telephone number"),
    "BT-58": ("Courriel du contact de l'acheteur", "Buyer contact email address"),
    "BT-59": ("Nom du bénéficiaire", "Payee name"),
    "BT-60": ("Identifiant du bénéficiaire", "Payee identifier"),
    "BT-61": (
        "Identifiant d'immatriculation légale du bénéficiaire",
        "Payee legal registration identifier",
    ),
    "BT-62": ("Nom du représentant fiscal du vendeur", "Seller tax representative name"),
    "BT-63": (
        "Identifiant à la TVA du représentant fiscal du vendeur",
        "Seller tax representative VAT identifier",
    ),
    "BT-70": ("Nom du destinataire de la livraison", "Deliver to party name"),
    "BT-71": ("Identifiant du lieu de livraison", "Deliver to location identifier"),
    "BT-72": ("Date effective de livraison", "Actual delivery date"),
    "BT-73": ("Date de début de la période de facturation", "Invoicing period start date"),
    "BT-74": ("Date de fin de la période de facturation", "Invoicing period end date"),
    "BT-81": ("Code de type de moyen de paiement", "Payment means type code"),
    "BT-82": ("Libellé du moyen de paiement", "Payment means text"),
    "BT-83": ("Avis de paiement", "Remittance information"),
    "BT-84": ("Identifiant du compte de paiement (IBAN)", "Payment account identifier"),
    "BT-85": ("Nom du compte de paiement", "Payment account name"),
    "BT-86": (
        "Identifiant du prestataire de services de paiement (BIC)",
        "Payment service provider identifier",
    ),
    "BT-87": ("Numéro de la carte de paiement", "Payment card primary account number"),
    "BT-88": ("Nom du titulaire de la carte de paiement", "Payment card holder name"),
    "BT-89": ("Identifiant de la référence du mandat", "Mandate reference identifier"),
    "BT-90": ("Identifiant du créancier", "Bank assigned creditor identifier"),
    "BT-91": ("Identifiant du compte débité", "Debited account identifier"),
    "BT-92": ("Montant de la remise sur le document", "Document level allowance amount"),
    "BT-93": ("Assiette de la remise sur le document", "Document level allowance base amount"),
    "BT-94": ("Pourcentage de la remise sur le document", "Document level allowance percentage"),
    "BT-95": (
        "Code de catégorie de TVA de la remise sur le document",
        "Document level allowance VAT category code",
    ),
    "BT-96": ("Taux de TVA de la remise sur le document", "Document level allowance VAT rate"),
    "BT-97": ("Motif de la remise sur le document", "Document level allowance reason"),
    "BT-98": ("Code du motif de la remise sur le document", "Document level allowance reason code"),
    "BT-99": ("Montant des frais sur le document", "Document level charge amount"),
    "BT-100": ("Assiette des frais sur le document", "Document level charge base amount"),
    "BT-101": ("Pourcentage des frais sur le document", "Document level charge percentage"),
    "BT-102": (
        "Code de catégorie de TVA des frais sur le document",
        "Document level charge VAT category code",
    ),
    "BT-103": ("Taux de TVA des frais sur le document", "Document level charge VAT rate"),
    "BT-104": ("Motif des frais sur le document", "Document level charge reason"),
    "BT-105": ("Code du motif des frais sur le document", "Document level charge reason code"),
    "BT-106": ("Somme des montants nets des lignes", "Sum of Invoice line net amount"),
    "BT-107": ("Somme des remises sur le document", "Sum of allowances on document level"),
    "BT-108": ("Somme des frais sur le document", "Sum of charges on document level"),
    "BT-109": ("Montant total hors TVA", "Invoice total amount without VAT"),
    "BT-110": ("Montant total de la TVA", "Invoice total VAT amount"),
    "BT-111": (
        "Montant total de la TVA en devise de comptabilisation",
        "Invoice total VAT amount in accounting currency",
    ),
    "BT-112": ("Montant total TTC", "Invoice total amount with VAT"),
    "BT-113": ("Montant payé", "Paid amount"),
    "BT-114": ("Montant de l'arrondi", "Rounding amount"),
    "BT-115": ("Montant à payer", "Amount due for payment"),
    "BT-116": ("Base d'imposition de la catégorie de TVA", "VAT category taxable amount"),
    "BT-117": ("Montant de TVA de la catégorie", "VAT category tax amount"),
    "BT-118": ("Code de catégorie de TVA", "VAT category code"),
    "BT-119": ("Taux de TVA de la catégorie", "VAT category rate"),
    "BT-120": ("Motif d'exonération de TVA", "VAT exemption reason text"),
    "BT-121": ("Code du motif d'exonération de TVA", "VAT exemption reason code"),
    "BT-122": ("Référence du document justificatif", "Supporting document reference"),
    "BT-123": ("Description du document justificatif", "Supporting document description"),
    "BT-124": ("Emplacement du document externe", "External document location"),
    "BT-125": ("Pièce jointe", "Attached document"),
    "BT-126": ("Identifiant de la ligne de facture", "Invoice line identifier"),
    "BT-127": ("Note de la ligne de facture", "Invoice line note"),
    "BT-128": ("Identifiant d'objet de la ligne", "Invoice line object identifier"),
    "BT-129": ("Quantité facturée", "Invoiced quantity"),
    "BT-130": ("Unité de la quantité facturée", "Invoiced quantity unit of measure code"),
    "BT-131": ("Montant net de la ligne", "Invoice line net amount"),
    "BT-132": ("Référence de la ligne de commande", "Referenced purchase order line reference"),
    "BT-133": (
        "Référence comptable de l'acheteur pour la ligne",
        "Invoice line Buyer accounting reference",
    ),
    "BT-134": ("Date de début de la période de la ligne", "Invoice line period start date"),
    "BT-135": ("Date de fin de la période de la ligne", "Invoice line period end date"),
    "BT-136": ("Montant de la remise sur la ligne", "Invoice line allowance amount"),
    "BT-137": ("Assiette de la remise sur la ligne", "Invoice line allowance base amount"),
    "BT-138": ("Pourcentage de la remise sur la ligne", "Invoice line allowance percentage"),
    "BT-139": ("Motif de la remise sur la ligne", "Invoice line allowance reason"),
    "BT-140": ("Code du motif de la remise sur la ligne", "Invoice line allowance reason code"),
    "BT-141": ("Montant des frais sur la ligne", "Invoice line charge amount"),
    "BT-142": ("Assiette des frais sur la ligne", "Invoice line charge base amount"),
    "BT-143": ("Pourcentage des frais sur la ligne", "Invoice line charge percentage"),
    "BT-144": ("Motif des frais sur la ligne", "Invoice line charge reason"),
    "BT-145": ("Code du motif des frais sur la ligne", "Invoice line charge reason code"),
    "BT-146": ("Prix net de l'article", "Item net price"),
    "BT-147": ("Rabais sur le prix de l'article", "Item price discount"),
    "BT-148": ("Prix brut de l'article", "Item gross price"),
    "BT-149": ("Quantité de base du prix de l'article", "Item price base quantity"),
    "BT-150": (
        "Unité de la quantité de base du prix",
        "Item price base quantity unit of measure code",
    ),
    "BT-151": ("Code de catégorie de TVA de l'article", "Invoiced item VAT category code"),
    "BT-152": ("Taux de TVA de l'article", "Invoiced item VAT rate"),
    "BT-153": ("Nom de l'article", "Item name"),
    "BT-154": ("Description de l'article", "Item description"),
    "BT-155": ("Identifiant vendeur de l'article", "Item Seller's identifier"),
    "BT-156": ("Identifiant acheteur de l'article", "Item Buyer's identifier"),
    "BT-157": ("Identifiant standard de l'article", "Item standard identifier"),
    "BT-158": ("Identifiant de classification de l'article", "Item classification identifier"),
    "BT-159": ("Pays d'origine de l'article", "Item country of origin"),
    "BT-160": ("Nom de l'attribut de l'article", "Item attribute name"),
    "BT-161": ("Valeur de l'attribut de l'article", "Item attribute value"),
    "BG-1": ("Commentaire de la facture", "Invoice note"),
    "BG-2": ("Contrôle du processus", "Process control"),
    "BG-3": ("Référence à une facture antérieure", "Preceding Invoice reference"),
    "BG-4": ("Vendeur", "Seller"),
    "BG-5": ("Adresse postale du vendeur", "Seller postal address"),
    "BG-6": ("Contact du vendeur", "Seller contact"),
    "BG-7": ("Acheteur", "Buyer"),
    "BG-8": ("Adresse postale de l'acheteur", "Buyer postal address"),
    "BG-9": ("Contact de l'acheteur", "Buyer contact"),
    "BG-10": ("Bénéficiaire", "Payee"),
    "BG-11": ("Représentant fiscal du vendeur", "Seller tax representative party"),
    "BG-12": (
        "Adresse postale du représentant fiscal du vendeur",
        "Seller tax representative postal address",
    ),
    "BG-13": ("Informations de livraison", "Delivery information"),
    "BG-14": ("Période de facturation", "Invoicing period"),
    "BG-15": ("Adresse de livraison", "Deliver to address"),
    "BG-16": ("Instructions de paiement", "Payment instructions"),
    "BG-17": ("Virement", "Credit transfer"),
    "BG-18": ("Informations sur la carte de paiement", "Payment card information"),
    "BG-19": ("Prélèvement", "Direct debit"),
    "BG-20": ("Remises sur le document", "Document level allowances"),
    "BG-21": ("Frais sur le document", "Document level charges"),
    "BG-22": ("Totaux du document", "Document totals"),
    "BG-23": ("Ventilation de la TVA", "VAT breakdown"),
    "BG-24": ("Documents justificatifs additionnels", "Additional supporting documents"),
    "BG-25": ("Ligne de facture", "Invoice line"),
    "BG-26": ("Période de la ligne de facture", "Invoice line period"),
    "BG-27": ("Remises sur la ligne", "Invoice line allowances"),
    "BG-28": ("Frais sur la ligne", "Invoice line charges"),
    "BG-29": ("Détail du prix", "Price details"),
    "BG-30": ("Informations sur la TVA de la ligne", "Line VAT information"),
    "BG-31": ("Informations sur l'article", "Item information"),
    "BG-32": ("Attributs de l'article", "Item attributes"),
}

for _who, (_of, _codes) in _ADDRESS.items():
    for _code, (_fr, _en) in zip(_codes, _ADDRESS_PARTS, strict=True):
        TERMS[_code] = (_fr.format(of=_of), _en.format(who=_who))


# The most frequent refusals: the platform's rules, and the EN 16931 rules the official unit
# tests assert most often (Canary Islands and Ceuta taxes left aside), plus the totals checks
# suppliers meet daily.
# rule: (business term, what is wrong in French, what to do in French, in English, in English)
HAND_WRITTEN: dict[str, tuple[str | None, str, str, str, str]] = {
    "CPP-001": (
        "BT-47",
        "Le SIRET du destinataire manque : la plateforme ne sait pas à qui adresser la facture.",
        "Indiquez le SIRET de la structure publique destinataire, tel qu'il figure dans "
        "l'annuaire des structures publiques.",
        "The recipient's SIRET is missing: the platform does not know whom the invoice is for.",
        "Give the SIRET of the public recipient as the directory of public structures shows it.",
    ),
    "CPP-002": (
        "BT-47",
        "Le SIRET du destinataire n'est pas celui d'une structure publique connue.",
        "Recherchez le destinataire dans l'annuaire des structures publiques et recopiez "
        "son SIRET à l'identique (14 chiffres, sans espace).",
        "The recipient's SIRET is not that of a known public structure.",
        "Look the recipient up in the directory of public structures and copy its SIRET "
        "exactly (14 digits, no spaces).",
    ),
    "CPP-003": (
        "BT-47",
        "Le destinataire n'est plus actif : il a fermé ou a été remplacé.",
        "Adressez la facture à la structure qui lui a succédé ; l'acheteur ou l'annuaire "
        "vous l'indiquent.",
        "The recipient is no longer active: it closed or was replaced.",
        "Address the invoice to the structure that took over from it; the buyer or the "
        "directory will tell you which one.",
    ),
    "CPP-004": (
        "BT-10",
        "Ce destinataire exige un code service, et la facture n'en porte pas.",
        "Demandez à l'acheteur le code du service qui a passé la commande, ou choisissez-le "
        "dans l'annuaire, et indiquez-le dans la référence acheteur.",
        "This recipient requires a service code, and the invoice has none.",
        "Ask the buyer for the code of the service that placed the order, or pick it in the "
        "directory, and give it as the buyer reference.",
    ),
    "CPP-005": (
        "BT-10",
        "Le code service indiqué n'est pas un service actif de ce destinataire.",
        "Vérifiez le code service dans l'annuaire du destinataire (il est souvent sur le bon "
        "de commande) et corrigez-le.",
        "The service code given is not an active service of this recipient.",
        "Check the service code in the recipient's directory entry (it is often on the "
        "purchase order) and correct it.",
    ),
    "CPP-006": (
        "BT-13",
        "Ce destinataire exige un numéro d'engagement juridique, et la facture n'en porte pas.",
        "Recopiez le numéro d'engagement juridique qui figure sur le bon de commande reçu de "
        "l'acheteur ; à défaut, demandez-le-lui.",
        "This recipient requires an engagement juridique number, and the invoice has none.",
        "Copy the engagement juridique number printed on the buyer's purchase order; if you "
        "have none, ask the buyer for it.",
    ),
    "CPP-007": (
        "BT-13",
        "Ce destinataire exige un numéro d'engagement juridique ou un code service.",
        "Indiquez le numéro d'engagement juridique du bon de commande, ou le code du service "
        "destinataire.",
        "This recipient requires an engagement juridique number or a service code.",
        "Give the engagement juridique number of the purchase order, or the code of the "
        "receiving service.",
    ),
    "CPP-008": (
        "BT-13",
        "Le numéro d'engagement juridique est trop long (50 caractères au plus).",
        "N'indiquez que le numéro d'engagement juridique, sans texte autour.",
        "The engagement juridique number is too long (50 characters at most).",
        "Give the engagement juridique number alone, with no text around it.",
    ),
    "CPP-009": (
        "BT-13",
        "Le numéro d'engagement juridique est inconnu de ce destinataire.",
        "Vérifiez le numéro sur le bon de commande reçu ; s'il est juste, demandez à "
        "l'acheteur s'il a bien été enregistré.",
        "The engagement juridique number is unknown to this recipient.",
        "Check the number on the purchase order you received; if it is right, ask the buyer "
        "whether it was recorded.",
    ),
    "CPP-010": (
        "BT-30",
        "Le vendeur indiqué sur la facture n'est pas la structure qui la dépose.",
        "Déposez la facture depuis le compte de la structure qui l'émet, ou corrigez le "
        "SIRET du vendeur.",
        "The seller on the invoice is not the structure depositing it.",
        "Deposit the invoice from the account of the structure that issues it, or correct "
        "the seller's SIRET.",
    ),
    "CPP-011": (
        "BT-1",
        "Vous avez déjà déposé une facture portant ce numéro cette année.",
        "Si c'est un doublon, ne faites rien : la première facture suit son cours. Sinon, "
        "donnez à cette facture un numéro qui lui est propre.",
        "You already deposited an invoice with this number this year.",
        "If it is a duplicate, do nothing: the first invoice is being processed. Otherwise, "
        "give this invoice a number of its own.",
    ),
    "CPP-012": (
        "BT-25",
        "Un avoir doit indiquer le numéro de la facture qu'il corrige.",
        "Indiquez le numéro de la facture d'origine dans la référence à une facture antérieure.",
        "A credit note must give the number of the invoice it corrects.",
        "Give the original invoice's number as the preceding invoice reference.",
    ),
    "CPP-013": (
        "BT-125",
        "Une pièce jointe dépasse 10 Mo.",
        "Compressez la pièce jointe (un PDF numérisé en noir et blanc suffit souvent) ou "
        "découpez-la en plusieurs fichiers.",
        "An attachment is larger than 10 MB.",
        "Compress the attachment (a black and white scanned PDF is often enough) or split "
        "it into several files.",
    ),
    "CPP-014": (
        "BT-125",
        "Le nom d'une pièce jointe est trop long ou son extension n'est pas acceptée.",
        "Renommez le fichier : 50 caractères au plus, finissant par une extension acceptée "
        "(pdf, jpg, png, xml, csv, xlsx, docx, odt, zip…).",
        "An attachment's name is too long or its extension is not accepted.",
        "Rename the file: 50 characters at most, ending with an accepted extension (pdf, "
        "jpg, png, xml, csv, xlsx, docx, odt, zip…).",
    ),
    "CPP-015": (
        "BT-125",
        "Les pièces jointes pèsent ensemble plus de 120 Mo.",
        "Allégez les pièces jointes ou envoyez une partie d'entre elles à l'acheteur séparément.",
        "The attachments weigh more than 120 MB together.",
        "Make the attachments smaller or send some of them to the buyer separately.",
    ),
    "XSD": (
        None,
        "Le fichier n'a pas la structure attendue par la norme : un élément manque, est en "
        "trop, mal placé ou mal écrit.",
        "Le fichier vient de votre logiciel de facturation : signalez ce constat à son éditeur "
        "(avec les détails techniques), ou saisissez la facture sur le portail.",
        "The file does not have the structure the standard expects: an element is missing, "
        "extra, misplaced or misspelt.",
        "The file comes from your invoicing software: report this finding to its publisher "
        "(with the technical details), or key the invoice in on the portal.",
    ),
    "READ-NOT-XML-OR-PDF": (
        None,
        "Le fichier déposé n'est ni une facture XML ni un PDF.",
        "Déposez la facture au format Factur-X (PDF), UBL ou CII (XML), tel que l'exporte "
        "votre logiciel de facturation.",
        "The file deposited is neither an XML invoice nor a PDF.",
        "Deposit the invoice as Factur-X (PDF), UBL or CII (XML), as your invoicing software "
        "exports it.",
    ),
    "READ-PDF-NO-XML": (
        None,
        "Ce PDF ne contient pas de facture électronique : c'est une simple image de facture.",
        "Exportez la facture au format Factur-X depuis votre logiciel, ou saisissez-la sur "
        "le portail.",
        "This PDF holds no electronic invoice: it is only a picture of an invoice.",
        "Export the invoice as Factur-X from your software, or key it in on the portal.",
    ),
    "READ-VALUE": (
        None,
        "Une valeur de la facture ne peut pas être lue (par exemple une date qui n'existe pas).",
        "Corrigez cette valeur dans votre logiciel de facturation, puis déposez la facture à "
        "nouveau.",
        "A value of the invoice cannot be read (for example a date that does not exist).",
        "Correct this value in your invoicing software, then deposit the invoice again.",
    ),
    "READ-EMPTY-ELEMENTS": (
        None,
        "Le fichier contient un très grand nombre d'éléments vides.",
        "Réglez votre logiciel pour qu'il omette les champs sans valeur, puis déposez la "
        "facture à nouveau.",
        "The file holds a very large number of empty elements.",
        "Set your software to leave out the fields that have no value, then deposit the "
        "invoice again.",
    ),
    "BR-02": (
        "BT-1",
        "La facture n'a pas de numéro.",
        "Indiquez le numéro de la facture, unique pour chacune de vos factures.",
        "The invoice has no number.",
        "Give the invoice number, unique to each of your invoices.",
    ),
    "BR-03": (
        "BT-2",
        "La facture n'a pas de date d'émission.",
        "Indiquez la date à laquelle la facture est émise.",
        "The invoice has no issue date.",
        "Give the date the invoice is issued.",
    ),
    "BR-05": (
        "BT-5",
        "La devise de la facture manque.",
        "Indiquez la devise, par exemple EUR.",
        "The invoice currency is missing.",
        "Give the currency, for example EUR.",
    ),
    "BR-06": (
        "BT-27",
        "La raison sociale du vendeur manque.",
        "Indiquez le nom de votre entreprise tel qu'il est immatriculé.",
        "The seller's name is missing.",
        "Give your company's registered name.",
    ),
    "BR-07": (
        "BT-44",
        "La raison sociale de l'acheteur manque.",
        "Indiquez le nom de la structure publique destinataire, tel que l'annuaire le donne.",
        "The buyer's name is missing.",
        "Give the name of the public recipient as the directory shows it.",
    ),
    "BR-16": (
        "BG-25",
        "La facture n'a aucune ligne.",
        "Ajoutez au moins une ligne décrivant ce qui est facturé.",
        "The invoice has no line.",
        "Add at least one line describing what is invoiced.",
    ),
    "BR-08": (
        "BG-5",
        "L'adresse postale du vendeur manque.",
        "Indiquez l'adresse de votre établissement : rue, code postal, ville et pays.",
        "The seller's postal address is missing.",
        "Give your establishment's address: street, post code, city and country.",
    ),
    "BR-10": (
        "BG-8",
        "L'adresse postale de l'acheteur manque.",
        "Indiquez l'adresse de la structure publique destinataire, au moins son pays.",
        "The buyer's postal address is missing.",
        "Give the public recipient's address, at least its country.",
    ),
    "BR-54": (
        "BG-32",
        "Un attribut d'article n'a pas à la fois un nom et une valeur.",
        "Complétez l'attribut (par exemple « Couleur » : « Bleu ») ou retirez-le.",
        "An item attribute does not have both a name and a value.",
        "Complete the attribute (for example “Colour”: “Blue”) or remove it.",
    ),
    "BR-S-02": (
        "BT-31",
        "Une ligne est au taux de TVA normal, mais votre numéro de TVA intracommunautaire "
        "n'est pas indiqué.",
        "Indiquez votre numéro de TVA intracommunautaire (FR suivi de 11 caractères).",
        "A line is at the standard VAT rate, but your VAT number is not given.",
        "Give your intra-community VAT number (FR followed by 11 characters).",
    ),
    "BR-S-03": (
        "BT-31",
        "Une remise est au taux de TVA normal, mais votre numéro de TVA intracommunautaire "
        "n'est pas indiqué.",
        "Indiquez votre numéro de TVA intracommunautaire (FR suivi de 11 caractères).",
        "An allowance is at the standard VAT rate, but your VAT number is not given.",
        "Give your intra-community VAT number (FR followed by 11 characters).",
    ),
    "BR-S-04": (
        "BT-31",
        "Des frais sont au taux de TVA normal, mais votre numéro de TVA intracommunautaire "
        "n'est pas indiqué.",
        "Indiquez votre numéro de TVA intracommunautaire (FR suivi de 11 caractères).",
        "A charge is at the standard VAT rate, but your VAT number is not given.",
        "Give your intra-community VAT number (FR followed by 11 characters).",
    ),
    "BR-AE-02": (
        "BT-48",
        "Une ligne est en autoliquidation, mais le numéro de TVA du vendeur ou l'identifiant "
        "de l'acheteur manque.",
        "Indiquez votre numéro de TVA et le numéro de TVA (ou le SIRET) de l'acheteur : "
        "l'autoliquidation en dépend.",
        "A line is under reverse charge, but the seller's VAT number or the buyer's "
        "identifier is missing.",
        "Give your VAT number and the buyer's VAT number (or SIRET): reverse charge "
        "depends on them.",
    ),
    "BR-AE-03": (
        "BT-48",
        "Une remise est en autoliquidation, mais le numéro de TVA du vendeur ou "
        "l'identifiant de l'acheteur manque.",
        "Indiquez votre numéro de TVA et le numéro de TVA (ou le SIRET) de l'acheteur.",
        "An allowance is under reverse charge, but the seller's VAT number or the buyer's "
        "identifier is missing.",
        "Give your VAT number and the buyer's VAT number (or SIRET).",
    ),
    "BR-AE-04": (
        "BT-48",
        "Des frais sont en autoliquidation, mais le numéro de TVA du vendeur ou "
        "l'identifiant de l'acheteur manque.",
        "Indiquez votre numéro de TVA et le numéro de TVA (ou le SIRET) de l'acheteur.",
        "A charge is under reverse charge, but the seller's VAT number or the buyer's "
        "identifier is missing.",
        "Give your VAT number and the buyer's VAT number (or SIRET).",
    ),
    "BR-IC-01": (
        "BG-23",
        "Des lignes sont des livraisons intracommunautaires (catégorie K), mais la "
        "ventilation de TVA n'a pas de rubrique de cette catégorie.",
        "Ajoutez à la ventilation de TVA une rubrique de catégorie K, avec sa base.",
        "Some lines are intra-community supplies (category K), but the VAT breakdown has "
        "no entry of that category.",
        "Add to the VAT breakdown a category K entry, with its taxable amount.",
    ),
    "BR-IC-02": (
        "BT-48",
        "Une ligne est une livraison intracommunautaire, mais le numéro de TVA du vendeur ou "
        "celui de l'acheteur manque.",
        "Indiquez votre numéro de TVA et celui de l'acheteur : l'exonération en dépend.",
        "A line is an intra-community supply, but the seller's or the buyer's VAT number is "
        "missing.",
        "Give your VAT number and the buyer's: the exemption depends on them.",
    ),
    "BR-IC-03": (
        "BT-48",
        "Une remise porte sur une livraison intracommunautaire, mais le numéro de TVA du "
        "vendeur ou celui de l'acheteur manque.",
        "Indiquez votre numéro de TVA et celui de l'acheteur.",
        "An allowance is on an intra-community supply, but the seller's or the buyer's VAT "
        "number is missing.",
        "Give your VAT number and the buyer's.",
    ),
    "BR-IC-04": (
        "BT-48",
        "Des frais portent sur une livraison intracommunautaire, mais le numéro de TVA du "
        "vendeur ou celui de l'acheteur manque.",
        "Indiquez votre numéro de TVA et celui de l'acheteur.",
        "A charge is on an intra-community supply, but the seller's or the buyer's VAT "
        "number is missing.",
        "Give your VAT number and the buyer's.",
    ),
    "BR-IC-12": (
        "BT-80",
        "Pour une livraison intracommunautaire, le pays de livraison doit être indiqué.",
        "Indiquez le code pays de l'adresse de livraison (par exemple DE pour l'Allemagne).",
        "For an intra-community supply, the country of delivery must be given.",
        "Give the country code of the delivery address (for example DE for Germany).",
    ),
    "BR-CO-10": (
        "BT-106",
        "La somme des lignes indiquée ne correspond pas à l'addition des montants nets des lignes.",
        "Recalculez la somme des montants nets des lignes ; un arrondi différent sur une "
        "ligne suffit souvent à l'écart.",
        "The sum of lines given does not match the addition of the lines' net amounts.",
        "Recompute the sum of the lines' net amounts; a different rounding on one line is "
        "often the cause.",
    ),
    "BR-CO-13": (
        "BT-109",
        "Le total hors TVA ne correspond pas à la somme des lignes moins les remises plus les "
        "frais.",
        "Recalculez le total hors TVA : somme des lignes − remises + frais.",
        "The total without VAT does not match the sum of lines minus allowances plus charges.",
        "Recompute the total without VAT: sum of lines − allowances + charges.",
    ),
    "BR-CO-14": (
        "BT-110",
        "Le total de TVA ne correspond pas à la somme des montants de TVA de chaque taux.",
        "Recalculez le total de TVA à partir de la ventilation par taux.",
        "The total VAT does not match the sum of the VAT amounts of each rate.",
        "Recompute the total VAT from the breakdown by rate.",
    ),
    "BR-CO-15": (
        "BT-112",
        "Le total TTC ne correspond pas au total hors TVA plus le total de TVA.",
        "Recalculez le total TTC : total hors TVA + total de TVA.",
        "The total with VAT does not match the total without VAT plus the total VAT.",
        "Recompute the total with VAT: total without VAT + total VAT.",
    ),
    "BR-CO-16": (
        "BT-115",
        "Le montant à payer ne correspond pas au total TTC moins l'acompte déjà payé plus "
        "l'arrondi.",
        "Recalculez le montant à payer : total TTC − montant déjà payé + arrondi.",
        "The amount due does not match the total with VAT minus the amount paid plus rounding.",
        "Recompute the amount due: total with VAT − paid amount + rounding.",
    ),
    "BR-CO-17": (
        "BT-117",
        "Le montant de TVA d'un taux n'est pas égal à sa base multipliée par le taux, arrondi "
        "au centime.",
        "Recalculez ce montant de TVA : base × taux ÷ 100, arrondi à deux décimales.",
        "A rate's VAT amount is not its taxable amount times the rate, rounded to the cent.",
        "Recompute this VAT amount: taxable amount × rate ÷ 100, rounded to two decimals.",
    ),
    "BR-S-08": (
        "BT-116",
        "La base de TVA d'un taux normal ne correspond pas aux lignes, remises et frais à ce taux.",
        "Recalculez la base de chaque taux : somme des lignes à ce taux − remises + frais à "
        "ce même taux.",
        "The taxable amount of a standard rate does not match the lines, allowances and "
        "charges at that rate.",
        "Recompute each rate's taxable amount: lines at that rate − allowances + charges at "
        "that same rate.",
    ),
    "BR-S-09": (
        "BT-117",
        "Le montant de TVA d'un taux normal n'est pas égal à sa base multipliée par le taux.",
        "Recalculez ce montant de TVA : base × taux ÷ 100, arrondi au centime.",
        "A standard rate's VAT amount is not its taxable amount times the rate.",
        "Recompute this VAT amount: taxable amount × rate ÷ 100, rounded to the cent.",
    ),
    "BR-E-01": (
        "BG-23",
        "Des lignes sont exonérées de TVA (catégorie E), mais la ventilation de TVA n'a pas "
        "exactement une rubrique « exonéré ».",
        "Ajoutez à la ventilation de TVA une seule rubrique de catégorie E, avec le motif "
        "d'exonération.",
        "Some lines are VAT exempt (category E), but the VAT breakdown does not have exactly "
        "one “exempt” entry.",
        "Add to the VAT breakdown a single category E entry, with the exemption reason.",
    ),
    "BR-IP-08": (
        "BT-116",
        "La base de TVA de l'IPSI (Ceuta et Melilla) ne correspond pas aux lignes, remises "
        "et frais à ce taux.",
        "Recalculez la base de ce taux à partir des lignes, remises et frais concernés.",
        "The IPSI (Ceuta and Melilla) taxable amount does not match the lines, allowances "
        "and charges at that rate.",
        "Recompute this rate's taxable amount from the lines, allowances and charges concerned.",
    ),
    "BR-IG-08": (
        "BT-116",
        "La base de TVA de l'IGIC (îles Canaries) ne correspond pas aux lignes, remises et "
        "frais à ce taux.",
        "Recalculez la base de ce taux à partir des lignes, remises et frais concernés.",
        "The IGIC (Canary Islands) taxable amount does not match the lines, allowances and "
        "charges at that rate.",
        "Recompute this rate's taxable amount from the lines, allowances and charges concerned.",
    ),
    "BR-CL-16": (
        "BT-81",
        "Le code du moyen de paiement n'est pas un code de la liste officielle.",
        "Utilisez un code de la liste UNTDID 4461, par exemple 30 (virement) ou 58 "
        "(virement SEPA).",
        "The payment means code is not a code of the official list.",
        "Use a code of the UNTDID 4461 list, for example 30 (credit transfer) or 58 (SEPA "
        "credit transfer).",
    ),
    "BR-CL-18": (
        "BT-118",
        "Le code de catégorie de TVA n'est pas un code de la liste officielle.",
        "Utilisez S (taux normal), Z (taux zéro), E (exonéré), AE (autoliquidation), K "
        "(livraison intracommunautaire), G (export) ou O (hors champ).",
        "The VAT category code is not a code of the official list.",
        "Use S (standard rate), Z (zero rate), E (exempt), AE (reverse charge), K "
        "(intra-community supply), G (export) or O (out of scope).",
    ),
    "BR-CL-24": (
        "BT-125",
        "Le type d'une pièce jointe n'est pas un type accepté.",
        "Joignez le document en PDF, PNG, JPEG, CSV, XLSX ou ODS.",
        "An attachment's type is not an accepted one.",
        "Attach the document as PDF, PNG, JPEG, CSV, XLSX or ODS.",
    ),
}

# Rules whose text is the official EN 16931 / syntax rule text (in English only).
_OFFICIAL = re.compile(r"^(BR|UBL|CII|PEPPOL)-")
_RULE_PREFIX = re.compile(r"^\s*\[[^\]]+\]\s*-?\s*")
_TERM = re.compile(r"\bB[TG]-\d+")
_LINE = re.compile(
    r"(?:InvoiceLine|CreditNoteLine|IncludedSupplyChainTradeLineItem)(?:\[[^\]]*'\])?\[(\d+)\]"
)
_VALUE = re.compile(r"\(value: '([^']*)'\)")
# A path quoted in a platform message: "/Invoice/cbc:ID", "…Party/CompanyID".
_PATH = re.compile(r"(?:emplacement\s*:\s*)?(?:…|/)[^\s),]+(?:\s*:\s*)?(?:,\s*ligne \d+)?")


def english_active() -> bool:
    return (get_language() or "fr").startswith("en")


def term_label(code: str | None, *, english: bool) -> str:
    """ "Référence acheteur (BT-10, Buyer reference)": the name in the language shown first."""
    names = TERMS.get(code or "")
    if names is None:
        return ""
    first, second = (names[1], names[0]) if english else names
    return f"{first} ({code}, {second})"


def invoice_line(location: str) -> int | None:
    """The invoice line (1-based) an XPath points into, if any."""
    match = _LINE.search(location or "")
    return int(match.group(1)) if match else None


def _without_paths(message: str) -> str:
    text = _PATH.sub("", message)
    text = re.sub(r"\(\s*\)", "", text)
    return re.sub(r"\s+([.,)])", r"\1", re.sub(r"\s{2,}", " ", text)).strip().rstrip(".")


def _official_text(finding: dict) -> str:
    return _VALUE.sub("", _RULE_PREFIX.sub("", finding.get("message_en") or "")).strip()


def explain(finding: dict, *, english: bool | None = None) -> dict:
    """A finding (as stored: Finding.to_dict()) in plain words, in the active language: the
    business term, the invoice line, what is wrong, what was found, what to do, and apart the
    technical details (rule, XPath, the rule's own text)."""
    if english is None:
        english = english_active()
    rule = finding.get("rule", "")
    hand = HAND_WRITTEN.get(rule)
    term = _TERM.search((hand and hand[0]) or finding.get("bt") or "")
    if _OFFICIAL.match(rule):
        value = _VALUE.search(finding.get("message_en") or "")
        found = value and (
            f"value found: “{value.group(1)}”"
            if english
            else f"valeur trouvée : « {value.group(1)} »"
        )
    else:
        # The platform's own message names the facts (the SIRET, the code, the size...).
        found = _without_paths(finding.get("message_en" if english else "message") or "")
        if hand and rule.startswith("CPP-"):
            found = found.rsplit(": " if english else " : ", 1)[0]
    if hand:
        what, fix = (hand[3], hand[4]) if english else (hand[1], hand[2])
    elif _OFFICIAL.match(rule):
        what, fix = _generated(rule, _official_text(finding), english)
    else:
        what, fix, found = found, "", ""
    return {
        "term": term_label(term and term.group(0), english=english),
        "line": invoice_line(finding.get("location", "")),
        "what": what,
        "found": found or "",
        "fix": fix,
        "technical": {
            "rule": rule,
            "xpath": finding.get("location") or "",
            "text": finding.get("message_en") or "",
        },
    }


def _generated(rule: str, official: str, english: bool) -> tuple[str, str]:
    """What and fix for a rule with no hand-written explanation, from its official text."""
    official = official.rstrip(".")
    if english:
        return (
            f"This does not meet the European standard EN 16931, which requires: “{official}”.",
            "Correct it in your invoicing software, then deposit the invoice again.",
        )
    return (
        "Ce point ne respecte pas la norme européenne EN 16931, qui exige (texte officiel, en "
        f"anglais) : « {official} ».",
        FRENCH.get(rule)
        or "Corrigez-le dans votre logiciel de facturation, puis déposez la facture à nouveau.",
    )


def sentence(explained: dict, *, english: bool | None = None) -> str:
    """The explanation as one sentence with no XPath, e.g. for the API's libelleErreurDP."""
    if english is None:
        english = english_active()
    where = [explained["term"]] if explained["term"] else []
    if explained["line"]:
        where.append(f"line {explained['line']}" if english else f"ligne {explained['line']}")
    head = (", ".join(where) + (": " if english else " : ")) if where else ""
    found = explained["found"]
    found = f" {found[:1].upper()}{found[1:]}." if found else ""
    fix = f" {explained['fix']}" if explained["fix"] else ""
    return f"{head}{explained['what']}{found}{fix}"
