"""Who is told of a mémoire's change, by e-mail (chorus.notifications sends them):

- the provider's users, on every change of status after the deposit;
- at the court, the agents who act for the mémoire when it arrives (deposited) or comes back
  completed, and the magistrates when it waits for their certification.

The author of the change is not told of it. Queued after commit as a workflow follow-up."""

from django.conf import settings
from django.urls import reverse

from chorus.models import Membership, User
from chorus.notifications import notification_send, notifications_create
from chorus.workflow import Actor
from justice_fees.enums import MemoireRole, MemoireStatus
from justice_fees.models import MemoireStatusChange
from justice_fees.workflow import MEMOIRE_WORKFLOW, memoire_roles
from rejections.models import Motive

FOR_PROVIDER = tuple(s for s in MemoireStatus.values if s != MemoireStatus.BROUILLON)
# Who at the court is told, by status: the role that acts next.
FOR_COURT = {
    MemoireStatus.DEPOSE: MemoireRole.AGENT,
    MemoireStatus.COMPLETE: MemoireRole.AGENT,
    MemoireStatus.A_CERTIFIER: MemoireRole.MAGISTRAT,
}


@MEMOIRE_WORKFLOW.on_enter(*FOR_PROVIDER)
def _notify_after_change(change: MemoireStatusChange) -> None:
    from justice_fees.tasks import memoire_change_notify_task

    memoire_change_notify_task.delay(change.pk)


def memoire_change_notify(change_id: int) -> int:
    """Records the notifications of one change and sends those due at once; returns how many
    e-mails it sent. Run again, it sends nothing twice."""
    change = (
        MemoireStatusChange.objects.select_related("memoire__provider", "memoire__juridiction")
        .filter(pk=change_id)
        .first()
    )
    if change is None or change.source == change.target:
        return 0
    memoire = change.memoire
    users = User.objects.filter(memberships__structure_id=memoire.provider_id, is_active=True)
    motive = Motive.objects.filter(pk=change.motive).first() if change.motive else None
    notifications = notifications_create(
        change=change,
        users=[user for user in users if user.pk != change.actor_id],
        template="justice_fees/emails/provider_change",
        context={
            "memoire": memoire,
            "change": change,
            "status": MemoireStatus(change.target).label,
            "motive": motive,
            "link": settings.CHORUS_SITE_URL
            + reverse("justice_fees:memoire_detail", kwargs={"pk": memoire.pk}),
        },
    )
    if change.target in FOR_COURT:
        notifications += notifications_create(
            change=change,
            users=[
                user
                for user in _court_users(memoire, FOR_COURT[change.target])
                if user.pk != change.actor_id
            ],
            template="justice_fees/emails/court_arrival",
            context={
                "memoire": memoire,
                "change": change,
                "status": MemoireStatus(change.target).label,
                "link": settings.CHORUS_SITE_URL
                + reverse("justice_fees:court_detail", kwargs={"pk": memoire.pk}),
            },
        )
    return sum(notification_send(notification) for notification in notifications)


def _court_users(memoire, role: str) -> list[User]:
    memberships = Membership.objects.filter(
        structure_id=memoire.juridiction_id, user__is_active=True
    ).select_related("user", "structure")
    return [m.user for m in memberships if role in memoire_roles(Actor.member(m), memoire)]
