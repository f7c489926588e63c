"""Who is told of a refund request's change, by e-mail (chorus.notifications sends them).

The beneficiary's users are told of every change of their request's status (the author of
the change excepted); the DDFiP's agents are told when a request arrives or comes back
completed. Queued after commit as a workflow follow-up.
"""

from django.conf import settings
from django.urls import reverse

from chorus.models import User
from chorus.notifications import notification_send, notifications_create
from energy_refunds.enums import RefundStatus
from energy_refunds.models import RefundStatusChange
from energy_refunds.workflow import REFUND_WORKFLOW
from rejections.models import Motive

S = RefundStatus
FOR_INSTRUCTOR = (S.DEPOSEE, S.COMPLETEE)


@REFUND_WORKFLOW.on_enter(*[s for s in S.values if s != S.BROUILLON])
def _notify_after_change(change: RefundStatusChange) -> None:
    from energy_refunds.tasks import refund_change_notify_task

    refund_change_notify_task.delay(change.pk)


def _users_of(structure_id: int) -> list[User]:
    return list(User.objects.filter(memberships__structure_id=structure_id, is_active=True))


def refund_change_notify(change_id: int) -> int:
    """Records the notifications of one change and sends those due at once; returns how many
    e-mails it sent. Run again, it sends nothing twice."""
    change = (
        RefundStatusChange.objects.select_related(
            "request__beneficiary__structure", "request__instructor"
        )
        .filter(pk=change_id)
        .first()
    )
    if change is None or change.source == change.target:
        return 0
    request = change.request
    motive = Motive.objects.filter(pk=change.motive).first() if change.motive else None
    sent = 0
    audiences = [
        (
            _users_of(request.beneficiary.structure_id),
            "energy_refunds/emails/beneficiary_change",
            reverse("energy_refunds:request_detail", kwargs={"pk": request.pk}),
        )
    ]
    if change.target in FOR_INSTRUCTOR and request.instructor_id:
        audiences.append(
            (
                _users_of(request.instructor_id),
                "energy_refunds/emails/request_arrived",
                reverse("energy_refunds:instruction_detail", kwargs={"pk": request.pk}),
            )
        )
    for users, template, path in audiences:
        notifications = notifications_create(
            change=change,
            users=[user for user in users if user.pk != change.actor_id],
            template=template,
            context={
                "request": request,
                "change": change,
                "status": RefundStatus(change.target).label,  # read in the e-mail's language
                "motive": motive,
                "link": settings.CHORUS_SITE_URL + path,
            },
        )
        sent += sum(notification_send(notification) for notification in notifications)
    return sent
