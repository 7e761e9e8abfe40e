"""The dossier code's grammar, for reading a search term: ``<agency id>-<YYMMDD>-<NNNN>``, e.g.
``000.00.31.H57-260914-0007`` (the agency's electronic id ``MX1X2.Y1Y2Y3.Z1Z2``, the office day of
receipt, a daily sequence of at least four digits; ``services.intake`` writes it).

A term typed as the start of a code, through the agency id's second dot at least (``000.00.``), is
searched as a code only: no applicant's name is written that way, and probing the names for it
reads the name index's digit trigrams, which are common (ids, house numbers, company names). A
shorter term (``000.00``, ``ABC.VN``) may be part of a name and is searched in both.
"""

from __future__ import annotations

# One character of the code per character: A a letter or digit, D a digit, others themselves.
# The sequence may be longer than four digits: any further characters must be digits.
SHAPE = "AAA.AA.AA.AAA-DDDDDD-DDDD"
ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
DIGITS = frozenset("0123456789")
# A term must reach the agency id's second dot to be read as a code.
MIN_DOTS = 2


def is_code_prefix(term: str) -> bool:
    """Whether ``term`` is the start of a dossier code (case-insensitive, as the search's
    ``istartswith``), written at least through the agency id's second dot. Pure:
    ``"000.00.31.h57-2609"`` → True, ``"000.00"`` → False, ``"Người nộp 1"`` → False."""
    term = term.upper()
    if term.count(".") < MIN_DOTS:
        return False
    for i, char in enumerate(term):
        shape = SHAPE[i] if i < len(SHAPE) else "D"
        if shape == "A":
            ok = char in ALNUM
        elif shape == "D":
            ok = char in DIGITS
        else:
            ok = char == shape
        if not ok:
            return False
    return True
