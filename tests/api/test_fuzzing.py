"""Schema-based fuzzing of the API (schemathesis): for every operation of /api/schema/, cases
generated from the schema, valid and invalid, are sent in-process with a valid token and
cpro-account; none may answer a server error, or an answer the schema does not describe."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import cpro_account

pytestmark = pytest.mark.django_db

# Cases per operation and generation mode: enough to reach nulls, out-of-range numbers and
# wrong types, few enough for the whole run to stay around a minute on a small machine.
EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def credentials(access_token, technical_account, settings) -> dict:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"cpro-client": "100000/min"},
    }
    # The WSGI application runs inside the test's transaction: as Django's test client does
    # (the token above came through it), keep it from closing the connection around each
    # request; PostgreSQL would lose the transaction, SQLite's in-memory database ignores it.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield {
        "Authorization": f"Bearer {access_token}",
        "cpro-account": cpro_account(technical_account.login),
    }
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_no_operation_answers_a_server_error_or_outside_its_schema(credentials):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def run(case):
                # Negative cases may drop or garble the credentials: the point is the body.
                case.headers = {**(case.headers or {}), **credentials}
                response = case.call()
                case.validate_response(response, checks=CHECKS)

            # Raises schemathesis' report of the failing case (server error, or an answer
            # outside the schema), with the request to reproduce it.
            run()
