"""The reference table of services and tariffs as first seeded; administrators then edit it.

The legal tariffs (articles R. 92 and following of the code de procédure pénale, and their
arrêtés) were not at hand when this table was written: every amount below is a
DEMONSTRATION value, flagged as such in the table and on every page that shows it, never to
be read as the law. An entry without a price is a free amount the provider keys in.
"""

from decimal import Decimal

# code, kind, label, unit, unit price (None: free amount), VAT applies
TARIFFS = [
    ("INT-ORAL-H", "PRESTATION", "Interprétariat oral (par heure)", "HEURE", "42.00", True),
    ("INT-ORAL-NUIT-H", "PRESTATION", "Interprétariat oral de nuit, dimanche ou jour férié (par heure)", "HEURE", "52.50", True),
    ("TRAD-PAGE", "PRESTATION", "Traduction écrite (par page de 250 mots)", "PAGE", "25.00", True),
    ("TRAD-URG-PAGE", "PRESTATION", "Traduction écrite en urgence (par page)", "PAGE", "31.25", True),
    ("EXP-MED-EXAMEN", "PRESTATION", "Examen médico-légal d'une personne", "ACTE", "60.00", True),
    ("EXP-MED-AUTOPSIE", "PRESTATION", "Autopsie médico-légale", "FORFAIT", "400.00", True),
    ("EXP-AUTO", "PRESTATION", "Expertise automobile (examen d'un véhicule)", "FORFAIT", "150.00", True),
    ("EXP-HONORAIRES", "PRESTATION", "Expertise sur devis (honoraires)", "EURO", None, True),
    ("LABO-ANALYSE", "PRESTATION", "Analyse de laboratoire sur devis", "EURO", None, True),
    ("DEPL-KM", "FRAIS", "Indemnité kilométrique (véhicule personnel)", "KM", "0.40", True),
    ("DEPL-TRANSPORT", "FRAIS", "Transport en commun (billet)", "EURO", None, True),
    ("HEBERGEMENT", "FRAIS", "Nuitée d'hébergement", "NUIT", "90.00", True),
    ("REPAS", "FRAIS", "Repas", "REPAS", "20.00", True),
    ("AFFRANCHISSEMENT", "DEBOURS", "Frais d'affranchissement (débours)", "EURO", None, False),
    ("DEBOURS-AUTRES", "DEBOURS", "Autres débours sur justificatif", "EURO", None, False),
]  # fmt: skip

DEMONSTRATION_NOTE = "Valeur de démonstration, pas le tarif légal"


def tariffs_seed(tariff_model) -> None:
    """Creates the entries missing from the table; entries edited in the admin are kept."""
    for position, (code, kind, label, unit, price, vat) in enumerate(TARIFFS):
        tariff_model.objects.get_or_create(
            code=code,
            defaults={
                "kind": kind,
                "label": label,
                "unit": unit,
                "unit_price": Decimal(price) if price is not None else None,
                "vat_applies": vat,
                "demonstration": price is not None,
                "reference": DEMONSTRATION_NOTE if price is not None else "",
                "position": position,
            },
        )
