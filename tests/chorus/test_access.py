"""chorus.access: who may see what, for API callers."""

import pytest

from chorus.access import structures_visible_to
from tests.chorus.factories import (
    PublicStructureFactory,
    StructureFactory,
    TechnicalAccountFactory,
)

pytestmark = pytest.mark.django_db


def test_a_technical_account_sees_the_public_directory_and_its_own_structure_only():
    own, public = StructureFactory(), PublicStructureFactory()
    StructureFactory()  # another supplier: private, not seen
    account = TechnicalAccountFactory(structure=own)

    assert set(structures_visible_to(account)) == {own, public}
