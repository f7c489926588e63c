"""Shared test set-up: fast password hashing, the official test data beside the checkout."""

from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def testdata_dir() -> Path:
    """The official example invoices and rule tests (../shared/testdata); skip where absent."""
    path = Path(settings.CHORUS_TESTDATA_DIR)
    if not path.is_dir():
        pytest.skip(
            f"official test data not found at {path}: set CHORUS_TESTDATA_DIR to the shared/testdata folder"
        )
    return path
