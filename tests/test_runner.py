"""The notebook runner, on small notebooks that work, fail, hang and crash."""

from __future__ import annotations

import nbformat
import pytest

from d2i_examples import cli
from d2i_examples.runner import (
    ParameterError,
    find_notebooks,
    format_failures,
    format_summary,
    parse_assignment,
    read_params_file,
    run_notebooks,
)
from d2i_examples.settings.parameters import declared_parameters, inject_parameters
from tests.notebook_factory import make_notebook, outputs_text

PARAMS = 'year = 2026  # collection year\nlabel = "sample"  # a word'


@pytest.fixture
def out(tmp_path):
    return tmp_path / "executed"


def run(notebooks, out, **kwargs):
    # The cache key covers sample_data/, uv.lock and src/ under inputs_root: point it at
    # the test's own folder so edits elsewhere in the checkout do not disturb the test.
    kwargs.setdefault("inputs_root", out.parent)
    kwargs.setdefault("timeout", 60)
    kwargs.setdefault("progress", None)
    return run_notebooks(notebooks, out, **kwargs)


def test_good_notebook_runs_into_build_folder_and_original_is_untouched(tmp_path, out):
    nb = make_notebook(tmp_path / "good.ipynb", "print(6 * 7)")
    before = nb.read_bytes()
    [outcome] = run([nb], out)
    assert outcome.status == "ok" and outcome.failure is None
    assert outcome.output == out / "good.ipynb"
    assert "42" in outputs_text(outcome.output)
    assert nb.read_bytes() == before


def test_raising_cell_is_reported_with_cell_and_error_and_others_still_run(tmp_path, out):
    bad = make_notebook(
        tmp_path / "bad.ipynb",
        "x = 1",
        "total = x + 1\nraise ValueError('no episodes for child SYN001')\nprint('never')",
    )
    good = make_notebook(tmp_path / "good.ipynb", "print('fine')")
    outcomes = run([bad, good], out, workers=2)
    assert [o.status for o in outcomes] == ["failed", "ok"]
    failure = outcomes[0].failure
    assert failure.error == "ValueError"
    assert "no episodes for child SYN001" in failure.message
    assert failure.cell_index == 1
    assert failure.cell_source.startswith("total = x + 1")
    report = format_failures(outcomes)
    assert "bad.ipynb" in report and "cell 1" in report and "ValueError" in report
    assert "good.ipynb" not in report
    assert "1 ok, 0 skipped, 1 failed" in format_summary(outcomes)


def test_hanging_cell_is_stopped_by_the_timeout(tmp_path, out):
    nb = make_notebook(tmp_path / "hang.ipynb", "import time\ntime.sleep(120)")
    [outcome] = run([nb], out, timeout=3)
    assert outcome.status == "failed"
    assert outcome.failure.error == "CellTimeoutError"
    assert outcome.failure.cell_index == 0
    assert outcome.seconds < 60


def test_kernel_that_dies_is_retried_then_reported(tmp_path, out):
    nb = make_notebook(tmp_path / "dies.ipynb", "import os\nos._exit(1)")
    [outcome] = run([nb], out, retries=1)
    assert outcome.status == "failed"
    assert outcome.attempts == 2
    assert outcome.failure.error == "DeadKernelError"


def test_kernel_that_dies_once_succeeds_on_retry(tmp_path, out):
    marker = tmp_path / "died-once"
    nb = make_notebook(
        tmp_path / "flaky.ipynb",
        "import os, pathlib\n"
        "if not pathlib.Path(marker).exists():\n"
        "    pathlib.Path(marker).touch()\n"
        "    os._exit(1)\n"
        "print('second life')",
        parameters="marker = ''",
    )
    [outcome] = run([nb], out, params={"marker": str(marker)}, retries=1)
    assert outcome.status == "ok", outcome.failure
    assert outcome.attempts == 2
    assert "second life" in outputs_text(outcome.output)


def test_parameters_are_injected_after_the_parameters_cell(tmp_path, out):
    nb = make_notebook(tmp_path / "p.ipynb", "print(f'{label}-{year + 1}')", parameters=PARAMS)
    [outcome] = run([nb], out, params={"year": 2024, "label": "local"})
    assert outcome.status == "ok"
    assert "local-2025" in outputs_text(outcome.output)
    executed = nbformat.read(outcome.output, as_version=4)
    assert "parameters" in executed.cells[0].metadata["tags"]
    assert "injected-parameters" in executed.cells[1].metadata["tags"]
    assert "year = 2024" in executed.cells[1].source
    assert executed.metadata["d2i_examples"]["parameters"] == {"year": 2024, "label": "local"}


def test_defaults_are_kept_when_no_parameters_are_given(tmp_path, out):
    nb = make_notebook(tmp_path / "p.ipynb", "print(f'{label}-{year}')", parameters=PARAMS)
    [outcome] = run([nb], out)
    assert "sample-2026" in outputs_text(outcome.output)
    cells = nbformat.read(outcome.output, as_version=4).cells
    assert not any("injected-parameters" in c.metadata.get("tags", []) for c in cells)


def test_unknown_parameter_is_an_error_naming_it_and_the_known_ones(tmp_path, out):
    nb = make_notebook(tmp_path / "p.ipynb", "print(year)", parameters=PARAMS)
    [outcome] = run([nb], out, params={"yaer": 2025})
    assert outcome.status == "failed"
    assert outcome.failure.error == "ParameterError"
    assert "yaer" in outcome.failure.message
    assert "label, year" in outcome.failure.message


def test_parameters_given_to_a_notebook_without_a_parameters_cell_are_an_error():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    with pytest.raises(ParameterError, match="no cell tagged 'parameters'"):
        inject_parameters(nb, {"x": 2}, "plain.ipynb")


def test_declared_parameters_reads_assignments_with_their_defaults():
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(
            "a = 1  # one\nb: float = 0.5\nc, d = 1, 2\nimport os", metadata={"tags": ["parameters"]}
        )]
    )
    assert declared_parameters(nb) == {"a": "1", "b": "0.5"}


def test_command_line_values_are_read_as_yaml():
    assert parse_assignment("year=2025") == ("year", 2025)
    assert parse_assignment("share=0.5") == ("share", 0.5)
    assert parse_assignment("flag=true") == ("flag", True)
    assert parse_assignment("folder=C:/data/903") == ("folder", "C:/data/903")
    assert parse_assignment("reference_date=2025-12-31") == ("reference_date", "2025-12-31")
    with pytest.raises(ParameterError, match="name=value"):
        parse_assignment("year")


def test_params_file_must_be_a_mapping(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("year: 2025\nlabel: neighbour\nfrom: 2025-04-01\n")
    assert read_params_file(good) == {"year": 2025, "label": "neighbour", "from": "2025-04-01"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("- year\n- 2025\n")
    with pytest.raises(ParameterError, match="mapping"):
        read_params_file(bad)
    with pytest.raises(ParameterError, match="not found"):
        read_params_file(tmp_path / "missing.yaml")


def test_unchanged_notebook_is_skipped_and_changed_one_rerun(tmp_path, out):
    a = make_notebook(tmp_path / "a.ipynb", "print('a')")
    b = make_notebook(tmp_path / "b.ipynb", "print('b')")
    assert [o.status for o in run([a, b], out)] == ["ok", "ok"]
    assert [o.status for o in run([a, b], out)] == ["skipped", "skipped"]
    make_notebook(b, "print('b, edited')")
    assert [o.status for o in run([a, b], out)] == ["skipped", "ok"]
    assert "b, edited" in outputs_text(out / "b.ipynb")
    assert [o.status for o in run([a], out, force=True)] == ["ok"]


def test_new_parameters_or_a_missing_copy_mean_a_rerun(tmp_path, out):
    nb = make_notebook(tmp_path / "p.ipynb", "print(year)", parameters=PARAMS)
    run([nb], out)
    assert run([nb], out, params={"year": 2020})[0].status == "ok"
    (out / "p.ipynb").unlink()
    assert run([nb], out, params={"year": 2020})[0].status == "ok"


def test_changed_sample_data_or_lock_means_a_rerun(tmp_path, out):
    nb = make_notebook(tmp_path / "a.ipynb", "print('a')")
    data = tmp_path / "sample_data" / "ssda903"
    data.mkdir(parents=True)
    (data / "header.csv").write_text("CHILD,SEX\nSYN1,M\n")
    assert run([nb], out)[0].status == "ok"
    assert run([nb], out)[0].status == "skipped"
    (data / "header.csv").write_text("CHILD,SEX\nSYN1,F\n")
    assert run([nb], out)[0].status == "ok"
    (tmp_path / "uv.lock").write_text("version = 1\n")
    assert run([nb], out)[0].status == "ok"
    assert run([nb], out)[0].status == "skipped"


def test_a_failed_notebook_is_never_skipped(tmp_path, out):
    nb = make_notebook(tmp_path / "bad.ipynb", "1/0")
    assert run([nb], out)[0].status == "failed"
    assert run([nb], out)[0].status == "failed"


def test_find_notebooks_by_name_and_unknown_name(tmp_path):
    make_notebook(tmp_path / "one.ipynb", "1")
    make_notebook(tmp_path / "two.ipynb", "2")
    assert [p.stem for p in find_notebooks([], tmp_path)] == ["one", "two"]
    assert [p.stem for p in find_notebooks(["two"], tmp_path)] == ["two"]
    with pytest.raises(FileNotFoundError, match="one, two"):
        find_notebooks(["three"], tmp_path)


def test_cli_run_exits_non_zero_with_a_report(tmp_path, out, capsys):
    bad = make_notebook(tmp_path / "bad.ipynb", "import json\njson.loads('{oops')")
    status = cli.main(["run", str(bad), "--out", str(out), "--timeout", "60"])
    captured = capsys.readouterr()
    assert status == 1
    assert "FAILED bad.ipynb" in captured.err
    assert "cell 0" in captured.err and "JSONDecodeError" in captured.err
    assert "bad" in captured.out and "failed" in captured.out


def test_cli_run_rejects_a_malformed_parameter(tmp_path, out, capsys):
    nb = make_notebook(tmp_path / "p.ipynb", "print(year)", parameters=PARAMS)
    assert cli.main(["run", str(nb), "--out", str(out), "-p", "year"]) == 2
    assert "name=value" in capsys.readouterr().err


def test_parameters_follow_the_notebooks_types():
    from d2i_examples.settings.parameters import typed_parameters, typed_value

    declared = {"check_codes": "True", "child_id": "None", "year": "2026", "share": "0.5",
                "comparison": "'White British'", "bands": "[0, 7]"}
    # as read from -p NAME=VALUE (YAML): None, booleans and numbers as the notebook has them
    given = dict(parse_assignment(t) for t in (
        "check_codes=False", "child_id=None", "year=2025/26", "share=1", "comparison=2026",
        "bands=[0, 14]"))
    assert typed_parameters(given, declared) == {
        "check_codes": False, "child_id": None, "year": "2025/26", "share": 1,
        "comparison": "2026", "bands": [0, 14]}
    # as written in a params file, where a reader may quote them
    assert typed_value("check_codes", "no", "True") is False
    assert typed_value("year", "2025", "2026") == 2025
    assert typed_value("year", "none", "2026") is None
    with pytest.raises(ParameterError, match="check_codes takes True or False"):
        typed_value("check_codes", "maybe", "True")


def test_injected_parameters_are_typed(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("flag = True\nchild_id = None")
    cell.metadata["tags"] = ["parameters"]
    nb.cells.append(cell)
    injected = inject_parameters(nb, {"flag": "False", "child_id": "None"})
    assert "flag = False" in injected.cells[1].source
    assert "child_id = None" in injected.cells[1].source


def test_a_kernel_tripping_the_clients_own_assertions_is_retried_then_reported(
        tmp_path, out, monkeypatch):
    """nbclient asserts its kernel manager is there; a kernel that stopped answering on a
    loaded machine trips that. It is kernel trouble (retried, then a failure named in
    words), never an AssertionError escaping to the reader."""
    from nbclient import NotebookClient

    from d2i_examples.runner.execute import execute_notebook

    calls = []

    def trips(self, **kwargs):
        calls.append(1)
        raise AssertionError

    nb = make_notebook(tmp_path / "fine.ipynb", "print('never')")
    monkeypatch.setattr(NotebookClient, "execute", trips)
    outcome = execute_notebook(nb, out / "fine.ipynb", {}, timeout=60, retries=1)
    assert outcome.status == "failed" and outcome.attempts == 2 and len(calls) == 2
    assert outcome.failure.error == "KernelError"
    assert outcome.failure.message == "the notebook's kernel stopped answering"
