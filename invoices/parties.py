"""The seller or buyer of a canonical invoice built from a structure of the directory.

`party_from_structure(structure, with_vat=...)`: its legal name, its identifier (a SIRET
under scheme 0009, with the SIREN as legal registration id under 0002 and the SIRET as
electronic address), its VAT number and its postal address. Structures identified otherwise
than by a SIRET (foreign, RIDET, TAHITI...) keep their identifier without a scheme.
"""

from chorus.enums import IdentifierType
from chorus.models import Structure
from invoices import canonical as c


def party_from_structure(structure: Structure, *, with_vat: bool = True) -> c.Party:
    """`with_vat=False` leaves the VAT number out (BR-O-02: an invoice outside VAT has none)."""
    identifier = structure.identifier
    is_siret = structure.identifier_type == IdentifierType.SIRET
    return c.Party(
        name=structure.legal_name,
        identifiers=[c.Identifier(identifier, c.SIRET_SCHEME if is_siret else None)],
        legal_registration_id=c.Identifier(identifier[:9], c.SIREN_SCHEME) if is_siret else None,
        vat_id=(structure.vat_number or None) if with_vat else None,
        electronic_address=c.Identifier(identifier, c.SIRET_SCHEME) if is_siret else None,
        address=c.PostalAddress(
            line1=structure.address_line or None,
            city=structure.city or None,
            postal_code=structure.postcode or None,
            country_code=structure.country_code or None,
        ),
    )
