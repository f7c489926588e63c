import pytest
from django.core.exceptions import ValidationError

from chorus import identifiers
from chorus.enums import IdentifierType


def test_valid_siret_is_compacted():
    assert (
        identifiers.normalise_identifier(IdentifierType.SIRET, "732 829 320 00074")
        == "73282932000074"
    )


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("1234", "exactement 14 chiffres"),
        ("73282932000075", "NIC"),
        ("73282932100074", "SIREN 732829321"),
    ],
)
def test_bad_siret_says_what_is_wrong(value, fragment):
    with pytest.raises(ValidationError) as exc:
        identifiers.normalise_identifier(IdentifierType.SIRET, value)
    assert fragment in exc.value.messages[0]


def test_vat_number_checked_with_its_key():
    assert identifiers.normalise_vat_number("fr 44 732829320") == "FR44732829320"
    with pytest.raises(ValidationError, match="clé de contrôle"):
        identifiers.normalise_vat_number("FR45732829320")


def test_iban_and_bic():
    assert (
        identifiers.normalise_iban("FR76 3000 6000 0112 3456 7890 189")
        == "FR7630006000011234567890189"
    )
    with pytest.raises(ValidationError, match="clé de contrôle"):
        identifiers.normalise_iban("FR76 3000 6000 0112 3456 7890 188")
    with pytest.raises(ValidationError, match="BIC"):
        identifiers.normalise_bic("XX")
