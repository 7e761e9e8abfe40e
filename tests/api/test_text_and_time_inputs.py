"""Text and time as clients send them (issue 10, items 10, 12, 13): digits other than ASCII in ID
numbers, tax codes and phones; names in decomposed Unicode (NFD); datetimes without an offset."""

import datetime as dt
import unicodedata

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.exceptions import InvalidInput
from tests.factories import make_procedure
from workflows.models import Dossier, DossierExtension
from workflows.services import validate_applicant

from .conftest import APPLICANT, registration

pytestmark = pytest.mark.django_db

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")

# --- item 10: ASCII digits only (refused, not converted: what is stored is what was typed) ---------


@pytest.mark.parametrize(
    "digits", [FULL_WIDTH, ARABIC_INDIC, DEVANAGARI], ids=["full-width", "arabic", "deva"]
)
@pytest.mark.parametrize(
    ("applicant", "field"),
    [
        ({"id_number": "079190001234"}, "applicant.id_number"),
        ({"phone": "0905123456"}, "applicant.phone"),
        ({"phone": "+84905123456"}, "applicant.phone"),
        ({"kind": "organisation", "id_number": "3301234567"}, "applicant.id_number"),
        ({"kind": "organisation", "id_number": "3301234567001"}, "applicant.id_number"),
    ],
)
def test_non_ascii_digits_are_refused(staff, as_user, procedure, digits, applicant, field):
    changed = {key: value.translate(digits) for key, value in applicant.items() if key != "kind"}
    body = registration("1.001234", applicant={**APPLICANT, **applicant, **changed})
    response = as_user(staff[(0, "reception")]).post("/api/v1/dossiers/", body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert not Dossier.objects.exists()


def test_the_service_validator_takes_ascii_digits_only():
    assert validate_applicant(APPLICANT)["applicant_id_number"] == APPLICANT["id_number"]
    for field in ("id_number", "phone"):
        with pytest.raises(InvalidInput) as caught:
            validate_applicant({**APPLICANT, field: APPLICANT[field].translate(FULL_WIDTH)})
        assert list(caught.value.fields) == [f"applicant.{field}"]


@pytest.mark.parametrize("value", ["٥", "５"])
def test_integer_parameters_take_ascii_digits_only(staff, as_user, procedure, value):
    documents = [{"name": "Tờ khai", "count": value}]
    response = as_user(staff[(0, "reception")]).post(
        "/api/v1/dossiers/", registration("1.001234", documents=documents), format="json"
    )
    assert response.status_code == 400 and "documents[0].count" in response.json()["error"]["fields"]


@pytest.mark.parametrize("query", ["period=year&year=٢٠٢٦", "period=month&year=2026&number=３"])
def test_report_integers_take_ascii_digits_only(staff, as_user, query):
    response = as_user(staff["supervisor"]).get(f"/api/v1/reports/processing/?{query}")
    assert response.status_code == 400, response.content[:200]


# --- item 12: NFC at the boundary -----------------------------------------------------------------

NAME = "Nguyễn Thị Ánh Tuyết"
NFD_NAME = unicodedata.normalize("NFD", NAME)


def test_a_name_sent_in_nfd_is_stored_in_nfc_and_found_by_either_form(staff, as_user, procedure):
    assert NFD_NAME != NAME
    reception = as_user(staff[(0, "reception")])
    body = registration(
        "1.001234",
        applicant={**APPLICANT, "name": NFD_NAME, "address": unicodedata.normalize("NFD", "Số 5 Hùng Vương")},
        documents=[{"name": unicodedata.normalize("NFD", "Tờ khai đăng ký")}],
    )
    response = reception.post("/api/v1/dossiers/", body, format="json")
    assert response.status_code == 201, response.json()
    dossier = Dossier.objects.get()
    assert dossier.applicant_name == NAME
    assert dossier.applicant_address == "Số 5 Hùng Vương"
    assert dossier.documents[0]["name"] == "Tờ khai đăng ký"
    for term in ("Ánh Tuyết", unicodedata.normalize("NFD", "Ánh Tuyết")):
        found = reception.get("/api/v1/dossiers/", {"search": term}).json()
        assert [row["code"] for row in found["results"]] == [dossier.code], term


def test_a_form_encoded_body_and_a_refusal_reason_are_normalised_too(staff, as_user, procedure):
    reason = unicodedata.normalize("NFD", "Thiếu giấy chứng sinh")
    response = as_user(staff[(0, "reception")]).post(
        "/api/v1/dossiers/refusals/", registration("1.001234", reasons=[reason]), format="json"
    )
    assert response.status_code == 201, response.json()
    assert Dossier.objects.get().reasons == ["Thiếu giấy chứng sinh"]
    task_reason = unicodedata.normalize("NFD", "Tên đăng nhập")
    login = as_user(None).post("/api/v1/auth/token/", {"username": task_reason, "password": "x"})
    assert login.status_code == 400  # parsed as multipart, normalised, and simply unknown


def test_catalog_search_in_nfd_finds_a_procedure_named_in_nfc(agencies):
    procedure = make_procedure(code="1.009999", agency=agencies[0])
    procedure.name = "Đăng ký khai sinh"
    procedure.save(update_fields=["name"])

    response = APIClient().get("/api/v1/procedures/", {"search": unicodedata.normalize("NFD", "khai sinh")})
    assert [row["code"] for row in response.json()["results"]] == ["1.009999"]
    response = APIClient().get("/api/v1/procedures/", {"search": unicodedata.normalize("NFD", "Đăng ký")})
    assert [row["code"] for row in response.json()["results"]] == ["1.009999"]


def test_every_text_field_of_every_input_serializer_normalises():
    """A guard: a new input field that is a plain ``CharField`` would skip NFC."""
    from rest_framework import serializers

    from api import auth, calendar, notifications, procedures
    from api import serializers as s
    from api.fields import Text

    inputs = [
        s.DossierCreateIn,
        s.RefusalIn,
        s.DecisionIn,
        s.ReassignIn,
        s.SupplementIn,
        s.ExtendIn,
        s.WithdrawIn,
        s.RatingIn,
        s.DossierListQuery,
        s.TaskListQuery,
        s.PublicLookupQuery,
        auth.TokenRequestSerializer,
        calendar.DueDateQuerySerializer,
        procedures.ListParams,
        notifications.QueueQuery,
        notifications.UnreadQuery,
    ]

    def walk(serializer, path):
        for name, field in serializer.fields.items():
            child = getattr(field, "child", field)
            if isinstance(child, serializers.BaseSerializer):
                yield from walk(child, f"{path}.{name}")
            elif isinstance(child, serializers.CharField) and not isinstance(child, serializers.ChoiceField):
                yield f"{path}.{name}", child

    plain = [
        path
        for cls in inputs
        for path, field in walk(cls(), cls.__name__)
        if not isinstance(field, Text) and path != "TokenRequestSerializer.password"
    ]
    assert not plain, plain


# --- item 13: a datetime without an offset is refused --------------------------------------------


@pytest.fixture
def receipt(staff, as_user, procedure):
    return (
        as_user(staff[(0, "reception")])
        .post("/api/v1/dossiers/", registration("1.001234"), format="json")
        .json()
    )


def _local_naive(value: dt.datetime) -> str:
    return timezone.localtime(value).replace(tzinfo=None).isoformat()


def test_a_naive_received_at_is_refused_with_a_request_for_an_offset(staff, as_user, procedure):
    earlier = _local_naive(timezone.now() - dt.timedelta(days=1))
    response = as_user(staff[(0, "reception")]).post(
        "/api/v1/dossiers/", registration("1.001234", received_at=earlier), format="json"
    )
    assert response.status_code == 400
    assert "múi giờ" in response.json()["error"]["fields"]["received_at"][0]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("shape", ["naive", "date only"])
def test_a_naive_new_due_at_is_refused(staff, as_user, receipt, shape):
    new_due = dt.datetime.fromisoformat(receipt["due_at"]) + dt.timedelta(days=2)
    value = _local_naive(new_due) if shape == "naive" else new_due.date().isoformat()
    head = as_user(staff[(0, "head")])
    refused = head.post(
        f"/api/v1/dossiers/{receipt['code']}/extend/", {"new_due_at": value, "reason": "Chờ."}, format="json"
    )
    assert refused.status_code == 400
    assert "múi giờ" in refused.json()["error"]["fields"]["new_due_at"][0]
    assert not DossierExtension.objects.exists()
    # The same instant with its offset is accepted.
    accepted = head.post(
        f"/api/v1/dossiers/{receipt['code']}/extend/",
        {"new_due_at": new_due.isoformat(), "reason": "Chờ."},
        format="json",
    )
    assert accepted.status_code == 200, accepted.json()
