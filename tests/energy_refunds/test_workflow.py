"""The request's workflow, tested from its table: every allowed move, every refused one."""

import itertools

import pytest

from chorus.workflow import SYSTEM, Actor, TransitionRefused, status_transition
from chorus.workflow.core import ATTACHMENT, MOTIVE
from energy_refunds.enums import RefundRole, RefundStatus
from energy_refunds.models import RefundStatusChange
from energy_refunds.workflow import REFUND_TRANSITIONS, REFUND_WORKFLOW
from tests.energy_refunds.factories import RefundRequestFactory

pytestmark = pytest.mark.django_db
MOTIVE_FOR = {"suspend": "TIC_PIECE_MANQUANTE", "reject": "TIC_NON_ELIGIBLE"}


def _request(world, status):
    return RefundRequestFactory(
        beneficiary=world.beneficiary, instructor=world.ddfip, status=status
    )


def _actor(world, role):
    return {
        RefundRole.BENEFICIAIRE: world.farm_actor,
        RefundRole.INSTRUCTEUR: world.instructor_actor,
        SYSTEM: Actor.platform(),
    }[role]


def _requirements(transition):
    details = {}
    if MOTIVE in transition.requires:
        details["motive"] = MOTIVE_FOR[transition.action]
    if ATTACHMENT in transition.requires:
        details["attachments"] = ["piece.pdf"]
    return details


ALLOWED = [(t, role) for t in REFUND_TRANSITIONS for role in sorted(t.roles)]


@pytest.mark.parametrize(
    "transition, role", ALLOWED, ids=[f"{t.source}->{t.target}-{r}" for t, r in ALLOWED]
)
def test_each_allowed_move_is_made_and_recorded(world, transition, role):
    request = _request(world, transition.source)

    change = status_transition(
        document=request,
        target=transition.target,
        actor=_actor(world, role),
        **_requirements(transition),
    )

    request.refresh_from_db()
    assert request.status == transition.target
    assert (change.source, change.target, change.action, change.actor_role) == (
        transition.source,
        transition.target,
        transition.action,
        role,
    )
    assert RefundStatusChange.objects.filter(request=request).count() == 1


WRONG_ROLE = [
    (t, role)
    for t in REFUND_TRANSITIONS
    for role in (RefundRole.BENEFICIAIRE, RefundRole.INSTRUCTEUR)
    if role not in t.roles
]


@pytest.mark.parametrize(
    "transition, role", WRONG_ROLE, ids=[f"{t.source}->{t.target}-{r}" for t, r in WRONG_ROLE]
)
def test_each_move_is_refused_to_the_other_role(world, transition, role):
    request = _request(world, transition.source)

    with pytest.raises(TransitionRefused) as refused:
        status_transition(
            document=request,
            target=transition.target,
            actor=_actor(world, role),
            **_requirements(transition),
        )

    assert refused.value.code == "wrong_role"
    request.refresh_from_db()
    assert request.status == transition.source


NOT_IN_TABLE = [
    (source, target)
    for source, target in itertools.product(RefundStatus.values, repeat=2)
    if REFUND_WORKFLOW.transition(source, target) is None
]


@pytest.mark.parametrize("source, target", NOT_IN_TABLE)
def test_every_move_outside_the_table_is_refused(world, source, target):
    request = _request(world, source)
    for role in (RefundRole.BENEFICIAIRE, RefundRole.INSTRUCTEUR):
        with pytest.raises(TransitionRefused) as refused:
            status_transition(
                document=request, target=target, actor=_actor(world, role), motive="TIC_HORS_DELAI"
            )
        assert refused.value.code == "wrong_status"


def test_another_ddfip_and_another_farm_are_no_party_to_the_request(world):
    request = _request(world, RefundStatus.DEPOSEE)
    for membership in (world.other_instructor, world.other_farmer):
        with pytest.raises(TransitionRefused) as refused:
            status_transition(
                document=request,
                target=RefundStatus.EN_COURS_INSTRUCTION,
                actor=Actor.member(membership),
            )
        assert refused.value.code == "not_party"


@pytest.mark.parametrize(
    "target, motive, code",
    [
        (RefundStatus.SUSPENDUE, "", "missing_motive"),
        (RefundStatus.REJETEE, "", "missing_motive"),
        # An invoice motive does not justify a refund decision, nor a suspension motive a rejection.
        (RefundStatus.REJETEE, "MONTANTTOTAL_ERR", "bad_motive"),
        (RefundStatus.REJETEE, "TIC_PIECE_MANQUANTE", "bad_motive"),
        (RefundStatus.SUSPENDUE, "TIC_NON_ELIGIBLE", "bad_motive"),
        # This motive asks for a comment.
        (RefundStatus.REJETEE, "TIC_USAGE_NON_AGRICOLE", "bad_motive"),
    ],
)
def test_suspension_and_rejection_need_a_coded_refund_motive(world, target, motive, code):
    request = _request(world, RefundStatus.EN_COURS_INSTRUCTION)

    with pytest.raises(TransitionRefused) as refused:
        status_transition(
            document=request, target=target, actor=world.instructor_actor, motive=motive
        )

    assert refused.value.code == code


def test_completing_needs_the_document(world):
    request = _request(world, RefundStatus.SUSPENDUE)

    with pytest.raises(TransitionRefused) as refused:
        status_transition(document=request, target=RefundStatus.COMPLETEE, actor=world.farm_actor)

    assert refused.value.code == "missing_attachment"
