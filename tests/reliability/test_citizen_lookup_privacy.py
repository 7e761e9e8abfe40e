"""The citizen lookup under attack (issue 15, "Access"): a wrong key and an unknown code are
indistinguishable in status, body and every header but Date; keys carry at least 50 bits drawn
from ``secrets``; repeated wrong keys are throttled; neither the key nor personal data appears in
a public answer or in anything logged meanwhile (the captured log records are scanned)."""

import logging
import math
import secrets

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import APPLICANT, registration
from workflows import keys

from . import figures

pytestmark = pytest.mark.django_db
UNKNOWN = "000.00.31.H57-990101-0001"


@pytest.fixture
def receipt(staff, as_user, procedure):
    created = as_user(staff[(0, "reception")]).post(
        "/api/v1/dossiers/", registration("1.001234"), format="json"
    )
    assert created.status_code == 201
    return created.json()


def _headers(response) -> dict:
    return {name: value for name, value in response.items() if name.lower() != "date"}


def test_a_wrong_key_and_an_unknown_code_are_indistinguishable(receipt):
    wrong_key = APIClient(REMOTE_ADDR="198.51.100.1").get(
        f"/api/v1/public/dossiers/{receipt['code']}/", HTTP_X_LOOKUP_KEY="AAAAAAAAAA"
    )
    unknown = APIClient(REMOTE_ADDR="198.51.100.2").get(
        f"/api/v1/public/dossiers/{UNKNOWN}/", HTTP_X_LOOKUP_KEY=receipt["lookup_key"]
    )
    assert wrong_key.status_code == unknown.status_code == 404
    assert wrong_key.content == unknown.content
    assert _headers(wrong_key) == _headers(unknown)
    figures.add(authorization_cases=2)


def test_keys_have_at_least_50_bits_from_secrets(monkeypatch):
    assert math.log2(len(set(keys.LOOKUP_KEY_ALPHABET))) * keys.LOOKUP_KEY_LENGTH >= 50
    drawn = []

    def choice(alphabet):
        drawn.append(alphabet)
        return secrets.SystemRandom().choice(alphabet)

    monkeypatch.setattr(keys.secrets, "choice", choice)
    key = keys.new_lookup_key()
    assert len(key) == keys.LOOKUP_KEY_LENGTH and len(drawn) == keys.LOOKUP_KEY_LENGTH
    assert len({keys.new_lookup_key() for _ in range(1000)}) == 1000


def test_repeated_wrong_keys_are_throttled_and_nothing_leaks_into_logs(receipt, caplog, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"public": "20/minute"}}
    caplog.set_level(logging.DEBUG)
    client = APIClient(REMOTE_ADDR="198.51.100.7")
    url = f"/api/v1/public/dossiers/{receipt['code']}/"
    statuses = [client.get(url, {"key": f"WRONG{n:05d}"}).status_code for n in range(25)]
    assert statuses[:20] == [404] * 20 and set(statuses[20:]) == {429}
    # Even the right key waits now: guessing cannot go on from this address.
    blocked = client.get(url, HTTP_X_LOOKUP_KEY=receipt["lookup_key"])
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0
    right = APIClient(REMOTE_ADDR="198.51.100.8").get(url, {"key": receipt["lookup_key"]})
    page = APIClient(REMOTE_ADDR="198.51.100.9").get(
        f"/tra-cuu/{receipt['code']}/", {"key": receipt["lookup_key"]}
    )
    assert right.status_code == page.status_code == 200
    secrets_ = [
        receipt["lookup_key"],
        APPLICANT["name"],
        APPLICANT["id_number"],
        APPLICANT["phone"],
        APPLICANT["email"],
    ]
    for response in (right, page):
        assert not [s for s in secrets_ if s in response.content.decode()]
    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    assert not [s for s in secrets_ if s in logged], logged[-2000:]
    figures.add(authorization_cases=len(statuses) + 3)
