"""The demo world's invoices: deposited through the real channels and pipeline, then carried
through the lifecycle by the demo users, so that every page of both sides shows real data.

Idempotent: an invoice already deposited (same supplier, number and year) is left as it is.
Tasks run inline for the time of the seed (Celery eager), so it needs no worker and leaves
no message behind in a real broker; follow-ups run too (EDI deliveries, notifications).
"""

import contextlib
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.test.utils import override_settings
from django.utils import timezone

from chorus.celery import app as celery_app
from chorus.models import Membership, Structure, TechnicalAccount, User
from chorus.workflow import Actor, status_transition
from invoices import canonical as c
from invoices.enums import DepositChannel, FlowSyntax, InvoiceStatus
from invoices.formats import write_cii, write_ubl
from invoices.formats.facturx import write_facturx
from invoices.ingestion.pipeline import flow_process_inline
from invoices.ingestion.receive import flow_receive
from invoices.keyed import KeyedInvoice, bank_transfer, keyed_to_canonical
from invoices.models import Invoice
from invoices.samples import PAYMENT_TERMS
from invoices.totals import line_net_amount

S = InvoiceStatus


@dataclass(frozen=True)
class Move:
    """One step of a demo invoice's life: who (an e-mail, or a technical login) moves it where."""

    by: str
    target: str
    motive: str = ""
    comment: str = ""
    mandate_number: str = ""


@dataclass(frozen=True)
class DemoInvoice:
    number: str
    supplier: str  # SIRET
    recipient: str  # SIRET
    service_code: str
    engagement: str
    lines: tuple  # (name, quantity, unit, unit price, VAT rate)
    channel: str = DepositChannel.PORTAIL
    depositor: str = ""  # e-mail (portal) or technical login (API, EDI)
    days_ago: int = 10
    moves: tuple[Move, ...] = field(default_factory=tuple)
    replaces: str = ""  # the number of the supplier's rejected invoice this one corrects


def _line(index: int, name: str, quantity: str, unit: str, price: str, rate: str) -> c.Line:
    line_price = c.Price(net_price=Decimal(price))
    rate_value = Decimal(rate)
    return c.Line(
        id=str(index),
        quantity=Decimal(quantity),
        unit_code=unit,
        net_amount=line_net_amount(quantity=Decimal(quantity), price=line_price),
        price=line_price,
        vat_category_code="S" if rate_value else "Z",
        vat_rate=rate_value,
        item=c.Item(name=name),
    )


def _document(
    spec: DemoInvoice, supplier: Structure, recipient: Structure, replaces: Invoice | None
) -> c.Invoice:
    """The demo invoice's document; a correction names the rejected invoice as its preceding
    invoice (BT-25, BT-26), as "corriger et renvoyer" writes it."""
    issue_date = timezone.localdate() - datetime.timedelta(days=spec.days_ago)
    account = supplier.bank_accounts.filter(active=True).first()
    return keyed_to_canonical(
        KeyedInvoice(
            supplier=supplier,
            recipient=recipient,
            number=spec.number,
            issue_date=issue_date,
            type_code=c.TYPE_INVOICE,
            lines=[_line(index, *line) for index, line in enumerate(spec.lines, start=1)],
            service_code=spec.service_code,
            engagement=spec.engagement,
            preceding_number=replaces.number if replaces else "",
            preceding_date=replaces.issue_date if replaces else None,
            due_date=issue_date + datetime.timedelta(days=30),
            payment=bank_transfer(account, remittance=spec.number) if account else None,
            payment_terms=PAYMENT_TERMS,
        )
    )


def _actor(who: str, structure: Structure) -> Actor:
    """A demo user acting on the portal for the structure, or a technical account (API)."""
    account = TechnicalAccount.objects.filter(login=who).first()
    if account is not None:
        return Actor.account(account)
    return Actor.member(
        Membership.objects.select_related("user", "structure").get(
            user__email=who, structure=structure
        )
    )


def _deposit(spec: DemoInvoice) -> Invoice:
    supplier = Structure.objects.get(identifier=spec.supplier)
    recipient = Structure.objects.get(identifier=spec.recipient)
    replaces = (
        Invoice.objects.filter(supplier=supplier, number=spec.replaces).first()
        if spec.replaces
        else None
    )
    document = _document(spec, supplier, recipient, replaces)
    if spec.channel == DepositChannel.PORTAIL:
        data, syntax, name = write_facturx(document), FlowSyntax.FACTURX, f"{spec.number}.pdf"
        depositor = {"user": User.objects.get(email=spec.depositor)}
    else:
        writer, syntax = (
            (write_cii, FlowSyntax.CII)
            if spec.channel == DepositChannel.API
            else (write_ubl, FlowSyntax.UBL)
        )
        data, name = writer(document), f"{spec.number}.xml"
        depositor = {"technical_account": TechnicalAccount.objects.get(login=spec.depositor)}
        # By API or EDI, the link comes from the document's BT-25 alone.
        replaces = None
    receipt = flow_receive(
        data=data,
        filename=name,
        channel=spec.channel,
        structure=supplier,
        syntax=syntax,
        replaces=replaces,
        **depositor,
    )
    flow_process_inline(receipt.flow.pk)
    item = receipt.flow.items.select_related("invoice").get()
    if item.invoice is None:
        raise RuntimeError(f"demo invoice {spec.number} refused: {item.findings}")
    return item.invoice


def _live(spec: DemoInvoice) -> None:
    invoice = _deposit(spec)
    for move in spec.moves:
        side = invoice.supplier if move.target in (S.COMPLETEE, S.DEPOSEE) else invoice.recipient
        if move.target == S.REJETEE and invoice.status == S.REJETEE:
            side = invoice.supplier  # acknowledging the rejection
        details = {"mandate_number": move.mandate_number} if move.mandate_number else {}
        status_transition(
            document=invoice,
            target=move.target,
            actor=_actor(move.by, side),
            motive=move.motive,
            comment=move.comment,
            **details,
        )


@contextlib.contextmanager
def tasks_inline():
    """Tasks run in this process; the notifications they send to the demo's fictitious
    addresses stay in memory (the console backend would mix them into `seed_demo --json`)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            yield
    finally:
        celery_app.conf.task_always_eager = previous


def demo_invoices_seed(invoices: list[DemoInvoice]) -> None:
    """Deposits and moves the demo invoices not yet there; each deposit is processed at once."""
    with tasks_inline():
        for spec in invoices:
            if not Invoice.objects.filter(
                supplier__identifier=spec.supplier, number=spec.number
            ).exists():
                _live(spec)
