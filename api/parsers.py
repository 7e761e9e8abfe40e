"""The API's request parsers: every body is bounded in size and, for JSON, in nesting depth.

``DEFAULT_PARSER_CLASSES`` points here, so every endpoint gets the same limits: a body over
``ONESTOP_MAX_REQUEST_BYTES`` is a 413 before it is read, a JSON document nested deeper than
``core.limits.MAX_JSON_DEPTH`` a 400 before it is decoded (the decoder recurses once per level
and a 2 KB body of brackets used to exhaust Python's stack). Text is NFC-normalised by the
serializers' ``api.fields.Text``, not here: a password must reach the hasher as typed.
"""

import re
from itertools import accumulate

from django.conf import settings
from rest_framework import exceptions, parsers, status
from rest_framework.utils import json

from core.limits import MAX_JSON_DEPTH, max_request_bytes


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    default_detail = "Dữ liệu gửi lên quá lớn."


def too_large() -> RequestTooLarge:
    limit = max_request_bytes()
    return RequestTooLarge(f"Dữ liệu gửi lên quá lớn (tối đa {limit:,} byte).".replace(",", "."))


def _declared_length(parser_context: dict | None) -> int:
    request = (parser_context or {}).get("request")
    meta = getattr(request, "META", {})
    try:
        return int(meta.get("CONTENT_LENGTH") or 0)
    except (TypeError, ValueError):
        return 0


def _check_declared_length(parser_context: dict | None) -> None:
    if _declared_length(parser_context) > max_request_bytes():
        raise too_large()


# A JSON string with its escapes; and whatever is not a bracket.
_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_DELTA = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether objects and arrays nest deeper than ``limit``, brackets inside strings aside.

    Linear, without recursion, and in C loops (a 1 MiB body takes milliseconds). On text that is
    not JSON the count may be off, but the decoder then stops with a syntax error before it gets
    deeper than the text tokenised so far."""
    if text.count("[") + text.count("{") <= limit:
        return False
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    return max(accumulate(map(_DELTA.__getitem__, brackets)), default=0) > limit


# A lone surrogate can only come from a ``\\udXXX`` escape (the UTF-8 decoder refuses encoded ones).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def has_lone_surrogate(value) -> bool:
    """Whether a decoded JSON value holds a lone surrogate, which no response could encode."""
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, list):
        return any(has_lone_surrogate(item) for item in value)
    if isinstance(value, dict):
        return any(has_lone_surrogate(key) or has_lone_surrogate(item) for key, item in value.items())
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        _check_declared_length(parser_context)
        limit = max_request_bytes()
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise too_large()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            raise exceptions.ParseError(f"Dữ liệu không phải văn bản {encoding}.") from None
        if json_depth_exceeds(text, MAX_JSON_DEPTH):
            raise exceptions.ParseError(f"Dữ liệu JSON lồng nhau quá sâu (tối đa {MAX_JSON_DEPTH} cấp).")
        parse_constant = json.strict_constant if self.strict else None
        try:
            data = json.loads(text, parse_constant=parse_constant)
        except RecursionError:  # belt and braces: the depth check should make this unreachable
            raise exceptions.ParseError("Dữ liệu JSON lồng nhau quá sâu.") from None
        except ValueError as exc:
            raise exceptions.ParseError(f"Dữ liệu JSON không hợp lệ: {exc}") from None
        if _SURROGATE_ESCAPE.search(text) and has_lone_surrogate(data):
            raise exceptions.ParseError("Dữ liệu chứa ký tự Unicode không hợp lệ (surrogate đơn lẻ).")
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        _check_declared_length(parser_context)
        return super().parse(stream, media_type, parser_context)


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        _check_declared_length(parser_context)
        return super().parse(stream, media_type, parser_context)
