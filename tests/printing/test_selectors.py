"""The form selectors read a dossier in a fixed, small number of queries, whatever its history;
the tracking book is one streamed query; the tracking book's permission."""

import pytest

from printing import selectors
from printing.registry import FORMS
from procedures.models import Agency
from workflows.permissions import Action, can

from .conftest import PRINTED_AT, local

# form -> (state, queries to load the dossier and select the form's data)
QUERIES = {
    "receipt": ("processing", 1),
    "supplement-request": ("supplement", 3),
    "refusal": ("refused", 2),
    "apology": ("extended", 2),
    "withdrawal": ("withdrawn", 2),
    "control-sheet": ("returned", 4),
}


@pytest.mark.parametrize("form", list(QUERIES))
def test_each_form_selects_its_data_in_a_fixed_number_of_queries(dossier_in, form, django_assert_num_queries):
    state, expected = QUERIES[form]
    dossier, _ = dossier_in(state)
    with django_assert_num_queries(expected):
        data = FORMS[form].select(selectors.load(dossier.code), at=PRINTED_AT)
    assert data.code == dossier.code


def test_the_tracking_book_is_one_query_however_many_rows(
    dossier_in, register, agencies, django_assert_num_queries
):
    dossier_in("returned")
    for _ in range(5):
        register()
    book = selectors.tracking_book(
        agency=agencies[0], start=local(2026, 3, 1), end=local(2026, 4, 1), at=PRINTED_AT,
        date_from=local(2026, 3, 1).date(), date_to=local(2026, 3, 31).date(),
    )  # fmt: skip
    with django_assert_num_queries(1):
        assert len(list(book.rows)) == 6


def test_who_may_print_an_agencys_tracking_book(staff, agencies):
    own, other = agencies
    own = Agency.objects.get(pk=own.pk)
    allowed = {who for who, user in staff.items() if can(user, Action.PRINT_TRACKING_BOOK, own)}
    assert allowed == {(0, "reception"), (0, "head"), "supervisor"}
    assert can(staff[(1, "reception")], Action.PRINT_TRACKING_BOOK, other)
