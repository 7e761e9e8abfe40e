"""DRF fields and a serializer base that report in the catalog's words (``bắt buộc``, ``phải là
chuỗi ký tự`` …), for the catalog document's serializers in ``procedures.catalog_checks``."""

import re
from collections.abc import Mapping

from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import empty
from rest_framework.settings import api_settings


class Value(serializers.Field):
    """Missing, null or empty is ``bắt buộc``, unless the field has a ``fallback``: then that is the
    value (the catalog's optional keys)."""

    default_error_messages = {"required": "bắt buộc"}

    def __init__(self, *, fallback=empty, **kwargs):
        self.fallback = fallback
        super().__init__(required=False, **kwargs)

    def validate_empty_values(self, data):
        if data is empty or data is None or data == "":
            if self.fallback is empty:
                self.fail("required")
            return True, self.fallback
        return False, data

    def to_representation(self, value):
        return value


class Text(Value):
    default_error_messages = {"not_text": "phải là chuỗi ký tự", "too_long": "dài quá {max_length} ký tự"}

    def __init__(self, *, max_length: int | None = None, **kwargs):
        self.max_length = max_length
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> str:
        if not isinstance(data, str):
            self.fail("not_text")
        value = data.strip()
        if not value and self.fallback is empty:
            self.fail("required")
        if self.max_length and len(value) > self.max_length:
            self.fail("too_long", max_length=self.max_length)
        return value


class Choice(Value):
    default_error_messages = {"invalid_choice": "giá trị {value} không hợp lệ; chọn một trong: {choices}"}

    def __init__(self, choices: list[str], **kwargs):
        self.choices = list(choices)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> str:
        if data not in self.choices:
            self.fail("invalid_choice", value=repr(data), choices=", ".join(self.choices))
        return data


class Integer(Value):
    default_error_messages = {
        "not_integer": "phải là số nguyên, nhận được {value}",
        "too_small": "phải lớn hơn hoặc bằng {minimum}",
    }

    def __init__(self, *, minimum: int, **kwargs):
        self.minimum = minimum
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("not_integer", value=repr(data))
        if data < self.minimum:
            self.fail("too_small", minimum=self.minimum)
        return data


class Boolean(serializers.Field):
    """Optional, true when missing; present, it must be a JSON boolean."""

    default_error_messages = {"not_boolean": "phải là true hoặc false"}

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def validate_empty_values(self, data):
        return (True, True) if data is empty else (False, data)

    def to_internal_value(self, data) -> bool:
        if not isinstance(data, bool):
            self.fail("not_boolean")
        return data

    def to_representation(self, value):
        return value


class Items(serializers.ListField):
    """A list; missing is an empty one."""

    default_error_messages = {"not_a_list": "phải là một danh sách"}

    def __init__(self, child, *, empty_message: str | None = None, **kwargs):
        super().__init__(child=child, required=False, allow_empty=empty_message is None, **kwargs)
        if empty_message:
            self.error_messages["empty"] = empty_message

    def validate_empty_values(self, data):
        return False, ([] if data is empty else data)


class Object(serializers.Serializer):
    """A JSON object with exactly the declared keys: any other key is a problem of its own."""

    default_error_messages = {
        "invalid": "phải là một đối tượng JSON",
        "required": "bắt buộc",
        "null": "bắt buộc",
    }

    def validate_empty_values(self, data):
        if data is None and isinstance(self.parent, serializers.ListField):
            self.fail("invalid")  # a null item of a list is not an object
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        self.raw = data
        unknown = {}
        if isinstance(data, Mapping):
            unknown = {key: ["trường không được hỗ trợ"] for key in sorted(set(data) - set(self.fields))}
        errors = dict(unknown)
        try:
            value = super().to_internal_value(data)
        except ValidationError as exc:
            errors.update(exc.detail)
            value = None
        if isinstance(data, Mapping):
            for key, message in self.rule_problems(data):
                found = errors.setdefault(key, [])
                if isinstance(found, Mapping):  # the items' own problems: this one is the list's
                    found = found.setdefault(api_settings.NON_FIELD_ERRORS_KEY, [])
                found.append(message)
        if errors:
            raise ValidationError(errors)
        return value

    def rule_problems(self, data: Mapping) -> list[tuple[str, str]]:
        """Problems between fields, each checked when the fields it reads are valid."""
        return []

    def valid(self, name: str, data: Mapping, field: serializers.Field | None = None):
        """``data[name]`` validated by its field (or ``field``) on its own, or None if it is not valid."""
        field = field or self.fields[name]
        value = data.get(name, empty)
        if isinstance(field, Object) and isinstance(value, Mapping):
            value = {key: item for key, item in value.items() if key in field.fields}  # extra keys aside
        try:
            return field.run_validation(value)
        except ValidationError:
            return None


def known(kind: str, message: str):
    """A ``validate_<field>`` checking that a code is in the file or the database."""

    def check(self, code: str) -> str:
        if code not in self.context[kind]:
            raise ValidationError(message.format(code))
        return code

    return check


def unique(kind: str, message: str, pattern: re.Pattern | None = None, form: str = ""):
    """A ``validate_code``: the code's form, then no other item of the file with the same code."""

    def check(self, code: str) -> str:
        seen = self.context.setdefault(f"seen_{kind}", set())
        repeated = code in seen
        seen.add(code)
        if pattern is not None and not pattern.match(code):
            raise ValidationError(f"mã {code} không đúng dạng {form}")
        if repeated:
            raise ValidationError(message.format(code))
        return code

    return check
