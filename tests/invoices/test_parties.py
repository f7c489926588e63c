"""The seller or buyer of a canonical invoice built from a structure of the directory."""

import pytest

from chorus.enums import IdentifierType
from invoices import canonical as c
from invoices.parties import party_from_structure
from tests.chorus.factories import StructureFactory
from tests.invoices.factories import french_vat_number

pytestmark = pytest.mark.django_db


def test_a_siret_structure_gives_siret_siren_vat_number_and_address():
    structure = StructureFactory(legal_name="Menuiserie Durand")
    siret = structure.identifier
    structure.vat_number = french_vat_number(siret[:9])

    party = party_from_structure(structure)

    assert party.name == "Menuiserie Durand"
    assert party.identifiers == [c.Identifier(siret, c.SIRET_SCHEME)]
    assert party.legal_registration_id == c.Identifier(siret[:9], c.SIREN_SCHEME)
    assert party.electronic_address == c.Identifier(siret, c.SIRET_SCHEME)
    assert party.siret == siret
    assert party.vat_id == french_vat_number(siret[:9])
    assert party.address == c.PostalAddress(
        line1="1 rue de la République", city="Paris", postal_code="75001", country_code="FR"
    )


def test_an_invoice_outside_vat_leaves_the_vat_number_out():
    structure = StructureFactory()
    structure.vat_number = french_vat_number(structure.identifier[:9])

    assert party_from_structure(structure, with_vat=False).vat_id is None


def test_an_identifier_other_than_a_siret_is_kept_without_a_scheme():
    structure = StructureFactory(
        identifier_type=IdentifierType.HORS_UE, identifier="CH-123.456.789", country_code="CH"
    )

    party = party_from_structure(structure)

    assert party.identifiers == [c.Identifier(structure.identifier, None)]
    assert (party.legal_registration_id, party.electronic_address, party.siret) == (
        None,
        None,
        None,
    )
    assert party.address.country_code == "CH"
