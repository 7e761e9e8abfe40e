"""Grouping a version's ordered steps into stages: pure, no database."""

from collections.abc import Sequence
from typing import Protocol


class StepLike(Protocol):
    order: int
    parallel_group: str
    budget_hours: int


def stage_numbers(steps: Sequence[StepLike]) -> list[int]:
    """Stage index (0-based) of each step, in the order given (sorted by ``order``).

    Consecutive steps sharing a non-empty ``parallel_group`` form one stage; any other step is a
    stage of its own. The same group name further on, after another stage, starts a new stage.
    """
    numbers: list[int] = []
    previous_group: str | None = None
    stage = -1
    for step in steps:
        group = step.parallel_group or ""
        if not group or group != previous_group:
            stage += 1
        numbers.append(stage)
        previous_group = group or None
    return numbers


def stage_budgets(steps: Sequence[StepLike]) -> list[int]:
    """Budget in working hours of each stage: a parallel stage counts its longest step."""
    budgets: list[int] = []
    for step, stage in zip(steps, stage_numbers(steps), strict=True):
        if stage == len(budgets):
            budgets.append(step.budget_hours)
        else:
            budgets[stage] = max(budgets[stage], step.budget_hours)
    return budgets
