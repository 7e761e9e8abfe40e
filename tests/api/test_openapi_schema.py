"""The OpenAPI schema validates, and every route under /api/v1/ is in it with its methods."""

import re

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver


def _routes(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _as_openapi(route: str) -> str:
    """``tasks/<int:pk>/claim/`` → ``/tasks/{id}/claim/`` (drf-spectacular names a pk ``id``)."""
    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return path.replace("{pk}", "{id}")


@pytest.fixture(scope="module")
def schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").stat().st_size > 10_000


def test_every_api_route_and_method_is_documented(schema):
    api_routes = [
        (route, view) for route, view in _routes(get_resolver().url_patterns) if route.startswith("api/v1/")
    ]
    assert len(api_routes) >= 18
    for route, view in api_routes:
        path = _as_openapi(route)
        assert path in schema["paths"], f"{path} is missing from the schema"
        methods = {m for m in getattr(view, "cls", object).http_method_names if hasattr(view.cls, m)} - {
            "options",
            "head",
        }
        assert methods <= set(schema["paths"][path]), f"{path}: {methods - set(schema['paths'][path])}"


def test_every_operation_documents_its_errors(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            statuses = {int(code) for code in operation["responses"]}
            assert any(code >= 400 for code in statuses), f"{method.upper()} {path} documents no error"


def test_the_what_if_and_periodic_endpoints_are_documented(schema):
    what_if = schema["paths"]["/api/v1/reports/what-if/"]["get"]
    names = {p["name"] for p in what_if["parameters"]}
    assert {"procedure", "value", "unit", "from", "to", "step", "budget_hours"} <= names
    assert {"200", "400", "401", "403", "404"} <= set(what_if["responses"])
    periodic = schema["paths"]["/api/v1/reports/periodic/"]
    assert {"get", "post"} <= set(periodic) and "201" in periodic["post"]["responses"]
    files = schema["paths"]["/api/v1/reports/periodic/{id}/{file}"]["get"]["responses"]["200"]["content"]
    assert {"application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} <= set(
        files
    )


def test_the_open_data_and_event_log_endpoints_are_documented(schema):
    paths = schema["paths"]
    catalogue = paths["/api/v1/open-data/"]["get"]
    assert "security" not in catalogue  # no login (the dossier list has tokenAuth)
    assert paths["/api/v1/reports/processing/"]["get"]["security"]
    dataset = paths["/api/v1/open-data/{dataset}.{fmt}"]["get"]
    assert "security" not in dataset
    parameters = {p["name"]: p for p in dataset["parameters"]}
    assert "dictionary" in parameters["dataset"]["schema"]["enum"]
    assert set(parameters["fmt"]["schema"]["enum"]) == {"csv", "json"}
    assert {"200", "400", "404", "429"} <= set(dataset["responses"])
    event_log = paths["/api/v1/reports/event-log/"]["get"]
    assert set(event_log["responses"]["200"]["content"]) == {"application/xml", "application/json"}
    assert {p["name"] for p in event_log["parameters"]} >= {"from", "to", "procedure", "format"}
    conformance = paths["/api/v1/reports/conformance/"]["get"]
    assert {"200", "401", "403"} <= set(conformance["responses"])
