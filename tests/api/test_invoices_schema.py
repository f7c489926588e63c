"""The invoice and transverse operations are documented in the OpenAPI schema."""

import pytest
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

OPERATIONS = {
    "/cpro/factures/v1/deposer/flux": "deposerFluxFacture",
    "/cpro/factures/v1/soumettre": "soumettreFacture",
    "/cpro/factures/v1/rechercher/fournisseur": "rechercherFactureParFournisseur",
    "/cpro/factures/v1/rechercher/recipiendaire": "rechercherFactureParRecipiendaire",
    "/cpro/factures/v1/consulter/fournisseur": "consulterFactureParFournisseur",
    "/cpro/factures/v1/consulter/recipiendaire": "consulterFactureParRecipiendaire",
    "/cpro/factures/v1/consulter/historique": "consulterHistoriqueFacture",
    "/cpro/factures/v1/telecharger/groupe": "telechargerGroupeFacture",
    "/cpro/factures/v1/traiter/recue": "traiterFactureRecue",
    "/cpro/factures/v1/completer": "completerFacture",
    "/cpro/factures/v1/recycler": "recyclerFacture",
    "/cpro/factures/v1/traiterRejet": "traiterFacturesRejetees",
    "/cpro/transverses/v1/recuperer/etats/traitement": "recupererEtatsPossiblesPourTraitement",
    "/cpro/transverses/v1/consulterCR": "consulterCR",
    "/cpro/transverses/v1/consulterCRDetaille": "consulterCRDetaille",
    "/cpro/transverses/v1/ajouter/fichier": "ajouterFichierDansSysteme",
}


def test_each_operation_is_documented_with_its_chorus_name_and_json_body(client):
    schema = client.get("/api/schema/?format=json").json()
    validate_schema(schema)

    for path, operation_id in OPERATIONS.items():
        operation = schema["paths"][path]["post"]
        assert operation["operationId"] == operation_id
        assert "application/json" in operation["requestBody"]["content"]
        assert operation["security"] == [{"pisteOAuth2": ["openid"], "cproAccount": []}]
    components = schema["components"]["schemas"]
    syntax = components["DeposerFluxRequestRequest"]["properties"]["syntaxeFlux"]
    assert syntax["allOf"] == [{"$ref": "#/components/schemas/SyntaxeFluxEnum"}]
    assert set(components["SyntaxeFluxEnum"]["enum"]) == {
        "IN_DP_E1_UBL_INVOICE",
        "IN_DP_E1_CII_16B",
        "IN_DP_E2_CII_FACTURX",
        "IN_DP_E2_PDF_SAISIE",
        "IN_DP_E3_UBL_INVOICE",  # a mémoire de frais de justice (justice_fees.edi)
    }
