"""The mémoire's table, tested move by move (generated from it): every allowed move by the
role it names, and every move refused for the wrong role, the wrong status, a missing
requirement or another structure."""

import pytest

from chorus.workflow import Actor, TransitionRefused, available_transitions, status_transition
from chorus.workflow.core import ATTACHMENT, MOTIVE, SYSTEM
from justice_fees.enums import MemoireRole, MemoireStatus
from justice_fees.workflow import MEMOIRE_TRANSITIONS, MEMOIRE_WORKFLOW
from tests.chorus.factories import MembershipFactory, StructureFactory, TechnicalAccountFactory
from tests.justice_fees.factories import (
    agent_of,
    at_status,
    court,
    court_member,
    draft,
    interpreter,
    magistrate_of,
)

pytestmark = pytest.mark.django_db

MOTIVE_OF = {"suspend": "FJ_PIECE_ABS", "reject": "FJ_FORCLUSION"}


@pytest.fixture
def parties():
    juridiction, service = court()
    provider, member = interpreter()
    other_court, _other_service = court(legal_name="Cour d'appel de Valmont")
    return {
        "memoire": draft(provider=provider, juridiction=juridiction, service=service),
        MemoireRole.PRESTATAIRE: Actor.member(member),
        MemoireRole.AGENT: Actor.member(agent_of(juridiction)),
        MemoireRole.MAGISTRAT: Actor.member(magistrate_of(juridiction)),
        SYSTEM: Actor.platform(),
        "plain_member": Actor.member(court_member(juridiction)),
        "service_agent": Actor.member(court_member(juridiction, services=[service])),
        "court_account": Actor.account(TechnicalAccountFactory(structure=juridiction)),
        "other_court_agent": Actor.member(agent_of(other_court)),
        "stranger": Actor.member(MembershipFactory(structure=StructureFactory())),
    }


def _requirements(transition):
    needs = {}
    if MOTIVE in transition.requires:
        needs["motive"] = MOTIVE_OF[transition.action]
    if ATTACHMENT in transition.requires:
        needs["attachments"] = ["attestation.pdf"]
    return needs


def _name(transition):
    return f"{transition.source}-{transition.action}-{transition.target}"


@pytest.mark.parametrize("transition", MEMOIRE_TRANSITIONS, ids=_name)
def test_each_allowed_move(transition, parties):
    memoire = at_status(parties["memoire"], transition.source)
    role = sorted(transition.roles)[0]
    change = status_transition(
        document=memoire, target=transition.target, actor=parties[role], **_requirements(transition)
    )
    memoire.refresh_from_db()
    assert memoire.status == transition.target
    assert (change.source, change.target, change.action) == (
        transition.source,
        transition.target,
        transition.action,
    )
    assert change.actor_role == role


def _refusals():
    roles = [MemoireRole.PRESTATAIRE, MemoireRole.AGENT, MemoireRole.MAGISTRAT]
    for transition in MEMOIRE_TRANSITIONS:
        for role in roles:
            if role not in transition.roles:
                yield pytest.param(transition, role, id=f"{_name(transition)}-by-{role}")


@pytest.mark.parametrize(("transition", "role"), list(_refusals()))
def test_each_move_refused_to_the_other_roles(transition, role, parties):
    memoire = at_status(parties["memoire"], transition.source)
    with pytest.raises(TransitionRefused) as refused:
        status_transition(
            document=memoire,
            target=transition.target,
            actor=parties[role],
            **_requirements(transition),
        )
    assert refused.value.code == "wrong_role"
    memoire.refresh_from_db()
    assert memoire.status == transition.source
    assert not memoire.history.filter(target=transition.target, source=transition.source).exists()


def _wrong_sources():
    pairs = {(t.source, t.target) for t in MEMOIRE_TRANSITIONS}
    for status in MemoireStatus.values:
        for target in MemoireStatus.values:
            if (status, target) not in pairs and status != target:
                yield pytest.param(status, target, id=f"{status}-to-{target}")


@pytest.mark.parametrize(("source", "target"), list(_wrong_sources()))
def test_each_move_missing_from_the_table_is_refused(source, target, parties):
    memoire = at_status(parties["memoire"], source)
    for role in (MemoireRole.PRESTATAIRE, MemoireRole.AGENT, MemoireRole.MAGISTRAT):
        with pytest.raises(TransitionRefused) as refused:
            status_transition(
                document=memoire, target=target, actor=parties[role], motive="FJ_AUTRE", comment="x"
            )
        assert refused.value.code == "wrong_status"
    memoire.refresh_from_db()
    assert memoire.status == source


@pytest.mark.parametrize("transition", [t for t in MEMOIRE_TRANSITIONS if t.requires], ids=_name)
def test_each_requirement_is_enforced(transition, parties):
    memoire = at_status(parties["memoire"], transition.source)
    role = sorted(transition.roles)[0]
    with pytest.raises(TransitionRefused) as refused:
        status_transition(document=memoire, target=transition.target, actor=parties[role])
    assert refused.value.code in {"missing_motive", "missing_attachment"}


@pytest.mark.parametrize(
    "transition", [t for t in MEMOIRE_TRANSITIONS if MOTIVE in t.requires], ids=_name
)
def test_a_motive_must_fit_the_action_on_a_memoire(transition, parties):
    memoire = at_status(parties["memoire"], transition.source)
    role = sorted(transition.roles)[0]
    # An invoice's motive does not justify a court's move on a mémoire.
    with pytest.raises(TransitionRefused) as refused:
        status_transition(
            document=memoire, target=transition.target, actor=parties[role], motive="JUSTIF_ABS"
        )
    assert refused.value.code == "bad_motive"


@pytest.mark.parametrize("transition", MEMOIRE_TRANSITIONS, ids=_name)
def test_another_structure_is_no_party(transition, parties):
    memoire = at_status(parties["memoire"], transition.source)
    for who in ("other_court_agent", "stranger"):
        with pytest.raises(TransitionRefused) as refused:
            status_transition(
                document=memoire,
                target=transition.target,
                actor=parties[who],
                **_requirements(transition),
            )
        assert refused.value.code == "not_party"


def test_who_holds_which_role(parties):
    memoire = parties["memoire"]
    roles = MEMOIRE_WORKFLOW.roles_of
    assert roles(parties[MemoireRole.PRESTATAIRE], memoire) == {MemoireRole.PRESTATAIRE}
    assert roles(parties[MemoireRole.AGENT], memoire) == {MemoireRole.AGENT}
    assert roles(parties[MemoireRole.MAGISTRAT], memoire) == {MemoireRole.MAGISTRAT}
    # A member of the court without a role acts as agent only for the services they handle.
    assert roles(parties["plain_member"], memoire) == set()
    assert roles(parties["service_agent"], memoire) == {MemoireRole.AGENT}
    # The court's software acts as agent, never as magistrate.
    assert roles(parties["court_account"], memoire) == {MemoireRole.AGENT}


def test_available_moves_drive_the_buttons(parties):
    memoire = at_status(parties["memoire"], MemoireStatus.A_CERTIFIER)
    magistrate = {
        t.target
        for t in available_transitions(document=memoire, actor=parties[MemoireRole.MAGISTRAT])
    }
    agent = {
        t.target for t in available_transitions(document=memoire, actor=parties[MemoireRole.AGENT])
    }
    assert magistrate == {MemoireStatus.CERTIFIE, MemoireStatus.SUSPENDU, MemoireStatus.REJETE}
    assert agent == set()


def test_two_concurrent_moves_one_wins(parties):
    memoire = at_status(parties["memoire"], MemoireStatus.DEPOSE)
    stale = type(memoire).objects.get(pk=memoire.pk)
    status_transition(
        document=memoire,
        target=MemoireStatus.EN_COURS_DE_TRAITEMENT,
        actor=parties[MemoireRole.AGENT],
    )
    with pytest.raises(TransitionRefused) as refused:
        status_transition(
            document=stale,
            target=MemoireStatus.REJETE,
            actor=parties[MemoireRole.AGENT],
            motive="FJ_DOUBLON",
        )
    assert refused.value.code == "concurrent"
