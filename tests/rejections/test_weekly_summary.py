"""The weekly rejection summary e-mailed to public structures' managers (a Celery beat task)."""

import datetime

import pytest
from django.conf import settings
from django.core import mail

from chorus.enums import Role
from chorus.workflow import Actor
from invoices.models import InvoiceStatusChange
from invoices.services import invoice_reject, invoice_route, invoice_suspend
from rejections.models import WeeklySummary
from rejections.services import last_week, weekly_summaries_send
from rejections.tasks import weekly_summaries_task
from tests.chorus.factories import MembershipFactory, PublicStructureFactory, StructureFactory
from tests.invoices.factories import french_invoice, stored_invoice

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 30)  # the task's run: it reports on 23-29 November


def available(supplier, recipient, number):
    document = french_invoice(
        number=number,
        seller_siret=supplier.identifier,
        buyer_siret=recipient.identifier,
        service_code=None,
    )
    invoice = stored_invoice(supplier=supplier, recipient=recipient, document=document)
    invoice_route(invoice=invoice)
    invoice.refresh_from_db()
    return invoice


@pytest.fixture
def commune():
    return PublicStructureFactory(legal_name="Commune de Valmont")


@pytest.fixture
def manager(commune):
    return MembershipFactory(structure=commune, role=Role.GESTIONNAIRE_PRINCIPAL)


def last_weeks_returns(commune, manager):
    supplier = StructureFactory(legal_name="Menuiserie Durand")
    agent = Actor.member(manager)
    _monday, start, _end = last_week(MONDAY)
    rejected = available(supplier, commune, "FA-1")
    invoice_reject(invoice=rejected, actor=agent, motive="MONTANTTOTAL_ERR", comment="x")
    suspended = available(supplier, commune, "FA-2")
    invoice_suspend(invoice=suspended, actor=agent, motive="JUSTIF_ABS")
    during = start + datetime.timedelta(days=2)
    InvoiceStatusChange.objects.filter(invoice__in=[rejected, suspended]).update(at=during)
    type(rejected).objects.filter(pk__in=[rejected.pk, suspended.pk]).update(created_at=during)


def test_last_week_is_monday_to_sunday_before_today():
    monday, start, end = last_week(datetime.date(2026, 12, 2))
    assert monday == datetime.date(2026, 11, 23)
    assert (start.date(), end.date()) == (monday, datetime.date(2026, 11, 30))


def test_managers_get_last_weeks_figures_in_french_and_english(commune, manager):
    agent = MembershipFactory(structure=commune, role=Role.UTILISATEUR)
    last_weeks_returns(commune, manager)

    assert weekly_summaries_send(today=MONDAY) == 1

    (message,) = mail.outbox
    assert message.to == [manager.user.email]
    assert agent.user.email not in message.to
    assert "Rejets de la semaine – Commune de Valmont" in message.subject
    assert "Last week's rejections" in message.subject
    body = message.body
    assert "du 23/11/2026 au 29/11/2026" in body
    assert "- 2 factures reçues" in body and "- 1 facture rejetée" in body
    assert "- 1 facture suspendue" in body and "- 0 factures renvoyées pour recyclage" in body
    assert "Montant total erroné (MONTANTTOTAL_ERR) : 1" in body
    assert "- 1 invoice rejected" in body and "- Wrong total amount (MONTANTTOTAL_ERR): 1" in body
    assert settings.CHORUS_SITE_URL + "/statistiques/" in body


def test_the_summary_is_sent_once_a_week_and_not_for_a_quiet_week(commune, manager):
    quiet = PublicStructureFactory()
    MembershipFactory(structure=quiet, role=Role.GESTIONNAIRE_PRINCIPAL)
    last_weeks_returns(commune, manager)

    assert weekly_summaries_task.delay().get() == 1
    assert weekly_summaries_send(today=MONDAY) == 0  # already sent for that week

    assert len(mail.outbox) == 1
    assert list(WeeklySummary.objects.values_list("structure", "recipients")) == [(commune.pk, 1)]


def test_the_task_is_scheduled_every_monday():
    entry = settings.CELERY_BEAT_SCHEDULE["rejections-weekly-summary"]
    assert entry["task"] == weekly_summaries_task.name
    assert entry["schedule"].day_of_week == {1}
