"""The ids of dossiers whose applicant's name contains a term: the list's probe of a name search.

The search matches ``UPPER(applicant_name) LIKE UPPER('%term%')`` (``icontains``: case-insensitive,
accents as typed). Through the trigram GIN index that costs as much as the table is long when the
term holds a common word: each id of the rarest trigram (thousands of them) advances the posting
lists of the common ones ("Nguyễn", "Văn", the seeder's "nộp"), which are then read whole.

A term of several words says more than its trigrams: every word after the first is the start of a
word of the name (the first may be the end of one, "guyễn Văn"; the last may be cut short,
"Văn Hù"; the ones between are whole words). ``name_words_query`` writes that as a ``tsquery``
(``'văn' & 'hù':*``), which the GIN index on ``to_tsvector('simple', applicant_name)`` (migration
0016) answers from the posting lists of whole words: a rare word (a given name, the seeder's
number) is a few index pages however long the table. The same ``icontains`` test (as ``strpos``)
then filters those candidates, so the ids are exactly today's.

The word index is the probe's only when the planner expects few names to contain the term (its
estimate from the name's statistics): a common term ("Người nộp", "Nguyễn Văn") would make it read
a posting list as long as the table, where the plain probe stops at its LIMIT. A one-word term (a
fragment anywhere, "hùng" in "Phùng"), a common one, and other databases (SQLite) keep the plain
``icontains`` probe (the trigram index on PostgreSQL).
"""

from __future__ import annotations

import json

from django.db import connection, transaction

from .models import Dossier

# The text search configuration: ``simple`` lowercases each word and keeps them all (no stop words,
# no stemming), so "Thị" or "Văn" is a lexeme like any other. Migration 0016 indexes the same expression.
WORDS = "to_tsvector('simple'::regconfig, applicant_name::text)"

# The word index is used when the planner expects at most this many names to contain the term, and
# at most this fraction of the table to have its words.
WORDS_MAX_ESTIMATE = 20_000
WORDS_MAX_FRACTION = 0.05


def name_words_query(term: str) -> str | None:
    """The ``tsquery`` text a name containing ``term`` must match, or None when the words say
    nothing an index can use (one word; a word with punctuation, which the text parser would
    split otherwise than the name's). Pure: ``"Người nộp 987654"`` → ``"'nộp' & '987654':*"``."""
    rest = term.split()[1:]  # the first word may be the end of a word of the name: not a lexeme
    if not rest or not all(word.isalnum() for word in rest):
        return None
    lexemes = [f"'{word.lower()}'" for word in rest]
    lexemes[-1] += ":*"  # the last word may be the start of a longer one
    return " & ".join(lexemes)


def name_ids(term: str, limit: int) -> list[int]:
    """Ids of dossiers whose applicant's name contains ``term`` (``icontains``), at most ``limit``,
    in no order: through the word index when it is cheaper (see the module), else the plain probe."""
    query = name_words_query(term) if connection.vendor == "postgresql" else None
    if query is None or not words_index_pays(*_estimates(term, query)):
        rows = Dossier.objects.filter(applicant_name__icontains=term).order_by()
        return list(rows.values_list("pk", flat=True)[:limit])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SERIAL)
        cursor.execute(WORDS_PROBE, [query, term, limit])
        return [row[0] for row in cursor.fetchall()]


def words_index_pays(containing: float, with_words: float, table: float) -> bool:
    """Whether the word index is the probe's, from the planner's estimates of the names containing
    the term, the names with its words, and the table's rows. Pure. Few names must contain the
    term (else the plain probe stops at its LIMIT, sooner), and the words must be rare enough for a
    bitmap scan of their index to be the planner's choice."""
    return containing <= WORDS_MAX_ESTIMATE and with_words <= WORDS_MAX_FRACTION * table


# No parallel workers for the probe (this transaction only): a prefix's estimate is often a guess
# (2 % of the table when the words are too rare for the statistics, as the seeder's numbers are),
# and starting the workers for 2 % of 10 M rows costs 10-20 ms, where the scan reads a few pages.
SERIAL = "SELECT set_config('max_parallel_workers_per_gather', '0', true)"

# The word index's candidates (a CTE, planned for all its rows: a bitmap scan of the index, where a
# LIMIT on the same query could make a scan of the table look cheaper), then the ``icontains`` test,
# written as ``strpos``.
WORDS_PROBE = (
    "WITH words AS MATERIALIZED ("
    f"SELECT id, applicant_name FROM workflows_dossier WHERE {WORDS} @@ to_tsquery('simple'::regconfig, %s))"
    " SELECT id FROM words WHERE strpos(UPPER(applicant_name::text), UPPER(%s)) > 0 LIMIT %s"
)


def _estimates(term: str, query: str) -> tuple[float, float, float]:
    """The planner's estimates (one EXPLAIN, nothing read) of the names containing ``term`` (from the
    statistics of ``UPPER(applicant_name)``, the trigram index's expression), of the names with the
    words of ``query`` (the word index's), and of the table's rows."""
    sql = (
        "EXPLAIN (FORMAT JSON)"
        " SELECT 1 FROM workflows_dossier WHERE UPPER(applicant_name::text) LIKE UPPER(%s)"
        f" UNION ALL SELECT 1 FROM workflows_dossier WHERE {WORDS} @@ to_tsquery('simple'::regconfig, %s)"
        " UNION ALL SELECT 1 FROM workflows_dossier"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"%{connection.ops.prep_for_like_query(term)}%", query])
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    containing, with_words, table = (branch["Plan Rows"] for branch in plan[0]["Plan"]["Plans"])
    return containing, with_words, table
