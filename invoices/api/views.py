"""The invoice (factures/v1) and transverse (transverses/v1) operations of the Chorus Pro API.

Every read is scoped to the caller's structure (`self.caller.structure`): the invoices it
issued (supplier operations), the invoices it received (recipient operations), the flows it
deposited. Anything else is answered as not found.

The processing operations (traiter/recue, completer, recycler, traiterRejet) move an invoice
through the invoice services, hence its workflow, with the technical account as actor: a
refused move is a coded 400 (`errors.transition_refusal`).
"""

import base64

from django.db import transaction
from django.utils import timezone
from rest_framework import serializers

from chorus.api.base import CproView, cpro_operation
from chorus.api.envelope import cpro_success, paginate
from chorus.enums import Channel
from chorus.workflow import Actor, TransitionRefused
from invoices import rules, selectors
from invoices.api import errors, services, shapes
from invoices.api.parsers import api_flow_limit, body_limit
from invoices.api.serializers import (
    AjouterFichierRequestSerializer,
    AjouterFichierResponseSerializer,
    CompleterFactureRequestSerializer,
    CompleterFactureResponseSerializer,
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
    EtatsTraitementRequestSerializer,
    EtatsTraitementResponseSerializer,
    RechercherFacturesResponseSerializer,
    RechercherFournisseurRequestSerializer,
    RechercherRecipiendaireRequestSerializer,
    RecyclerFactureRequestSerializer,
    RecyclerFactureResponseSerializer,
    SoumettreFactureRequestSerializer,
    SoumettreFactureResponseSerializer,
    TelechargerGroupeRequestSerializer,
    TelechargerGroupeResponseSerializer,
    TraiterFactureRecueRequestSerializer,
    TraiterFactureRecueResponseSerializer,
    TraiterRejetRequestSerializer,
    TraiterRejetResponseSerializer,
    VerifierRequestSerializer,
    VerifierResponseSerializer,
)
from invoices.api.submission import TYPE_CODES
from invoices.canonical import CREDIT_NOTE_TYPE_CODES
from invoices.enums import DepositChannel, InvoiceRole, InvoiceStatus
from invoices.ingestion.receive import flow_receive
from invoices.ingestion.report import finding_sentence
from invoices.ingestion.report_pdf import flow_report_pdf
from invoices.models import AttachmentUpload, Invoice
from invoices.services import (
    attachment_upload_create,
    invoice_check,
    invoice_complete,
    invoice_dispute_problems,
    invoice_process,
    invoice_recycle,
    invoice_rejection_acknowledge,
    invoices_deliver_fetched,
)
from invoices.validation.explanations import explain
from invoices.validation.platform_rules import ATTACHMENT_MAX_BYTES
from invoices.workflow import INVOICE_WORKFLOW
from rejections.catalogue import motive_from_wire

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


class VerifierView(_FileOperation):
    def max_body_bytes(self) -> int:
        return body_limit(api_flow_limit())

    @cpro_operation(
        operation_id="verifierFacture",
        summary="Vérifier une facture sans la déposer",
        tag=FACTURES,
        request=VerifierRequestSerializer,
        response=VerifierResponseSerializer,
        description=(
            "Contrôle la facture comme un dépôt le ferait, exigences du destinataire comprises, "
            "et répond avec chaque constat en langage courant. Rien n'est déposé ni conservé."
        ),
    )
    def post(self, request):
        data = self.validated(VerifierRequestSerializer)
        report = invoice_check(
            data=data["contenu"], filename=data["nomFichier"], structure=self.caller.structure
        )
        return cpro_success(
            VerifierResponseSerializer,
            valide=report.valid,
            format=report.format,
            profil=report.profile,
            listeConstats=[_constat(finding.to_dict()) for finding in report.findings],
        )


def _constat(finding: dict) -> dict:
    explained = explain(finding)
    return {
        "regle": finding["rule"],
        "severite": finding["severity"],
        "terme": explained["term"],
        "ligne": explained["line"],
        "message": " ".join(filter(None, [explained["what"], explained["found"]])),
        "aFaire": explained["fix"],
        "emplacement": finding["location"],
    }


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
        invoices_deliver_fetched(
            invoices=invoices.filter(pk=data["identifiantFactureCPP"]),
            structure=self.caller.structure,
        )
        return _consulted(invoices, data["identifiantFactureCPP"])


def _consulted(invoices, invoice_id: int):
    invoice = invoices.filter(pk=invoice_id).first()
    if invoice is None:
        raise errors.CproError(errors.INVOICE_NOT_FOUND, invoice_id=invoice_id)
    return cpro_success(ConsulterFactureResponseSerializer, facture=shapes.detail(invoice))


def _one_page(items: list, prefix: str) -> dict:
    """A sub-list answered whole, with the page counters clients read."""
    return {
        f"nbResultatsParPage{prefix}": max(len(items), 1),
        f"pageCourante{prefix}": 1,
        f"pages{prefix}": 1,
        f"total{prefix}": len(items),
    }


class ConsulterHistoriqueView(CproView):
    @cpro_operation(
        operation_id="consulterHistoriqueFacture",
        summary="Consulter l'historique d'une facture",
        tag=FACTURES,
        request=ConsulterHistoriqueRequestSerializer,
        response=ConsulterHistoriqueResponseSerializer,
        description=(
            "Une facture émise ou reçue par votre structure : chaque statut avec son auteur, "
            "sa date (AAAA-MM-JJ HH:MM), son motif, son commentaire et le numéro de mandat ; "
            "les actions de chacun ; les pièces complémentaires ajoutées. L'historique des "
            "statuts est paginé par paramRechercheHistoStatuts."
        ),
        not_found=INVOICE_NOT_FOUND_DOC,
    )
    def post(self, request):
        data = self.validated(ConsulterHistoriqueRequestSerializer)
        invoice = selectors.invoice_visible(self.caller.structure, data["idFacture"])
        if invoice is None:
            raise errors.CproError(errors.INVOICE_NOT_FOUND, invoice_id=data["idFacture"])
        all_changes = list(invoice.history.select_related("actor"))
        changes, page = paginate(invoice.history.select_related("actor"), data["page"])
        flow = selectors.invoice_flow(invoice)
        actions = shapes.actions(all_changes)
        events = shapes.events(invoice)
        last = all_changes[-1] if all_changes else None
        return cpro_success(
            ConsulterHistoriqueResponseSerializer,
            idFacture=invoice.pk,
            numeroFacture=invoice.number,
            statutCourantCode=invoice.status,
            modeDepot=flow.channel if flow else None,
            derniereAction=(
                {"derniereActionId": last.pk, "derniereActionCode": shapes.action_code(last)}
                if last
                else None
            ),
            historiquesDesStatuts={
                "histoStatut": shapes.history(changes),
                "nbResultatsParPageHistoStatut": page["nbResultatsParPage"],
                "pageCouranteHistoStatut": page["pageCourante"],
                "pagesHistoStatut": page["pages"],
                "totalHistoStatut": page["total"],
            },
            historiquesDesActionsUtilisateurs={
                "histoAction": actions,
                **_one_page(actions, "HistoAction"),
            },
            historiquesDesEvenementsComplementaires={
                "evenement": events,
                **_one_page(events, "Evenement"),
            },
        )


def _to_process(caller, invoice_id: int) -> Invoice:
    """An invoice the caller's structure issued or received (else a coded 400: clients read
    the body of a 400 only)."""
    invoice = selectors.invoice_visible(caller.structure, invoice_id)
    if invoice is None:
        raise errors.CproError(errors.INVOICE_NOT_FOUND_TO_PROCESS, invoice_id=invoice_id)
    return invoice


def _actor(caller) -> Actor:
    """A technical account acts for its whole structure: as recipient on the invoices it
    received, as supplier on those it issued."""
    return Actor.account(caller.technical_account, channel=Channel.API)


def _check_dispute(invoice: Invoice, data: dict) -> None:
    """The lines and the amount a motive is about, judged as the back office judges them:
    a 400 on the wire field otherwise."""
    problems = invoice_dispute_problems(
        document=invoice.canonical,
        lines=data.get("lignesConcernees") or [],
        disputed_amount=data.get("montantConteste"),
    )
    wire = {"lines": "lignesConcernees", "disputed_amount": "montantConteste"}
    if problems:
        raise serializers.ValidationError({wire[field]: m for field, m in problems.items()})


class TraiterFactureRecueView(CproView):
    @cpro_operation(
        operation_id="traiterFactureRecue",
        summary="Traiter une facture reçue",
        tag=FACTURES,
        request=TraiterFactureRecueRequestSerializer,
        response=TraiterFactureRecueResponseSerializer,
        description=(
            "Le destinataire fait passer une facture reçue au nouveauStatut : SUSPENDUE, "
            "A_RECYCLER ou REJETEE (motif obligatoire : un code du catalogue des motifs, ou un "
            "texte libre enregistré sous le motif AUTRE), SERVICE_FAIT, MANDATEE (numeroDPMandat "
            "obligatoire), puis MISE_A_DISPOSITION_COMPTABLE, COMPTABILISEE, MISE_EN_PAIEMENT "
            "(étapes facultatives, jamais en arrière). Les statuts possibles depuis un statut "
            "sont donnés par transverses/v1/recuperer/etats/traitement. Un refus (statut, rôle, "
            "motif, numéro de mandat, facture d'une autre structure) répond 400 avec son code."
        ),
    )
    def post(self, request):
        data = self.validated(TraiterFactureRecueRequestSerializer)
        invoice = _to_process(self.caller, data["idFacture"])
        _check_dispute(invoice, data)
        # A recipient's system that processes an invoice still being routed to it has it.
        invoices_deliver_fetched(invoices=[invoice], structure=self.caller.structure)
        motive, comment = motive_from_wire(data.get("motif") or "")
        comment = "\n".join(filter(None, (comment, (data.get("commentaire") or "").strip())))
        try:
            invoice_process(
                invoice=invoice,
                actor=_actor(self.caller),
                target=data["nouveauStatut"],
                motive=motive,
                comment=comment,
                mandate_number=(data.get("numeroDPMandat") or "").strip(),
                lines=data.get("lignesConcernees") or None,
                disputed_amount=data.get("montantConteste"),
            )
        except TransitionRefused as refused:
            raise errors.transition_refusal(
                refused, invoice_id=invoice.pk, comment_field="motif"
            ) from None
        return cpro_success(
            TraiterFactureRecueResponseSerializer,
            idFacture=invoice.pk,
            numeroFacture=invoice.number,
            nouveauStatut=invoice.status,
            dateTraitement=timezone.localdate(invoice.status_at),
        )


def _recipient_targets(status: str) -> list[str]:
    """The statuses a recipient may set from `status`, in the order of the invoice table."""
    targets = [
        t.target
        for t in INVOICE_WORKFLOW.transitions
        if t.source == status and InvoiceRole.DESTINATAIRE in t.roles
    ]
    return list(dict.fromkeys(targets))


class EtatsTraitementView(CproView):
    @cpro_operation(
        operation_id="recupererEtatsPossiblesPourTraitement",
        summary="Statuts possibles pour traiter une facture reçue",
        tag=TRANSVERSES,
        request=EtatsTraitementRequestSerializer,
        response=EtatsTraitementResponseSerializer,
        description=(
            "Les statuts qu'un destinataire peut donner, par factures/v1/traiter/recue, à une "
            "facture au statutCourant indiqué (liste vide : aucun traitement possible)."
        ),
    )
    def post(self, request):
        data = self.validated(EtatsTraitementRequestSerializer)
        return cpro_success(
            EtatsTraitementResponseSerializer,
            listeStatutsPossiblesPourTraitement=[
                {"statutPossiblePourTraitement": target}
                for target in _recipient_targets(data["statutCourant"])
            ],
        )


class CompleterFactureView(CproView):
    @cpro_operation(
        operation_id="completerFacture",
        summary="Compléter une facture suspendue",
        tag=FACTURES,
        request=CompleterFactureRequestSerializer,
        response=CompleterFactureResponseSerializer,
        description=(
            "Le fournisseur répond à une suspension par un commentaire (obligatoire) et des "
            "pièces complémentaires déposées au préalable par transverses/v1/ajouter/fichier "
            "(pieceJointeComplementaireId = pieceJointeId). La facture passe au statut "
            "COMPLETEE et revient au destinataire."
        ),
    )
    def post(self, request):
        data = self.validated(CompleterFactureRequestSerializer)
        invoice = _to_process(self.caller, data["identifiantFactureCPP"])
        attachments = _uploads(self.caller, data.get("pieceJointeComplementaire") or [])
        try:
            invoice_complete(
                invoice=invoice,
                actor=_actor(self.caller),
                comment=(data.get("commentaire") or "").strip(),
                attachments=attachments,
            )
        except TransitionRefused as refused:
            raise errors.transition_refusal(refused, invoice_id=invoice.pk) from None
        return cpro_success(
            CompleterFactureResponseSerializer,
            identifiantFactureCPP=invoice.pk,
            numeroFacture=invoice.number,
            statutFacture=invoice.status,
            dateTraitement=timezone.localdate(invoice.status_at),
        )


def _uploads(caller, entries: list[dict]) -> list[AttachmentUpload]:
    """The caller's structure's uploads named, not yet joined to an invoice (else a coded 400
    naming the ids missing)."""
    wanted = list(dict.fromkeys(entry["pieceJointeComplementaireId"] for entry in entries))
    found = AttachmentUpload.objects.filter(
        structure=caller.structure, pk__in=wanted, invoice_attachment__isnull=True
    ).in_bulk()
    missing = [str(upload_id) for upload_id in wanted if upload_id not in found]
    if missing:
        raise errors.CproError(errors.ATTACHMENT_NOT_FOUND, ids=", ".join(missing))
    return [found[upload_id] for upload_id in wanted]


class RecyclerFactureView(CproView):
    @cpro_operation(
        operation_id="recyclerFacture",
        summary="Recycler une facture",
        tag=FACTURES,
        request=RecyclerFactureRequestSerializer,
        response=RecyclerFactureResponseSerializer,
        description=(
            "Le fournisseur corrige les données d'acheminement d'une facture au statut "
            "A_RECYCLER : destinataire (codeDestinataire, SIRET), service (codeServiceExecutant) "
            "et engagement juridique (reference.numeroBonCommande) ; un bloc null ou un champ "
            "absent reste inchangé. Le numéro de facture ne change pas. Les données sont "
            "contrôlées comme à un dépôt (GCU_MSG_20_001), puis la facture est déposée et "
            "acheminée à nouveau."
        ),
    )
    def post(self, request):
        data = self.validated(RecyclerFactureRequestSerializer)
        invoice = _to_process(self.caller, data["identifiantFactureCPP"])
        destination = data.get("destinataire") or {}
        reference = data.get("reference") or {}
        identifier = (destination.get("codeDestinataire") or "").strip() or (
            invoice.buyer_identifier
        )
        service_code = destination.get("codeServiceExecutant", invoice.buyer_reference) or ""
        order_reference = reference.get("numeroBonCommande", invoice.order_reference) or ""
        recipient, problems = rules.recipient_problems(identifier)
        service = None
        if not problems:
            service, problems = rules.routing_problems(
                recipient=recipient, service_code=service_code, engagement=order_reference
            )
        if problems:
            erreurs = []
            for problem in problems:
                field = _ROUTING_FIELDS[problem.field]
                erreurs.append({"champ": field, "message": problem.message(f" ({field})")})
            raise errors.CproFieldsError(
                errors.ROUTING_REFUSED,
                details=" ".join(error["message"] for error in erreurs),
                erreurs=erreurs,
            )
        try:
            invoice_recycle(
                invoice=invoice,
                actor=_actor(self.caller),
                recipient=recipient,
                service=service,
                order_reference=order_reference.strip(),
                comment=(data.get("commentaire") or "").strip(),
            )
        except TransitionRefused as refused:
            raise errors.transition_refusal(refused, invoice_id=invoice.pk) from None
        return cpro_success(
            RecyclerFactureResponseSerializer,
            identifiantFactureCPP=invoice.pk,
            numeroFacture=invoice.number,
            statutFacture=invoice.status,
            dateDepot=timezone.localdate(),
        )


_ROUTING_FIELDS = {
    rules.RECIPIENT: "destinataire.codeDestinataire",
    rules.SERVICE_CODE: "destinataire.codeServiceExecutant",
    rules.ENGAGEMENT: "reference.numeroBonCommande",
}


class TraiterRejetView(CproView):
    @cpro_operation(
        operation_id="traiterFacturesRejetees",
        summary="Prendre acte du rejet de factures",
        tag=FACTURES,
        request=TraiterRejetRequestSerializer,
        response=TraiterRejetResponseSerializer,
        description=(
            "Le fournisseur indique qu'il a traité le rejet des factures listées (statut "
            "REJETEE) : la prise d'acte est enregistrée dans leur historique, avec motifRejet "
            "et cpltInfos, et rejetTraite vaut true dans les recherches. Tout ou rien : si une "
            "facture ne peut pas l'être, aucune ne l'est et la réponse nomme laquelle."
        ),
    )
    def post(self, request):
        data = self.validated(TraiterRejetRequestSerializer)
        wanted = list(dict.fromkeys(e["idDemandePaiement"] for e in data["listeDemandePaiement"]))
        comment = " : ".join(
            text.strip() for text in (data.get("motifRejet"), data.get("cpltInfos")) if text
        )
        actor = _actor(self.caller)
        invoices = [_to_process(self.caller, invoice_id) for invoice_id in wanted]
        with transaction.atomic():
            for invoice in invoices:
                try:
                    invoice_rejection_acknowledge(invoice=invoice, actor=actor, comment=comment)
                except TransitionRefused as refused:
                    raise _rejection_refusal(refused, invoice, self.caller) from None
        return cpro_success(TraiterRejetResponseSerializer)


def _rejection_refusal(refused: TransitionRefused, invoice: Invoice, caller) -> errors.CproError:
    """The supplier's own invoice that is not rejected, or whose rejection it has already
    acknowledged, gets a message of its own: the table's would speak of moving to REJETEE."""
    if (
        refused.code in ("wrong_status", "wrong_role")
        and invoice.supplier_id == caller.structure.pk
    ):
        params = {"number": invoice.number, "invoice_id": invoice.pk}
        if invoice.status == InvoiceStatus.REJETEE:
            return errors.CproError(errors.REJECTION_ALREADY_ACKNOWLEDGED, **params)
        return errors.CproError(
            errors.NOT_REJECTED, status=InvoiceStatus(invoice.status).label, **params
        )
    return errors.transition_refusal(refused, invoice_id=invoice.pk)


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
        invoices_deliver_fetched(invoices=found.values(), structure=self.caller.structure)
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
