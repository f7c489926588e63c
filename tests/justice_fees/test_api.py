"""The mémoire operations end to end, with the connector's credentials: structured
submission (A3_MEMOIRE_JUSTICE) under the same rules as the portal, consultation, search,
the court's processing, and who sees what."""

import base64
import datetime

import pytest
from django.utils import timezone

from chorus.workflow import Actor
from justice_fees import services
from justice_fees.enums import MemoireStatus
from justice_fees.models import Memoire, ProviderProfile
from tests.api.conftest import CproClient, cpro_account
from tests.chorus.factories import TechnicalAccountFactory
from tests.justice_fees.factories import PDF, court, draft, magistrate_of

pytestmark = pytest.mark.django_db
S = MemoireStatus


@pytest.fixture
def juridiction():
    structure, _service = court()
    return structure


@pytest.fixture
def provider_cpro(cpro, supplier):
    ProviderProfile.objects.create(structure=supplier, kind="EXPERT", speciality="automobile")
    return cpro


@pytest.fixture
def court_cpro(client, access_token, juridiction) -> CproClient:
    account = TechnicalAccountFactory(structure=juridiction)
    return CproClient(client, access_token, cpro_account(account.login))


def body(juridiction, **changes):
    end = timezone.localdate() - datetime.timedelta(days=12)
    payload = {
        "cadreDeFacturation": {"codeCadreFacturation": "A3_MEMOIRE_JUSTICE"},
        "numeroMemoire": "EXP-2026-0007",
        "juridiction": {
            "codeJuridiction": juridiction.identifier,
            "codeServiceJuridiction": "FRAIS-JUSTICE",
        },
        "procedure": {
            "typeDecision": "ORDONNANCE",
            "dateDecision": (end - datetime.timedelta(days=20)).isoformat(),
            "numeroProcedure": "RG 26/00311",
            "requerant": "Mme la présidente du tribunal",
            "dateFinMission": end.isoformat(),
        },
        "regimeTva": "DEBITS",
        "lignes": [
            {"nature": "PRESTATION", "codePrestation": "EXP-AUTO", "quantite": 1, "tauxTva": 20},
            {"nature": "FRAIS", "codePrestation": "DEPL-KM", "quantite": 120, "tauxTva": 20},
            {
                "nature": "DEBOURS",
                "libelle": "Photographies",
                "quantite": 1,
                "prixUnitaire": "18.40",
            },
        ],
        "piecesJointes": [
            {
                "typePieceJointe": "DECISION",
                "nomFichier": "ordonnance.pdf",
                "contenu": base64.b64encode(PDF).decode(),
            }
        ],
    }
    payload.update(changes)
    return payload


def test_a_provider_submits_a_memoire(provider_cpro, supplier, juridiction):
    answer = provider_cpro.post("/cpro/memoires/v1/soumettre", body(juridiction))
    assert answer.status_code == 200, answer.json()
    data = answer.json()
    assert data["codeRetour"] == 0 and data["statut"] == "DEPOSE"
    # 150.00 + 120 km × 0.40 at 20 %, 18.40 exempt; computed by the platform.
    assert (data["montantHtDemande"], data["montantTvaDemande"], data["montantTtcDemande"]) == (
        216.4,
        39.6,
        256.0,
    )
    memoire = Memoire.objects.get(pk=data["idMemoire"])
    assert memoire.provider == supplier and memoire.channel == "API"
    assert memoire.attachments.get().upload.received_file.read_bytes() == PDF
    assert memoire.history.last().technical_account is not None


def test_the_billing_frame_must_be_a3(provider_cpro, juridiction):
    answer = provider_cpro.post(
        "/cpro/memoires/v1/soumettre",
        body(juridiction, cadreDeFacturation={"codeCadreFacturation": "A1_FACTURE_FOURNISSEUR"}),
    )
    assert answer.status_code == 400
    assert answer.json()["libelle"].startswith("GCU_MSG_30_003")


def test_the_rules_refuse_a_submission_field_by_field(provider_cpro, juridiction):
    late = timezone.localdate() - datetime.timedelta(days=400)
    payload = body(juridiction, piecesJointes=[])
    payload["procedure"]["dateFinMission"] = late.isoformat()
    payload["procedure"]["dateDecision"] = (late - datetime.timedelta(days=1)).isoformat()
    answer = provider_cpro.post("/cpro/memoires/v1/soumettre", payload)
    assert answer.status_code == 400
    data = answer.json()
    assert data["libelle"].startswith("GCU_MSG_30_002")
    fields = {e["champ"]: e["message"] for e in data["erreurs"]}
    assert "article 800" in fields["procedure.dateFinMission"]
    assert not Memoire.objects.exists()


def test_a_missing_decision_is_refused_and_nothing_kept(provider_cpro, juridiction):
    answer = provider_cpro.post("/cpro/memoires/v1/soumettre", body(juridiction, piecesJointes=[]))
    assert answer.status_code == 400
    assert [e["champ"] for e in answer.json()["erreurs"]] == ["piecesJointes"]
    assert not Memoire.objects.exists()


def test_a_refused_submission_keeps_none_of_its_files(
    provider_cpro, juridiction, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    other = {"typePieceJointe": "AUTRE", "nomFichier": "devis.pdf", "contenu": "JVBERi0="}
    answer = provider_cpro.post(
        "/cpro/memoires/v1/soumettre", body(juridiction, piecesJointes=[other])
    )
    assert [e["champ"] for e in answer.json()["erreurs"]] == ["piecesJointes"]
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_a_duplicate_number_and_an_unknown_court_are_refused(provider_cpro, juridiction):
    assert provider_cpro.post("/cpro/memoires/v1/soumettre", body(juridiction)).status_code == 200
    again = provider_cpro.post("/cpro/memoires/v1/soumettre", body(juridiction))
    assert "numeroMemoire" in {e["champ"] for e in again.json()["erreurs"]}
    unknown = body(juridiction, numeroMemoire="EXP-2")
    unknown["juridiction"] = {"codeJuridiction": "00000000000000"}
    answer = provider_cpro.post("/cpro/memoires/v1/soumettre", unknown)
    assert "juridiction.codeJuridiction" in {e["champ"] for e in answer.json()["erreurs"]}


def test_consult_search_and_the_court_processes(
    provider_cpro, court_cpro, juridiction, stranger_cpro
):
    memoire_id = provider_cpro.post("/cpro/memoires/v1/soumettre", body(juridiction)).json()[
        "idMemoire"
    ]
    # The court finds it by its name and number.
    found = court_cpro.post(
        "/cpro/memoires/v1/rechercher",
        {"raisonSocialeJuridiction": "valmont", "numeroFactureMemoire": "0007"},
    ).json()
    assert [m["idMemoire"] for m in found["listeMemoires"]] == [memoire_id]
    assert found["parametresRetour"]["total"] == 1
    consulted = court_cpro.post("/cpro/memoires/v1/consulter", {"idMemoire": memoire_id}).json()
    assert consulted["codeCadreFacturation"] == "A3_MEMOIRE_JUSTICE"
    assert consulted["actionsPossibles"] == ["EN_COURS_DE_TRAITEMENT", "REJETE"]
    for target in ("EN_COURS_DE_TRAITEMENT", "A_CERTIFIER"):
        answer = court_cpro.post(
            "/cpro/memoires/v1/traiter", {"idMemoire": memoire_id, "statutCible": target}
        )
        assert answer.json()["statut"] == target
    # Certifying is a magistrate's act: no technical account may do it.
    memoire = Memoire.objects.get(pk=memoire_id)
    services.memoire_certify(memoire=memoire, actor=Actor.member(magistrate_of(juridiction)))
    for target in ("MIS_EN_PAIEMENT", "PAYE"):
        assert (
            court_cpro.post(
                "/cpro/memoires/v1/traiter", {"idMemoire": memoire_id, "statutCible": target}
            ).status_code
            == 200
        )
    consulted = provider_cpro.post("/cpro/memoires/v1/consulter", {"idMemoire": memoire_id}).json()
    assert consulted["statut"] == "PAYE"
    assert [h["statut"] for h in consulted["historique"]] == [
        "BROUILLON",
        "DEPOSE",
        "EN_COURS_DE_TRAITEMENT",
        "A_CERTIFIER",
        "CERTIFIE",
        "MIS_EN_PAIEMENT",
        "PAYE",
    ]
    assert consulted["montantTtcCertifie"] == 256.0
    # Another structure sees nothing of it.
    assert (
        stranger_cpro.post("/cpro/memoires/v1/consulter", {"idMemoire": memoire_id}).status_code
        == 404
    )
    assert stranger_cpro.post("/cpro/memoires/v1/rechercher", {}).json()["listeMemoires"] == []


def test_a_refused_move_says_why(court_cpro, provider_cpro, juridiction):
    memoire_id = provider_cpro.post("/cpro/memoires/v1/soumettre", body(juridiction)).json()[
        "idMemoire"
    ]
    answer = court_cpro.post(
        "/cpro/memoires/v1/traiter", {"idMemoire": memoire_id, "statutCible": "PAYE"}
    )
    assert answer.status_code == 400 and answer.json()["libelle"].startswith("GCU_MSG_30_004")
    no_motive = court_cpro.post(
        "/cpro/memoires/v1/traiter", {"idMemoire": memoire_id, "statutCible": "REJETE"}
    )
    assert no_motive.status_code == 400
    rejected = court_cpro.post(
        "/cpro/memoires/v1/traiter",
        {"idMemoire": memoire_id, "statutCible": "REJETE", "motif": "FJ_DOUBLON"},
    )
    assert rejected.json()["statut"] == "REJETE"
    # The provider cannot process its own mémoire.
    assert (
        provider_cpro.post(
            "/cpro/memoires/v1/traiter", {"idMemoire": memoire_id, "statutCible": "PAYE"}
        ).status_code
        == 400
    )


def test_the_court_does_not_see_drafts(court_cpro, juridiction):
    from tests.justice_fees.factories import interpreter

    provider, _member = interpreter()
    memoire = draft(provider=provider, juridiction=juridiction)
    assert (
        court_cpro.post("/cpro/memoires/v1/consulter", {"idMemoire": memoire.pk}).status_code == 404
    )


def test_the_operations_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    for path in ("soumettre", "consulter", "rechercher", "traiter"):
        assert f"/cpro/memoires/v1/{path}" in schema["paths"]
    assert (
        schema["paths"]["/cpro/memoires/v1/soumettre"]["post"]["operationId"] == "soumettreMemoire"
    )


def test_authentication_is_required(client):
    assert (
        client.post("/cpro/memoires/v1/rechercher", {}, content_type="application/json").status_code
        == 401
    )
