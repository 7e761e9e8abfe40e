"""The applicant's identity and contact fields: the one validator the API's serializer and the
intake services both call."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from core.exceptions import InvalidInput

from .models import ApplicantKind

# ASCII digits only: ``\d`` alone also matches full-width and Arabic-Indic digits.
PERSON_ID_RE = re.compile(r"^\d{12}$", re.ASCII)  # căn cước công dân

TAX_CODE_RE = re.compile(r"^\d{10}(\d{3})?$", re.ASCII)  # mã số thuế / mã số doanh nghiệp (13 = branch)

PHONE_RE = re.compile(r"^0\d{9,10}$", re.ASCII)


def validate_applicant(applicant: dict[str, Any]) -> dict[str, str]:
    """Normalised applicant fields, or ``InvalidInput`` naming every bad field."""
    if not isinstance(applicant, dict):
        raise InvalidInput("Thiếu thông tin người nộp.", fields={"applicant": ["Bắt buộc."]})
    errors: dict[str, list[str]] = {}
    kind = applicant.get("kind") or ApplicantKind.PERSON
    if kind not in ApplicantKind.values:
        errors["applicant.kind"] = ["Phải là person hoặc organisation."]
    name = str(applicant.get("name") or "").strip()
    if not name:
        errors["applicant.name"] = ["Bắt buộc."]
    elif len(name) > 255:
        errors["applicant.name"] = ["Tối đa 255 ký tự."]
    id_number = re.sub(r"[\s.\-]", "", str(applicant.get("id_number") or ""))
    if kind == ApplicantKind.ORGANISATION:
        if not TAX_CODE_RE.match(id_number):
            errors["applicant.id_number"] = ["Mã số thuế gồm 10 hoặc 13 chữ số."]
    elif not PERSON_ID_RE.match(id_number):
        errors["applicant.id_number"] = ["Số căn cước công dân gồm 12 chữ số."]
    phone = re.sub(r"[\s.\-()]", "", str(applicant.get("phone") or ""))
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    if phone and not PHONE_RE.match(phone):
        errors["applicant.phone"] = ["Số điện thoại không hợp lệ (10 hoặc 11 chữ số, bắt đầu bằng 0)."]
    email = str(applicant.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["applicant.email"] = ["Địa chỉ email không hợp lệ."]
    if not phone and not email and "applicant.phone" not in errors:
        errors["applicant.phone"] = ["Cần số điện thoại hoặc email để liên hệ."]
    address = str(applicant.get("address") or "").strip()
    if len(address) > 500:
        errors["applicant.address"] = ["Tối đa 500 ký tự."]
    if errors:
        raise InvalidInput("Thông tin người nộp không hợp lệ.", fields=errors)
    return {
        "applicant_kind": kind,
        "applicant_name": name,
        "applicant_id_number": id_number,
        "applicant_phone": phone,
        "applicant_email": email,
        "applicant_address": address,
    }
