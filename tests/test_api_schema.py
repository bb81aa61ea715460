"""schemathesis against the live server: every operation of the API's own OpenAPI
schema, with generated parameters, answers without a server error and as the schema
says (status codes, content type, headers, bodies).

(schemathesis's pytest plugin does not run under pytest 9 yet, so the operations are
walked here, each with a hypothesis test of its own.)"""

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

EXAMPLES = 20


def test_every_operation_answers_as_its_schema_says(server_url):
    schema = schemathesis.openapi.from_url(f"{server_url}/api/v1/schema/?format=json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    session = requests.Session()
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)  # fmt: skip
        def answers_as_described(case):
            # A cursor is opaque: one drawn at random is refused with a 400, as it should.
            response = case.call_and_validate(
                base_url=server_url, session=session, excluded_checks=[positive_data_acceptance]
            )
            if response.status_code == 400:
                assert "cursor" in (case.query or {}), response.text

        answers_as_described()
        if "{" in operation.path:
            for key in real_keys(session, server_url, operation.path):
                case = operation.Case(path_parameters={operation.path.split("{")[1][:-2]: key})
                case.call_and_validate(base_url=server_url, session=session)


def real_keys(session, server_url, path):
    """Keys of real records for a detail path (random ones only find 404s)."""
    listed = session.get(server_url + path.split("{")[0], params={"limit": 30}, timeout=30)
    results = listed.json()["results"]
    keys = [r.get("key") or r.get("slug") for r in results]
    assert keys, path
    return keys


@pytest.mark.parametrize("path", ["/api/v1/search/?region=atlantis", "/api/v1/nothing/"])
def test_errors_on_the_live_server_are_json_too(server_url, path):
    response = requests.get(server_url + path, timeout=10)
    assert response.status_code in {400, 404}
    assert response.headers["Content-Type"] == "application/json"
