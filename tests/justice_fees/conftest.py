"""The API tests' fixtures (an OAuth client, technical accounts, `cpro`), for the mémoire
operations."""

from tests.api.conftest import (  # noqa: F401
    access_token,
    cpro,
    oauth_application,
    stranger_cpro,
    supplier,
    technical_account,
)
