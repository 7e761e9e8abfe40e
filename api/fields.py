"""Input fields of the API's serializers: text in NFC, datetimes with an offset, sane years.

Every text a client sends goes through ``Text`` (query parameters and form fields included; JSON
bodies are already NFC from ``api.parsers``), so a name typed in decomposed form (NFD, as some
keyboards and macOS send it) is stored and searched in the same form as one typed composed.
"""

import datetime as dt

from django.utils import timezone
from rest_framework import serializers

from core.limits import MAX_YEAR, MIN_YEAR
from core.text import nfc

YEAR_RANGE_MESSAGE = f"Năm phải trong khoảng {MIN_YEAR}–{MAX_YEAR}."


class Text(serializers.CharField):
    """A ``CharField`` whose value is NFC-normalised before its length and other checks."""

    def to_internal_value(self, data):
        return nfc(super().to_internal_value(data))


class Integer(serializers.IntegerField):
    """An ``IntegerField`` that takes ASCII digits only (``int("٥")`` is 5 in Python)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not data.isascii():
            self.fail("invalid")
        return super().to_internal_value(data)


class AwareDateTime(serializers.DateTimeField):
    """ISO 8601 with a UTC offset; a naive time is refused, not taken as office time."""

    default_error_messages = {
        "naive": "Thời điểm phải ghi rõ múi giờ, ví dụ 2026-12-04T10:00:00+07:00 hoặc …Z.",
        "year_range": YEAR_RANGE_MESSAGE,
    }

    def enforce_timezone(self, value: dt.datetime) -> dt.datetime:
        if timezone.is_naive(value):
            self.fail("naive")
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            self.fail("year_range")
        return super().enforce_timezone(value)


class BoundedDate(serializers.DateField):
    """A date whose year is within ``MIN_YEAR``..``MAX_YEAR`` (so a day after it still exists)."""

    default_error_messages = {"year_range": YEAR_RANGE_MESSAGE}

    def to_internal_value(self, value) -> dt.date:
        day = super().to_internal_value(value)
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            self.fail("year_range")
        return day
