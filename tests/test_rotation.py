"""The rotating sample of a large matrix: this week's few, and every case within weeks."""

from __future__ import annotations

from tests.fixtures import rotation


def test_each_week_runs_keep_cases_and_every_case_runs_within_a_few_weeks():
    cases = list(range(10))
    seen = set()
    for number in range(1, 4):
        chosen = rotation.sample(cases, 4, week=(2026, number, 1))
        assert len(chosen) == len(set(chosen)) == 4
        seen.update(chosen)
    assert seen == set(cases)  # ceil(10 / 4) = 3 weeks


def test_a_small_matrix_or_the_full_run_keeps_every_case(monkeypatch):
    assert rotation.sample([1, 2], 4) == [1, 2]
    monkeypatch.setattr(rotation, "FULL", True)
    assert rotation.sample(list(range(10)), 4) == list(range(10))
    assert rotation.sample_note("m", list(range(10)), 4) == "m: all 10 cases"
