"""Bounded memory on the API: every JSON operation has a size cap answered with a coded 413,
refused from its Content-Length before the body is read; malformed values get a coded 400."""

import json
import tracemalloc

import pytest

from tests.api.conftest import CproClient

pytestmark = pytest.mark.django_db

DEPOSER = "/cpro/factures/v1/deposer/flux"
SEARCH_ISSUED = "/cpro/factures/v1/rechercher/fournisseur"
SEARCH_RECEIVED = "/cpro/factures/v1/rechercher/recipiendaire"


class HugeBody:
    """A request body that produces `size` bytes only as they are read, and counts them."""

    def __init__(self, size: int):
        self.size = size
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        remaining = self.size - self.read_bytes
        size = remaining if size is None or size < 0 else min(size, remaining)
        self.read_bytes += size
        return b"0" * size

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def _post_stream(cpro: CproClient, path: str, body: HugeBody):
    return cpro.client.generic(
        "POST",
        path,
        content_type="application/json;charset=utf-8",
        headers=cpro.headers,
        CONTENT_LENGTH=str(body.size),
        CONTENT_TYPE="application/json;charset=utf-8",
        **{"wsgi.input": body},
    )


@pytest.mark.parametrize("path", [DEPOSER, SEARCH_ISSUED])
def test_a_200_mb_body_is_refused_from_its_length_without_being_read(cpro, path):
    body = HugeBody(200 * 1024 * 1024)

    tracemalloc.start()
    response = _post_stream(cpro, path, body)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert response.status_code == 413
    assert response.json()["libelle"].startswith(("GCU_MSG_04_006", "GCU_MSG_50_007"))
    assert str(body.size) in response.json()["libelle"]
    assert body.read_bytes == 0
    assert peak < 5 * 1024 * 1024, f"{peak} bytes allocated to refuse the body"


def test_a_3_mb_search_is_answered_413_with_its_reason(cpro):
    body = {"numeroFacture": "x" * (3 * 1024 * 1024)}

    response = cpro.post(SEARCH_ISSUED, body)

    assert response.status_code == 413
    libelle = response.json()["libelle"]
    assert libelle.startswith("GCU_MSG_04_006 : Le corps de la requête fait")
    assert "allégez la requête" in libelle
    assert response.json()["codeRetour"] == 4006


def test_deeply_nested_json_is_answered_400(cpro):
    body = "[" * 100_000 + "]" * 100_000

    response = cpro.client.post(
        SEARCH_ISSUED, body, content_type="application/json", headers=cpro.headers
    )

    assert response.status_code == 400
    assert "imbriqués trop profondément" in response.json()["libelle"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (SEARCH_ISSUED, {"listeDestinataire": [None]}, "listeDestinataire[0]"),
        (SEARCH_RECEIVED, {"listeFournisseurs": [None]}, "listeFournisseurs[0]"),
        (SEARCH_ISSUED, {"listeDestinataire": [{"idDestinataire": 2**63}]}, "idDestinataire"),
        (SEARCH_RECEIVED, {"listeFournisseurs": [{"idFournisseur": 2**64}]}, "idFournisseur"),
        (SEARCH_ISSUED, {"listeDestinataire": "tous"}, "listeDestinataire"),
        (SEARCH_RECEIVED, {"idServiceExecutant": 2**63}, "idServiceExecutant"),
        (SEARCH_ISSUED, {"montantHTMin": "beaucoup"}, "montantHTMin"),
        (
            "/cpro/factures/v1/consulter/fournisseur",
            {"identifiantFactureCPP": 2**63},
            "identifiantFactureCPP",
        ),
        ("/cpro/structures/v1/consulter", {"idStructureCPP": 2**70}, "idStructureCPP"),
        ("/cpro/factures/v1/telecharger/groupe", {"listeFacture": [None]}, "listeFacture[0]"),
    ],
)
def test_malformed_values_are_answered_400_naming_the_field(cpro, path, body, field):
    response = cpro.post(path, body)

    assert response.status_code == 400, response.content
    assert response.json()["codeRetour"] in (4001, 4002)
    assert field in json.dumps(response.json(), ensure_ascii=False)


def test_an_oversized_token_request_is_answered_413_in_json(client):
    response = client.post(
        "/api/oauth/token",
        "client_secret=" + "x" * (3 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 413
    assert response.json()["codeRetour"] == 4006
