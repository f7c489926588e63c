"""Reads of mémoires: who sees which (a provider its own; a court those addressed to it, an
agent without a role only within their services), the court's queue, the timeline."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from chorus.enums import PublicKind
from chorus.models import Membership, Structure
from justice_fees.enums import MemoireStatus
from justice_fees.models import CourtRole, Memoire, MemoireStatusChange, Tariff
from rejections.models import Motive

S = MemoireStatus


def _with_relations(memoires: QuerySet[Memoire]) -> QuerySet[Memoire]:
    return memoires.select_related("provider", "juridiction", "service")


def memoires_of_provider(structure: Structure) -> QuerySet[Memoire]:
    return _with_relations(Memoire.objects.filter(provider=structure))


def memoires_for_court(membership: Membership) -> QuerySet[Memoire]:
    """Deposited mémoires addressed to the member's juridiction: all of them for its managers,
    agents and magistrates; for another member, those of the services they handle."""
    memoires = Memoire.objects.filter(juridiction_id=membership.structure_id).exclude(
        status=S.BROUILLON
    )
    if not membership.is_manager and not CourtRole.objects.filter(membership=membership).exists():
        memoires = memoires.filter(service__in=membership.services.all())
    return _with_relations(memoires)


def memoires_for_account(structure: Structure) -> QuerySet[Memoire]:
    """What a technical account sees: its structure's mémoires, as provider or as court."""
    return _with_relations(
        Memoire.objects.filter(
            Q(provider=structure) | (Q(juridiction=structure) & ~Q(status=S.BROUILLON))
        )
    )


def court_queue(memoires: QuerySet[Memoire], *, status: str = "") -> QuerySet[Memoire]:
    """Oldest deposit first: those waiting for the court (or those at `status`)."""
    if status:
        memoires = memoires.filter(status=status)
    else:
        memoires = memoires.filter(status__in=S.waiting_for_court())
    return memoires.order_by("deposited_at", "pk")


def with_waiting_time(memoires) -> list[Memoire]:
    """Each mémoire with the days it has waited since its deposit (`waiting_days`) and in
    its current status (`status_days`)."""
    now = timezone.now()
    memoires = list(memoires)
    for memoire in memoires:
        memoire.waiting_days = (now - (memoire.deposited_at or memoire.created_at)).days
        memoire.status_days = (now - memoire.status_at).days
    return memoires


def memoire_timeline(memoire: Memoire) -> list[MemoireStatusChange]:
    """The mémoire's history, oldest first, each move with its motive's label and the
    attachments it came with (`added`)."""
    changes = list(
        memoire.history.select_related("structure").prefetch_related("attachments__upload")
    )
    codes = {change.motive for change in changes if change.motive}
    labels = {m.code: m.label for m in Motive.objects.filter(code__in=codes)}
    for change in changes:
        change.motive_label = labels.get(change.motive, change.motive)
        change.added = list(change.attachments.all())
    return changes


def juridictions_open() -> QuerySet[Structure]:
    return Structure.objects.filter(is_public=True, active=True, kind=PublicKind.JURIDICTION)


def tariffs_active(kinds) -> QuerySet[Tariff]:
    return Tariff.objects.filter(active=True, kind__in=kinds)
