"""The mémoire operations (memoires/v1) of the Chorus Pro-compatible API: structured
submission in the billing frame A3_MEMOIRE_JUSTICE, consultation, search, and the court's
processing. Same authentication as invoices (`chorus.api.base.CproView`).

Every read is scoped to the caller's structure: a provider's technical account sees its
mémoires, a court's those addressed to it (never drafts). Anything else is not found.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from chorus.api.base import CproView, cpro_operation
from chorus.api.envelope import cpro_success, paginate
from chorus.api.errors import CproError
from chorus.enums import Channel
from chorus.models import Service, Structure
from chorus.workflow import Actor, TransitionRefused, available_transitions
from invoices.api.errors import CproFieldsError
from invoices.channels.portal.forms import mime_type_of
from invoices.validation.platform_rules import ATTACHMENT_MAX_BYTES
from justice_fees import selectors, services
from justice_fees.api import errors
from justice_fees.api.serializers import (
    ConsulterMemoireRequestSerializer,
    ConsulterMemoireResponseSerializer,
    RechercherMemoiresRequestSerializer,
    RechercherMemoiresResponseSerializer,
    SoumettreMemoireRequestSerializer,
    SoumettreMemoireResponseSerializer,
    TraiterMemoireRequestSerializer,
    TraiterMemoireResponseSerializer,
)
from justice_fees.enums import CADRE_MEMOIRE, MemoireStatus
from justice_fees.models import Memoire, Tariff
from rejections.catalogue import motive_from_wire

MEMOIRES = "Mémoires de frais de justice"
NOT_FOUND_DOC = "Mémoire inconnu ou d'une autre structure (GCU_MSG_30_001)."
S = MemoireStatus

# Where each refusal of the services points in the request.
WIRE_FIELDS = {
    "juridiction": "juridiction.codeJuridiction",
    "service": "juridiction.codeServiceJuridiction",
    "number": "numeroMemoire",
    "mission_end_date": "procedure.dateFinMission",
    "lines": "lignes",
    "attachments": "piecesJointes",
    "provider": "fournisseur",
}


def _refused(erreurs: list[dict]) -> CproFieldsError:
    return CproFieldsError(
        errors.MEMOIRE_REFUSED, erreurs=erreurs, details=" ".join(e["message"] for e in erreurs)
    )


def _actor(caller) -> Actor:
    return Actor.account(caller.technical_account, channel=Channel.API)


def _visible(caller):
    return selectors.memoires_for_account(caller.structure)


class SoumettreMemoireView(CproView):
    def max_body_bytes(self) -> int:
        # Base64 of a few 10 MB attachments, and the JSON around them.
        return 3 * ATTACHMENT_MAX_BYTES * 4 // 3 + 256 * 1024

    @cpro_operation(
        operation_id="soumettreMemoire",
        summary="Soumettre un mémoire de frais de justice",
        tag=MEMOIRES,
        request=SoumettreMemoireRequestSerializer,
        response=SoumettreMemoireResponseSerializer,
        description=(
            "Saisit et dépose en un appel un mémoire (cadre de facturation A3_MEMOIRE_JUSTICE) "
            "pour la structure du compte technique : juridiction, procédure, lignes du "
            "référentiel des prestations et tarifs, pièces jointes (la décision de désignation "
            "est obligatoire). Les montants sont calculés par la plateforme. Les mêmes règles "
            "que sur le portail s'appliquent : forclusion (article 800 du code de procédure "
            "pénale), numéro unique, juridiction connue et active, 50 mémoires au plus pour un "
            "compte dont aucun mémoire n'a encore été traité ; refusé, rien n'est conservé "
            "(GCU_MSG_30_002, une entrée par champ dans erreurs)."
        ),
    )
    def post(self, request):
        data = self.validated(SoumettreMemoireRequestSerializer)
        code = data["cadreDeFacturation"]["codeCadreFacturation"].strip()
        if code != CADRE_MEMOIRE:
            raise CproError(errors.CADRE_NOT_MEMOIRE, code=code)
        juridiction = Structure.objects.filter(
            identifier=data["juridiction"]["codeJuridiction"].strip(), is_public=True
        ).first()
        erreurs = []
        service = None
        service_code = (data["juridiction"].get("codeServiceJuridiction") or "").strip()
        if service_code and juridiction is not None:
            service = Service.objects.filter(structure=juridiction, code=service_code).first()
            if service is None:
                erreurs.append(
                    {
                        "champ": WIRE_FIELDS["service"],
                        "message": f"Aucun service {service_code} dans {juridiction.legal_name}.",
                    }
                )
        lines = []
        tariffs = {t.code: t for t in Tariff.objects.filter(active=True)}
        for index, line in enumerate(data["lignes"]):
            code = (line.get("codePrestation") or "").strip()
            tariff = tariffs.get(code) if code else None
            if code and tariff is None:
                erreurs.append(
                    {
                        "champ": f"lignes[{index}].codePrestation",
                        "message": f"« {code} » n'est pas une prestation active du référentiel.",
                    }
                )
                continue
            if not tariff and not line.get("libelle"):
                erreurs.append(
                    {
                        "champ": f"lignes[{index}].libelle",
                        "message": "Donnez un libellé ou un codePrestation.",
                    }
                )
                continue
            if (tariff is None or tariff.is_free_amount) and line.get("prixUnitaire") is None:
                erreurs.append(
                    {
                        "champ": f"lignes[{index}].prixUnitaire",
                        "message": "Indiquez le prix unitaire de ce montant libre.",
                    }
                )
                continue
            lines.append(
                services.LineInput(
                    kind=line["nature"],
                    label=line.get("libelle") or "",
                    quantity=line["quantite"],
                    unit_price=line.get("prixUnitaire"),
                    vat_rate=line.get("tauxTva") or 0,
                    tariff=tariff,
                )
            )
        if erreurs:
            raise _refused(erreurs)
        procedure = data["procedure"]
        try:
            memoire = services.memoire_submit(
                provider=self.caller.structure,
                actor=_actor(self.caller),
                juridiction=juridiction,
                service=service,
                number=data["numeroMemoire"],
                decision_kind=procedure["typeDecision"],
                decision_date=procedure["dateDecision"],
                procedure_number=procedure["numeroProcedure"],
                requester=procedure["requerant"],
                mission_end_date=procedure["dateFinMission"],
                vat_regime=data["regimeTva"],
                lines=lines,
                uploads=[
                    services.Upload(
                        piece["typePieceJointe"],
                        piece["nomFichier"],
                        piece["data"],
                        mime_type_of(piece["nomFichier"]),
                    )
                    for piece in data["piecesJointes"]
                ],
            )
        except ValidationError as exc:
            raise _refused(
                [
                    {"champ": WIRE_FIELDS.get(field, field), "message": message}
                    for field, messages in exc.message_dict.items()
                    for message in messages
                ]
            ) from None
        return cpro_success(
            SoumettreMemoireResponseSerializer,
            idMemoire=memoire.pk,
            numeroMemoire=memoire.number,
            statut=memoire.status,
            dateDepot=memoire.deposited_at,
            montantHtDemande=memoire.claimed_net,
            montantTvaDemande=memoire.claimed_vat,
            montantTtcDemande=memoire.claimed_total,
        )


class ConsulterMemoireView(CproView):
    @cpro_operation(
        operation_id="consulterMemoire",
        summary="Consulter un mémoire de frais de justice",
        tag=MEMOIRES,
        request=ConsulterMemoireRequestSerializer,
        response=ConsulterMemoireResponseSerializer,
        description=(
            "Un mémoire déposé par votre structure ou qui lui est adressé : procédure, lignes "
            "avec montants demandés et certifiés (et le motif de chaque réduction), "
            "historique des statuts, et les statuts où votre compte peut le faire passer."
        ),
        not_found=NOT_FOUND_DOC,
    )
    def post(self, request):
        data = self.validated(ConsulterMemoireRequestSerializer)
        memoire = _visible(self.caller).filter(pk=data["idMemoire"]).first()
        if memoire is None:
            raise CproError(errors.MEMOIRE_NOT_FOUND, memoire_id=data["idMemoire"])
        history = selectors.memoire_timeline(memoire)
        return cpro_success(
            ConsulterMemoireResponseSerializer,
            idMemoire=memoire.pk,
            numeroMemoire=memoire.number,
            codeCadreFacturation=CADRE_MEMOIRE,
            statut=memoire.status,
            dateDepot=memoire.deposited_at,
            fournisseur={
                "idFournisseur": memoire.provider_id,
                "raisonSociale": memoire.provider.legal_name,
                "typeIdentifiant": memoire.provider.identifier_type,
                "identifiant": memoire.provider.identifier,
            },
            juridiction={
                "idJuridiction": memoire.juridiction_id,
                "codeJuridiction": memoire.juridiction.identifier,
                "raisonSocialeJuridiction": memoire.juridiction.legal_name,
                "codeServiceJuridiction": memoire.service.code if memoire.service else None,
            },
            procedure={
                "typeDecision": memoire.decision_kind,
                "dateDecision": memoire.decision_date.isoformat(),
                "numeroProcedure": memoire.procedure_number,
                "requerant": memoire.requester,
                "dateFinMission": memoire.mission_end_date.isoformat(),
            },
            regimeTva=memoire.vat_regime,
            montantHtDemande=memoire.claimed_net,
            montantTvaDemande=memoire.claimed_vat,
            montantTtcDemande=memoire.claimed_total,
            montantHtCertifie=memoire.certified_net,
            montantTvaCertifie=memoire.certified_vat,
            montantTtcCertifie=memoire.certified_total,
            lignes=[
                {
                    "numeroLigne": line.position,
                    "nature": line.kind,
                    "codePrestation": line.tariff.code if line.tariff else None,
                    "libelle": line.label,
                    "quantite": line.quantity,
                    "unite": line.unit,
                    "prixUnitaire": line.unit_price,
                    "tauxTva": line.vat_rate,
                    "montantHtDemande": line.claimed_net,
                    "montantHtCertifie": line.certified_net,
                    "motifReduction": line.reduction_reason,
                }
                for line in memoire.lines.select_related("tariff")
            ],
            historique=[
                {
                    "statut": change.target,
                    "date": timezone.localtime(change.at).strftime("%Y-%m-%d %H:%M"),
                    "auteur": change.actor_label,
                    "role": change.actor_role,
                    "motif": change.motive,
                    "commentaire": change.comment,
                }
                for change in history
            ],
            actionsPossibles=[
                t.target for t in available_transitions(document=memoire, actor=_actor(self.caller))
            ],
        )


class RechercherMemoiresView(CproView):
    @cpro_operation(
        operation_id="rechercherMemoires",
        summary="Rechercher des mémoires de frais de justice",
        tag=MEMOIRES,
        request=RechercherMemoiresRequestSerializer,
        response=RechercherMemoiresResponseSerializer,
        description=(
            "Les mémoires déposés par votre structure, ou qui lui sont adressés, filtrés par "
            "juridiction (codeJuridiction, raisonSocialeJuridiction), numéro "
            "(numeroFactureMemoire), statut et dates de dépôt ; triés par dateDepot (par "
            "défaut), numeroFactureMemoire, statut ou montantTtcDemande."
        ),
    )
    def post(self, request):
        data = self.validated(RechercherMemoiresRequestSerializer)
        memoires = _visible(self.caller)
        if code := (data.get("codeJuridiction") or "").strip():
            memoires = memoires.filter(juridiction__identifier=code)
        if name := (data.get("raisonSocialeJuridiction") or "").strip():
            memoires = memoires.filter(juridiction__legal_name__icontains=name)
        if number := (data.get("numeroFactureMemoire") or "").strip():
            memoires = memoires.filter(number__icontains=number)
        if status := data.get("statut"):
            memoires = memoires.filter(status=status)
        if start := data.get("dateDepotDebut"):
            memoires = memoires.filter(deposited_at__date__gte=start)
        if end := data.get("dateDepotFin"):
            memoires = memoires.filter(deposited_at__date__lte=end)
        items, page = paginate(memoires, data["page"])
        return cpro_success(
            RechercherMemoiresResponseSerializer,
            listeMemoires=[
                {
                    "idMemoire": m.pk,
                    "numeroFactureMemoire": m.number,
                    "statut": m.status,
                    "codeJuridiction": m.juridiction.identifier,
                    "raisonSocialeJuridiction": m.juridiction.legal_name,
                    "raisonSocialeFournisseur": m.provider.legal_name,
                    "dateDepot": m.deposited_at,
                    "montantTtcDemande": m.claimed_total,
                    "montantTtcCertifie": m.certified_total,
                }
                for m in items
            ],
            parametresRetour=page,
        )


_MOVES = {
    S.EN_COURS_DE_TRAITEMENT: lambda m, a, motive, comment: (
        services.memoire_resume if m.status == S.COMPLETE else services.memoire_take
    )(memoire=m, actor=a, comment=comment),
    S.A_CERTIFIER: lambda m, a, motive, comment: services.memoire_submit_for_certification(
        memoire=m, actor=a, comment=comment
    ),
    S.SUSPENDU: lambda m, a, motive, comment: services.memoire_suspend(
        memoire=m, actor=a, motive=motive, comment=comment
    ),
    S.REJETE: lambda m, a, motive, comment: services.memoire_reject(
        memoire=m, actor=a, motive=motive, comment=comment
    ),
    S.MIS_EN_PAIEMENT: lambda m, a, motive, comment: services.memoire_pay(
        memoire=m, actor=a, comment=comment
    ),
    S.PAYE: lambda m, a, motive, comment: services.memoire_paid(
        memoire=m, actor=a, comment=comment
    ),
}


class TraiterMemoireView(CproView):
    @cpro_operation(
        operation_id="traiterMemoire",
        summary="Traiter un mémoire reçu (juridiction)",
        tag=MEMOIRES,
        request=TraiterMemoireRequestSerializer,
        response=TraiterMemoireResponseSerializer,
        description=(
            "Pour le logiciel d'une juridiction : prendre en charge, transmettre au magistrat, "
            "suspendre ou rejeter (avec un motif du catalogue), mettre en paiement, déclarer "
            "payé. La certification reste un acte du magistrat, sur le portail. Un mouvement "
            "refusé répond GCU_MSG_30_004 avec sa raison."
        ),
    )
    def post(self, request):
        data = self.validated(TraiterMemoireRequestSerializer)
        memoire = Memoire.objects.filter(pk=data["idMemoire"]).first()
        if memoire is None or not _visible(self.caller).filter(pk=memoire.pk).exists():
            raise CproError(errors.MEMOIRE_NOT_FOUND_TO_PROCESS, memoire_id=data["idMemoire"])
        motive, comment = motive_from_wire(data["motif"])
        comment = data["commentaire"] or comment
        try:
            _MOVES[data["statutCible"]](memoire, _actor(self.caller), motive, comment)
        except TransitionRefused as refused:
            raise errors.transition_refusal(refused, memoire_id=memoire.pk) from None
        return cpro_success(
            TraiterMemoireResponseSerializer, idMemoire=memoire.pk, statut=memoire.status
        )
