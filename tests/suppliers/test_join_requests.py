"""Managers decide join requests: approval gives a role, refusal e-mails the reason."""

import pytest
from django.core import mail
from django.urls import reverse

from chorus.enums import Role
from chorus.models import Membership
from suppliers.enums import JoinRequestStatus
from tests.chorus.factories import MembershipFactory, UserFactory
from tests.suppliers.factories import JoinRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def principal():
    return MembershipFactory(role=Role.GESTIONNAIRE_PRINCIPAL)


def detail_url(join_request):
    return reverse("suppliers:join_request_detail", args=[join_request.pk])


def test_managers_see_pending_requests_on_dashboard_and_list(client, principal):
    join_request = JoinRequestFactory(structure=principal.structure)
    client.force_login(principal.user)

    dashboard = client.get(reverse("suppliers:dashboard")).content.decode()
    listing = client.get(reverse("suppliers:join_requests")).content.decode()

    assert join_request.user.email in dashboard
    assert detail_url(join_request) in listing


def test_approval_creates_the_membership_with_the_chosen_role_and_tells_the_requester(
    client, principal, django_capture_on_commit_callbacks
):
    join_request = JoinRequestFactory(structure=principal.structure)
    client.force_login(principal.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            detail_url(join_request),
            {"decision": "approve", "role": Role.GESTIONNAIRE_SECONDAIRE},
        )

    assert response.status_code == 302
    membership = Membership.objects.get(user=join_request.user, structure=principal.structure)
    assert membership.role == Role.GESTIONNAIRE_SECONDAIRE
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.ACCEPTEE
    assert join_request.decided_by == principal.user
    assert join_request.decided_at is not None
    assert mail.outbox[-1].to == [join_request.user.email]
    assert "accepté" in mail.outbox[-1].subject


def test_refusal_emails_the_reason_and_creates_no_membership(
    client, principal, django_capture_on_commit_callbacks
):
    join_request = JoinRequestFactory(structure=principal.structure)
    client.force_login(principal.user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            detail_url(join_request),
            {"decision": "refuse", "message": "Nous ne vous connaissons pas."},
        )

    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.REFUSEE
    assert join_request.message == "Nous ne vous connaissons pas."
    assert not Membership.objects.filter(user=join_request.user).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [join_request.user.email]
    assert "refusée" in mail.outbox[0].subject
    assert "Nous ne vous connaissons pas." in mail.outbox[0].body


def test_a_decided_request_cannot_be_decided_again(client, principal):
    join_request = JoinRequestFactory(
        structure=principal.structure, status=JoinRequestStatus.REFUSEE
    )
    client.force_login(principal.user)

    response = client.post(
        detail_url(join_request), {"decision": "approve", "role": Role.UTILISATEUR}, follow=True
    )

    assert "déjà été traitée" in response.content.decode()
    assert not Membership.objects.filter(user=join_request.user).exists()


def test_secondary_manager_may_approve_but_not_as_principal(client, principal):
    secondary = MembershipFactory(structure=principal.structure, role=Role.GESTIONNAIRE_SECONDAIRE)
    join_request = JoinRequestFactory(structure=principal.structure)
    client.force_login(secondary.user)

    refused = client.post(
        detail_url(join_request), {"decision": "approve", "role": Role.GESTIONNAIRE_PRINCIPAL}
    )
    assert refused.status_code == 200
    assert refused.context["approve_form"].errors["role"]
    assert not Membership.objects.filter(user=join_request.user).exists()

    client.post(detail_url(join_request), {"decision": "approve", "role": Role.UTILISATEUR})
    assert Membership.objects.get(user=join_request.user).role == Role.UTILISATEUR


def test_plain_user_cannot_see_or_decide_requests(client, principal):
    plain = MembershipFactory(structure=principal.structure, role=Role.UTILISATEUR)
    join_request = JoinRequestFactory(structure=principal.structure)
    client.force_login(plain.user)

    assert client.get(reverse("suppliers:join_requests")).status_code == 403
    assert client.get(detail_url(join_request)).status_code == 403
    response = client.post(
        detail_url(join_request), {"decision": "approve", "role": Role.UTILISATEUR}
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=join_request.user).exists()


def test_manager_of_another_structure_gets_404_on_its_requests(client, principal):
    other = MembershipFactory(role=Role.GESTIONNAIRE_PRINCIPAL)
    join_request = JoinRequestFactory(structure=other.structure)
    client.force_login(principal.user)

    assert (
        join_request.user.email
        not in client.get(reverse("suppliers:join_requests")).content.decode()
    )
    assert client.get(detail_url(join_request)).status_code == 404
    response = client.post(detail_url(join_request), {"decision": "refuse"})
    assert response.status_code == 404
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.EN_ATTENTE


def test_requester_sees_the_refusal_on_their_home_page(client):
    join_request = JoinRequestFactory(
        status=JoinRequestStatus.REFUSEE, message="Inconnu au bataillon"
    )
    client.force_login(join_request.user)

    html = client.get(reverse("home")).content.decode()

    assert join_request.structure.legal_name in html
    assert "Inconnu au bataillon" in html


def test_user_without_membership_gets_403_on_supplier_pages(client):
    client.force_login(UserFactory())
    assert client.get(reverse("suppliers:dashboard")).status_code == 403


def test_administrators_see_join_requests_read_only_in_the_admin(client):
    join_request = JoinRequestFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get(reverse("admin:suppliers_joinrequest_changelist"))

    assert listing.status_code == 200
    assert join_request.user.email in listing.content.decode()
    assert client.get(reverse("admin:suppliers_joinrequest_add")).status_code == 403
