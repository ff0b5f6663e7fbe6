"""schemathesis against the live OpenAPI document, over real HTTP: no operation may answer
with a server error, an undocumented status, or a body that breaks its own schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from harbour.accounts.constants import KeyScope
from harbour.accounts.models import IntegrationKey
from harbour.people.models import Person


@pytest.fixture
def api_token(transactional_db, unit):
    token, lookup, secret_hash = IntegrationKey.new_token()
    IntegrationKey.objects.create(
        organisation=unit,
        name="schemathesis",
        lookup=lookup,
        secret_hash=secret_hash,
        scopes=list(KeyScope.values),
    )
    Person.objects.create(organisation=unit, given_name="Robin", family_name="Example")
    return token


def test_the_api_honours_its_own_schema(live_server, api_token):
    # Operations are driven one by one with hypothesis: schemathesis's pytest loader does
    # not yet run under pytest 9, its operation strategies do.
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    headers = {"Authorization": f"Bearer {api_token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} >= {
        "GET /api/v1/whoami",
        "GET /api/v1/people/{person_id}",
    }
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=40,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def exercise(case):
            case.call_and_validate(base_url=live_server.url, headers=headers)

        exercise()
