from dataclasses import dataclass

from procedures.stages import stage_budgets, stage_numbers


@dataclass
class S:
    order: int
    budget_hours: int
    parallel_group: str = ""


def test_sequential_steps_are_one_stage_each():
    steps = [S(1, 8), S(2, 16), S(3, 4)]
    assert stage_numbers(steps) == [0, 1, 2]
    assert stage_budgets(steps) == [8, 16, 4]


def test_consecutive_steps_of_a_group_share_a_stage_and_its_longest_budget():
    steps = [S(1, 32), S(2, 8, "consult"), S(3, 12, "consult"), S(4, 8)]
    assert stage_numbers(steps) == [0, 1, 1, 2]
    assert stage_budgets(steps) == [32, 12, 8]


def test_the_same_group_name_later_on_is_a_new_stage():
    steps = [S(1, 4, "a"), S(2, 4, "a"), S(3, 8), S(4, 2, "a"), S(5, 6, "b"), S(6, 1, "b")]
    assert stage_numbers(steps) == [0, 0, 1, 2, 3, 3]
    assert stage_budgets(steps) == [4, 8, 2, 6]
