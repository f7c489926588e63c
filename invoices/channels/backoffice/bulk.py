"""Bulk operations: one recipient's move applied to a selection of invoices or to a whole
search, each invoice through the one workflow function (`invoices.services.invoice_process`).

An invoice the workflow refuses is recorded with its reason (BulkRefusal); the others go
through. The walk is by invoice id, and the operation's `cursor` moves in the same
transaction as each invoice's move or refusal: a task run again after a crash (acks_late)
skips what was already handled and resumes with the next invoice.
"""

import logging
import time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.models import Membership
from chorus.pagination import AFTER, BEFORE
from chorus.services import audit_record
from chorus.workflow import Actor, TransitionRefused
from chorus.workflow.core import MANDATE_NUMBER, MOTIVE
from invoices.channels.backoffice.models import BulkOperation, BulkRefusal, BulkStatus
from invoices.channels.backoffice.search import received_search
from invoices.models import Invoice
from invoices.selectors import invoices_received_for
from invoices.services import invoice_process
from invoices.workflow import INVOICE_TRANSITIONS, RECIPIENT

logger = logging.getLogger(__name__)

# The recipient's moves that make sense on many invoices at once, by action name: all but
# the mandate, whose number is the invoice's own.
BULK_ACTIONS: dict[str, str] = {
    t.action: t.target
    for t in INVOICE_TRANSITIONS
    if t.roles == RECIPIENT and MANDATE_NUMBER not in t.requires
}
MOTIVE_ACTIONS = frozenset(t.action for t in INVOICE_TRANSITIONS if MOTIVE in t.requires)

CHUNK_SIZE = 200
# A task hands over to a fresh one after this long, so that no operation, whatever its size,
# runs into the task time limit.
TASK_BUDGET_SECONDS = 120

# Request parameters that are not search criteria: pagination and the bulk form's own.
_NOT_CRITERIA = frozenset(
    {"page", AFTER, BEFORE, "sort", "csrfmiddlewaretoken", "invoice", "action", "motive", "comment"}
)


def search_criteria(params: QueryDict) -> dict[str, list[str]]:
    """The search criteria of the inbox's query string, as a bulk operation keeps them."""
    return {key: params.getlist(key) for key in params if key not in _NOT_CRITERIA}


def criteria_query(criteria: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in criteria.items():
        query.setlist(key, values)
    return query


@transaction.atomic
def bulk_operation_create(
    *,
    membership: Membership,
    action: str,
    motive: str = "",
    comment: str = "",
    invoice_ids: list[int] | None = None,
    search: dict[str, list[str]] | None = None,
) -> BulkOperation:
    """Records the operation on the agent's selection (`invoice_ids`, those they may see)
    or on their search as it stands now (`search`), and queues its task after commit."""
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": _("Cette action ne peut pas être faite par lot.")})
    fields = {}
    if invoice_ids is not None:
        visible = sorted(
            set(
                invoices_received_for(membership)
                .filter(pk__in=invoice_ids)
                .values_list("pk", flat=True)
            )
        )
        fields.update(invoice_ids=visible, total=len(visible))
    else:
        form, invoices = received_search(membership, criteria_query(search or {}))
        if form.is_bound and not form.is_valid():
            raise ValidationError(
                _("La recherche contient des erreurs : corrigez-la avant de la traiter en entier.")
            )
        figures = invoices.order_by().aggregate(total=Count("pk"), last=Max("pk"))
        fields.update(search=search or {}, total=figures["total"], last_id_bound=figures["last"])
    if not fields["total"]:
        raise ValidationError(
            _("Aucune facture à traiter : sélectionnez au moins une facture.")
            if invoice_ids is not None
            else _(
                "Aucune facture à traiter : la recherche n'en trouve aucune. Changez ses critères."
            )
        )
    operation = BulkOperation.objects.create(
        created_by=membership.user,
        membership=membership,
        structure=membership.structure,
        action=action,
        target=BULK_ACTIONS[action],
        motive=motive if action in MOTIVE_ACTIONS else "",
        comment=comment.strip(),
        **fields,
    )
    audit_record(
        actor=membership.user,
        action="bulk_operation_create",
        target=operation,
        structure=membership.structure,
        details={
            "action": action,
            "motive": operation.motive,
            "total": operation.total,
            "scope": "selection" if invoice_ids is not None else "search",
        },
    )
    from invoices.channels.backoffice.tasks import bulk_operation_task

    transaction.on_commit(lambda: bulk_operation_task.delay(operation.pk))
    return operation


def bulk_operation_run(operation_id: int, *, budget: float = TASK_BUDGET_SECONDS) -> bool:
    """Moves the operation's invoices not handled yet, chunk by chunk, for `budget` seconds
    at most. Returns whether invoices remain (the caller queues the rest)."""
    claimed = BulkOperation.objects.filter(
        pk=operation_id, status__in=(BulkStatus.EN_ATTENTE, BulkStatus.EN_COURS)
    ).update(status=BulkStatus.EN_COURS)
    if not claimed:
        logger.info("bulk operation %s missing or finished: nothing to do", operation_id)
        return False
    operation = BulkOperation.objects.select_related(
        "membership__user", "membership__structure"
    ).get(pk=operation_id)
    membership = operation.membership
    if membership is None or membership.structure_id != operation.structure_id:
        _finish(operation, error=_("L'agent qui a lancé ce traitement n'est plus rattaché."))
        return False
    actor = Actor.member(membership)
    started = time.monotonic()
    while time.monotonic() - started < budget:
        operation.refresh_from_db(fields=["cursor"])
        if not _run_chunk(operation, membership, actor):
            _finish(operation)
            return False
    return True


def _run_chunk(operation: BulkOperation, membership: Membership, actor: Actor) -> bool:
    """Handles the next CHUNK_SIZE invoices after the cursor; False when none are left."""
    visible = invoices_received_for(membership)
    if operation.search is None:
        ids = [pk for pk in operation.invoice_ids if pk > operation.cursor][:CHUNK_SIZE]
    else:
        _form, found = received_search(membership, criteria_query(operation.search))
        ids = list(
            found.filter(pk__gt=operation.cursor, pk__lte=operation.last_id_bound or 0)
            .order_by("pk")
            .values_list("pk", flat=True)[:CHUNK_SIZE]
        )
    if not ids:
        return False
    # The moves read the status, the parties and the service: never the stored document.
    invoices = visible.select_related(None).defer("document").in_bulk(ids)
    for pk in ids:
        invoice = invoices.get(pk)
        if invoice is None:
            _refuse(
                operation.pk,
                pk,
                None,
                "not_found",
                _("Facture introuvable, ou d'un service pour lequel vous n'agissez plus."),
            )
            continue
        try:
            with transaction.atomic():
                if not _claim(operation.pk, pk):
                    continue
                invoice_process(
                    invoice=invoice,
                    actor=actor,
                    target=operation.target,
                    motive=operation.motive,
                    comment=operation.comment,
                )
                BulkOperation.objects.filter(pk=operation.pk).update(done=F("done") + 1)
        except TransitionRefused as refused:
            _refuse(operation.pk, pk, invoice, refused.code, str(refused.message))
    return True


def _claim(operation_id: int, invoice_id: int) -> bool:
    """Moves the cursor past the invoice, in the caller's transaction; False when a previous
    run (or a concurrent one) already handled it."""
    cursor = (
        BulkOperation.objects.select_for_update()
        .values_list("cursor", flat=True)
        .get(pk=operation_id)
    )
    if invoice_id <= cursor:
        return False
    BulkOperation.objects.filter(pk=operation_id).update(cursor=invoice_id)
    return True


def _refuse(operation_id: int, invoice_id: int, invoice: Invoice | None, code: str, reason: str):
    try:
        with transaction.atomic():
            if not _claim(operation_id, invoice_id):
                return
            BulkRefusal.objects.create(
                operation_id=operation_id,
                invoice=invoice,
                invoice_ref=invoice_id,
                number=invoice.number if invoice else "",
                code=code,
                reason=reason,
            )
            BulkOperation.objects.filter(pk=operation_id).update(
                refused_count=F("refused_count") + 1
            )
    except IntegrityError:
        logger.info("bulk operation %s: invoice %s already refused", operation_id, invoice_id)


def _finish(operation: BulkOperation, *, error: str = "") -> None:
    operation.refresh_from_db()
    changes = {
        "status": BulkStatus.ECHOUEE if error else BulkStatus.TERMINEE,
        "finished_at": timezone.now(),
        "error": error,
    }
    if operation.search is not None and not error:
        # The search as it stood at launch: invoices moved by others meanwhile left it.
        changes["total"] = operation.done + operation.refused_count
    BulkOperation.objects.filter(pk=operation.pk, finished_at__isnull=True).update(**changes)
