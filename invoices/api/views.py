"""The invoice (factures/v1) and transverse (transverses/v1) operations of the Chorus Pro API.

Every read is scoped to the caller's structure (`self.caller.structure`): the invoices it
issued (supplier operations), the invoices it received (recipient operations), the flows it
deposited. Anything else is answered as not found.
"""

import base64

from django.utils import timezone

from chorus.api.base import CproView, cpro_operation
from chorus.api.envelope import cpro_success, paginate
from invoices import selectors
from invoices.api import errors, services, shapes
from invoices.api.parsers import api_flow_limit, body_limit
from invoices.api.serializers import (
    AjouterFichierRequestSerializer,
    AjouterFichierResponseSerializer,
    ConsulterCRDetailleRequestSerializer,
    ConsulterCRDetailleResponseSerializer,
    ConsulterCRRequestSerializer,
    ConsulterCRResponseSerializer,
    ConsulterFactureRequestSerializer,
    ConsulterFactureResponseSerializer,
    ConsulterHistoriqueRequestSerializer,
    ConsulterHistoriqueResponseSerializer,
    DeposerFluxRequestSerializer,
    DeposerFluxResponseSerializer,
    RechercherFacturesResponseSerializer,
    RechercherFournisseurRequestSerializer,
    RechercherRecipiendaireRequestSerializer,
    SoumettreFactureRequestSerializer,
    SoumettreFactureResponseSerializer,
    TelechargerGroupeRequestSerializer,
    TelechargerGroupeResponseSerializer,
)
from invoices.api.submission import TYPE_CODES
from invoices.canonical import CREDIT_NOTE_TYPE_CODES
from invoices.enums import DepositChannel
from invoices.ingestion.receive import flow_receive
from invoices.ingestion.report import finding_sentence
from invoices.ingestion.report_pdf import flow_report_pdf
from invoices.services import attachment_upload_create
from invoices.validation.platform_rules import ATTACHMENT_MAX_BYTES

FACTURES = "Factures"
TRANSVERSES = "Transverses"
INVOICE_NOT_FOUND_DOC = "Facture inconnue ou d'une autre structure (GCU_MSG_10_001)."
FLOW_NOT_FOUND_DOC = "Flux inconnu ou déposé par une autre structure (GCU_MSG_50_001)."


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class _FileOperation(CproView):
    """An operation carrying a file in base64: a larger cap, and its own advice beyond it."""

    def body_too_large(self, *, size: int, limit: int) -> errors.CproError:
        return errors.CproError(errors.REQUEST_TOO_LARGE, size=size, limit=limit)


class DeposerFluxView(_FileOperation):
    def max_body_bytes(self) -> int:
        return body_limit(api_flow_limit())

    @cpro_operation(
        operation_id="deposerFluxFacture",
        summary="Déposer un flux de factures",
        tag=FACTURES,
        request=DeposerFluxRequestSerializer,
        response=DeposerFluxResponseSerializer,
        description=(
            "Enregistre le fichier tel quel (avec son empreinte SHA-256) et répond aussitôt ; "
            "les factures sont contrôlées ensuite. Suivez le dépôt avec "
            "transverses/v1/consulterCRDetaille. Un fichier renvoyé à l'identique par le même "
            "compte reçoit le numéro du premier dépôt. Les paramètres invalides (base64, "
            "syntaxe, nom, taille) sont refusés sans créer de flux (GCU_MSG_50_xxx)."
        ),
    )
    def post(self, request):
        data = self.validated(DeposerFluxRequestSerializer)
        receipt = flow_receive(
            data=data["contenu"],
            filename=data["nomFichier"],
            channel=DepositChannel.API,
            structure=self.caller.structure,
            technical_account=self.caller.technical_account,
            syntax=data["syntaxeFlux"],
        )
        flow = receipt.flow
        return cpro_success(
            DeposerFluxResponseSerializer,
            numeroFluxDepot=flow.number,
            dateDepot=timezone.localdate(flow.created_at),
            syntaxeFlux=flow.syntax or data["syntaxeFlux"],
        )


class SoumettreFactureView(CproView):
    @cpro_operation(
        operation_id="soumettreFacture",
        summary="Soumettre une facture saisie",
        tag=FACTURES,
        request=SoumettreFactureRequestSerializer,
        response=SoumettreFactureResponseSerializer,
        description=(
            "Constitue la facture (CII) à partir des données transmises : le fournisseur est "
            "votre structure, le destinataire est trouvé dans l'annuaire par son SIRET. Les "
            "montants transmis (ligneTva, montantTotal) doivent égaler ceux calculés à partir "
            "des lignes. La facture est contrôlée et déposée avant la réponse ; une facture "
            "refusée est signalée par GCU_MSG_10_005 avec chaque constat dans « erreurs »."
        ),
    )
    def post(self, request):
        data = self.validated(SoumettreFactureRequestSerializer)
        submission = services.invoice_submit(
            data=data, technical_account=self.caller.technical_account
        )
        invoice = submission.invoice
        return cpro_success(
            SoumettreFactureResponseSerializer,
            identifiantFactureCPP=invoice.pk,
            numeroFacture=invoice.number,
            dateDepot=timezone.localdate(submission.flow.created_at),
            statutFacture=invoice.status,
            identifiantStructure=self.caller.structure.identifier,
            numeroFluxDepot=submission.flow.number,
        )


def _criteria(data: dict, **extra) -> selectors.InvoiceCriteria:
    type_names = [data["typeFacture"]] if data.get("typeFacture") else []
    type_names += data.get("listeTypeFacture") or []
    return selectors.InvoiceCriteria(
        flow_number=data.get("numeroFluxDepot") or "",
        number=data.get("numeroFacture") or "",
        statuses=tuple(data.get("statutCourant") or ()),
        deposited_from=data.get("periodeDateDepotDu"),
        deposited_to=data.get("periodeDateDepotAu"),
        issued_from=data.get("periodeDateFactureDu"),
        issued_to=data.get("periodeDateFactureAu"),
        total_without_vat_min=data.get("montantHTMin"),
        total_without_vat_max=data.get("montantHTMax"),
        total_with_vat_min=data.get("montantTTCMin"),
        total_with_vat_max=data.get("montantTTCMax"),
        amount_due_min=data.get("montantAPayerMin"),
        amount_due_max=data.get("montantAPayerMax"),
        order_reference=data.get("numeroBonCommande") or "",
        contract_reference=data.get("numeroMarche") or "",
        type_codes=_type_codes(type_names),
        **extra,
    )


def _type_codes(names: list[str]) -> tuple[str, ...]:
    """Codes of the invoice types named; AVOIR covers every credit note code."""
    codes: set[str] = set()
    for name in names:
        codes |= set(CREDIT_NOTE_TYPE_CODES) if name == "AVOIR" else {TYPE_CODES[name]}
    return tuple(sorted(codes))


def _search_description(role: str) -> str:
    columns = ", ".join(RechercherFournisseurRequestSerializer.sort_columns)
    return (
        f"Les factures {role} par votre structure, filtrées par les critères donnés (un "
        f"critère vide est ignoré), page par page. Colonnes de tri (triColonne) : {columns}."
    )


class RechercherFournisseurView(CproView):
    @cpro_operation(
        operation_id="rechercherFactureParFournisseur",
        summary="Rechercher les factures émises",
        tag=FACTURES,
        request=RechercherFournisseurRequestSerializer,
        response=RechercherFacturesResponseSerializer,
        description=_search_description("émises"),
    )
    def post(self, request):
        data = self.validated(RechercherFournisseurRequestSerializer)
        recipients = tuple(
            selectors.RecipientFilter(
                structure_id=entry["idDestinataire"],
                service_ids=tuple(entry.get("listeIdServiceExecutant") or ()),
            )
            for entry in data.get("listeDestinataire") or []
        )
        invoices = selectors.invoice_search(
            selectors.invoices_issued_by(self.caller.structure),
            _criteria(data, recipients=recipients),
        )
        return _search_page(invoices, data["page"])


class RechercherRecipiendaireView(CproView):
    @cpro_operation(
        operation_id="rechercherFactureParRecipiendaire",
        summary="Rechercher les factures reçues",
        tag=FACTURES,
        request=RechercherRecipiendaireRequestSerializer,
        response=RechercherFacturesResponseSerializer,
        description=_search_description("reçues"),
    )
    def post(self, request):
        data = self.validated(RechercherRecipiendaireRequestSerializer)
        service = data.get("idServiceExecutant")
        invoices = selectors.invoice_search(
            selectors.invoices_received_by(self.caller.structure),
            _criteria(
                data,
                supplier_ids=tuple(e["idFournisseur"] for e in data.get("listeFournisseurs") or []),
                service_ids=(service,) if service else (),
            ),
        )
        return _search_page(invoices, data["page"])


def _search_page(invoices, page_request):
    """The page of found invoices both searches answer."""
    items, page = paginate(invoices, page_request)
    return cpro_success(
        RechercherFacturesResponseSerializer,
        listeFactures=[shapes.list_item(invoice) for invoice in items],
        parametresRetour=page,
    )


class ConsulterFournisseurView(CproView):
    @cpro_operation(
        operation_id="consulterFactureParFournisseur",
        summary="Consulter une facture émise",
        tag=FACTURES,
        request=ConsulterFactureRequestSerializer,
        response=ConsulterFactureResponseSerializer,
        not_found=INVOICE_NOT_FOUND_DOC,
    )
    def post(self, request):
        data = self.validated(ConsulterFactureRequestSerializer)
        invoices = selectors.invoices_issued_by(self.caller.structure)
        return _consulted(invoices, data["identifiantFactureCPP"])


class ConsulterRecipiendaireView(CproView):
    @cpro_operation(
        operation_id="consulterFactureParRecipiendaire",
        summary="Consulter une facture reçue",
        tag=FACTURES,
        request=ConsulterFactureRequestSerializer,
        response=ConsulterFactureResponseSerializer,
        not_found=INVOICE_NOT_FOUND_DOC,
    )
    def post(self, request):
        data = self.validated(ConsulterFactureRequestSerializer)
        invoices = selectors.invoices_received_by(self.caller.structure)
        return _consulted(invoices, data["identifiantFactureCPP"])


def _consulted(invoices, invoice_id: int):
    invoice = invoices.filter(pk=invoice_id).first()
    if invoice is None:
        raise errors.CproError(errors.INVOICE_NOT_FOUND, invoice_id=invoice_id)
    return cpro_success(ConsulterFactureResponseSerializer, facture=shapes.detail(invoice))


class ConsulterHistoriqueView(CproView):
    @cpro_operation(
        operation_id="consulterHistoriqueFacture",
        summary="Consulter l'historique des statuts d'une facture",
        tag=FACTURES,
        request=ConsulterHistoriqueRequestSerializer,
        response=ConsulterHistoriqueResponseSerializer,
        description="Une facture émise ou reçue par votre structure : ses statuts successifs.",
        not_found=INVOICE_NOT_FOUND_DOC,
    )
    def post(self, request):
        data = self.validated(ConsulterHistoriqueRequestSerializer)
        invoice = selectors.invoice_visible(self.caller.structure, data["idFacture"])
        if invoice is None:
            raise errors.CproError(errors.INVOICE_NOT_FOUND, invoice_id=data["idFacture"])
        changes, page = paginate(invoice.history.select_related("actor"), data["page"])
        flow = selectors.invoice_flow(invoice)
        return cpro_success(
            ConsulterHistoriqueResponseSerializer,
            idFacture=invoice.pk,
            numeroFacture=invoice.number,
            statutCourantCode=invoice.status,
            modeDepot=flow.channel if flow else None,
            historiquesDesStatuts={
                "histoStatut": changes,
                "nbResultatsParPageHistoStatut": page["nbResultatsParPage"],
                "pageCouranteHistoStatut": page["pageCourante"],
                "pagesHistoStatut": page["pages"],
                "totalHistoStatut": page["total"],
            },
        )


class TelechargerGroupeView(CproView):
    @cpro_operation(
        operation_id="telechargerGroupeFacture",
        summary="Télécharger des factures",
        tag=FACTURES,
        request=TelechargerGroupeRequestSerializer,
        response=TelechargerGroupeResponseSerializer,
        description=(
            "Factures émises ou reçues par votre structure, en PDF Factur-X (PDF), en XML CII "
            "(PIVOT) ou les deux (ZIP). Une seule facture en PDF ou PIVOT sans pièces jointes : "
            "le fichier lui-même ; sinon une archive ZIP. Au-delà de 120 Mo : HTTP 413 "
            "(GCU_MSG_10_007)."
        ),
        not_found=INVOICE_NOT_FOUND_DOC,
    )
    def post(self, request):
        data = self.validated(TelechargerGroupeRequestSerializer)
        wanted = list(dict.fromkeys(entry["idFacture"] for entry in data["listeFacture"]))
        found = selectors.invoices_by_ids(
            selectors.invoices_visible_to(self.caller.structure), wanted
        )
        missing = [invoice_id for invoice_id in wanted if invoice_id not in found]
        if missing:
            raise errors.CproError(
                errors.INVOICE_NOT_FOUND, invoice_id=", ".join(map(str, missing))
            )
        data_out = services.invoices_download(
            invoices=[found[invoice_id] for invoice_id in wanted],
            file_format=data["format"],
            with_attachments=data["avecPiecesJointesComplementaires"],
        )
        return cpro_success(TelechargerGroupeResponseSerializer, fichierResultat=_b64(data_out))


def _flow(view: CproView, number: str):
    flow = selectors.flow_of(view.caller.structure, number)
    if flow is None:
        raise errors.CproError(errors.FLOW_NOT_FOUND, number=number)
    return flow


class ConsulterCRView(CproView):
    @cpro_operation(
        operation_id="consulterCR",
        summary="Consulter le compte rendu d'un flux",
        tag=TRANSVERSES,
        request=ConsulterCRRequestSerializer,
        response=ConsulterCRResponseSerializer,
        description="L'état du flux et son compte rendu d'intégration en PDF (fichierCR).",
        not_found=FLOW_NOT_FOUND_DOC,
    )
    def post(self, request):
        data = self.validated(ConsulterCRRequestSerializer)
        flow = _flow(self, data["numeroFluxDepot"])
        return cpro_success(
            ConsulterCRResponseSerializer,
            numeroFluxDepot=flow.number,
            nomFichierFlux=flow.filename,
            etatCourantFlux=flow.status,
            dateDepotFlux=flow.created_at,
            dateHeureEtatCourantFlux=flow.status_at,
            fichierCR=_b64(flow_report_pdf(flow)),
        )


class ConsulterCRDetailleView(CproView):
    @cpro_operation(
        operation_id="consulterCRDetaille",
        summary="Consulter le compte rendu détaillé d'un flux",
        tag=TRANSVERSES,
        request=ConsulterCRDetailleRequestSerializer,
        response=ConsulterCRDetailleResponseSerializer,
        description=(
            "L'état du flux ; pour chaque facture refusée, un élément de listeErreurDP par "
            "constat (ce qui ne va pas, où, comment le corriger) ; les erreurs du fichier "
            "lui-même dans listeErreurTechnique."
        ),
        not_found=FLOW_NOT_FOUND_DOC,
    )
    def post(self, request):
        data = self.validated(ConsulterCRDetailleRequestSerializer)
        flow = _flow(self, data["numeroFluxDepot"])
        errors_dp = [
            {
                "numeroDP": refused.number,
                "identifiantFournisseur": refused.seller_identifier,
                "identifiantDestinataire": refused.buyer_identifier,
                "libelleErreurDP": finding_sentence(finding),
            }
            for refused in selectors.flow_refused_invoices(flow)
            for finding in refused.findings
        ]
        return cpro_success(
            ConsulterCRDetailleResponseSerializer,
            numeroFluxDepot=flow.number,
            syntaxeFlux=flow.syntax or None,
            etatCourantDepotFlux=flow.status,
            dateDepotFlux=flow.created_at,
            dateHeureEtatCourantFlux=flow.status_at,
            nomFichier=flow.filename,
            listeErreurDP=errors_dp,
            listeErreurTechnique=list(flow.errors),
        )


class AjouterFichierView(_FileOperation):
    def max_body_bytes(self) -> int:
        return body_limit(ATTACHMENT_MAX_BYTES)

    @cpro_operation(
        operation_id="ajouterFichierDansSysteme",
        summary="Déposer une pièce jointe",
        tag=TRANSVERSES,
        request=AjouterFichierRequestSerializer,
        response=AjouterFichierResponseSerializer,
        description=(
            "Conserve un fichier (10 Mo au plus, nom de 50 caractères au plus) pour une "
            "facture à venir de votre structure : donnez le pieceJointeId renvoyé dans "
            "factures/v1/soumettre."
        ),
    )
    def post(self, request):
        data = self.validated(AjouterFichierRequestSerializer)
        upload = attachment_upload_create(
            structure=self.caller.structure,
            data=data["contenu"],
            name=data["nom"],
            mime_type=data["pieceJointeTypeMime"].strip(),
            technical_account=self.caller.technical_account,
        )
        return cpro_success(AjouterFichierResponseSerializer, pieceJointeId=upload.pk)
