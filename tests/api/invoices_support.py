"""Helpers of the invoice and transverse API tests: invoices to deposit, keyed submissions."""

import base64

from invoices.formats import write_cii
from tests.invoices.factories import french_invoice, french_vat_number

SOUMETTRE = "/cpro/factures/v1/soumettre"
DEPOSER = "/cpro/factures/v1/deposer/flux"
CR_DETAILLE = "/cpro/transverses/v1/consulterCRDetaille"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def with_vat_number(structure):
    """A supplier as the directory knows it: with the VAT number its SIREN gives."""
    structure.vat_number = french_vat_number(structure.identifier[:9])
    structure.save(update_fields=["vat_number"])
    return structure


def invoice_xml(supplier, service, *, number="FA-2025-00042", writer=write_cii, **changes):
    """A valid invoice from `supplier` to `service`'s structure, as XML bytes."""
    fields = {
        "number": number,
        "seller_siret": supplier.identifier,
        "buyer_siret": service.structure.identifier,
        "service_code": service.code,
        "engagement": None,
    }
    document = french_invoice(**{**fields, **changes})
    return writer(document)


def deposit(cpro, data: bytes, *, filename="facture.xml", syntax="IN_DP_E1_CII_16B", **extra):
    return cpro.post(
        DEPOSER,
        {"fichierFlux": b64(data), "nomFichier": filename, "syntaxeFlux": syntax, **extra},
    )


def soumettre_payload(service, *, number="FA-API-0001", **changes) -> dict:
    """A keyed invoice of two lines (20 % and 10 %) to `service`: 1 200 + 110 = 1 310 HT."""
    payload = {
        "modeDepot": "SAISIE_API",
        "numeroFactureSaisi": number,
        "dateFacture": "2025-03-14",
        "dateEcheancePaiement": "2025-04-13",
        "destinataire": {
            "codeDestinataire": service.structure.identifier,
            "codeServiceExecutant": service.code,
        },
        "cadreDeFacturation": {"codeCadreFacturation": "A1_FACTURE_FOURNISSEUR"},
        "references": {
            "deviseFacture": "EUR",
            "typeFacture": "FACTURE",
            "typeTva": "TVA_SUR_DEBIT",
            "modePaiement": "CHEQUE",
            "numeroMarche": "MARCHE-2025-07",
        },
        "lignePoste": [
            {
                "lignePosteNumero": 1,
                "lignePosteReference": "CONSEIL",
                "lignePosteDenomination": "Prestation de conseil",
                "lignePosteQuantite": 3,
                "lignePosteUnite": "jour",
                "lignePosteMontantUnitaireHT": 400,
                "lignePosteTauxTva": "TVA20",
            },
            {
                "lignePosteNumero": 2,
                "lignePosteDenomination": "Repas",
                "lignePosteQuantite": 12,
                "lignePosteUnite": "C62",
                "lignePosteMontantUnitaireHT": 10,
                "lignePosteMontantRemiseHT": 10,
                "lignePosteTauxTva": "TVA10",
            },
        ],
        "ligneTva": [
            {
                "ligneTvaTaux": "TVA20",
                "ligneTvaMontantBaseHtParTaux": 1200,
                "ligneTvaMontantTvaParTaux": 240,
            },
            {
                "ligneTvaTaux": "TVA10",
                "ligneTvaMontantBaseHtParTaux": 110,
                "ligneTvaMontantTvaParTaux": 11,
            },
        ],
        "montantTotal": {
            "montantHtTotal": 1310,
            "montantTVA": 251,
            "montantTtcTotal": 1561,
            "montantAPayer": 1561,
        },
    }
    payload.update(changes)
    return payload
