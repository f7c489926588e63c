"""Receiving a deposit: the raw file is stored with its SHA-256 before anything else happens.

Every channel (portal, API, EDI) calls `flow_receive`; the rest runs in Celery tasks that
can crash and run again (see `pipeline`).
"""

from dataclasses import dataclass

from django.core.files import File
from django.db import IntegrityError, transaction

from chorus.models import Membership, Structure, TechnicalAccount, User
from chorus.workflow import Actor, TransitionRefused, history_start, status_transition
from invoices.enums import DepositChannel, FlowStatus, FlowSyntax
from invoices.models import Flow, Invoice, ReceivedFile
from invoices.services import received_file_store, sha256_of


@dataclass(frozen=True)
class Receipt:
    flow: Flow
    created: bool  # False: the same account had already sent these exact bytes


def depositor_key(*, user: User | None, technical_account: TechnicalAccount | None) -> str:
    if technical_account is not None:
        return f"account:{technical_account.pk}"
    if user is not None:
        return f"user:{user.pk}"
    raise ValueError("A flow is deposited by a user or a technical account.")


def flow_status_change(flow: Flow, target: str, *, comment: str = "") -> bool:
    """Moves a flow to `target` through the workflow core, unless someone moved it first
    (False then). The channels attach follow-ups to the final states (EDI reports)."""
    try:
        status_transition(document=flow, target=target, actor=Actor.platform(), comment=comment)
    except TransitionRefused as refused:
        if refused.code in ("concurrent", "wrong_status"):
            return False
        raise
    return True


def flow_depositor(flow: Flow) -> Actor:
    """Who deposited the flow, as the workflow core records it."""
    if flow.technical_account is not None:
        return Actor.account(flow.technical_account, channel=flow.channel)
    membership = Membership.objects.filter(user=flow.submitted_by, structure=flow.structure).first()
    if membership is not None:
        return Actor.member(membership, channel=flow.channel)
    return Actor(channel=flow.channel, user=flow.submitted_by)


@transaction.atomic
def flow_create(
    *,
    received: ReceivedFile,
    channel: str,
    structure: Structure,
    depositor_key: str,
    user: User | None = None,
    technical_account: TechnicalAccount | None = None,
    syntax: str = "",
    errors: list[dict] | None = None,
    replaces: Invoice | None = None,
) -> Flow:
    """A flow (RECU, with its first history row) for a file just stored, numbered like every
    flow of the platform: FLX, its date and its id."""
    flow = Flow.objects.create(
        number=f"TMP{received.pk}",
        channel=DepositChannel(channel),
        syntax=FlowSyntax(syntax) if syntax else "",
        filename=received.filename,
        received_file=received,
        structure=structure,
        submitted_by=user,
        technical_account=technical_account,
        depositor_key=depositor_key,
        sha256=received.sha256,
        errors=errors or [],
        replaces=replaces,
    )
    flow.number = f"FLX{flow.created_at:%Y%m%d}{flow.pk:010d}"
    Flow.objects.filter(pk=flow.pk).update(number=flow.number)
    history_start(document=flow, actor=Actor.platform())
    return flow


def flow_receive(
    *,
    data: bytes | File,
    filename: str,
    channel: str,
    structure: Structure,
    user: User | None = None,
    technical_account: TechnicalAccount | None = None,
    syntax: str = "",
    replaces: Invoice | None = None,
) -> Receipt:
    """Stores a deposit and queues its processing; a byte-identical re-send gets the original.
    `replaces` is the rejected invoice the deposit corrects (see `Invoice.replaces`)."""
    from invoices.tasks import flow_process_task

    key = depositor_key(user=user, technical_account=technical_account)
    digest = sha256_of(data)
    existing = Flow.objects.filter(depositor_key=key, sha256=digest).first()
    if existing is not None:
        return Receipt(existing, created=False)
    received = None
    try:
        with transaction.atomic():
            received = received_file_store(data=data, filename=filename)
            flow = flow_create(
                received=received,
                channel=channel,
                syntax=syntax,
                structure=structure,
                user=user,
                technical_account=technical_account,
                depositor_key=key,
                replaces=replaces,
            )
            flow_status_change(flow, FlowStatus.EN_ATTENTE)
            transaction.on_commit(lambda: flow_process_task.delay(flow.pk))
    except BaseException as exc:
        if received is not None:
            received.file.delete(save=False)
        if not isinstance(exc, IntegrityError):
            raise
        # The same bytes from the same account arrived concurrently: answer with that flow.
        existing = Flow.objects.filter(depositor_key=key, sha256=digest).first()
        if existing is None:
            raise
        return Receipt(existing, created=False)
    return Receipt(flow, created=True)
