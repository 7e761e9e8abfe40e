from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, Throttled

from api.exceptions import exception_handler
from core.exceptions import Conflict, NotFound


def test_nested_validation_errors_are_flattened_to_dotted_paths():
    exc = serializers.ValidationError(
        {"applicant": {"phone": ["Số điện thoại không hợp lệ."]}, "channel": ["x"]}
    )
    response = exception_handler(exc, {})
    assert response.status_code == 400
    error = response.data["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {"applicant.phone": ["Số điện thoại không hợp lệ."], "channel": ["x"]}
    assert "applicant.phone" in error["message"]


def test_domain_errors_keep_their_status_code_and_message():
    response = exception_handler(Conflict("Bước này đã được xử lý.", code="task_completed"), {})
    assert response.status_code == 409
    assert response.data == {
        "error": {"code": "task_completed", "message": "Bước này đã được xử lý.", "fields": {}}
    }
    assert exception_handler(NotFound("Không tìm thấy hồ sơ."), {}).status_code == 404


def test_drf_errors_take_the_same_shape_and_throttling_says_when_to_retry():
    response = exception_handler(NotAuthenticated(), {})
    assert response.status_code == 401
    assert response.data["error"]["code"] == "not_authenticated"
    throttled = exception_handler(Throttled(wait=12), {})
    assert throttled.status_code == 429
    assert throttled["Retry-After"] == "12"
