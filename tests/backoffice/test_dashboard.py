"""The reception dashboard: arrivals, what waits (oldest first), the payment delay so far
against the legal 30 days, the suspended invoices; an agent's within their services."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chorus.workflow import Actor
from invoices.channels.backoffice.dashboard import reception_dashboard
from invoices.models import Invoice
from invoices.services import invoice_certify, invoice_suspend
from tests.backoffice.conftest import available, logged_in

pytestmark = pytest.mark.django_db

URL = reverse("reception:dashboard")


def aged(invoice, *, deposited_days: int, status_days: int | None = None):
    now = timezone.now()
    Invoice.objects.filter(pk=invoice.pk).update(
        created_at=now - datetime.timedelta(days=deposited_days, hours=1),
        status_at=now
        - datetime.timedelta(
            days=status_days if status_days is not None else deposited_days, hours=1
        ),
    )
    invoice.refresh_from_db()
    return invoice


def test_the_figures_of_an_agent(agent, works, school, supplier):
    actor = Actor.member(agent)
    today = available(supplier=supplier, service=works)
    old = aged(available(supplier=supplier, service=works), deposited_days=40)
    older = aged(available(supplier=supplier, service=works), deposited_days=50)
    suspended = available(supplier=supplier, service=works)
    invoice_suspend(invoice=suspended, actor=actor, motive="JUSTIF_ABS")
    aged(suspended, deposited_days=12, status_days=9)
    certified = available(supplier=supplier, service=works)
    invoice_certify(invoice=certified, actor=actor)
    aged(certified, deposited_days=20, status_days=2)
    aged(available(supplier=supplier, service=school), deposited_days=0)  # not theirs

    dashboard = reception_dashboard(agent)

    assert dashboard.arrived_today == 1
    assert dashboard.to_process == 3
    assert [i.pk for i in dashboard.oldest_to_process] == [older.pk, old.pk, today.pk]
    assert [i.days for i in dashboard.oldest_to_process] == [50, 40, 0]
    assert dashboard.age_chart.series[0].values == [1, 0, 0, 2]
    assert dashboard.suspended == 1
    assert [(i.pk, i.days) for i in dashboard.oldest_suspended] == [(suspended.pk, 9)]
    assert (dashboard.unpaid, dashboard.unpaid_late) == (5, 2)
    chart = dashboard.delay_chart
    assert chart.labels == ["TRAVAUX"]
    assert chart.reference.value == 30
    mean, longest = (series.values[0] for series in chart.series)
    assert longest == 50
    assert mean == (0 + 40 + 50 + 12 + 20) // 5


def test_a_manager_sees_the_whole_structure_by_service(manager, works, school, supplier):
    available(supplier=supplier, service=works)
    aged(available(supplier=supplier, service=school), deposited_days=35)
    aged(available(supplier=supplier, service=school), deposited_days=5)

    dashboard = reception_dashboard(manager)

    assert dashboard.to_process == 3
    chart = dashboard.delay_chart
    assert chart.labels == ["ECOLES", "TRAVAUX"]
    assert [series.values for series in chart.series] == [[20, 0], [35, 0]]


def test_the_page_shows_the_figures_and_links_the_oldest(client, agent, works, supplier):
    old = aged(available(supplier=supplier, service=works), deposited_days=40)

    page = logged_in(client, agent).get(URL)

    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("reception:invoice_detail", args=[old.pk]) in html
    assert "Délai légal : 30 jours" in html
    assert "1 a dépassé le délai légal de 30 jours." in html


def test_the_dashboard_is_for_agents_only(client, seller):
    assert logged_in(client, seller).get(URL).status_code == 403
    assert client.logout() is None and client.get(URL).status_code == 302


def test_the_demo_world_shows_the_dashboard_and_a_finished_bulk_operation(client):
    from django.core.management import call_command

    from chorus.models import Membership
    from invoices.channels.backoffice.models import BulkOperation, BulkStatus

    call_command("seed_demo")
    call_command("seed_demo")  # idempotent: one operation, invoices dated once

    operation = BulkOperation.objects.get()
    assert (operation.status, operation.done, operation.refused_count) == (
        BulkStatus.TERMINEE,
        3,
        1,
    )
    assert operation.refusals.get().number == "FA-2026-0102"
    hugo = Membership.objects.get(user__email="hugo.petit@montresor-sur-indre.example")
    dashboard = reception_dashboard(hugo)
    assert dashboard.arrived_today >= 1
    assert [i.number for i in dashboard.oldest_to_process][:2] == ["FA-2026-0114", "FA-2026-0113"]
    assert dashboard.oldest_to_process[0].days >= 37
    assert dashboard.unpaid_late >= 2
    assert dashboard.suspended == 1
    page = logged_in(client, hugo).get(reverse("reception:bulk_operation", args=[operation.pk]))
    assert "3 factures traitées" in page.content.decode()


def test_the_back_office_pages_speak_english_when_asked(client, manager, works, supplier):
    from django.conf import settings

    aged(available(supplier=supplier, service=works), deposited_days=10)
    client = logged_in(client, manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    dashboard = client.get(URL).content.decode()
    inbox = client.get(reverse("reception:invoice_list")).content.decode()
    agents = client.get(reverse("reception:agents")).content.decode()

    assert "Reception dashboard" in dashboard
    assert "Legal limit: 30 days" in dashboard
    assert "Apply to the ticked invoices" in inbox and "Export the search (CSV)" in inbox
    assert "Invite an agent" in agents
