"""The published refund rates and campaign calendars (chorus_pro.md §7), as first seeded; the
administrators then keep them (admin). A value the reference gives only in parentheses (carried
over from another year, or from an undated source) is not seeded: that product is refused for
that year ("taux pas encore publié") until an administrator enters the published rate."""

import datetime
from decimal import Decimal

LFA_2018 = "La France agricole, « Taxes sur l'énergie TIC-TICGN … 2018 » (P-LFA-2018)"
PAS_DE_CALAIS = "Préfecture du Pas-de-Calais, « Remboursement de la TIC » (P-PASDECALAIS)"
LFA_2021 = (
    "La France agricole, « TICPE-TICGN … 2021 » (P-LFA-2021) ; une page Antargaz indique "
    "8,331 €/MWh pour le gaz naturel (valeur contradictoire)"
)
COGEBS = "Cogebs, actualité k4_20011745 (P-COGEBS)"
TERRES_ARIEGE = "Terres d'Ariège, « Campagne de remboursement de l'accise … » (P-TERRES-ARIEGE)"

# year, product, € per unit (GNR per hl, fioul lourd and GPL per 100 kg, gas per MWh), source
RATES = [
    (2018, "GNR", "14.96", LFA_2018),
    (2018, "FIOUL_LOURD", "13.765", LFA_2018),
    (2018, "GPL", "5.72", LFA_2018 + " ; GPL livré à partir du 1er avril 2018"),
    (2018, "GN_COMBUSTIBLE", "8.331", LFA_2018),
    (2019, "GNR", "14.96", PAS_DE_CALAIS + " ; 2020 = 2019 pour le GNR"),
    (2020, "GNR", "14.96", PAS_DE_CALAIS),
    (2021, "GNR", "14.96", LFA_2021),
    (2021, "FIOUL_LOURD", "13.765", LFA_2021),
    (2021, "GPL", "5.72", LFA_2021),
    (2021, "GN_COMBUSTIBLE", "7.89", LFA_2021),
    (2021, "GN_CARBURANT", "4.69", LFA_2021),
    (2022, "GNR", "14.96", COGEBS),
    (2022, "FIOUL_LOURD", "13.765", COGEBS),
    (2022, "GPL", "5.72", COGEBS),
    (2022, "GN_COMBUSTIBLE", "7.87", COGEBS),
    (2022, "GN_CARBURANT", "4.69", COGEBS),
    (2023, "GNR", "14.96", TERRES_ARIEGE),
    (2023, "FIOUL_LOURD", "13.76", TERRES_ARIEGE),
    (2023, "GPL", "5.72", TERRES_ARIEGE),
    (2023, "GN_COMBUSTIBLE", "7.83", TERRES_ARIEGE),
    (2023, "GN_CARBURANT", "4.69", TERRES_ARIEGE),
]

D = datetime.date
# year, opening, deadline, {product: own deadline}, source. 2019's calendar is not in the
# reference: not seeded. 2023's deadline is not published either: the three years the décret
# 2024-76 commitment gives 2024 deliveries (31 Dec 2027) are applied to 2023 (31 Dec 2026).
CAMPAIGNS = [
    (2018, D(2019, 6, 1), D(2021, 12, 31), {}, "P-LFA-2018"),
    (2020, D(2021, 7, 13), D(2023, 12, 31), {}, "P-PASDECALAIS, P-TERRECONNECT"),
    (2021, D(2022, 4, 1), D(2024, 12, 31), {}, "P-LFA-2021 ; 2021 à 2023 acceptées en 2024"),
    (2022, D(2023, 2, 1), D(2025, 12, 31), {"GNR": D(2024, 12, 31)}, "P-LFA-2022, P-COGEBS"),
    (2023, D(2024, 2, 1), D(2026, 12, 31), {}, "P-TERRES-ARIEGE, P-CPP-TIC ; date limite déduite"),
]


def rates_seed(rate_model) -> None:
    """Creates the rates missing; a rate an administrator changed is kept."""
    for year, product, amount, source in RATES:
        rate_model.objects.get_or_create(
            year=year, product=product, defaults={"amount": Decimal(amount), "source": source}
        )


def campaigns_seed(campaign_model, deadline_model) -> None:
    for year, opens_on, closes_on, deadlines, source in CAMPAIGNS:
        campaign, _created = campaign_model.objects.get_or_create(
            year=year, defaults={"opens_on": opens_on, "closes_on": closes_on, "source": source}
        )
        for product, own in deadlines.items():
            deadline_model.objects.get_or_create(
                campaign=campaign, product=product, defaults={"closes_on": own}
            )
