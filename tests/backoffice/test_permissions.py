"""Every page and action of the back office: signed-out visitors are sent to sign in,
suppliers are refused (403), an agent reaches only the invoices of their services (404
otherwise)."""

import pytest
from django.urls import reverse

from invoices.channels.backoffice import bulk
from tests.backoffice.conftest import available, logged_in
from tests.chorus.factories import EngagementJuridiqueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agent, works, school, supplier):
    own = available(supplier=supplier, service=works)
    other = available(supplier=supplier, service=school)
    operation = bulk.bulk_operation_create(membership=agent, action="certify", invoice_ids=[own.pk])
    engagement = EngagementJuridiqueFactory(structure=works.structure, service=works)
    return {"own": own, "other": other, "operation": operation, "engagement": engagement}


def every_url(world, agent, works):
    """(method, url) of every back-office page and action, on objects of the agent's structure."""
    own, operation = world["own"], world["operation"]
    return [
        ("get", reverse("reception:invoice_list")),
        ("get", reverse("reception:dashboard")),
        ("get", reverse("reception:invoice_export")),
        ("get", reverse("reception:invoice_detail", args=[own.pk])),
        ("get", reverse("reception:invoice_history_export", args=[own.pk])),
        ("get", reverse("reception:invoice_document", args=[own.pk])),
        ("get", reverse("reception:invoice_file", args=[own.pk])),
        ("post", reverse("reception:invoice_process", args=[own.pk, "SERVICE_FAIT"])),
        ("post", reverse("reception:invoice_dispute", args=[own.pk])),
        ("post", reverse("reception:bulk_create")),
        ("get", reverse("reception:bulk_operations")),
        ("get", reverse("reception:bulk_operation", args=[operation.pk])),
        ("get", reverse("reception:bulk_operation_progress", args=[operation.pk])),
        ("get", reverse("reception:agents")),
        ("get", reverse("reception:agent_invite")),
        ("get", reverse("reception:agent", args=[agent.pk])),
        ("post", reverse("reception:agent_remove", args=[agent.pk])),
        ("get", reverse("reception:services")),
        ("get", reverse("reception:service", args=[works.pk])),
        ("get", reverse("reception:engagements")),
        ("get", reverse("reception:engagement", args=[world["engagement"].pk])),
    ]


def test_a_supplier_never_sees_the_back_office(client, world, agent, works, seller):
    client = logged_in(client, seller)
    for method, url in every_url(world, agent, works):
        assert getattr(client, method)(url).status_code == 403, url


def test_a_visitor_is_sent_to_sign_in(client, world, agent, works):
    for method, url in every_url(world, agent, works):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"], url


def test_an_agent_reaches_only_the_invoices_of_their_services(client, world, agent):
    other = world["other"]
    client = logged_in(client, agent)

    for name in ("invoice_detail", "invoice_history_export", "invoice_document", "invoice_file"):
        assert client.get(reverse(f"reception:{name}", args=[other.pk])).status_code == 404, name
    assert (
        client.get(reverse("reception:invoice_detail", args=[world["own"].pk])).status_code == 200
    )
    listed = client.get(reverse("reception:invoice_list")).context["page_obj"]
    assert [i.pk for i in listed] == [world["own"].pk]
