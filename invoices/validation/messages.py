"""French wording of the EN 16931 rules users meet most often.

The official rules are published in English only. For the rules below the platform says
in French what is wrong and how to fix it; any other rule gets a French sentence that
names the rule and the location and quotes the official English text.
"""

FRENCH = {
    "BR-01": "Indiquez l'identifiant de spécification (BT-24), par exemple urn:cen.eu:en16931:2017.",
    "BR-02": "Indiquez le numéro de la facture (BT-1).",
    "BR-03": "Indiquez la date d'émission de la facture (BT-2).",
    "BR-04": "Indiquez le code de type de la facture (BT-3), par exemple 380 pour une facture.",
    "BR-05": "Indiquez la devise de la facture (BT-5), par exemple EUR.",
    "BR-06": "Indiquez la raison sociale du vendeur (BT-27).",
    "BR-07": "Indiquez la raison sociale de l'acheteur (BT-44).",
    "BR-08": "Indiquez l'adresse postale du vendeur (BG-5).",
    "BR-09": "Indiquez le code pays de l'adresse du vendeur (BT-40).",
    "BR-10": "Indiquez l'adresse postale de l'acheteur (BG-8).",
    "BR-11": "Indiquez le code pays de l'adresse de l'acheteur (BT-55).",
    "BR-12": "Indiquez la somme des montants nets des lignes (BT-106).",
    "BR-13": "Indiquez le montant total hors TVA (BT-109).",
    "BR-14": "Indiquez le montant total TTC (BT-112).",
    "BR-15": "Indiquez le montant à payer (BT-115).",
    "BR-16": "La facture doit comporter au moins une ligne (BG-25).",
    "BR-21": "Chaque ligne doit avoir un identifiant (BT-126).",
    "BR-22": "Chaque ligne doit indiquer la quantité facturée (BT-129).",
    "BR-23": "Chaque ligne doit indiquer l'unité de la quantité facturée (BT-130).",
    "BR-24": "Chaque ligne doit indiquer son montant net (BT-131).",
    "BR-25": "Chaque ligne doit indiquer le nom de l'article (BT-153).",
    "BR-26": "Chaque ligne doit indiquer le prix net de l'article (BT-146).",
    "BR-27": "Le prix net de l'article (BT-146) ne peut pas être négatif.",
    "BR-CO-10": (
        "La somme des montants nets des lignes (BT-106) doit être égale à la somme des "
        "montants nets de chaque ligne (BT-131) : recalculez les totaux."
    ),
    "BR-CO-13": (
        "Le total hors TVA (BT-109) doit être égal à la somme des lignes (BT-106) moins les "
        "remises (BT-107) plus les charges (BT-108) : recalculez les totaux."
    ),
    "BR-CO-14": (
        "Le montant total de TVA (BT-110) doit être égal à la somme des montants de TVA par "
        "taux (BT-117) : recalculez la ventilation de TVA."
    ),
    "BR-CO-15": (
        "Le total TTC (BT-112) doit être égal au total hors TVA (BT-109) plus le total de "
        "TVA (BT-110) : recalculez les totaux."
    ),
    "BR-CO-16": (
        "Le montant à payer (BT-115) doit être égal au total TTC (BT-112) moins l'acompte "
        "versé (BT-113) plus l'arrondi (BT-114) : recalculez le montant à payer."
    ),
    "BR-CO-17": (
        "Le montant de TVA d'un taux (BT-117) doit être égal à la base (BT-116) multipliée "
        "par le taux (BT-119), arrondi au centime : recalculez la ventilation de TVA."
    ),
    "BR-CO-26": (
        "Indiquez au moins un identifiant du vendeur : identifiant (BT-29), numéro "
        "d'immatriculation (BT-30, le SIRET) ou numéro de TVA (BT-31)."
    ),
    "BR-S-08": (
        "Pour chaque taux de TVA normal (catégorie S), la base imposable (BT-116) doit être "
        "égale à la somme des lignes, remises et charges à ce taux : recalculez-la."
    ),
    "BR-CL-01": "Le code de type de document (BT-3) doit appartenir à la liste UNTDID 1001.",
    "BR-CL-03": "Le code devise (currencyID) doit appartenir à la liste ISO 4217.",
    "BR-CL-04": "La devise de la facture (BT-5) doit appartenir à la liste ISO 4217.",
    "BR-CL-14": "Le code pays doit appartenir à la liste ISO 3166-1 alpha-2 (par exemple FR).",
    "BR-CL-16": "Le code du moyen de paiement (BT-81) doit appartenir à la liste UNTDID 4461.",
    "BR-CL-17": "Le code de catégorie de TVA doit appartenir à la liste UNTDID 5305.",
    "BR-CL-23": "Le code d'unité de quantité (BT-130) doit appartenir aux listes UN/ECE 20 et 21.",
}


def french(rule: str, location: str, english: str) -> str:
    """The French message for a rule: its French wording, or a wrapper of the English text."""
    where = f" (emplacement : {location})" if location else ""
    wording = FRENCH.get(rule)
    if wording:
        return f"[{rule}] {wording}{where}"
    return (
        f"[{rule}] La règle {rule} n'est pas respectée{where}. Texte officiel de la règle : "
        f"« {english} ». Corrigez la facture à cet emplacement."
    )
