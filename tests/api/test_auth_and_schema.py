import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_user():
    return get_user_model().objects.create_user(username="tiepnhan", password="mat-khau-dai-123")


def test_token_is_issued_for_valid_credentials_and_authenticates(staff_user):
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": "tiepnhan", "password": "mat-khau-dai-123"})
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) == 40
    # The same token comes back on the next login.
    again = client.post("/api/v1/auth/token/", {"username": "tiepnhan", "password": "mat-khau-dai-123"})
    assert again.json()["token"] == token


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "tiepnhan", "password": "sai"}, "password"),
        ({"username": "tiepnhan"}, "password"),
        ({"password": "x"}, "username"),
    ],
)
def test_bad_credentials_get_a_400_naming_the_field(staff_user, payload, field):
    response = APIClient().post("/api/v1/auth/token/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_token_endpoint_is_rate_limited_with_retry_after(staff_user, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"auth": "2/minute"}}
    client = APIClient()
    codes = [
        client.post("/api/v1/auth/token/", {"username": "tiepnhan", "password": "sai"}).status_code
        for _ in range(3)
    ]
    assert codes == [400, 400, 429]
    blocked = client.post("/api/v1/auth/token/", {"username": "tiepnhan", "password": "mat-khau-dai-123"})
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert blocked.json()["error"]["code"] == "throttled"


def test_openapi_schema_is_served_and_lists_the_routes(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/auth/token/" in schema["paths"]
    assert client.get("/api/docs/").status_code == 200
