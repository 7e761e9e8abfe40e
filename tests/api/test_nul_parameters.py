"""A NUL byte in a query parameter that reaches a text column is a 4xx, never a 500: PostgreSQL
refuses NUL in text (found by the schemathesis fuzz on PostgreSQL, for the what-if's procedure)."""

import pytest


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/v1/reports/what-if/?value=3&procedure=%00", 400),
        ("/api/v1/reports/event-log/?from=2026-01-01&to=2026-01-31&format=xes&procedure=%00", 400),
        ("/api/v1/reports/conformance/?from=2026-01-01&to=2026-01-31&procedure=1.0%00", 400),
    ],
)
def test_a_nul_byte_in_a_procedure_code_is_refused(staff, procedure, as_user, path, expected):
    response = as_user(staff["supervisor"]).get(path)
    assert response.status_code == expected
    assert response.json()["error"]["code"]
