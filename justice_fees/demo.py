"""The demo world's justice fees: the tribunal's agent and magistrate get their court roles,
the interpreter her provider profile, and her mémoires go through the real services to
different statuses (one paid after a reduction, one waiting for a magistrate, one suspended,
one rejected, one deposited long ago and still waiting, one draft), and one mémoire
deposited by an E3 flow (`justice_fees.edi`) from her EDI technical account.

Idempotent: a mémoire already there (same provider and number) is left as it is. Tasks run
inline (notifications stay in memory), as for the demo invoices.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from chorus.models import Membership, Structure, TechnicalAccount
from chorus.workflow import Actor
from invoices.demo import tasks_inline
from invoices.enums import DepositChannel
from invoices.ingestion.pipeline import flow_process_inline
from invoices.ingestion.receive import flow_receive
from justice_fees import services
from justice_fees.enums import (
    AttachmentKind,
    CourtRoleKind,
    DecisionKind,
    LineKind,
    MemoireStatus,
    ProviderKind,
    VatRegime,
)
from justice_fees.models import CourtRole, Memoire, MemoireStatusChange, ProviderProfile, Tariff
from justice_fees.samples import e3_ubl_flow

S = MemoireStatus

# A one-page PDF standing for the scanned designating decision.
DECISION_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass(frozen=True)
class DemoMemoire:
    number: str
    decision: str
    requester: str
    procedure: str
    days_ago: int  # the mission's end
    services: tuple  # (tariff code, quantity)
    costs: tuple = ()  # (tariff code, quantity, unit price or None)
    moves: tuple = ()  # (who: "agent" | "magistrate" | "provider", target, motive, comment)
    reductions: dict = field(default_factory=dict)  # position: (certified net, reason)
    deposited_days_ago: int = 0


MEMOIRES = [
    DemoMemoire("OP-2026-014", DecisionKind.REQUISITION, "M. le procureur de la République", "PARQUET 26/01234", 75,
                (("INT-ORAL-H", "4"), ("INT-ORAL-NUIT-H", "2")), (("DEPL-KM", "64", None), ("AFFRANCHISSEMENT", "1", "2.32")),
                (("agent", S.EN_COURS_DE_TRAITEMENT, "", ""), ("agent", S.A_CERTIFIER, "", "Vérifié : heures conformes au procès-verbal."),
                 ("magistrate", S.CERTIFIE, "", "Taxé."), ("agent", S.MIS_EN_PAIEMENT, "", ""), ("agent", S.PAYE, "", "")),
                {3: ("12.80", "Trajet retenu : 32 km aller-retour depuis le domicile déclaré.")}, 60),
    DemoMemoire("OP-2026-021", DecisionKind.COMMISSION_ROGATOIRE, "Mme la juge d'instruction Lemoine", "JI 25/0088", 40,
                (("TRAD-PAGE", "18"),), (("DEPL-TRANSPORT", "1", "38.60"),),
                (("agent", S.EN_COURS_DE_TRAITEMENT, "", ""), ("agent", S.A_CERTIFIER, "", "")), deposited_days_ago=30),
    DemoMemoire("OP-2026-022", DecisionKind.ORDONNANCE, "M. le juge des libertés et de la détention", "JLD 26/0412", 25,
                (("INT-ORAL-H", "3"),), (),
                (("agent", S.EN_COURS_DE_TRAITEMENT, "", ""),
                 ("agent", S.SUSPENDU, "FJ_PIECE_ABS", "Merci de joindre l'attestation de mission signée par le greffe.")),
                deposited_days_ago=20),
    DemoMemoire("OP-2026-009", DecisionKind.REQUISITION, "Officier de police judiciaire, commissariat de Blois", "PV 2026/00731", 120,
                (("INT-ORAL-H", "2"),), (),
                (("agent", S.REJETE, "FJ_HORS_CHAMP", "Audience civile avec aide juridictionnelle : adressez-vous au bureau d'aide juridictionnelle."),),
                deposited_days_ago=100),
    DemoMemoire("OP-2026-011", DecisionKind.REQUISITION, "M. le procureur de la République", "PARQUET 26/00977", 230,
                (("INT-ORAL-H", "5"),), (("DEPL-KM", "40", None),), deposited_days_ago=210),
]  # fmt: skip
DRAFT = DemoMemoire(
    "OP-2026-030", DecisionKind.REQUISITION, "M. le procureur de la République", "PARQUET 26/02210", 3,
    (("INT-ORAL-H", "1.5"),),
)  # fmt: skip


# The interpreter's EDI account, and the mémoire her software drops as an E3 flow.
EDI_LOGIN = "TECH_INTERPRETARIAT_PETROVA@cpro.fr"
EDI_PASSWORD = "Tech-Demo-Petrova-2026"
EDI_MEMOIRE = "OP-2026-035"


def _seed_edi(*, provider: Structure, juridiction: Structure) -> None:
    """One mémoire deposited by the EDI channel: a UBL E3 flow through the deposit pipeline."""
    if Memoire.objects.filter(provider=provider, number=EDI_MEMOIRE).exists():
        return
    account = TechnicalAccount.objects.filter(login=EDI_LOGIN).first()
    if account is None:
        account = TechnicalAccount(login=EDI_LOGIN, structure=provider, active=True)
        account.set_password(EDI_PASSWORD)
        account.save()
    end = timezone.localdate() - datetime.timedelta(days=8)
    data = e3_ubl_flow(
        provider_siret=provider.identifier,
        provider_name=provider.legal_name,
        court_siret=juridiction.identifier,
        court_name=juridiction.legal_name,
        number=EDI_MEMOIRE,
        requester="M. le juge d'instruction Marchal",
        procedure_number="JI 26/0131",
        decision_kind=DecisionKind.COMMISSION_ROGATOIRE,
        decision_date=end - datetime.timedelta(days=6),
        mission_end=end,
        lines=(("INT-ORAL-H", "2.5", None, ""), ("DEPL-KM", "36", None, "")),
        subject_to_vat=True,
    )
    receipt = flow_receive(
        data=data,
        filename=f"{EDI_MEMOIRE}.xml",
        channel=DepositChannel.EDI,
        structure=provider,
        technical_account=account,
    )  # no syntax declared, as over SFTP: the pipeline recognises the cadre (BT-23)
    flow_process_inline(receipt.flow.pk)
    item = receipt.flow.items.get()
    if not Memoire.objects.filter(flow_item=item).exists():
        raise RuntimeError(f"demo E3 mémoire {EDI_MEMOIRE} refused: {item.findings}")


def _line(code: str, quantity: str, price: str | None, kind_default: str) -> services.LineInput:
    tariff = Tariff.objects.get(code=code)
    return services.LineInput(
        kind=tariff.kind or kind_default,
        label="",
        quantity=Decimal(quantity),
        unit_price=Decimal(price) if price else None,
        vat_rate=Decimal("20"),
        tariff=tariff,
    )


def _court_roles(juridiction: Structure, roles: dict[str, str]) -> None:
    for email, role in roles.items():
        membership = Membership.objects.get(user__email=email, structure=juridiction)
        CourtRole.objects.update_or_create(membership=membership, defaults={"role": role})


def _seed_one(spec: DemoMemoire, *, provider, juridiction, actors, draft_only=False) -> None:
    if Memoire.objects.filter(provider=provider, number=spec.number).exists():
        return
    today = timezone.localdate()
    end = today - datetime.timedelta(days=spec.days_ago)
    memoire = services.memoire_create(
        provider=provider,
        actor=actors["provider"],
        juridiction=juridiction,
        service=juridiction.services.get(code="FRAIS-JUSTICE"),
        number=spec.number,
        decision_kind=spec.decision,
        decision_date=end - datetime.timedelta(days=1),
        procedure_number=spec.procedure,
        requester=spec.requester,
        mission_end_date=end,
    )
    services.memoire_lines_set(
        memoire=memoire,
        kinds=(LineKind.PRESTATION,),
        lines=[
            _line(code, quantity, None, LineKind.PRESTATION) for code, quantity in spec.services
        ],
        step=2,
    )
    services.memoire_vat_regime_set(memoire=memoire, vat_regime=VatRegime.DEBITS)
    services.memoire_lines_set(
        memoire=memoire,
        kinds=(LineKind.FRAIS, LineKind.DEBOURS),
        lines=[
            _line(code, quantity, price, LineKind.FRAIS) for code, quantity, price in spec.costs
        ],
        step=3,
    )
    services.memoire_attachment_add(
        memoire=memoire,
        kind=AttachmentKind.DECISION,
        data=DECISION_PDF,
        name=f"decision-{spec.procedure.replace('/', '-').replace(' ', '-')}.pdf",
        mime_type="application/pdf",
        actor=actors["provider"],
    )
    if draft_only:
        return
    services.memoire_deposit(memoire=memoire, actor=actors["provider"])
    for who, target, motive, comment in spec.moves:
        actor = actors[who]
        if target == S.CERTIFIE:
            lines = {line.position: line.pk for line in memoire.lines.all()}
            services.memoire_certify(
                memoire=memoire,
                actor=actor,
                comment=comment,
                reductions={
                    lines[position]: services.Reduction(Decimal(amount), reason)
                    for position, (amount, reason) in spec.reductions.items()
                },
            )
        elif motive:
            move = services.memoire_suspend if target == S.SUSPENDU else services.memoire_reject
            move(memoire=memoire, actor=actor, motive=motive, comment=comment)
        else:
            move = {
                S.EN_COURS_DE_TRAITEMENT: services.memoire_take,
                S.A_CERTIFIER: services.memoire_submit_for_certification,
                S.MIS_EN_PAIEMENT: services.memoire_pay,
                S.PAYE: services.memoire_paid,
            }[target]
            move(memoire=memoire, actor=actor, comment=comment)
    if spec.deposited_days_ago:
        _backdate(memoire, spec.deposited_days_ago)


def _backdate(memoire: Memoire, days: int) -> None:
    """Spreads the demo mémoire's history from its deposit `days` ago to now, so that the
    court's queue shows real waiting times."""
    start = timezone.now() - datetime.timedelta(days=days)
    creation, *moves = list(memoire.history.order_by("at", "pk"))
    MemoireStatusChange.objects.filter(pk=creation.pk).update(at=start - datetime.timedelta(days=1))
    step = datetime.timedelta(days=days) / max(len(moves), 1)
    for index, change in enumerate(moves):
        MemoireStatusChange.objects.filter(pk=change.pk).update(at=start + step * index)
    Memoire.objects.filter(pk=memoire.pk).update(
        created_at=start - datetime.timedelta(days=1),
        deposited_at=start,
        status_at=start + step * (len(moves) - 1),
    )


@transaction.atomic
def demo_memoires_seed(
    *, tribunal: str, interpreter: str, provider_email: str, agent_email: str, magistrate_email: str
) -> None:
    """Court roles, the interpreter's profile and mémoires (`tribunal`, `interpreter`: SIRETs)."""
    juridiction = Structure.objects.get(identifier=tribunal)
    provider = Structure.objects.get(identifier=interpreter)
    _court_roles(
        juridiction, {agent_email: CourtRoleKind.AGENT, magistrate_email: CourtRoleKind.MAGISTRAT}
    )
    ProviderProfile.objects.get_or_create(
        structure=provider,
        defaults={
            "kind": ProviderKind.INTERPRETE,
            "speciality": "Russe, ukrainien (interprète-traductrice assermentée)",
            "vat_regime": VatRegime.DEBITS,
        },
    )
    actors = {
        "provider": Actor.member(
            Membership.objects.get(user__email=provider_email, structure=provider)
        ),
        "agent": Actor.member(
            Membership.objects.get(user__email=agent_email, structure=juridiction)
        ),
        "magistrate": Actor.member(
            Membership.objects.get(user__email=magistrate_email, structure=juridiction)
        ),
    }
    with tasks_inline():
        for spec in MEMOIRES:
            _seed_one(spec, provider=provider, juridiction=juridiction, actors=actors)
        _seed_one(DRAFT, provider=provider, juridiction=juridiction, actors=actors, draft_only=True)
        _seed_edi(provider=provider, juridiction=juridiction)
