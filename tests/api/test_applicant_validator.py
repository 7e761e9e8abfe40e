"""The API's applicant serializer and the intake services apply one validator
(workflows.applicants.validate_applicant), so the rules and their messages cannot drift apart."""

import pytest

from api.serializers import ApplicantIn
from core.exceptions import InvalidInput
from workflows import services
from workflows.applicants import validate_applicant

PERSON = {"name": "Nguyễn Văn An", "id_number": "001090012345", "phone": "0912345678"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "organisation"}, "applicant.id_number"),  # a company needs a 10/13-digit tax code
        ({"phone": "", "email": ""}, "applicant.phone"),  # some way to reach the applicant
        ({"email": "an@"}, "applicant.email"),
    ],
)
def test_the_serializer_refuses_what_the_service_refuses_with_the_same_error(change, field):
    applicant = {**PERSON, **change}
    with pytest.raises(InvalidInput) as by_service:
        validate_applicant(applicant)
    with pytest.raises(InvalidInput) as by_serializer:
        ApplicantIn(data=applicant).is_valid(raise_exception=True)
    assert field in by_service.value.fields
    assert (by_serializer.value.message, by_serializer.value.fields) == (
        by_service.value.message,
        by_service.value.fields,
    )


def test_one_validator():
    assert services.validate_applicant is validate_applicant
    assert ApplicantIn(data=PERSON).is_valid()
