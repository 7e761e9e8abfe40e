"""A search term written as the start of a dossier code is searched as a code only
(``workflows.codes``): pure checks of the grammar, then what the list finds."""

import pytest
from django.db.models import Q

from tests.factories import AgencyFactory, make_procedure
from tests.workflows.conftest import APPLICANT
from workflows import selectors, services
from workflows.codes import is_code_prefix


@pytest.mark.parametrize(
    ("term", "code"),
    [
        ("000.00.31.H57-260914-0007", True),  # a whole code
        ("000.00.31.h57-2609", True),  # case-insensitive, as istartswith
        ("000.00.", True),  # through the second dot: the shortest
        ("000.00.31.H57-260914-00071", True),  # a sequence of more than four digits
        ("ABC.12.X9.Z01-", True),  # letters where the agency id allows them
        ("000.00", False),  # one dot: may be part of a name
        ("ABC.VN", False),
        ("000.00.31.H57 260914", False),  # a space where the code has a dash
        ("000.00.31.H57-26091A", False),  # a letter in the date
        ("000.00.31.H57-260914-0007X", False),
        ("Người nộp 000.00.31", False),
        ("", False),
    ],
)
def test_a_code_prefix_follows_the_codes_grammar_through_the_second_dot(term, code):
    assert is_code_prefix(term) is code


def test_a_code_shaped_term_finds_the_code_and_not_a_name_written_like_it(clock, make_staff):
    agency = AgencyFactory()
    reception = make_staff(agency, "reception")
    procedure = make_procedure(agency=agency)
    coded, _ = services.dossier_register(
        procedure=procedure, applicant=APPLICANT, channel="online", by=reception
    )
    named, _ = services.dossier_register(
        procedure=procedure,
        applicant={**APPLICANT, "name": f"Công ty {coded.code.lower()}"},
        channel="online",
        by=reception,
    )

    def found(term):
        return set(selectors.dossier_list(user=reception, search=term).values_list("pk", flat=True))

    assert found(coded.code) == {coded.pk}
    assert selectors.search_plan(coded.code).condition == Q(code__istartswith=coded.code)
    short = agency.code[:6]  # "000.00": the start of both codes, and a part of the name
    assert found(short) == {coded.pk, named.pk}
    assert found(f"ty {short}") == {named.pk}  # a name part is still a name part
