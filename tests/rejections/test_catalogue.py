import pytest
from django.utils import translation

from rejections.catalogue import OUTCOME_EFFECTS, least_disruptive_outcome
from rejections.models import Motive
from rejections.seed import MOTIVES

pytestmark = pytest.mark.django_db

# What the catalogue as seeded proposes for each motive: a missing document suspends, wrong
# routing data sends back, only what cannot be paid rejects; platform codes have no
# recipient outcome.
PROPOSED = {
    "JUSTIF_ABS": "suspend",
    "ROUTAGE_ERR": "suspend",
    "CODE_ROUTAGE_ERR": "send_back",
    "SIRET_ERR": "send_back",
    "DEST_INC": "send_back",
    "DEST_ERR": "send_back",
    "ADR_ERR": "send_back",
    "CMD_ERR": "suspend",
    "REF_CT_ABSENT": "suspend",
    "REF_ERR": "suspend",
    "COORD_BANC_ERR": "suspend",
    "MODPAI_ERR": "suspend",
    "TRANSAC_INC": "suspend",
    "LIVR_INCOMP": "suspend",
    "QUALITE_ERR": "suspend",
    "QTE_ERR": "suspend",
    "PU_ERR": "suspend",
    "REM_ERR": "suspend",
    "ART_ERR": "suspend",
    "NON_CONFORME": "suspend",
    "TX_TVA_ERR": "reject",
    "MONTANTTOTAL_ERR": "reject",
    "CALCUL_ERR": "reject",
    "DOUBLON": "reject",
    "DOUBLE_FACT": "reject",
    "EMMET_INC": "reject",
    "CONTRAT_TERM": "reject",
    "AUTRE": "suspend",
}


@pytest.mark.parametrize("code", [code for code, *_rest in MOTIVES])
def test_each_motive_proposes_the_least_disruptive_outcome_it_allows(code):
    motive = Motive.objects.get(pk=code)

    assert least_disruptive_outcome(motive) == PROPOSED.get(code)


def test_the_proposal_keeps_to_the_moves_possible_now():
    motive = Motive.objects.get(pk="CMD_ERR")  # suspend, send back or reject

    assert least_disruptive_outcome(motive, ["send_back", "reject"]) == "send_back"
    assert least_disruptive_outcome(motive, ["reject"]) == "reject"
    assert least_disruptive_outcome(Motive.objects.get(pk="JUSTIF_ABS"), ["reject"]) is None


def test_an_inactive_motive_proposes_nothing():
    motive = Motive.objects.get(pk="JUSTIF_ABS")
    motive.active = False

    assert least_disruptive_outcome(motive) is None


def test_each_outcome_says_what_it_costs_the_supplier():
    with translation.override("fr"):
        assert "délai de paiement" in str(OUTCOME_EFFECTS["suspend"])
        assert "repart de zéro" in str(OUTCOME_EFFECTS["reject"])
