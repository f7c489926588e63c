"""Helpers of the invoice and transverse API tests: invoices to deposit, keyed submissions,
invoices received and moved along the invoice table."""

import base64
from collections import deque

from chorus.workflow import SYSTEM, Actor, status_transition
from chorus.workflow.core import COMMENT, MANDATE_NUMBER, MOTIVE
from invoices.enums import InvoiceRole
from invoices.formats import write_cii
from invoices.services import invoice_route
from invoices.workflow import INVOICE_WORKFLOW
from rejections.catalogue import motives_for
from tests.chorus.factories import TechnicalAccountFactory
from tests.invoices.factories import french_invoice, french_vat_number, stored_invoice

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


def received_invoice(*, supplier, service, number="FA-2025-00042", **changes):
    """An invoice from `supplier` made available to `service`'s structure (a portal recipient)."""
    document = french_invoice(
        number=number,
        seller_siret=supplier.identifier,
        buyer_siret=service.structure.identifier,
        service_code=service.code,
        **changes,
    )
    invoice = stored_invoice(supplier=supplier, service=service, document=document)
    invoice_route(invoice=invoice)
    return invoice


def walk_to(invoice, target: str):
    """Moves an invoice along the shortest path of the invoice table to `target`, each step
    made through the workflow by a technical account of the side whose move it is."""
    path = _path(invoice.status, target)
    accounts = {
        InvoiceRole.DESTINATAIRE: TechnicalAccountFactory(structure=invoice.recipient),
        InvoiceRole.FOURNISSEUR: TechnicalAccountFactory(structure=invoice.supplier),
    }
    for step in path:
        role = next(iter(step.roles))
        details = {"mandate_number": "MDT-2025-001"} if MANDATE_NUMBER in step.requires else {}
        status_transition(
            document=invoice,
            target=step.target,
            actor=Actor.account(accounts[role]),
            motive=motives_for(step.action)[0].code if MOTIVE in step.requires else "",
            comment="Pièce demandée jointe" if COMMENT in step.requires else "",
            **details,
        )
    invoice.refresh_from_db()
    return invoice


def _path(source: str, target: str) -> list:
    moves = [
        t for t in INVOICE_WORKFLOW.transitions if SYSTEM not in t.roles and t.source != t.target
    ]
    paths = {source: []}
    queue = deque([source])
    while queue:
        status = queue.popleft()
        for move in moves:
            if move.source == status and move.target not in paths:
                paths[move.target] = [*paths[status], move]
                queue.append(move.target)
    return paths[target]
