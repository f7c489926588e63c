"""Shared set-up of the justice fees tests: the API tests' fixtures (an OAuth client, technical
accounts, `cpro`) for the mémoire operations, and French as the active language."""

import pytest
from django.utils import translation

from tests.api.conftest import (  # noqa: F401
    access_token,
    cpro,
    oauth_application,
    stranger_cpro,
    supplier,
    technical_account,
)
from tests.invoices.test_edi_channel import edi_root, sftp  # noqa: F401  (E3 flows over SFTP)


@pytest.fixture(autouse=True)
def _french():
    """The tests read the French texts, whatever language an earlier test left active (a
    request through LocaleMiddleware leaves its language on the thread)."""
    with translation.override("fr"):
        yield
