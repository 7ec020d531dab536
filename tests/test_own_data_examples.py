"""Every worked example runs on a council's own folder, laid out the way a council would have it.

The folder is synthetic but differs from the sample everywhere a council's does:
another authority (Leeds's postcodes), another collection year (2024/25), the
council's own folder names, and Annex A headings of its own, mapped by a
settings file. Each example is run through `d2i-examples run --data`, as a
reader would, and must leave an executed notebook and an HTML report outside
the project and nothing inside it.
"""

from __future__ import annotations

import shutil
from dataclasses import replace

import nbformat
import openpyxl
import pytest

from d2i_examples import cli, paths
from d2i_examples.own_data.run import notebook_returns
from d2i_examples.runner import find_notebooks
from d2i_examples.synth import DEFAULT_PROFILE, write_dataset

# every test here executes worked examples end to end
pytestmark = pytest.mark.slow

YEAR = 2025
LEEDS = replace(
    DEFAULT_PROFILE, name="Northfield (synthetic)", la_code="383", gss_code="E08000035",
    neighbour_gss_codes=("E08000032", "E08000036"), distant_gss_codes=("E06000014",),
    postcode_letters=("B", "L", "W", "Y"), population_0_17=30_000,
)
# The council's own Annex A headings, mapped back by the settings file below.
OWN_HEADINGS = {"Child Unique ID": "Child ID", "Gender": "Sex"}
OWN_LIST_3 = {"Date of referral": "Referral Date"}


def _council_folder(root):
    data = root / "Northfield data"
    write_dataset(data, profile=LEEDS, seed=5, collection_year=YEAR)
    (data / "ssda903").rename(data / "SSDA903")
    for year in (YEAR - 1, YEAR):
        (data / "SSDA903" / str(year)).rename(data / "SSDA903" / f"{year - 1}-{str(year)[2:]}")
    (data / "cin_census").rename(data / "CIN Census")
    (data / "annex_a").rename(data / "Annex A")
    (data / "sen2").rename(data / "SEND returns")
    [workbook_path] = (data / "Annex A").glob("*.xlsx")
    workbook = openpyxl.load_workbook(workbook_path)
    for sheet in workbook.worksheets:
        own = {**OWN_HEADINGS, **(OWN_LIST_3 if sheet.title == "List 3" else {})}
        for cell in sheet[1]:
            cell.value = own.get(cell.value, cell.value)
    workbook.save(workbook_path)
    # the DfE's published tables, as a council downloads them, for benchmarking
    shutil.copytree(paths.ROOT / "sample_data" / "published", data / "published")
    return data


def _settings(root):
    salt = root / "salt.txt"
    salt.write_text("a-long-secret-salt-kept-by-the-council\n")
    settings = root / "northfield.yaml"
    settings.write_text(
        "description: Northfield (synthetic) - council-style test settings\n"
        "parameters:\n"
        f"  collection_year: {YEAR}\n"
        f"  reference_date: 31/03/{YEAR}\n"
        f"  reference_start: 01/04/{YEAR - 2}\n"
        f"  reference_end: 31/03/{YEAR}\n"
        "  la_code: E08000035\n"
        f"  salt_file: {salt}\n"
        "mapping:\n"
        "  annex_a:\n"
        "    columns:\n"
        + "".join(f"      {own}: {ours}\n" for ours, own in OWN_HEADINGS.items())
        + "    tables:\n      list_3:\n"
        + "".join(f"        {own}: {ours}\n" for ours, own in OWN_LIST_3.items())
    )
    return settings


# environments and tool caches, which tests running alongside (pytest -n) may write to
SKIP = {".git", ".venv", ".venv-pandas3", ".tools", ".pytest_cache", "__pycache__",
        ".hypothesis", ".ruff_cache"}
SAMPLE_CACHE = ("build", "sample-cache")  # the synthetic sample's parsed tables, never own data


def _repo_state() -> set[tuple[str, int]]:
    """Every file in the checkout (bar environments and caches) with its modification time."""
    return {
        (str(p.relative_to(paths.ROOT)), p.stat().st_mtime_ns)
        for p in paths.ROOT.rglob("*")
        if p.is_file() and not SKIP & set(p.relative_to(paths.ROOT).parts)
        and p.relative_to(paths.ROOT).parts[:2] != SAMPLE_CACHE
    }


@pytest.fixture(scope="module")
def council_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("council")
    data, settings, out = _council_folder(root), _settings(root), root / "reports"
    before = _repo_state()
    status = cli.main(["run", "--data", str(data), "--params", str(settings),
                       "--out", str(out), "--timeout", "900"])
    return status, out, before


def test_every_worked_example_runs_on_the_councils_folder(council_run):
    status, out, _ = council_run
    assert status == 0
    examples = [nb for nb in find_notebooks()
                if notebook_returns(nbformat.read(nb, as_version=4))]
    assert len(examples) >= 9
    for nb in examples:
        reports = sorted(out.glob(f"{nb.stem}-*"))
        assert [p.suffix for p in reports] == [".html", ".ipynb"], nb.stem
        executed = nbformat.read(reports[1], as_version=4)
        assert executed.metadata["d2i_examples"]["data"] == "local"
        html = reports[0].read_text(encoding="utf-8")
        assert "data_dir = " not in html, f"{nb.stem}: the report must hide the code"
        assert "Northfield (synthetic) - council-style test settings" in html


def test_the_examples_ran_on_the_councils_year_and_authority(council_run):
    _, out, _ = council_run
    [ssda903] = sorted(out.glob("checking-ssda903-*.ipynb"))
    text = "".join(
        o.get("text", "") + o.get("data", {}).get("text/plain", "")
        for c in nbformat.read(ssda903, as_version=4).cells for o in c.get("outputs", [])
    )
    assert "2024/25" in text or "2024-25" in text
    assert "SYN" in text


def test_the_send_examples_read_the_councils_sen2(council_run):
    _, out, _ = council_run
    texts = {}
    for name in ("ehc-plans-timeliness", "send-children-in-need-and-care"):
        [executed] = sorted(out.glob(f"{name}-*.ipynb"))
        texts[name] = "".join(
            o.get("text", "") + o.get("data", {}).get("text/plain", "")
            for c in nbformat.read(executed, as_version=4).cells for o in c.get("outputs", []))
    assert f"SEN2 {YEAR} (" in texts["ehc-plans-timeliness"]
    assert f"Activity year: {YEAR - 1}." in texts["ehc-plans-timeliness"]
    assert f"SEN2 census date 15/01/{YEAR}" in texts["send-children-in-need-and-care"]
    assert f"{YEAR - 2}/{str(YEAR - 1)[2:]}" not in texts["send-children-in-need-and-care"]


def test_nothing_from_the_councils_data_lands_in_the_project(council_run):
    _, _, before = council_run
    after = _repo_state()
    assert after - before == set(), "files written or changed inside the project"
    assert before - after == set(), "files removed from the project"
