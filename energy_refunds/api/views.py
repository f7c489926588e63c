"""The energy refund operations (cadre A21_DEMANDE_REMBOURSEMENT_TIC) for farm-management
software: soumettre, consulter, rechercher, traiter. Same authentication as the invoice
operations (OAuth client and technical account); a beneficiary's account sees its requests,
a DDFiP's account the requests routed to it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from rest_framework import serializers as drf

from chorus.api import errors as api_errors
from chorus.api.base import CproView, cpro_operation
from chorus.api.envelope import cpro_success, paginate
from chorus.api.errors import CproError
from chorus.workflow import Actor, TransitionRefused, available_transitions
from energy_refunds import services
from energy_refunds.amounts import RefundAmounts
from energy_refunds.api import errors
from energy_refunds.api import serializers as s
from energy_refunds.models import Beneficiary, RefundRequest
from energy_refunds.selectors import request_amounts, requests_amounts, requests_visible_to

TAG = "Remboursements TIC"
NOT_FOUND_DOC = "Demande inconnue ou non accessible (GCU_MSG_40_001)."

# Service field -> wire field, to place an error on the field the client sent.
LINE_FIELDS = {
    "supplier_name": "fournisseurRaisonSociale",
    "supplier_siret": "fournisseurSiret",
    "number": "numeroFacture",
    "invoice_date": "dateFacture",
    "delivery_date": "dateLivraison",
    "product": "produit",
    "quantity": "quantite",
    "unit": "unite",
}
REQUEST_FIELDS = {
    "year": "anneeLivraison",
    "advance_commitment": "engagementAvance",
    "de_minimis_declared": "declarationDeMinimis",
    "invoices": "listeFactures",
    "bank_account": "anneeLivraison",
    "instructor": "anneeLivraison",
}


def _summary(request: RefundRequest, amounts: RefundAmounts) -> dict:
    return {
        "identifiantDemandeCPP": request.pk,
        "numeroDemande": request.reference,
        "anneeLivraison": request.year,
        "statut": request.status,
        "dateHeureEtatCourant": request.status_at,
        "beneficiaireSiret": request.beneficiary.structure.identifier,
        "beneficiaireRaisonSociale": request.beneficiary.structure.legal_name,
        "raisonSocialeDeptDR": request.instructor.legal_name if request.instructor else "",
        "montantRetenu": amounts.retained,
    }


def _detail(request: RefundRequest, actor: Actor) -> dict:
    amounts = request_amounts(request)
    return {
        **_summary(request, amounts),
        "demandeAvance": request.advance_requested,
        "declarationDeMinimis": request.de_minimis_declared,
        "motifAjustement": request.adjustment_reason,
        "referencePaiement": request.payment_reference,
        "listeFactures": [
            {
                "fournisseurRaisonSociale": i.supplier_name,
                "fournisseurSiret": i.supplier_siret,
                "numeroFacture": i.number,
                "dateFacture": i.invoice_date,
                "dateLivraison": i.delivery_date,
                "produit": i.product,
                "quantite": i.quantity,
                "unite": i.unit,
                "pieceJointe": bool(i.pdf),
            }
            for i in request.invoices.all()
        ],
        "montants": {
            "parProduit": [
                {"produit": t.product, "quantite": t.quantity, "taux": t.rate, "montant": t.amount}
                for t in amounts.products
            ],
            "remboursementCalcule": amounts.gross,
            "montantRetenu": amounts.retained,
            "avanceDeduite": amounts.advance_deducted,
            "solde": amounts.net,
            "avanceAnneeSuivante": amounts.advance,
            "montantAPayer": amounts.to_pay,
        },
        "historique": [
            {
                "statut": c.target,
                "date": c.at,
                "action": c.action,
                "motif": c.motive,
                "commentaire": c.comment,
            }
            for c in request.changes.all()
        ],
        "actionsPossibles": [
            t.action for t in available_transitions(document=request, actor=actor)
        ],
    }


def _field_errors(exc: ValidationError, fields: dict, prefix: str = "") -> drf.ValidationError:
    if not hasattr(exc, "error_dict"):
        raise CproError(errors.REQUEST_REFUSED, details=" ".join(exc.messages))
    detail = {}
    for field, messages in exc.message_dict.items():
        detail.setdefault(fields.get(field, field), []).extend(messages)
    return drf.ValidationError({prefix: detail} if prefix else detail)


class RefundView(CproView):
    @property
    def actor(self) -> Actor:
        return Actor.account(self.caller.technical_account)

    def get_request(self, request_id: int) -> RefundRequest:
        found = (
            requests_visible_to(self.caller.structure)
            .select_related("beneficiary__structure", "instructor")
            .filter(pk=request_id)
            .first()
        )
        if found is None:
            raise CproError(errors.REQUEST_NOT_FOUND, request_id=request_id)
        return found


class SoumettreView(RefundView):
    @cpro_operation(
        operation_id="soumettreDemandeRemboursementTIC",
        summary="Soumettre une demande de remboursement TIC / TICGN",
        tag=TAG,
        request=s.SoumettreRequestSerializer,
        response=s.DemandeResponseSerializer,
        description=(
            "Crée la demande de l'année de livraison avec ses factures de carburant et la "
            "dépose (sauf deposer=false). Une seule demande par bénéficiaire et par année."
        ),
    )
    def post(self, request):
        data = self.validated(s.SoumettreRequestSerializer)
        beneficiary = Beneficiary.objects.filter(structure=self.caller.structure).first()
        if beneficiary is None:
            raise CproError(errors.NOT_A_BENEFICIARY)
        with transaction.atomic():
            try:
                refund = services.refund_request_create(
                    beneficiary=beneficiary,
                    actor=self.actor,
                    year=data["anneeLivraison"],
                    advance_requested=data["demandeAvance"],
                    advance_commitment=data["engagementAvance"],
                    de_minimis_declared=data["declarationDeMinimis"],
                    de_minimis_other_aid=data.get("montantAutresAidesDeMinimis"),
                )
            except services.RequestExists as exc:
                raise CproError(
                    errors.REQUEST_EXISTS,
                    year=exc.existing.year,
                    reference=exc.existing.reference,
                    request_id=exc.existing.pk,
                ) from exc
            except ValidationError as exc:
                raise _field_errors(exc, REQUEST_FIELDS) from exc
            for index, line in enumerate(data["listeFactures"]):
                pdf = line.get("pdf")
                try:
                    services.fuel_invoice_add(
                        request=refund,
                        actor=self.actor,
                        supplier_name=line["fournisseurRaisonSociale"],
                        supplier_siret=line["fournisseurSiret"],
                        number=line["numeroFacture"],
                        invoice_date=line["dateFacture"],
                        delivery_date=line["dateLivraison"],
                        product=line["produit"],
                        quantity=line["quantite"],
                        unit=line["unite"],
                        pdf=ContentFile(pdf, name=f"{line['numeroFacture']}.pdf") if pdf else None,
                    )
                except ValidationError as exc:
                    raise _field_errors(exc, LINE_FIELDS, f"listeFactures[{index}]") from exc
            if data["deposer"]:
                try:
                    services.refund_request_deposit(request=refund, actor=self.actor)
                except ValidationError as exc:
                    raise _field_errors(exc, REQUEST_FIELDS) from exc
        refund.refresh_from_db()
        return cpro_success(s.DemandeResponseSerializer, demande=_detail(refund, self.actor))


class ConsulterView(RefundView):
    @cpro_operation(
        operation_id="consulterDemandeRemboursementTIC",
        summary="Consulter une demande de remboursement TIC / TICGN",
        tag=TAG,
        request=s.ConsulterRequestSerializer,
        response=s.DemandeResponseSerializer,
        not_found=NOT_FOUND_DOC,
    )
    def post(self, request):
        data = self.validated(s.ConsulterRequestSerializer)
        refund = self.get_request(data["identifiantDemandeCPP"])
        return cpro_success(s.DemandeResponseSerializer, demande=_detail(refund, self.actor))


class RechercherView(RefundView):
    @cpro_operation(
        operation_id="rechercherDemandesRemboursementTIC",
        summary="Rechercher des demandes de remboursement TIC / TICGN",
        tag=TAG,
        request=s.RechercherRequestSerializer,
        response=s.RechercherResponseSerializer,
    )
    def post(self, request):
        data = self.validated(s.RechercherRequestSerializer)
        requests = (
            requests_visible_to(self.caller.structure)
            .select_related("beneficiary__structure", "instructor")
            .prefetch_related("invoices")
        )
        if data.get("anneeLivraison"):
            requests = requests.filter(year=data["anneeLivraison"])
        if data.get("statut"):
            requests = requests.filter(status=data["statut"])
        items, page = paginate(requests, data["page"])
        return cpro_success(
            s.RechercherResponseSerializer,
            listeDemandes=[_summary(r, amounts) for r, amounts in requests_amounts(items)],
            parametresRetour=page,
        )


class TraiterView(RefundView):
    @cpro_operation(
        operation_id="traiterDemandeRemboursementTIC",
        summary="Faire avancer une demande de remboursement TIC / TICGN",
        tag=TAG,
        request=s.TraiterRequestSerializer,
        response=s.DemandeResponseSerializer,
        not_found=NOT_FOUND_DOC,
        description=(
            "Bénéficiaire : deposit, complete (pieceJointeFichier). DDFiP : take, validate "
            "(montantRetenu et commentaire si ajusté), suspend et reject (motif du catalogue, "
            "transverses/v1/recuperer/motifs issue tic_suspend / tic_reject), pay, "
            "record_payment (referencePaiement). actionsPossibles dit ce qui est permis."
        ),
    )
    def post(self, request):
        data = self.validated(s.TraiterRequestSerializer)
        refund = self.get_request(data["identifiantDemandeCPP"])
        actor, comment = self.actor, data.get("commentaire", "")
        calls = {
            "deposit": lambda: services.refund_request_deposit(request=refund, actor=actor),
            "take": lambda: services.refund_request_take(request=refund, actor=actor),
            "validate": lambda: services.refund_request_validate(
                request=refund,
                actor=actor,
                adjusted_amount=data.get("montantRetenu"),
                reason=comment,
            ),
            "suspend": lambda: services.refund_request_suspend(
                request=refund, actor=actor, motive=data.get("motif", ""), comment=comment
            ),
            "reject": lambda: services.refund_request_reject(
                request=refund, actor=actor, motive=data.get("motif", ""), comment=comment
            ),
            "complete": lambda: services.refund_request_complete(
                request=refund,
                actor=actor,
                comment=comment,
                files=[ContentFile(data["piece"], name=data.get("pieceJointeNom") or "piece.pdf")]
                if data.get("piece")
                else [],
            ),
            "pay": lambda: services.refund_request_pay(request=refund, actor=actor),
            "record_payment": lambda: services.refund_request_record_payment(
                request=refund, actor=actor, payment_reference=data.get("referencePaiement", "")
            ),
        }
        try:
            calls[data["action"]]()
        except TransitionRefused as exc:
            if exc.code == "not_party":
                raise CproError(errors.REQUEST_NOT_FOUND, request_id=refund.pk) from exc
            raise CproError(errors.MOVE_REFUSED, details=exc.message) from exc
        except PermissionDenied as exc:
            raise CproError(api_errors.FORBIDDEN, detail=str(exc)) from exc
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise CproError(
                    errors.MOVE_REFUSED,
                    details=" ".join(m for ms in exc.message_dict.values() for m in ms),
                ) from exc
            raise CproError(errors.MOVE_REFUSED, details=" ".join(exc.messages)) from exc
        refund.refresh_from_db()
        return cpro_success(s.DemandeResponseSerializer, demande=_detail(refund, actor))
