"""schemathesis against the live OpenAPI document, over real HTTP: no operation may answer
with a server error, an undocumented status, or a body that breaks its own schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance

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


# Operations whose rules go beyond what a schema can say (the unit named must exist, a
# phone number must be one that can be called, a date of birth must be in range): they
# answer schema-valid data with 422 naming the field, so "schema-valid means accepted" is
# replaced for them by "a refusal names the field at fault".
# An occurrence file is the same: any bytes fit the schema; only the importer can say
# whether they are a NIBRS file, and its refusal names the body.
BEYOND_THE_SCHEMA = {"POST /api/v1/referrals", "POST /api/v1/occurrences/imports"}


def refusals_name_a_field(ctx, response, case):
    if response.status_code == 422:
        fields = response.json()["error"]["fields"]
        assert fields and all(f["field"] for f in fields), response.text


def test_the_api_honours_its_own_schema(live_server, api_token):
    # Operations are driven one by one with hypothesis: schemathesis's pytest loader does
    # not yet run under pytest 9, its operation strategies do.
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    headers = {"Authorization": f"Bearer {api_token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} >= {
        "GET /api/v1/whoami",
        "GET /api/v1/people/{person_id}",
        "POST /api/v1/referrals",
        "GET /api/v1/referrals/{sender_reference}",
        "POST /api/v1/occurrences/imports",
        "GET /api/v1/occurrences/imports/{run_id}",
    }
    for operation in operations:

        @given(case=operation.as_strategy(), to_the_unit=st.booleans())
        @settings(
            max_examples=40,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def exercise(case, to_the_unit):
            beyond = case.operation.label in BEYOND_THE_SCHEMA
            # Half the referrals go to the test's unit, so the fuzzed content reaches the
            # checks behind the unit lookup (and creation, resends and conflicts).
            if beyond and to_the_unit and isinstance(case.body, dict):
                case.body["to"] = "unit"
            case.call_and_validate(
                base_url=live_server.url,
                headers=headers,
                excluded_checks=[positive_data_acceptance] if beyond else [],
                additional_checks=[refusals_name_a_field] if beyond else [],
            )

        exercise()
