"""E-mail notifications: the supplier's users on the changes that need them, the agents when
an invoice arrives for their services; once per change and user; at once or in a daily digest."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from chorus.enums import Role
from chorus.models import Notification
from chorus.notifications import digests_send
from chorus.tasks import notifications_digest_task
from chorus.workflow import Actor
from invoices.notifications import invoice_change_notify
from invoices.services import (
    invoice_certify,
    invoice_complete,
    invoice_mandate,
    invoice_process,
    invoice_reject,
    invoice_rejection_acknowledge,
    invoice_route,
    invoice_suspend,
)
from tests.chorus.factories import (
    MembershipFactory,
    PublicStructureFactory,
    ServiceFactory,
    StructureFactory,
)
from tests.invoices.factories import french_invoice, stored_invoice

pytestmark = pytest.mark.django_db


class World:
    """A supplier with two users; a commune whose service FINANCES has an agent, another
    service an agent of its own, and a manager for the whole structure."""

    def __init__(self):
        self.supplier = StructureFactory(legal_name="Menuiserie Durand")
        self.supplier_users = [MembershipFactory(structure=self.supplier).user for _ in range(2)]
        self.recipient = PublicStructureFactory(legal_name="Commune de Montrésor")
        self.service = ServiceFactory(structure=self.recipient, code="FINANCES", name="Finances")
        other_service = ServiceFactory(structure=self.recipient, code="ECOLES")
        self.agent = MembershipFactory(structure=self.recipient, role=Role.UTILISATEUR)
        self.agent.services.add(self.service)
        self.other_agent = MembershipFactory(structure=self.recipient, role=Role.UTILISATEUR)
        self.other_agent.services.add(other_service)
        self.manager = MembershipFactory(structure=self.recipient)


@pytest.fixture
def world():
    return World()


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Runs a move and its follow-ups (the notification tasks, inline) as on commit."""

    def run(move, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return move(**kwargs)

    return run


@pytest.fixture
def invoice(world, after_commit):
    invoice = stored_invoice(supplier=world.supplier, service=world.service)
    after_commit(invoice_route, invoice=invoice)
    return invoice


def _to(message):
    return set(message.to)


def test_agents_of_the_service_and_managers_are_told_an_invoice_arrived(world, invoice):
    assert {next(iter(m.to)) for m in mail.outbox} == {
        world.agent.user.email,
        world.manager.user.email,
    }
    message = mail.outbox[0]
    assert message.subject == "Nouvelle facture FA-2025-00042 de Menuiserie Durand"
    assert "Une nouvelle facture de Menuiserie Durand est arrivée pour Commune de Montrésor" in (
        message.body
    )
    assert "Service : Finances (FINANCES)." in message.body
    assert f"{settings.CHORUS_SITE_URL}/factures/{invoice.pk}/" in message.body


def test_the_suppliers_users_are_told_of_a_suspension_with_its_motive(world, invoice, after_commit):
    mail.outbox.clear()
    after_commit(
        invoice_suspend,
        invoice=invoice,
        actor=Actor.member(world.agent),
        motive="JUSTIF_ABS",
        comment="Joignez le bon de livraison signé.",
    )

    assert sorted(_to(m).pop() for m in mail.outbox) == sorted(
        u.email for u in world.supplier_users
    )
    message = mail.outbox[0]
    assert message.subject == "Facture FA-2025-00042 suspendue : complétez-la"
    assert "Commune de Montrésor a suspendu la facture FA-2025-00042" in message.body
    assert "Motif : Justificatif absent ou insuffisant" in message.body
    assert "Commentaire : Joignez le bon de livraison signé." in message.body
    assert "ne transmet pas les statuts de paiement" not in message.body


def test_the_supplier_is_told_when_payment_statuses_will_not_come(world, invoice, after_commit):
    world.recipient.payment_status_not_reported = True
    world.recipient.save()
    mail.outbox.clear()

    after_commit(
        invoice_reject, invoice=invoice, actor=Actor.member(world.manager), motive="TX_TVA_ERR"
    )

    assert mail.outbox[0].subject == "Facture FA-2025-00042 rejetée"
    assert (
        "Commune de Montrésor ne transmet pas les statuts de paiement à la plateforme"
        in mail.outbox[0].body
    )


def test_the_supplier_is_told_of_the_payment_and_not_of_the_steps_before(
    world, invoice, after_commit
):
    actor = Actor.member(world.manager)
    mail.outbox.clear()
    after_commit(invoice_certify, invoice=invoice, actor=actor)
    after_commit(invoice_mandate, invoice=invoice, actor=actor, mandate_number="M-1")
    assert mail.outbox == []

    after_commit(invoice_process, invoice=invoice, actor=actor, target="MISE_EN_PAIEMENT")

    assert [m.subject for m in mail.outbox] == ["Facture FA-2025-00042 mise en paiement"] * 2
    assert "mis en paiement la facture FA-2025-00042" in mail.outbox[0].body


def test_a_completed_invoice_is_announced_to_its_agents_not_to_its_author(
    world, invoice, after_commit
):
    after_commit(
        invoice_suspend, invoice=invoice, actor=Actor.member(world.agent), motive="JUSTIF_ABS"
    )
    mail.outbox.clear()
    supplier_member = world.supplier_users[0].memberships.get()

    after_commit(
        invoice_complete,
        invoice=invoice,
        actor=Actor.member(supplier_member),
        comment="Bon de livraison joint.",
    )

    assert {m.to[0] for m in mail.outbox} == {world.agent.user.email, world.manager.user.email}
    assert mail.outbox[0].subject == "Facture FA-2025-00042 complétée par Menuiserie Durand"
    assert "Commentaire du fournisseur : Bon de livraison joint." in mail.outbox[0].body


def test_the_author_of_a_change_is_not_told_of_it(world, after_commit):
    # An agent who is also a member of the supplier (intra-public invoicing, one person).
    invoice = stored_invoice(supplier=world.supplier, service=world.service)
    MembershipFactory(user=world.agent.user, structure=world.supplier)
    after_commit(invoice_route, invoice=invoice)
    mail.outbox.clear()

    after_commit(
        invoice_suspend, invoice=invoice, actor=Actor.member(world.agent), motive="JUSTIF_ABS"
    )

    assert world.agent.user.email not in {m.to[0] for m in mail.outbox}
    assert len(mail.outbox) == 2


def test_a_change_is_never_notified_twice(world, invoice):
    change = invoice.history.get(target="MISE_A_DISPOSITION")
    sent = len(mail.outbox)

    assert invoice_change_notify(change.pk) == 0

    assert len(mail.outbox) == sent
    assert Notification.objects.filter(change_id=change.pk).count() == 2


def test_acknowledging_a_rejection_tells_nobody(world, invoice, after_commit):
    after_commit(
        invoice_reject, invoice=invoice, actor=Actor.member(world.manager), motive="TX_TVA_ERR"
    )
    mail.outbox.clear()

    after_commit(
        invoice_rejection_acknowledge,
        invoice=invoice,
        actor=Actor.member(world.supplier_users[0].memberships.get()),
    )

    assert mail.outbox == []


def test_digest_users_get_one_email_a_day_gathering_their_notifications(world, after_commit):
    world.manager.user.email_digest = True
    world.manager.user.save()
    first = stored_invoice(supplier=world.supplier, service=world.service)
    second = stored_invoice(
        supplier=world.supplier,
        recipient=world.recipient,
        document=french_invoice(number="FA-2", buyer_siret=world.recipient.identifier),
    )
    for invoice in (first, second):
        after_commit(invoice_route, invoice=invoice)
    assert world.manager.user.email not in {m.to[0] for m in mail.outbox}
    mail.outbox.clear()

    assert notifications_digest_task.delay().get() == 1

    (digest,) = mail.outbox
    assert digest.to == [world.manager.user.email]
    assert digest.subject == "Chorus libre : 2 événements aujourd'hui"
    assert digest.body.count("Nouvelle facture") == 2
    assert digests_send() == 0


def test_the_digest_preference_is_set_on_the_account_page(client, world):
    user = world.agent.user
    client.force_login(user)

    page = client.get(reverse("notification_settings"))
    assert page.status_code == 200
    assert "Récapitulatif quotidien" in page.content.decode()

    response = client.post(reverse("notification_settings"), {"email_digest": "on"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_digest


def test_the_account_page_asks_to_sign_in(client):
    response = client.get(reverse("notification_settings"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
