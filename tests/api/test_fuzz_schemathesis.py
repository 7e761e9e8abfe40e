"""Property-based fuzzing of the API from its own OpenAPI schema: whatever the input, no 5xx.

Schemathesis generates valid and invalid requests for every operation in ``/api/schema/`` and
sends them to the WSGI application in-process, as a supervisor (staff endpoints) or anonymously
(public ones ignore the token).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.generation import GenerationMode

from onestop.wsgi import application

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """The raw WSGI app closes "obsolete" connections around each request, and inside the test's
    transaction PostgreSQL's looks obsolete; Django's own test client disconnects this the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_input_makes_the_server_fail(staff, procedure, mode):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    token = Token.objects.create(user=staff["supervisor"]).key
    seen: set[str] = set()

    @given(case=schema.as_strategy(generation_mode=mode))
    @settings(max_examples=400, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case):
        response = case.call(headers={"Authorization": f"Token {token}"})
        seen.add(f"{case.method} {case.path}")
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} {case.query} {case.body!r} -> "
            f"{response.status_code} {response.text[:400]}"
        )

    run()
    assert len(seen) >= 15, sorted(seen)
