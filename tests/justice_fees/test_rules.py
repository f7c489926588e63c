"""The platform's rules on mémoires, each one alone, then as the deposit applies them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from chorus.enums import PublicKind
from chorus.workflow import Actor
from justice_fees import rules, services
from justice_fees.enums import MemoireStatus
from justice_fees.models import Memoire
from tests.chorus.factories import PublicStructureFactory
from tests.justice_fees.factories import at_status, court, draft, interpreter

pytestmark = pytest.mark.django_db


def test_forclusion_counts_one_year_from_the_end_of_the_mission():
    end = datetime.date(2025, 3, 14)
    assert rules.forclusion_error(mission_end=end, started_on=datetime.date(2026, 3, 14)) is None
    message = rules.forclusion_error(mission_end=end, started_on=datetime.date(2026, 3, 15))
    assert "article 800 du code de procédure pénale" in message
    assert "14/03/2026" in message


def test_forclusion_of_a_mission_ended_on_29_february():
    assert rules.forclusion_deadline(datetime.date(2024, 2, 29)) == datetime.date(2025, 2, 28)


def test_a_forclosed_memoire_cannot_even_be_started():
    juridiction, service = court()
    provider, _member = interpreter()
    late = timezone.localdate() - datetime.timedelta(days=400)
    with pytest.raises(ValidationError) as refused:
        draft(provider=provider, juridiction=juridiction, mission_end=late)
    assert "article 800" in " ".join(refused.value.message_dict["mission_end_date"])
    assert not Memoire.objects.exists()


def test_a_draft_started_in_time_is_deposited_after_the_year():
    """The clock stops once the entry has started (Chorus Pro's FAQ)."""
    juridiction, service = court()
    provider, member = interpreter()
    end = timezone.localdate() - datetime.timedelta(days=360)
    memoire = draft(provider=provider, juridiction=juridiction, mission_end=end)
    Memoire.objects.filter(pk=memoire.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=20)
    )
    memoire.refresh_from_db()
    services.memoire_deposit(memoire=memoire, actor=Actor.member(member))
    memoire.refresh_from_db()
    assert memoire.status == MemoireStatus.DEPOSE


def test_a_draft_started_after_the_year_is_refused_at_deposit():
    juridiction, service = court()
    provider, member = interpreter()
    memoire = draft(provider=provider, juridiction=juridiction)
    Memoire.objects.filter(pk=memoire.pk).update(
        mission_end_date=timezone.localdate() - datetime.timedelta(days=500),
        decision_date=timezone.localdate() - datetime.timedelta(days=510),
    )
    memoire.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.memoire_deposit(memoire=memoire, actor=Actor.member(member))
    assert "article 800" in refused.value.message_dict["mission_end_date"][0]
    memoire.refresh_from_db()
    assert memoire.status == MemoireStatus.BROUILLON


def test_a_new_account_deposits_50_memoires_until_one_is_processed(monkeypatch):
    juridiction, service = court()
    provider, member = interpreter()
    monkeypatch.setattr(rules, "NEW_ACCOUNT_LIMIT", 3)
    deposited = [
        draft(provider=provider, juridiction=juridiction, number=f"M-{n}") for n in range(3)
    ]
    for memoire in deposited:
        at_status(memoire, MemoireStatus.DEPOSE)
    assert "restreint" in rules.new_account_limit_error(provider)
    one_more = draft(provider=provider, juridiction=juridiction, number="M-4")
    with pytest.raises(ValidationError) as refused:
        services.memoire_deposit(memoire=one_more, actor=Actor.member(member))
    assert "restreint" in refused.value.message_dict["provider"][0]
    # Once one is certified the account is no longer restricted.
    at_status(deposited[0], MemoireStatus.CERTIFIE)
    assert rules.new_account_limit_error(provider) is None
    services.memoire_deposit(memoire=one_more, actor=Actor.member(member))


def test_the_limit_is_50():
    assert rules.NEW_ACCOUNT_LIMIT == 50


def test_no_duplicate_number_for_the_same_provider():
    juridiction, service = court()
    provider, _member = interpreter()
    other, _other_member = interpreter(legal_name="Jean Expert")
    draft(provider=provider, juridiction=juridiction, number="MJ-7")
    with pytest.raises(ValidationError) as refused:
        draft(provider=provider, juridiction=juridiction, number="MJ-7")
    assert "MJ-7-bis" in refused.value.message_dict["number"][0]
    # Another provider may use the same number.
    draft(provider=other, juridiction=juridiction, number="MJ-7")


def test_the_juridiction_must_be_a_known_active_juridiction():
    assert "annuaire" in rules.juridiction_error(None)
    commune = PublicStructureFactory(kind=PublicKind.COLLECTIVITE, legal_name="Commune de Valmont")
    assert "n'est pas une juridiction" in rules.juridiction_error(commune)
    juridiction, _service = court(active=False)
    assert "n'est plus active" in rules.juridiction_error(juridiction)
    provider, _member = interpreter()
    with pytest.raises(ValidationError) as refused:
        draft(provider=provider, juridiction=commune)
    assert "juridiction" in refused.value.message_dict


def test_a_juridiction_closed_after_the_draft_refuses_the_deposit():
    juridiction, service = court()
    provider, member = interpreter()
    memoire = draft(provider=provider, juridiction=juridiction, service=service)
    type(juridiction).objects.filter(pk=juridiction.pk).update(active=False)
    memoire.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.memoire_deposit(memoire=memoire, actor=Actor.member(member))
    assert "juridiction" in refused.value.message_dict


def test_the_designating_decision_is_mandatory():
    juridiction, service = court()
    provider, member = interpreter()
    memoire = draft(provider=provider, juridiction=juridiction, decision=False)
    with pytest.raises(ValidationError) as refused:
        services.memoire_deposit(memoire=memoire, actor=Actor.member(member))
    assert "décision de désignation" in refused.value.message_dict["attachments"][0]


def test_a_memoire_needs_a_line():
    juridiction, service = court()
    provider, member = interpreter()
    memoire = draft(provider=provider, juridiction=juridiction, lines=False)
    with pytest.raises(ValidationError) as refused:
        services.memoire_deposit(memoire=memoire, actor=Actor.member(member))
    assert "lines" in refused.value.message_dict


def test_the_mission_ends_after_its_decision_and_not_in_the_future():
    today = datetime.date(2026, 5, 1)
    assert rules.mission_dates_error(decision_date=today, mission_end=today, today=today) is None
    assert "futur" in rules.mission_dates_error(
        decision_date=today, mission_end=datetime.date(2026, 5, 2), today=today
    )
    assert "avant la décision" in rules.mission_dates_error(
        decision_date=today, mission_end=datetime.date(2026, 4, 30), today=today
    )
