import pytest

from chorus.identifiers import normalise_siret
from tests.chorus.factories import PublicStructureFactory, StructureFactory, valid_siret


def test_generated_sirets_pass_the_platform_check():
    for n in range(1, 200):
        assert normalise_siret(valid_siret(n)) == valid_siret(n)


@pytest.mark.django_db
def test_factories_build_valid_structures():
    for structure in (StructureFactory(), PublicStructureFactory()):
        structure.full_clean()
