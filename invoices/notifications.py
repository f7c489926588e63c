"""Who is told of an invoice's change, by e-mail (chorus.notifications sends them).

- The supplier's users, when the invoice needs them or they wait for it: suspended (to
  complete), sent back (to recycle), rejected, paid. When the recipient does not report
  payment statuses, these e-mails say so.
- The recipient's agents who act for the invoice (its service's agents, the managers; see
  `invoices.workflow.acts_for_invoice`), when an invoice arrives (made available) or comes
  back completed.

The author of the change is not told of it. Queued after commit as a workflow follow-up.
"""

from django.conf import settings
from django.urls import reverse

from chorus.models import Membership, User
from chorus.notifications import notification_send, notifications_create
from chorus.workflow import Actor
from invoices.enums import InvoiceStatus
from invoices.models import InvoiceStatusChange
from invoices.workflow import INVOICE_WORKFLOW, acts_for_invoice
from rejections.models import Motive

S = InvoiceStatus
FOR_SUPPLIER = (S.SUSPENDUE, S.A_RECYCLER, S.REJETEE, S.MISE_EN_PAIEMENT)
FOR_AGENTS = (S.MISE_A_DISPOSITION, S.COMPLETEE)


@INVOICE_WORKFLOW.on_enter(*FOR_SUPPLIER, *FOR_AGENTS)
def _notify_after_change(change: InvoiceStatusChange) -> None:
    if change.source != change.target:  # acknowledging a rejection keeps the status: no news
        from invoices.tasks import invoice_change_notify_task

        invoice_change_notify_task.delay(change.pk)


def _agents(invoice) -> list[User]:
    memberships = Membership.objects.filter(
        structure_id=invoice.recipient_id, user__is_active=True
    ).select_related("user", "structure")
    return [m.user for m in memberships if acts_for_invoice(Actor.member(m), invoice)]


def _supplier_users(invoice) -> list[User]:
    return list(User.objects.filter(memberships__structure_id=invoice.supplier_id, is_active=True))


def invoice_change_notify(change_id: int) -> int:
    """Records the notifications of one change and sends those due at once; returns how many
    e-mails it sent. Run again, it sends nothing twice."""
    change = (
        InvoiceStatusChange.objects.select_related(
            "invoice__supplier", "invoice__recipient", "invoice__service"
        )
        .filter(pk=change_id)
        .first()
    )
    if change is None or change.source == change.target:
        return 0
    invoice = change.invoice
    if change.target in FOR_SUPPLIER:
        users, template = _supplier_users(invoice), "invoices/emails/supplier_change"
    elif change.target in FOR_AGENTS and invoice.recipient_id is not None:
        users, template = _agents(invoice), "invoices/emails/invoice_arrived"
    else:
        return 0
    motive = Motive.objects.filter(pk=change.motive).first() if change.motive else None
    notifications = notifications_create(
        change=change,
        users=[user for user in users if user.pk != change.actor_id],
        template=template,
        context={
            "invoice": invoice,
            "change": change,
            "motive": motive,  # its label is read in the e-mail's language
            "payment_not_reported": bool(
                invoice.recipient and invoice.recipient.payment_status_not_reported
            ),
            "link": settings.CHORUS_SITE_URL
            + reverse("invoices:invoice_detail", kwargs={"pk": invoice.pk}),
        },
    )
    return sum(notification_send(notification) for notification in notifications)
