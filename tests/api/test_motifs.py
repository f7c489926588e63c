"""transverses/v1/recuperer/motifs: the motive catalogue for connectors."""

import pytest

from rejections.models import Motive
from rejections.seed import MOTIVES

MOTIFS = "/cpro/transverses/v1/recuperer/motifs"

pytestmark = pytest.mark.django_db


def test_the_whole_active_catalogue_is_listed_in_catalogue_order(cpro):
    Motive.objects.filter(pk="CONTRAT_TERM").update(active=False)

    response = cpro.post(MOTIFS)

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["codeRetour"], body["libelle"]) == (0, "GCU_MSG_01_000")
    codes = [motif["codeMotif"] for motif in body["listeMotifs"]]
    assert codes == [code for code, *_rest in MOTIVES if code != "CONTRAT_TERM"]


def test_a_motive_comes_with_its_texts_outcomes_and_proposal_in_french_by_default(cpro):
    response = cpro.post(MOTIFS, {"codeMotif": "CMD_ERR"})

    motive = Motive.objects.get(pk="CMD_ERR")
    assert response.json()["listeMotifs"] == [
        {
            "codeMotif": "CMD_ERR",
            "famille": "METIER",
            "libelle": motive.label_fr,
            "explication": motive.explanation_fr,
            "correction": motive.fix_fr,
            "issuesPossibles": ["send_back", "suspend", "reject"],
            "issueProposee": "suspend",
            "commentaireObligatoire": False,
            "codeCycleDeVie": "208",
        }
    ]


def test_codelangue_en_answers_in_english(cpro):
    response = cpro.post(MOTIFS, {"codeMotif": "MONTANTTOTAL_ERR", "codeLangue": "EN"})

    motive = Motive.objects.get(pk="MONTANTTOTAL_ERR")
    (motif,) = response.json()["listeMotifs"]
    assert (motif["libelle"], motif["explication"], motif["correction"]) == (
        "Wrong total amount",
        motive.explanation_en,
        motive.fix_en,
    )


def test_the_list_keeps_to_the_motives_of_an_outcome(cpro):
    response = cpro.post(MOTIFS, {"issue": "refuse_integration"})

    motifs = response.json()["listeMotifs"]
    assert motifs and all(m["issuesPossibles"] == ["refuse_integration"] for m in motifs)
    assert all(m["issueProposee"] is None for m in motifs)


def test_an_unknown_outcome_is_refused_with_the_accepted_values(cpro):
    response = cpro.post(MOTIFS, {"issue": "annuler"})

    assert response.status_code == 400
    body = response.json()
    assert body["libelle"].startswith("GCU_MSG_04_002")
    assert body["erreurs"][0]["champ"] == "issue"
    assert "suspend, send_back, reject, refuse_integration" in body["erreurs"][0]["message"]


def test_the_operation_requires_the_credentials(client):
    response = client.post(MOTIFS, {}, content_type="application/json")

    assert response.status_code == 401
