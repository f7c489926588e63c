"""Factories of the justice fees tests: a court with its service, its agent and magistrate,
an interpreter, and mémoires at any status."""

import datetime
from decimal import Decimal

from django.utils import timezone

from chorus.enums import PublicKind, Role
from chorus.workflow import Actor
from justice_fees import services
from justice_fees.enums import (
    AttachmentKind,
    CourtRoleKind,
    DecisionKind,
    LineKind,
    ProviderKind,
    VatRegime,
)
from justice_fees.models import CourtRole, Memoire, ProviderProfile, Tariff
from tests.chorus.factories import (
    MembershipFactory,
    PublicStructureFactory,
    ServiceFactory,
    StructureFactory,
)

# A minimal valid PDF, as a designating decision.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def court(**kwargs):
    """A tribunal judiciaire with its service centralisateur des frais de justice."""
    structure = PublicStructureFactory(
        kind=PublicKind.JURIDICTION,
        legal_name=kwargs.pop("legal_name", "Tribunal judiciaire de Valmont"),
        **kwargs,
    )
    service = ServiceFactory(
        structure=structure, code="FRAIS-JUSTICE", name="Service centralisateur"
    )
    return structure, service


def court_member(structure, role: str = "", *, manager: bool = False, services=()):
    membership = MembershipFactory(
        structure=structure, role=Role.GESTIONNAIRE_PRINCIPAL if manager else Role.UTILISATEUR
    )
    if role:
        CourtRole.objects.create(membership=membership, role=role)
    for service in services:
        membership.services.add(service)
    return membership


def agent_of(structure):
    return court_member(structure, CourtRoleKind.AGENT)


def magistrate_of(structure):
    return court_member(structure, CourtRoleKind.MAGISTRAT)


def interpreter(**kwargs):
    structure = StructureFactory(legal_name=kwargs.pop("legal_name", "Olga Petrova (EI)"), **kwargs)
    ProviderProfile.objects.create(
        structure=structure, kind=ProviderKind.INTERPRETE, speciality="russe, ukrainien"
    )
    return structure, MembershipFactory(structure=structure)


def tariff(code="INT-ORAL-H"):
    return Tariff.objects.get(code=code)


def draft(
    *,
    provider,
    juridiction,
    service=None,
    number="MJ-2026-001",
    mission_end=None,
    actor=None,
    lines=True,
    decision=True,
):
    """A draft through the services: step 1, services and costs, the decision attached."""
    actor = actor or Actor.member(provider.memberships.first())
    today = timezone.localdate()
    mission_end = mission_end or today - datetime.timedelta(days=10)
    memoire = services.memoire_create(
        provider=provider,
        actor=actor,
        juridiction=juridiction,
        service=service,
        number=number,
        decision_kind=DecisionKind.REQUISITION,
        decision_date=mission_end - datetime.timedelta(days=2),
        procedure_number="PARQUET 26/123",
        requester="Mme la procureure de la République",
        mission_end_date=mission_end,
    )
    if lines:
        services.memoire_vat_regime_set(memoire=memoire, vat_regime=VatRegime.DEBITS)
        services.memoire_lines_set(
            memoire=memoire,
            kinds=(LineKind.PRESTATION,),
            lines=[
                services.LineInput(
                    kind=LineKind.PRESTATION,
                    label="",
                    quantity=Decimal("3"),
                    unit_price=None,
                    vat_rate=Decimal("20"),
                    tariff=tariff("INT-ORAL-H"),
                )
            ],
            step=2,
        )
        services.memoire_lines_set(
            memoire=memoire,
            kinds=(LineKind.FRAIS, LineKind.DEBOURS),
            lines=[
                services.LineInput(
                    kind=LineKind.FRAIS,
                    label="",
                    quantity=Decimal("48"),
                    unit_price=None,
                    vat_rate=Decimal("20"),
                    tariff=tariff("DEPL-KM"),
                ),
                services.LineInput(
                    kind=LineKind.DEBOURS,
                    label="Affranchissement du rapport",
                    quantity=Decimal("1"),
                    unit_price=Decimal("4.35"),
                    vat_rate=Decimal("20"),
                    tariff=tariff("AFFRANCHISSEMENT"),
                ),
            ],
            step=3,
        )
    if decision:
        services.memoire_attachment_add(
            memoire=memoire,
            kind=AttachmentKind.DECISION,
            data=PDF,
            name="requisition.pdf",
            mime_type="application/pdf",
            actor=actor,
        )
    memoire.refresh_from_db()
    return memoire


def at_status(memoire, status):
    Memoire.objects.filter(pk=memoire.pk).update(status=status)
    memoire.refresh_from_db()
    return memoire
