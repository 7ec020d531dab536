"""Outputs from a reader's own data never land in the project, and never in the book."""

from __future__ import annotations

import shutil
import subprocess

import nbformat
import pytest

from d2i_examples import cli, paths
from d2i_examples.book import build as book
from d2i_examples.outputs import UnsafeOutputError, check_output_dir, default_reports_dir
from d2i_examples.own_data.run import read_inputs
from d2i_examples.runner import data_kind, run_metadata
from tests.fixtures.local_build import example_notebook


@pytest.fixture
def home(tmp_path, monkeypatch):
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    return folder


@pytest.mark.parametrize("inside", [
    paths.ROOT, paths.NOTEBOOKS / "mine", paths.BOOK_SOURCES, paths.SAMPLE_DATA / "x",
    paths.BUILD / "notebooks", paths.ROOT / "src" / ".." / "reports",
], ids=["root", "notebooks", "book", "sample_data", "build", "dot-dot"])
def test_an_output_folder_inside_the_project_is_refused(inside):
    with pytest.raises(UnsafeOutputError, match="Refusing to write outputs from your own data"):
        check_output_dir(inside)


def test_a_link_into_the_project_is_refused_too(tmp_path):
    link = tmp_path / "looks-outside"
    link.symlink_to(paths.NOTEBOOKS, target_is_directory=True)
    with pytest.raises(UnsafeOutputError, match="inside notebooks/"):
        check_output_dir(link / "reports")


def test_the_default_is_d2i_reports_in_the_home_folder(home, tmp_path):
    assert default_reports_dir() == home / "d2i-reports"
    assert check_output_dir(None) == (home / "d2i-reports").resolve()
    assert check_output_dir(tmp_path / "mine") == (tmp_path / "mine").resolve()
    assert not (home / "d2i-reports").exists(), "checking a folder must not create it"


@pytest.mark.parametrize("how", [["--data", "{data}"], ["-p", "data_dir={data}"],
                                 ["--params", "{params}"]],
                         ids=["--data", "-p data_dir", "data_dir in --params"])
def test_own_data_given_any_way_is_refused_an_output_folder_in_the_project(
    tmp_path, capsys, how
):
    nb = example_notebook(tmp_path / "nb.ipynb", "print('never')")
    data = tmp_path / "data"
    data.mkdir()
    params = tmp_path / "params.yaml"
    params.write_text(f"data_dir: {data}\n")
    args = [a.format(data=data, params=params) for a in how]
    out = paths.NOTEBOOKS / "reports-from-my-data"
    status = cli.main(["run", str(nb), *args, "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 13
    assert "inside notebooks/ in the project" in err and "real children" in err
    assert not out.exists()


def test_own_data_given_as_a_parameter_counts_as_own_data(tmp_path):
    inputs = read_inputs(None, [f"data_dir={tmp_path}"], None)
    assert inputs.local and inputs.data_dir == tmp_path.resolve()
    assert not read_inputs(None, ["data_dir=null", "collection_year=2025"], None).local
    settings = tmp_path / "s.yaml"
    settings.write_text(f"parameters:\n  data_dir: {tmp_path}\n")
    assert read_inputs(str(settings), [], None).local


def test_every_run_records_which_data_it_read():
    assert run_metadata({"x": 1})["data"] == "sample"
    assert run_metadata({"data_dir": None})["data"] == "sample"
    assert run_metadata({"data_dir": "/councils/data"})["data"] == "local"
    # run_info may say "local", never turn a run on own data into "sample"
    assert run_metadata({}, {"data": "local"})["data"] == "local"
    assert run_metadata({"data_dir": "d"}, {"data": "sample"})["data"] == "local"
    assert data_kind({"data_dir": "d"}) == "local"


@pytest.mark.parametrize("name", ["ssd_database", "previous_database", "returns_dir"])
def test_an_ssd_examples_own_data_is_local_and_kept_out_of_the_project(name, tmp_path,
                                                                       monkeypatch, capsys):
    """The SSD examples read a council's database, not a --data folder: the same rule."""
    assert data_kind({name: "/councils/ssd.duckdb"}) == "local"
    assert data_kind({name: None}) == "sample"
    inside = paths.ROOT / "build" / "from-my-ssd"
    status = cli.main(["run", "ssd-returns", "-p", f"{name}=/councils/ssd.duckdb",
                       "--out", str(inside)])
    assert status != 0 and not inside.exists()
    assert "Refusing to write outputs from your own data" in capsys.readouterr().err
    # without --out, the reports folder in the reader's home, never build/notebooks
    monkeypatch.setenv("HOME", str(tmp_path))
    cli.main(["run", "ssd-returns", "-p", f"{name}=/councils/ssd.duckdb"])
    assert (tmp_path / "d2i-reports").is_dir()


def _executed(path, run):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A page")])
    if run is not None:
        nb.metadata["d2i_examples"] = run
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("run, message", [
    ({"parameters": {}, "data": "local"}, "reader's own data"),
    ({"parameters": {"data_dir": "/mine"}, "data": "sample"}, "reader's own data"),
    ({"parameters": {}}, "does not record that it ran on the synthetic sample"),
    (None, "not executed by d2i-examples run"),
], ids=["local", "data_dir set", "not recorded", "not run"])
def test_the_book_refuses_anything_but_sample_runs(tmp_path, run, message):
    bookdir = tmp_path / "book"
    bookdir.mkdir()
    (bookdir / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: notebooks/example\n")
    (bookdir / "intro.md").write_text("# Intro\n")
    executed = tmp_path / "executed"
    executed.mkdir()
    _executed(executed / "example.ipynb", run)
    with pytest.raises(book.BookError, match=message):
        book.assemble(executed, bookdir, tmp_path / "staging")
    _executed(executed / "example.ipynb", {"parameters": {"data_dir": None}, "data": "sample"})
    staged = book.assemble(executed, bookdir, tmp_path / "staging")
    assert (staged / "notebooks" / "example.ipynb").is_file()


def test_pages_link_an_example_only_once_it_is_in_the_book():
    text = (paths.BOOK_SOURCES / "own-data-safely.md").read_text(encoding="utf-8")
    assert "<!-- if-in-toc: notebooks/preparing-data-to-share -->" in text
    linked = book.resolve_toc_conditions(text, ["intro", "notebooks/preparing-data-to-share"])
    described = book.resolve_toc_conditions(text, ["intro"])
    assert "(notebooks/preparing-data-to-share.ipynb)" in linked
    assert "indicators.sharing" not in linked
    assert "preparing-data-to-share" not in described and "indicators.sharing" in described
    assert "<!--" not in linked and "<!--" not in described


def test_the_own_data_pages_are_in_the_book():
    listed = book.toc_files()
    for page in ("own-data", "own-data-settings", "own-data-safely"):
        assert page in listed
        assert (paths.BOOK_SOURCES / f"{page}.md").is_file()


@pytest.mark.skipif(shutil.which("git") is None or not (paths.ROOT / ".git").exists(),
                    reason="needs git and a checkout")
def test_gitignore_covers_local_data_but_not_the_sample():
    def ignored(path):
        result = subprocess.run(["git", "check-ignore", "-q", "--no-index", path],
                                cwd=paths.ROOT, check=False)
        return result.returncode == 0

    for path in ("episodes.csv", "notebooks/header.csv", "annex_a.xlsx", "old.xls",
                 "cin_census_2026.xml", "data/ssda903/2026/header.csv", "local/notes.txt",
                 "my-data/x.txt", "d2i-reports/getting-started-2026-05-14.html",
                 "notebooks/~$annex_a.xlsx", "book/.d2i-partial-abc.html"):
        assert ignored(path), f"{path} would be committed"
    for path in ("sample_data/clean/ssda903/2026/header.csv",
                 "sample_data/clean/cin_census/cin_census_2026.xml",
                 "sample_data/clean/annex_a/annex_a_2026.xlsx",
                 "src/d2i_examples/own_data/check.py", "settings/example-council.yaml",
                 "notebooks/getting-started.ipynb"):
        assert not ignored(path), f"{path} would be hidden from git"


def _details(tmp_path):
    from datetime import datetime

    from d2i_examples.own_data.report import RunDetails

    return RunDetails(tmp_path / "example.ipynb", tmp_path / "data",
                      started=datetime(2026, 5, 14, 9, 30), parameters={"collection_year": 2025})


def test_reports_are_named_for_notebook_and_date_and_never_overwritten(tmp_path):
    from d2i_examples.own_data.report import write_outputs

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "secret_code()", outputs=[nbformat.v4.new_output("stream", text="42 children\n")])])
    out = tmp_path / "reports"
    out.mkdir()
    first = write_outputs(nb, _details(tmp_path), out)
    second = write_outputs(nb, _details(tmp_path), out)
    assert [p.name for p in first] == ["example-2026-05-14.ipynb", "example-2026-05-14.html"]
    assert [p.name for p in second] == ["example-2026-05-14-2.ipynb", "example-2026-05-14-2.html"]
    html = first[1].read_text(encoding="utf-8")
    assert "42 children" in html and "secret_code" not in html and "What ran" in html
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in first + second)


def test_a_report_that_fails_half_way_leaves_nothing(tmp_path, monkeypatch):
    from d2i_examples.own_data import report

    def broken(nb, title):
        raise RuntimeError("the exporter fell over")

    monkeypatch.setattr(report, "html_report", broken)
    out = tmp_path / "reports"
    out.mkdir()
    with pytest.raises(RuntimeError, match="fell over"):
        report.write_outputs(nbformat.v4.new_notebook(), _details(tmp_path), out)
    assert list(out.iterdir()) == []


def test_the_runner_itself_refuses_own_data_into_the_project(tmp_path):
    from d2i_examples.runner import execute_notebook, run_notebooks

    nb = example_notebook(tmp_path / "nb.ipynb", "print('never')")
    with pytest.raises(UnsafeOutputError):
        run_notebooks([nb], paths.EXECUTED, {"data_dir": str(tmp_path)}, progress=None)
    with pytest.raises(UnsafeOutputError):
        execute_notebook(nb, paths.NOTEBOOKS / "nb.ipynb", {}, timeout=5,
                         run_info={"data": "local"})
    assert not (paths.NOTEBOOKS / "nb.ipynb").exists()
