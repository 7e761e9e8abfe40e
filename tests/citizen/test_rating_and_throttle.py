import re

import pytest

from workflows.models import DossierEvent, DossierRating, EventAction

pytestmark = pytest.mark.django_db


def _rate(client, receipt, **data):
    return client.post(f"/tra-cuu/{receipt.code}/danh-gia/", {"key": receipt.key, **data})


def test_the_rating_form_appears_once_the_result_is_returned(client, returned):
    html = client.get(f"/tra-cuu/{returned.code}/", {"key": returned.key}).content.decode()
    assert re.search(r'data-testid="status"[^>]*>Đã trả kết quả<', html)
    assert sorted(re.findall(r'name="score" value="(\d)"', html)) == ["1", "2", "3", "4", "5"]
    assert '<textarea class="c-input" name="comment"' in html and 'data-testid="rate-submit"' in html
    assert 'data-testid="rating-thanks"' not in html


def test_no_rating_form_before_the_result_is_returned_and_a_post_writes_nothing(client, receipt):
    html = client.get(f"/tra-cuu/{receipt.code}/", {"key": receipt.key}).content.decode()
    assert 'name="score"' not in html
    response = _rate(client, receipt, score="5")
    assert response.status_code == 409
    assert "Chỉ đánh giá được sau khi nhận kết quả." in response.content.decode()
    assert not DossierRating.objects.exists()


def test_rating_once_then_refused_with_a_message_and_nothing_written(client, returned):
    first = _rate(client, returned, score="4", comment="Nhanh, chu đáo.")
    assert first.status_code == 200
    html = first.content.decode()
    assert 'data-testid="rating-thanks"' in html and 'name="score"' not in html
    assert 'data-testid="rate-submit"' not in html
    again = _rate(client, returned, score="1", comment="Lần hai")
    assert again.status_code == 409
    assert "Hồ sơ đã được đánh giá." in again.content.decode()
    rating = DossierRating.objects.get()
    assert (rating.dossier_id, rating.score, rating.comment) == (returned.dossier.pk, 4, "Nhanh, chu đáo.")
    assert DossierEvent.objects.filter(action=EventAction.RATED).count() == 1
    # Reopened later, the page thanks instead of offering the form.
    later = client.get(f"/tra-cuu/{returned.code}/", {"key": returned.key}).content.decode()
    assert 'data-testid="rating-thanks"' in later and 'name="score"' not in later


@pytest.mark.parametrize("score", ["0", "6", "abc", ""])
def test_a_bad_score_is_a_400_and_writes_nothing(client, returned, score):
    response = _rate(client, returned, score=score)
    assert response.status_code == 400
    assert "c-field-error" in response.content.decode()
    assert not DossierRating.objects.exists()


def test_lookups_are_rate_limited_per_client_address(client, settings, receipt):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"public": "3/minute"}}
    for _ in range(3):
        assert client.post("/tra-cuu/", {"code": receipt.code, "key": receipt.key}).status_code == 200
    blocked = client.post("/tra-cuu/", {"code": receipt.code, "key": receipt.key})
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) >= 1
    html = blocked.content.decode()
    assert 'data-testid="throttled"' in html and "Vui lòng thử lại sau" in html
    assert 'data-testid="status"' not in html
    # The QR link, the rating and the public API count against the same limit.
    assert client.get(f"/tra-cuu/{receipt.code}/", {"key": receipt.key}).status_code == 429
    assert (
        client.post(f"/tra-cuu/{receipt.code}/danh-gia/", {"key": receipt.key, "score": "5"}).status_code
        == 429
    )
    assert client.get(f"/api/v1/public/dossiers/{receipt.code}/", {"key": receipt.key}).status_code == 429
    # Another address is not affected; the empty form is never limited.
    assert client.get("/tra-cuu/").status_code == 200
    other = client.post("/tra-cuu/", {"code": receipt.code, "key": receipt.key}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
