"""An OAuth application and a technical account, and a client that calls the API like a connector."""

import base64
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from oauth2_provider.models import Application

from tests.chorus.factories import (
    DEFAULT_PASSWORD,
    ServiceFactory,
    StructureFactory,
    TechnicalAccountFactory,
)

CLIENT_SECRET = "secret-du-logiciel-fournisseur"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttle counters and verified accounts live in the cache: each test starts afresh."""
    cache.clear()
    yield
    cache.clear()


def make_application(name: str = "Logiciel du fournisseur") -> Application:
    return Application.objects.create(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=CLIENT_SECRET,
    )


@pytest.fixture
def oauth_application(db) -> Application:
    return make_application()


def request_token(client, application: Application, secret: str = CLIENT_SECRET):
    return client.post(
        "/api/oauth/token",
        urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": application.client_id,
                "client_secret": secret,
                "scope": "openid",
            }
        ),
        content_type="application/x-www-form-urlencoded",
    )


def cpro_account(login: str, password: str = DEFAULT_PASSWORD) -> str:
    return base64.b64encode(f"{login}:{password}".encode()).decode()


@pytest.fixture
def access_token(client, oauth_application) -> str:
    return request_token(client, oauth_application).json()["access_token"]


@pytest.fixture
def supplier():
    return StructureFactory()


@pytest.fixture
def technical_account(supplier):
    return TechnicalAccountFactory(structure=supplier)


class CproClient:
    """Calls /cpro/ operations with both credentials, as Chorus Pro connectors do."""

    def __init__(self, client, token: str, account_header: str):
        self.client = client
        self.headers = {
            "Authorization": f"Bearer {token}",
            "cpro-account": account_header,
        }

    def post(self, path: str, body: dict | None = None):
        return self.client.post(
            path, body or {}, content_type="application/json;charset=utf-8", headers=self.headers
        )

    def get(self, path: str):
        return self.client.get(path, headers=self.headers)


@pytest.fixture
def cpro(client, access_token, technical_account) -> CproClient:
    return CproClient(client, access_token, cpro_account(technical_account.login))


@pytest.fixture
def recipient_service():
    """A service of a public structure that receives on the portal."""
    return ServiceFactory()


@pytest.fixture
def recipient_cpro(client, access_token, recipient_service) -> CproClient:
    """A connector of the recipient's systems: a technical account of the public structure."""
    account = TechnicalAccountFactory(structure=recipient_service.structure)
    return CproClient(client, access_token, cpro_account(account.login))


@pytest.fixture
def stranger_cpro(client, access_token) -> CproClient:
    """A technical account of a structure that is party to nothing here."""
    return CproClient(client, access_token, cpro_account(TechnicalAccountFactory().login))
