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
