"""`d2i-examples run NOTEBOOK --data DIR` end to end, on small notebooks made here.

These start kernels (about 3 s each), so there are few of them; the refusals and
bad inputs that stop a run before any kernel starts are in test_own_data_check.py
and test_outputs.py.
"""

from __future__ import annotations

import html as html_module
import re
import uuid
from datetime import date

import nbformat
import pytest

from d2i_examples import cli, paths
from d2i_examples.book import build as book
from tests.fixtures.datasets_build import CHILD_A, cin_xml
from tests.fixtures.local_build import (
    COUNCIL_SETTINGS,
    clean_903,
    council_folder,
    example_notebook,
    files_touched_since,
    now,
)
from tests.notebook_factory import outputs_text


@pytest.fixture
def home(tmp_path, monkeypatch):
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    return folder


def test_a_council_layout_runs_end_to_end_into_a_report_outside_the_project(
    tmp_path, home, capsys
):
    marker = uuid.uuid4().hex[:10].upper()
    started = now()
    data = council_folder(tmp_path, marker)  # own names and codes, 2024/25
    (data / "CIN census").mkdir()
    (data / "CIN census" / "census.xml").write_text(  # another local authority, 2024/25
        cin_xml(CHILD_A.replace("SYN0001", f"SYN{marker}"))
        .replace("<LEA>999</LEA>", "<LEA>888</LEA>").replace("2026-03-31", "2025-03-31"),
        encoding="utf-8")
    settings = tmp_path / "council.yaml"
    settings.write_text(COUNCIL_SETTINGS)
    nb = example_notebook(
        tmp_path / "notebooks" / "council-demo.ipynb",
        "sexes = sorted(ssda903['header']['SEX'])\n"
        "print(f'{len(ssda903[\"header\"])} children, sexes {sexes}, year {collection_year}')\n"
        "print('LA', la_code, 'census LEA', cin_census['Header']['LEA'][0])\n"
        "print('children', ', '.join(ssda903['header']['CHILD']))",
        returns=("ssda903", "cin_census"),
        extra_parameters='la_code = "E09000001"  # your local authority\'s ONS code',
    )
    before = nb.read_bytes()

    status = cli.main(["run", str(nb), "--data", str(data), "--params", str(settings),
                       "--timeout", "120"])
    out = capsys.readouterr().out
    assert status == 0, out

    reports = home / "d2i-reports"
    stem = f"council-demo-{date.today():%Y-%m-%d}"
    assert sorted(p.name for p in reports.iterdir()) == [f"{stem}.html", f"{stem}.ipynb"]
    assert f"report:            {reports / stem}.html" in out
    assert "Year: 2024/25 (collection year 2025), as you set it (collection_year=2025)" in out

    executed = nbformat.read(reports / f"{stem}.ipynb", as_version=4)
    run = executed.metadata["d2i_examples"]
    assert run["data"] == "local"
    assert run["parameters"]["data_dir"] == str(data.resolve())
    assert run["parameters"]["settings_file"] == str(settings.resolve())
    assert "not_a_parameter_of_every_notebook" not in run["parameters"]
    assert executed.cells[0].source.startswith("## What ran")
    text = outputs_text(reports / f"{stem}.ipynb")
    assert "2 children, sexes ['F', 'M'], year 2025" in text
    assert "LA E06000999 census LEA 888" in text

    html = (reports / f"{stem}.html").read_text(encoding="utf-8")
    shown_text = html_module.unescape(re.sub(r"<[^>]+>", "", html))
    assert "2 children, sexes" in html and f"SYN{marker}0001" in html
    assert "sexes = sorted" not in html and "load(" not in html, "code must be hidden"
    for shown in ("What ran", "Synthetic council, 2024/25 extract", "Child Ref: CHILD",
                  "Episode Start: DECOM", "collection_year: 2025", "la_code: E06000999",
                  str(data.resolve())):
        assert shown in shown_text, f"the report does not show {shown!r}"
    assert "cdnjs" not in html, "the report must not load scripts from the internet"

    assert nb.read_bytes() == before
    assert files_touched_since(paths.ROOT, started, marker) == [], "outputs leaked into the repo"

    # ... and the book would never publish it
    bookdir = tmp_path / "book"
    bookdir.mkdir()
    (bookdir / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: notebooks/council-demo\n")
    (bookdir / "intro.md").write_text("# Intro\n")
    executed_dir = tmp_path / "executed"
    executed_dir.mkdir()
    (executed_dir / "council-demo.ipynb").write_bytes((reports / f"{stem}.ipynb").read_bytes())
    with pytest.raises(book.BookError, match="reader's own data"):
        book.assemble(executed_dir, bookdir, tmp_path / "staging")


def test_a_failing_run_leaves_nothing_behind(tmp_path, home, capsys):
    data = clean_903(tmp_path / "data", year="2025-26")
    nb = example_notebook(
        tmp_path / "breaks.ipynb",
        "print('children:', ', '.join(ssda903['header']['CHILD']))",
        "raise ValueError(f'no placements in {collection_year}')",
    )
    status = cli.main(["run", str(nb), "-p", f"data_dir={data}", "--timeout", "120"])
    captured = capsys.readouterr()
    assert status == 1
    assert "Using collection_year=2026 (2025/26), the year of your data." in captured.out
    assert "FAILED breaks.ipynb" in captured.err and "cell 4:" in captured.err
    assert "no placements in 2026" in captured.err
    assert "no report was written" in captured.err
    reports = home / "d2i-reports"
    assert reports.is_dir() and list(reports.iterdir()) == [], "partial outputs were left"


def test_a_sample_run_records_sample_data_and_takes_a_settings_files_parameters(
    tmp_path, capsys
):
    settings = tmp_path / "council.yaml"
    settings.write_text(COUNCIL_SETTINGS)
    from tests.notebook_factory import make_notebook

    nb = make_notebook(tmp_path / "plain.ipynb", "print('year', collection_year)",
                       parameters="collection_year = 2026  # the year the return ends")
    out = tmp_path / "executed"
    status = cli.main(["run", str(nb), "--params", str(settings), "--out", str(out),
                       "--timeout", "120"])
    printed = capsys.readouterr().out
    assert status == 0
    assert "the column mapping in the settings file applies to your own data" in printed
    executed = nbformat.read(out / "plain.ipynb", as_version=4)
    assert executed.metadata["d2i_examples"]["data"] == "sample"
    assert executed.metadata["d2i_examples"]["parameters"] == {"collection_year": 2025}
    assert "year 2025" in outputs_text(out / "plain.ipynb")


def test_a_run_of_every_example_leaves_out_benchmarking_without_published_tables(tmp_path):
    """A council folder with no DfE tables downloaded: a run of every example says why
    benchmarking is left out instead of refusing every example."""
    from d2i_examples import paths as project
    from d2i_examples.own_data.run import Inputs, run_on_own_data

    data = tmp_path / "council"
    (data / "ssda903").mkdir(parents=True)
    said: list[str] = []
    status = run_on_own_data([project.ROOT / "notebooks" / "benchmarking.ipynb"],
                             Inputs(params={"data_dir": str(data)}), tmp_path / "out",
                             timeout=60, only_data_notebooks=True, say=said.append)
    assert status == 0
    assert any(line.startswith("Skipping benchmarking: your folder holds none of the DfE's "
                               "published tables") for line in said), said
    assert not list((tmp_path / "out").glob("benchmarking-*"))
