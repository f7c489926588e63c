"""A public structure managed by its managers: agents invited by e-mail with their role and
services, services and engagements juridiques created, renamed and closed; every change in
the audit trail; agents and suppliers refused."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from chorus.enums import EngagementStatus, Role
from chorus.models import AuditEvent, EngagementJuridique, Membership, Service, User
from tests.backoffice.conftest import logged_in
from tests.chorus.factories import (
    EngagementJuridiqueFactory,
    MembershipFactory,
    PublicStructureFactory,
    ServiceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def audited(action, **details):
    events = AuditEvent.objects.filter(action=action)
    assert events.exists(), f"no {action} audit row"
    event = events.first()
    for key, value in details.items():
        assert event.details[key] == value
    return event


def test_a_manager_invites_a_new_agent_who_chooses_a_password(
    client, django_capture_on_commit_callbacks, manager, works, school
):
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(client, manager).post(
            reverse("reception:agent_invite"),
            {
                "email": "Claire.Martin@Valmont.fr",
                "first_name": "Claire",
                "last_name": "Martin",
                "role": Role.UTILISATEUR,
                "services": [works.pk],
            },
        )

    assert response.status_code == 302
    membership = Membership.objects.get(user__email="claire.martin@valmont.fr")
    assert (membership.structure, membership.role) == (works.structure, Role.UTILISATEUR)
    assert list(membership.services.all()) == [works]
    event = audited("agent_invite", user="claire.martin@valmont.fr", services=["TRAVAUX"])
    assert (event.actor, event.structure) == (manager.user, works.structure)
    assert event.details["new_account"] is True
    (message,) = mail.outbox
    assert message.to == ["claire.martin@valmont.fr"]
    link = re.search(r"https?://\S+/compte/mot-de-passe/nouveau/\S+/", message.body).group(0)
    client.logout()
    form = client.get(urlsplit(link).path, follow=True)
    assert form.status_code == 200
    assert "new_password1" in form.content.decode()


def test_inviting_someone_who_has_an_account_attaches_it(
    client, django_capture_on_commit_callbacks, manager, works
):
    known = UserFactory(email="paul@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(client, manager).post(
            reverse("reception:agent_invite"),
            {"email": "paul@exemple.fr", "role": Role.GESTIONNAIRE_SECONDAIRE},
        )

    assert Membership.objects.get(user=known).role == Role.GESTIONNAIRE_SECONDAIRE
    assert User.objects.filter(email="paul@exemple.fr").count() == 1
    assert "/compte/connexion/" in mail.outbox[0].body


def test_inviting_a_member_twice_is_an_error_on_the_email(client, manager, agent):
    response = logged_in(client, manager).post(
        reverse("reception:agent_invite"), {"email": agent.user.email, "role": Role.UTILISATEUR}
    )

    assert response.status_code == 400
    assert "fait déjà partie" in response.context["form"].errors["email"][0]


def test_a_secondary_manager_cannot_make_a_principal_manager(client, works):
    secondary = MembershipFactory(structure=works.structure, role=Role.GESTIONNAIRE_SECONDAIRE)

    response = logged_in(client, secondary).post(
        reverse("reception:agent_invite"),
        {"email": "chef@valmont.fr", "role": Role.GESTIONNAIRE_PRINCIPAL},
    )

    assert response.status_code == 400
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(email="chef@valmont.fr").exists()


def test_a_manager_sets_an_agents_role_and_services(client, manager, agent, works, school):
    page = logged_in(client, manager).get(reverse("reception:agent", args=[agent.pk]))
    assert page.context["form"].initial["services"] == [works]
    assert reverse("reception:agent_remove", args=[agent.pk]) in page.content.decode()

    response = logged_in(client, manager).post(
        reverse("reception:agent", args=[agent.pk]),
        {"role": Role.UTILISATEUR, "services": [school.pk]},
    )

    assert response.status_code == 302
    assert list(agent.services.all()) == [school]
    audited("membership_services_set", **{"from": ["TRAVAUX"], "to": ["ECOLES"]})

    logged_in(client, manager).post(
        reverse("reception:agent", args=[agent.pk]),
        {"role": Role.GESTIONNAIRE_SECONDAIRE, "services": [school.pk]},
    )
    agent.refresh_from_db()
    assert agent.role == Role.GESTIONNAIRE_SECONDAIRE
    audited("membership_role_change", to=Role.GESTIONNAIRE_SECONDAIRE)


def test_a_manager_removes_an_agent_but_not_the_last_principal(client, manager, agent):
    client = logged_in(client, manager)

    client.post(reverse("reception:agent_remove", args=[agent.pk]))
    refused = client.post(reverse("reception:agent_remove", args=[manager.pk]), follow=True)

    assert not Membership.objects.filter(pk=agent.pk).exists()
    audited("membership_remove", user=agent.user.email)
    assert Membership.objects.filter(pk=manager.pk).exists()
    assert "seul gestionnaire principal" in refused.content.decode()


def test_a_manager_creates_renames_and_closes_a_service(client, manager, commune):
    client = logged_in(client, manager)

    client.post(
        reverse("reception:service_add"),
        {"code": "culture", "name": "Affaires culturelles", "ej_required": "on"},
    )
    service = Service.objects.get(structure=commune, code="CULTURE")
    duplicate = client.post(reverse("reception:service_add"), {"code": "CULTURE", "name": "Encore"})
    client.post(reverse("reception:service", args=[service.pk]), {"name": "Culture et patrimoine"})
    client.post(reverse("reception:service", args=[service.pk]), {"active": "0"})

    service.refresh_from_db()
    assert duplicate.status_code == 400
    assert "existe déjà" in duplicate.context["form"].errors["code"][0]
    assert (service.name, service.ej_required, service.active) == (
        "Culture et patrimoine",
        False,
        False,
    )
    audited("service_create", code="CULTURE")
    audited("service_update", name={"from": "Affaires culturelles", "to": "Culture et patrimoine"})
    audited("service_close")


def test_a_manager_creates_renumbers_and_closes_an_engagement(client, manager, works):
    client = logged_in(client, manager)

    client.post(
        reverse("reception:engagement_add"),
        {"number": "EJ2026000001", "service": works.pk, "amount": "12500,00"},
    )
    engagement = EngagementJuridique.objects.get(number="EJ2026000001")
    client.post(
        reverse("reception:engagement", args=[engagement.pk]),
        {"number": "EJ2026000002", "service": works.pk, "amount": "12500,00"},
    )
    client.post(reverse("reception:engagement", args=[engagement.pk]), {"status": "CLOTURE"})

    engagement.refresh_from_db()
    assert (engagement.number, engagement.service, str(engagement.amount)) == (
        "EJ2026000002",
        works,
        "12500.00",
    )
    assert engagement.status == EngagementStatus.CLOTURE
    audited("engagement_create", number="EJ2026000001", service="TRAVAUX")
    audited("engagement_update", number={"from": "EJ2026000001", "to": "EJ2026000002"})
    audited("engagement_close")
    listing = client.get(reverse("reception:engagements"), {"q": "000002"})
    assert [e.pk for e in listing.context["page_obj"]] == [engagement.pk]


PAGES = [
    ("reception:agents", []),
    ("reception:agent_invite", []),
    ("reception:services", []),
    ("reception:service_add", []),
    ("reception:engagements", []),
    ("reception:engagement_add", []),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_the_management_pages_are_for_managers_only(client, manager, agent, seller, name, args):
    url = reverse(name, args=args)

    assert logged_in(client, manager).get(url).status_code == 200
    assert logged_in(client, agent).get(url).status_code == 403
    assert logged_in(client, seller).get(url).status_code == 403


def test_an_agent_cannot_change_anything(client, agent, works, manager):
    engagement = EngagementJuridiqueFactory(structure=works.structure)
    client = logged_in(client, agent)

    assert (
        client.post(
            reverse("reception:agent", args=[manager.pk]), {"role": "UTILISATEUR"}
        ).status_code
        == 403
    )
    assert client.post(reverse("reception:agent_remove", args=[manager.pk])).status_code == 403
    assert (
        client.post(reverse("reception:service", args=[works.pk]), {"active": "0"}).status_code
        == 403
    )
    assert (
        client.post(
            reverse("reception:engagement", args=[engagement.pk]), {"status": "CLOTURE"}
        ).status_code
        == 403
    )
    works.refresh_from_db()
    engagement.refresh_from_db()
    assert works.active and engagement.status == EngagementStatus.OUVERT
    assert not AuditEvent.objects.exclude(action__endswith="seed_demo").exists()


def test_another_structures_objects_are_not_found(client, manager):
    other = PublicStructureFactory()
    service = ServiceFactory(structure=other)
    engagement = EngagementJuridiqueFactory(structure=other)
    member = MembershipFactory(structure=other, role=Role.UTILISATEUR)
    client = logged_in(client, manager)

    assert client.get(reverse("reception:service", args=[service.pk])).status_code == 404
    assert client.get(reverse("reception:engagement", args=[engagement.pk])).status_code == 404
    assert client.get(reverse("reception:agent", args=[member.pk])).status_code == 404
    assert client.post(reverse("reception:agent_remove", args=[member.pk])).status_code == 404
