"""Settings files councils share: the JSON Schema, the gallery in settings/, what may not be shared.

The schema is generated from the settings model and the notebooks' parameters,
so these tests check it is up to date, that it says what the model says about
good and bad files, and that every gallery file passes both, carries nothing
record-like, and runs the worked examples it names on a council folder made to
match it.
"""

from __future__ import annotations

import csv
import json

import jsonschema
import nbformat
import openpyxl
import pytest

from d2i_examples import cli, paths
from d2i_examples.settings import schema as settings_schema
from d2i_examples.settings.gallery import (
    GALLERY,
    gallery,
    gallery_markdown,
    gallery_problems,
    record_like_values,
)
from d2i_examples.settings.model import SettingsError, parse_settings, read_yaml
from d2i_examples.settings.parameters import declared_parameters, parameter_comments
from d2i_examples.synth import write_dataset
from tests.fixtures import rotation

GALLERY_FILES = sorted(GALLERY.glob("*.yaml"))


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(settings_schema.SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_committed_schema_is_what_the_model_generates():
    committed = settings_schema.SCHEMA_PATH.read_text(encoding="utf-8")
    assert committed == settings_schema.schema_text(), (
        "settings/settings.schema.json is out of date: run `d2i-examples schema`")


def test_schema_check_command_reports_a_stale_schema(tmp_path, monkeypatch, capsys):
    assert cli.main(["schema", "--check"]) == 0
    stale = tmp_path / "settings.schema.json"
    stale.write_text("{}\n")
    monkeypatch.setattr(settings_schema, "SCHEMA_PATH", stale)
    assert cli.main(["schema", "--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert cli.main(["schema"]) == 0
    assert stale.read_text() == settings_schema.schema_text()


def test_every_parameter_of_every_example_is_offered_with_its_comment(validator):
    offered = validator.schema["properties"]["parameters"]["properties"]
    for path in sorted(paths.NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        comments = parameter_comments(nb)
        for name in declared_parameters(nb):
            if name == "settings_file":
                assert name not in offered
                continue
            assert name in offered, f"{path.stem}: {name}"
            assert comments[name] in offered[name]["description"]
            assert path.stem in offered[name]["description"]


GOOD = [
    {},
    {"description": "x", "parameters": {"collection_year": 2025, "months": 6}},
    {"about": {"system": "a report", "notebooks": ["drift"], "changes": "nothing"}},
    {"mapping": {"ssda903": {"columns": {"Child ID": "CHILD"},
                             "tables": {"episodes": {"Start": "DECOM"}},
                             "codes": {"SEX": {"Male": "M", "1": "M"}}}}},
    {"mapping": {"annex_a": {"columns": {"ID": "Child Unique ID"},
                             "tables": {"list_3": {"Ref date": "Date of referral"}}}}},
]
BAD = [
    {"descripton": "typo at the top"},
    {"about": {"notebooks": ["no-such-example"]}},
    {"about": {"owner": "someone"}},
    {"parameters": {"settings_file": "x.yaml"}},
    {"parameters": {"2nd": 1}},
    {"mapping": {"cin_census": {"columns": {}}}},
    {"mapping": {"ssda903": {"columns": {"Child ID": "CHILDID"}}}},
    {"mapping": {"ssda903": {"tables": {"episodez": {"Start": "DECOM"}}}}},
    {"mapping": {"ssda903": {"codes": {"SEX": {"Male": "X"}}}}},
    {"mapping": {"annex_a": {"columns": {"ID": "Child Number"}}}},
    {"mapping": {"annex_a": {"rows": {}}}},
]


@pytest.mark.parametrize("document", GOOD + BAD)
def test_the_schema_and_the_model_agree(validator, document):
    schema_accepts = not list(validator.iter_errors(document))
    try:
        parse_settings(document)
        model_accepts = True
    except SettingsError:
        model_accepts = False
    assert schema_accepts == model_accepts == (document in GOOD)


def test_there_is_a_gallery():
    assert len(GALLERY_FILES) >= 5
    assert {n for e in gallery() for n in e.notebooks} >= {
        "checking-ssda903", "chat-annex-a", "forecasting-demand", "preparing-data-to-share"}


@pytest.mark.parametrize("path", GALLERY_FILES, ids=lambda p: p.name)
def test_each_gallery_file_validates_and_says_who_it_is_for(validator, path):
    data = read_yaml(path)
    errors = [e.message for e in validator.iter_errors(data)]
    assert not errors, errors
    assert gallery_problems(path) == []


RECORD_LIKE = {
    "a UPN as a code": {"mapping": {"ssda903": {"codes": {"SEX": {"A123456789012": "M"}}}}},
    "a postcode": {"description": "Our office, LS1 4AP"},
    "a child": {"parameters": {"child_id": "C123"}},
    "a path": {"parameters": {"data_dir": "C:/Users/someone/Documents"}},
    "an e-mail": {"about": {"changes": "ask analyst@example.gov.uk"}},
    "a date in a mapping": {"mapping": {"ssda903": {"codes": {"SEX": {"01/02/2015": "M"}}}}},
    "a name": {"description": "Made for Mrs Example's team"},
    "an NHS number": {"about": {"system": "rows like 943 476 5919"}},
    "a record id": {"about": {"changes": "fixes SYN000269"}},
}


@pytest.mark.parametrize("case", RECORD_LIKE, ids=str)
def test_a_file_carrying_record_like_values_is_refused(case):
    problems = record_like_values(RECORD_LIKE[case])
    assert problems, case
    assert all("Example" not in p and "5919" not in p for p in problems), "never echo values"


def test_gallery_refuses_a_file_without_its_schema_line_or_about(tmp_path):
    path = tmp_path / "bare.yaml"
    path.write_text("parameters:\n  months: 6\n")
    problems = gallery_problems(path)
    assert any("first line" in p for p in problems)
    assert any("about.system" in p for p in problems)


def test_the_gallery_page_lists_every_file_with_its_examples():
    page = gallery_markdown()
    for entry in gallery():
        assert f"`{entry.name}`" in page
        for name in entry.notebooks:
            assert f"(notebooks/{name}.ipynb)" in page


def test_the_book_page_holds_the_generated_gallery(tmp_path):
    from d2i_examples.book import build as book
    from tests.notebook_factory import stand_in_executed

    executed = stand_in_executed(tmp_path / "executed")
    staging = book.assemble(executed, paths.BOOK_SOURCES, tmp_path / "src")
    page = (staging / "settings-gallery.md").read_text(encoding="utf-8")
    assert gallery_markdown() in page
    assert "<!-- gallery -->" not in page


# --- every gallery file runs its worked examples on a council folder made to match ----------


def _inverse(pairs: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for yours, theirs in pairs.items():
        out.setdefault(theirs, yours)
    return out


def _council_folder(root, settings):
    """Synthetic data written the way the file's system would export it."""
    year = int(settings.parameters.get("collection_year", 2026))
    data = root / "council"
    write_dataset(data, seed=3, collection_year=year)
    m903 = settings.mapping_for("ssda903")
    if m903:
        for path in sorted((data / "ssda903").rglob("*.csv")):
            table = path.stem.split("_", 2)[2]
            rename = _inverse({**m903.columns, **m903.tables.get(table, {})})
            with path.open(newline="", encoding="utf-8") as f:
                rows = list(csv.DictReader(f))
            if not rows:
                continue
            for column, codes in m903.codes.items():
                back = _inverse(codes)
                for row in rows:
                    if column in row:
                        row[column] = back.get(row[column], row[column])
            with path.open("w", newline="", encoding="utf-8") as f:
                writer = csv.writer(f)
                writer.writerow([rename.get(c, c) for c in rows[0]])
                writer.writerows([list(r.values()) for r in rows])
    annex = settings.mapping_for("annex_a")
    if annex:
        [workbook_path] = (data / "annex_a").glob("*.xlsx")
        workbook = openpyxl.load_workbook(workbook_path)
        for sheet in workbook.worksheets:
            key = "list_" + sheet.title.split()[-1]
            rename = _inverse({**annex.columns, **annex.tables.get(key, {})})
            for cell in sheet[1]:
                cell.value = rename.get(cell.value, cell.value)
        workbook.save(workbook_path)
    return data


RUNS = rotation.GALLERY_RUNS  # every (file, example) is checked; a rotating few are run


@pytest.mark.parametrize(("path", "notebook"), RUNS, ids=lambda x: getattr(x, "name", x))
def test_each_gallery_file_passes_check_for_each_of_its_examples(council_folders, tmp_path,
                                                                 path, notebook, capsys):
    status = cli.main(["check", notebook, "--data", str(council_folders(path)),
                       "--params", str(path), *_kept_by_the_council(notebook, tmp_path)])
    assert status == 0, capsys.readouterr()


def _kept_by_the_council(notebook: str, tmp_path) -> list[str]:
    """What a council keeps out of a shared file and gives on the command line."""
    declared = declared_parameters(nbformat.read(paths.NOTEBOOKS / f"{notebook}.ipynb",
                                                 as_version=4))
    if "salt_file" not in declared:
        return []
    (tmp_path / "salt.txt").write_text("a-long-secret-salt-kept-by-the-council\n")
    return ["-p", f"salt_file={tmp_path / 'salt.txt'}"]


@pytest.fixture(scope="module")
def council_folders(tmp_path_factory):
    made = {}

    def folder(path):
        if path not in made:
            settings = parse_settings(read_yaml(path), path)
            made[path] = _council_folder(tmp_path_factory.mktemp(path.stem), settings)
        return made[path]

    return folder


@pytest.mark.slow
@pytest.mark.parametrize(("path", "notebook"), rotation.sample(RUNS, rotation.GALLERY_RUNS_KEPT),
                         ids=lambda x: getattr(x, "name", x))
def test_each_gallery_file_runs_its_examples_on_a_matching_folder(
        council_folders, tmp_path, path, notebook):
    out = tmp_path / "reports"
    declared = declared_parameters(nbformat.read(paths.NOTEBOOKS / f"{notebook}.ipynb",
                                                 as_version=4))
    status = cli.main(["run", notebook, "--data", str(council_folders(path)),
                       "--params", str(path), "--out", str(out), "--timeout", "900",
                       *_kept_by_the_council(notebook, tmp_path)])
    assert status == 0
    reports = sorted(out.glob(f"{notebook}-*"))
    assert [p.suffix for p in reports] == [".html", ".ipynb"]
    executed = nbformat.read(reports[1], as_version=4)
    assert executed.metadata["d2i_examples"]["data"] == "local"
    ran_with = executed.metadata["d2i_examples"]["parameters"]
    settings = parse_settings(read_yaml(path), path)
    for name, value in settings.parameters.items():
        if name in declared:
            assert ran_with[name] == value, name
