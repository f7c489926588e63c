"""The OpenAPI schema documents the operations and both credentials; the docs work offline."""

import pytest
from django.contrib.staticfiles import finders
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_with_the_chorus_operations(client):
    response = client.get("/api/schema/?format=json")

    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    operations = {
        operation["operationId"] for path in schema["paths"].values() for operation in path.values()
    }
    assert {
        "rechercherStructure",
        "consulterStructure",
        "rechercherServicesStructure",
        "consulterServiceStructure",
        "healthCheck",
    } <= operations
    search = schema["paths"]["/cpro/structures/v1/rechercher"]["post"]
    assert search["security"] == [{"pisteOAuth2": ["openid"], "cproAccount": []}]
    schemes = schema["components"]["securitySchemes"]
    assert schemes["cproAccount"] == {
        "type": "apiKey",
        "in": "header",
        "name": "cpro-account",
        "description": schemes["cproAccount"]["description"],
    }
    assert schemes["pisteOAuth2"]["flows"]["clientCredentials"]["tokenUrl"] == "/api/oauth/token"


def test_the_docs_page_loads_its_assets_from_the_platform(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_the_schema_states_ranges_required_fields_and_list_sizes(client):
    components = client.get("/api/schema/?format=json").json()["components"]["schemas"]

    criterion = components["DestinataireCritereRequest"]
    assert criterion["required"] == ["idDestinataire"]
    assert criterion["properties"]["idDestinataire"]["maximum"] == 2**63 - 1
    assert criterion["properties"]["idDestinataire"]["minimum"] == 0
    search = components["RechercherFournisseurRequestRequest"]["properties"]
    assert search["listeDestinataire"]["nullable"] is True
    assert "nullable" not in search["listeDestinataire"]["items"]
    download = components["TelechargerGroupeRequestRequest"]["properties"]["listeFacture"]
    assert (download["minItems"], download["maxItems"]) == (1, 500)
    submit = components["SoumettreFactureRequestRequest"]
    assert submit["properties"]["lignePoste"]["minItems"] == 1
    assert {"numeroFactureSaisi", "dateFacture", "destinataire", "lignePoste"} <= set(
        submit["required"]
    )
