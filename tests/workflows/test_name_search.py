"""The name search's probe (``workflows.name_search``): the word index finds exactly the names that
``icontains`` finds, and is used only where the planner's estimates say it pays."""

import pytest
from django.db import connection, transaction

from tests.factories import AgencyFactory, make_procedure
from tests.workflows.conftest import APPLICANT
from workflows import name_search, services
from workflows.models import Dossier


@pytest.mark.parametrize(
    ("term", "query"),
    [
        ("Người nộp 987654", "'nộp' & '987654':*"),
        ("nộp 987654", "'987654':*"),  # the first word may end a word: not a lexeme
        ("gười  NỘP   98", "'nộp' & '98':*"),  # lowercased; runs of spaces are one
        ("Văn Hù", "'hù':*"),
        ("Nguyễn Văn An", "'văn' & 'an':*"),
        ("Hùng", None),  # one word: a fragment anywhere ("Phùng"), for the trigram index
        ("Lê Đức-Anh", None),  # punctuation: the text parser splits it otherwise
        ("Lê 'x':*", None),  # nothing of tsquery's syntax gets through
        ("Lê 50%", None),
        ("", None),
    ],
)
def test_the_words_after_the_first_become_lexemes_the_last_a_prefix(term, query):
    assert name_search.name_words_query(term) == query


@pytest.mark.parametrize(
    ("containing", "with_words", "table", "pays"),
    [
        (100, 20_000, 1_000_000, True),  # a rare name (the seeder's number; a rare given name)
        (1_000_000, 20_000, 1_000_000, False),  # a common one ("Người nộp"): the plain probe's LIMIT
        (100, 380_000, 1_000_000, False),  # its words are common ("… Nguyễn"): a table scan's plan
        (name_search.WORDS_MAX_ESTIMATE, 50_000, 1_000_000, True),  # at both bounds
    ],
)
def test_the_word_index_pays_for_few_names_with_rare_words(containing, with_words, table, pays):
    assert name_search.words_index_pays(containing, with_words, table) is pays


NAMES = [
    "Nguyễn Văn An",
    "NGUYỄN VĂN ANH",
    "nguyen van an",  # no accents: not "Văn An"
    "Phùng Văn Hùng",
    "Trần  Văn   Bình",  # runs of spaces: has the words of "Văn Bình", not the text
    "Người nộp 987654",
    "Người nộp 9876543",
    "Xnộp 987654",  # "nộp" ends a word
    "Lê Thị Đức-Anh",
    "Mary O'Brien",
]
TERMS = [
    "nộp 987654",
    "gười nộp 98",
    "Người nộp 9876543",
    "văn an",
    "Văn A",
    "VĂN HÙNG",
    "Văn Bình",
    "van an",
    "Thị Đức",
    "Đức-Anh",
    "O'Brien",
    "Mary O",
    "n Văn",
    "văn an x",
]


@pytest.fixture
def named(db, make_staff):
    agency = AgencyFactory()
    procedure, reception = make_procedure(agency=agency), make_staff(agency, "reception")
    for name in NAMES:
        services.dossier_register(
            procedure=procedure, applicant={**APPLICANT, "name": name}, channel="online", by=reception
        )


@pytest.mark.parametrize("term", TERMS)
def test_the_probe_finds_what_icontains_finds(named, term):
    expected = set(Dossier.objects.filter(applicant_name__icontains=term).values_list("pk", flat=True))
    assert set(name_search.name_ids(term, 100)) == expected
    assert len(name_search.name_ids(term, 1)) == min(1, len(expected))  # the LIMIT holds


@pytest.mark.postgres
@pytest.mark.parametrize("term", [t for t in TERMS if name_search.name_words_query(t)])
def test_the_word_index_finds_what_icontains_finds(named, term):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's word index")
    expected = set(Dossier.objects.filter(applicant_name__icontains=term).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(name_search.WORDS_PROBE, [name_search.name_words_query(term), term, 100])
        assert {row[0] for row in cursor.fetchall()} == expected


@pytest.mark.postgres
def test_the_word_probe_reads_the_word_index_and_the_estimates_are_the_planners(named):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's word index")
    query = name_search.name_words_query("nộp 987654")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table of ten rows: the index if it can
        cursor.execute("EXPLAIN " + name_search.WORDS_PROBE, [query, "nộp 987654", 10])
        assert "dossier_applicant_name_words" in " ".join(row[0] for row in cursor.fetchall())
    containing, with_words, table = name_search._estimates("nộp 987654", query)
    assert 0 < containing <= table and 0 < with_words <= table
