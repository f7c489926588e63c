"""A commune with two services, an agent acting for one of them, its manager, a supplier,
and `available(...)`: an invoice made available to its recipient."""

import itertools

import pytest

from chorus.enums import Role
from invoices.services import invoice_route
from tests.chorus.factories import (
    MembershipFactory,
    PublicStructureFactory,
    ServiceFactory,
    StructureFactory,
)
from tests.invoices.factories import french_invoice, stored_invoice

NUMBERS = itertools.count(1)


@pytest.fixture
def commune():
    return PublicStructureFactory(legal_name="Commune de Valmont")


@pytest.fixture
def works(commune):
    return ServiceFactory(structure=commune, code="TRAVAUX", name="Services techniques")


@pytest.fixture
def school(commune):
    return ServiceFactory(structure=commune, code="ECOLES", name="Affaires scolaires")


@pytest.fixture
def agent(works):
    """An agent (not a manager) acting for the works service only."""
    membership = MembershipFactory(structure=works.structure, role=Role.UTILISATEUR)
    membership.services.add(works)
    return membership


@pytest.fixture
def manager(commune):
    return MembershipFactory(structure=commune, role=Role.GESTIONNAIRE_PRINCIPAL)


@pytest.fixture
def supplier():
    return StructureFactory(legal_name="Menuiserie Durand")


@pytest.fixture
def seller(supplier):
    return MembershipFactory(structure=supplier)


def available(*, supplier, service=None, recipient=None, **document):
    """An invoice made available to its recipient (a portal one), numbered afresh."""
    recipient = recipient or (service.structure if service else PublicStructureFactory())
    document.setdefault("seller_name", supplier.legal_name)  # the supplier names itself
    document = french_invoice(
        number=document.pop("number", f"FA-2025-{next(NUMBERS):05d}"),
        seller_siret=supplier.identifier,
        buyer_siret=recipient.identifier,
        service_code=service.code if service else None,
        **document,
    )
    invoice = stored_invoice(
        supplier=supplier, service=service, recipient=recipient, document=document
    )
    invoice_route(invoice=invoice)
    invoice.refresh_from_db()
    return invoice


def logged_in(client, membership):
    client.force_login(membership.user)
    return client
