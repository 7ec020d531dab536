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


def test_the_corpus_runs_take_every_folder_once_a_round_and_every_pair_in_all():
    folders = {folder for folder, _ in rotation.CORPUS_RUNS}
    examples = rotation.CORPUS_EXAMPLES
    assert set(rotation.CORPUS_RUNS) == {(f, e) for f in folders for e in examples}
    assert len(rotation.CORPUS_RUNS) == len(folders) * len(examples)
    first_round = rotation.CORPUS_RUNS[:len(folders)]
    assert {f for f, _ in first_round} == folders
    assert len({e for _, e in first_round}) == min(len(examples), len(folders))


def test_the_weekly_every_case_job_leaves_the_corpus_runs_to_their_own_job(monkeypatch):
    import importlib

    monkeypatch.setenv("D2I_FULL_MATRIX", "1")
    monkeypatch.setenv("D2I_CORPUS_SAMPLE", "1")
    assert not importlib.reload(rotation).CORPUS_FULL
    monkeypatch.delenv("D2I_CORPUS_SAMPLE")
    assert importlib.reload(rotation).CORPUS_FULL
    monkeypatch.undo()  # the module as this run's environment set it
    importlib.reload(rotation)


def test_every_folder_is_checked_with_two_examples_a_week_and_all_within_weeks():
    folders = list(dict.fromkeys(folder for folder, _ in rotation.CORPUS_RUNS))
    examples = set(rotation.CORPUS_EXAMPLES)
    weeks = [(2027, n, 1) for n in range(1, len(examples) + 1)]
    seen = {folder: set() for folder in folders}
    for week in weeks:
        for folder in folders:
            chosen = rotation.corpus_checks(folder, week)
            assert len(chosen) == rotation.CORPUS_CHECK_ROUNDS
            assert len(set(chosen)) == len(chosen)
            seen[folder] |= set(chosen)
    assert all(got == examples for got in seen.values())


def test_binder_opens_getting_started_every_time_and_every_example_within_weeks():
    from d2i_examples.book import build as book

    examples = book.toc_notebooks()
    weeks = -(-(len(examples) - 1) // rotation.BINDER_KEPT)
    seen = set()
    for number in range(1, weeks + 1):
        chosen = rotation.binder_notebooks(week=(2027, number, 1), full=False)
        assert chosen[0] == "getting-started" and len(set(chosen)) == rotation.BINDER_KEPT + 1
        seen |= set(chosen)
    assert seen == set(examples)
    assert rotation.binder_notebooks(full=True) == ["getting-started"] + [
        name for name in examples if name != "getting-started"]
