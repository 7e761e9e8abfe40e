"""What the reliability suite covered, added up by its tests and printed at the end of the run
(``conftest.pytest_terminal_summary``). Counters only ever grow from what a test really did."""

from collections import Counter

FIGURES: Counter = Counter()

ROWS = (
    ("dossiers", "dossiers driven over HTTP"),
    ("transitions", "transitions (successful writes)"),
    ("workers", "concurrent worker processes"),
    ("faults_injected", "faults injected"),
    ("faults_survived", "faults survived"),
    ("bad_inputs", "bad inputs tried (tests/api input tables)"),
    ("authorization_cases", "authorization cases"),
    ("server_errors", "500s seen"),
    ("invariant_violations", "invariant violations"),
)


def add(**counts: int) -> None:
    FIGURES.update(counts)


def peak(name: str, value: int) -> None:
    """A maximum, not a sum (concurrent workers)."""
    FIGURES[name] = max(FIGURES[name], value)


def table() -> list[str]:
    width = max(len(label) for _, label in ROWS)
    return [f"{label:<{width}}  {FIGURES[key]:>8,}" for key, label in ROWS]
