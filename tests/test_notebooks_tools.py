"""The tools notebooks (903 and CIN validators, demand model) run with non-default parameters.

Each notebook runs once per fixture through the project's runner. The validator notebooks
also run on a copy of the clean sample with errors planted here, so the assertions name the
errors, children and file lines we planted; figures are compared with the library's own
results computed in the test.
"""

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from d2i_examples import paths
from d2i_examples.datasets import data_path, load
from d2i_examples.runner import format_failures, run_notebooks
from d2i_examples.tools import (
    SSDA903_FIXES,
    cost_by_financial_year,
    cost_projection,
    fix_notes,
    forecast_demand,
    validate_ssda903,
)
from d2i_examples.tools.known_faults import EXCUSED_903_RULES
from tests.notebook_factory import outputs_text

# the tests read the planted folders (own data, in a temporary folder) themselves too
# every test here executes worked examples end to end
pytestmark = [pytest.mark.slow,
              pytest.mark.filterwarnings("ignore::d2i_examples.datasets.LocalDataWarning")]

YEAR = 2026
LA = "E06000014"  # the sample borrows York's postcodes


def run(name: str, tmp: Path, params: dict) -> str:
    """Run notebooks/NAME.ipynb with ``params``; the text of its outputs."""
    outcomes = run_notebooks([paths.NOTEBOOKS / f"{name}.ipynb"], tmp / "out", params,
                             progress=None, inputs_root=tmp, force=True, workers=1)
    assert outcomes[0].status == "ok", format_failures(outcomes)
    return outputs_text(outcomes[0].output)


def real_rules(result) -> pd.DataFrame:
    """The rules that ran and flagged something, known validator faults set aside."""
    flagged = result.summary[result.summary["status"] == "run"]
    return flagged[~flagged["rule"].isin(EXCUSED_903_RULES)]


# --- SSDA903 on the sample with planted errors -------------------------------------------


@pytest.fixture(scope="module")
def sample_903(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nb903")
    text = run("checking-ssda903", tmp,
               {"collection_year": YEAR, "sample_set": "with_errors", "top_n": 2})
    folders = [data_path("ssda903", year=y, sample_set="with_errors") for y in (YEAR, YEAR - 1)]
    return text, validate_ssda903(*folders, collection_year=YEAR, la_code=LA)


def test_903_clean_sample_shows_only_known_faults_and_the_with_errors_figures(sample_903):
    text, result = sample_903
    assert "Issues beyond the validator's known faults: 0" in text
    listed = re.search(r"Known faults flagged: (.*)", text).group(1).split(", ")
    assert set(listed) <= set(EXCUSED_903_RULES)
    real = real_rules(result)
    issues = result.issues[result.issues["rule"].isin(real["rule"])]
    assert (f"{len(real)} rules flag {real['rows'].sum()} rows for "
            f"{issues['CHILD'].nunique()} children.") in text
    assert f"Showing the {min(2, len(real))} most common of {len(real)} rules." in text
    assert (f"Not run: crashed inside the validator: {', '.join(result.not_run['rule'])}"
            in text)
    lookup = result.skipped[result.skipped["status"].str.contains("Ofsted providers lookup")]
    assert f"Skipped for want of the Ofsted providers lookup: {', '.join(lookup['rule'])}" in text
    assert "Saved to" not in text
    # the two patterns the page teaches: children failing several rules (a muddled record)
    # and one rule failing many children (the extract); the planted sample has both
    per_child = issues.groupby("CHILD")["rule"].nunique()
    assert (f"Children failing more than one rule: {(per_child > 1).sum()} of {len(per_child)}; "
            f"the most rules one child fails: {per_child.max()}.") in text
    assert per_child.max() > 1
    widest = re.search(r"The rule flagging the most children: (\S+), for (\d+) children", text)
    assert int(widest.group(2)) == real["children"].max() > 1
    assert real.set_index("rule").at[widest.group(1), "children"] == real["children"].max()


# --- SSDA903 on a reader's folder with errors planted here -------------------------------


def _csv(folder: Path, table: str) -> Path:
    return next(folder.glob(f"*_{table}.csv"))


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def plant_903(root: Path) -> dict:
    """Copy the clean sample's two years to root/ssda903 and plant errors; who got what."""
    for year in (YEAR, YEAR - 1):
        shutil.copytree(data_path("ssda903", year=year, sample_set="clean"),
                        root / "ssda903" / str(year))
    this, last = root / "ssda903" / str(YEAR), root / "ssda903" / str(YEAR - 1)
    header, episodes = _read(_csv(this, "header")), _read(_csv(this, "episodes"))
    both = set(header["CHILD"]) & set(_read(_csv(last, "header"))["CHILD"])
    closed = episodes[(episodes["DEC"] != "") & episodes["CHILD"].isin(both)]
    a = closed["CHILD"].iloc[0]  # invalid sex, sex changed, invalid ethnicity, no end reason
    header.loc[header["CHILD"] == a, ["SEX", "ETHNIC"]] = ["1", "WHITE"]
    episodes.loc[closed.index[0], "REC"] = ""
    header.to_csv(_csv(this, "header"), index=False)
    episodes.to_csv(_csv(this, "episodes"), index=False)
    b = min(both - {a})  # date of birth corrected this year, in every table
    for path in this.glob("*.csv"):
        table = _read(path)
        if "DOB" in table:
            mine = table["CHILD"] == b
            dob = pd.to_datetime(table.loc[mine, "DOB"], format="%d/%m/%Y")
            table.loc[mine, "DOB"] = (dob + pd.DateOffset(months=1)).dt.strftime("%d/%m/%Y")
            table.to_csv(path, index=False)
    line = int(header.index[header["CHILD"] == a][0]) + 2  # the header is line 1
    return {"a": a, "a_header_line": line, "b": b, "data": root}


@pytest.fixture(scope="module")
def planted_903(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("own903")
    planted = plant_903(tmp / "data")
    export = tmp / "reports" / "ssda903_issues.xlsx"
    text = run("checking-ssda903", tmp, {"data_dir": str(tmp / "data"), "top_n": 3,
                                          "la_code": LA, "export_to": str(export)})
    folders = [data_path("ssda903", tmp / "data", year=y) for y in (YEAR, YEAR - 1)]
    result = validate_ssda903(*folders, collection_year=YEAR, la_code=LA)
    return text, result, planted, export


def test_903_finds_the_planted_errors_and_counts_them_as_the_library_does(planted_903):
    text, result, planted, _ = planted_903
    assert "Skipped: this step shows the clean synthetic sample only." in text
    real = real_rules(result)
    assert {"101", "103", "148", "202", "203"} <= set(real["rule"])
    issues = result.issues[result.issues["rule"].isin(real["rule"])]
    assert (f"{len(real)} rules flag {real['rows'].sum()} rows for "
            f"{issues['CHILD'].nunique()} children.") in text
    assert f"Showing the 3 most common of {len(real)} rules." in text
    children = issues["CHILD"].nunique()
    header = load("ssda903", planted["data"], year=YEAR, check_codes=False)["header"]
    in_header = header["CHILD"].nunique()
    assert (f"{children} of {in_header} children ({children / in_header:.1%}) "
            "have at least one error.") in text


def test_903_traces_the_child_with_most_errors_to_file_lines(planted_903):
    text, _, planted, _ = planted_903
    a, line = planted["a"], planted["a_header_line"]
    traced = re.search(rf"Child {a}, rules: (.*)", text)
    assert traced, "the child with the most planted errors is traced"
    assert {"101", "103", "148", "202"} <= set(traced.group(1).split(", "))
    assert re.search(rf"101\s+this\s+header\s+ssda903_{YEAR}_header\.csv\s+{line}\s+SEX\s+1",
                     text)
    assert f"header: 1 row(s) for {a}" in text
    assert f"header (previous year): 1 row(s) for {a}" in text  # rule 202 compares years
    assert re.search(r"compared by [^\n]*202", text)
    assert re.search(rf"episodes: \d+ row\(s\) for {a}", text)


def test_903_prints_two_fixes_and_saves_the_workbook(planted_903):
    text, result, _, export = planted_903
    first_two = fix_notes(real_rules(result)["rule"], SSDA903_FIXES)["rule"].head(2)
    printed = re.findall(r"Rule (\S+): [^\n]*\(rows flagged: \d+\)\n", text)
    assert printed == first_two.tolist()
    assert f"Saved to {export}" in text
    book = openpyxl.load_workbook(export)
    assert book.sheetnames == ["Issues by child", "Summary"]
    assert book["Issues by child"].max_row == len(result.issues) + 1
    assert f"{{'Issues by child': {len(result.issues)}, 'Summary': {len(result.summary)}}}" \
        in text


# --- CIN census with errors planted here -------------------------------------------------


def plant_cin(root: Path) -> dict:
    """Copy the clean sample's census to root/cin_census and plant errors; who got what."""
    source = data_path("cin_census", year=YEAR, sample_set="clean")
    tree = ET.parse(source)
    children = tree.getroot().findall("Children/Child")
    a = next(c for c in children  # one CIN episode, with a plan that has ended
             if len(c.findall("CINdetails")) == 1
             and c.find("CINdetails/ChildProtectionPlans/CPPendDate") is not None)
    a.find("ChildIdentifiers/Sex").text = "X"  # 4180
    a.find("CINdetails/ChildProtectionPlans/CPPendDate").text = "2020-01-01"  # 8925
    a.find("CINdetails/ReferralSource").text = "99"  # 8866
    b = next(c for c in children if c is not a and c.findtext("CINdetails/ReferralNFA") == "0"
             and c.find("CINdetails/PrimaryNeedCode") is not None)
    details = b.find("CINdetails")
    details.remove(details.find("PrimaryNeedCode"))  # 8610
    folder = root / "cin_census"
    folder.mkdir(parents=True)
    path = folder / source.name
    tree.write(path, encoding="UTF-8", xml_declaration=True)
    lines = path.read_text().splitlines()
    start = next(i for i, t in enumerate(lines)
                 if f"<LAchildID>{a.findtext('ChildIdentifiers/LAchildID')}<" in t)
    sex_line = next(i for i in range(start, len(lines)) if "<Sex>X</Sex>" in lines[i]) + 1
    ident = {k: c.findtext("ChildIdentifiers/LAchildID") for k, c in (("a", a), ("b", b))}
    return {**ident, "sex_line": sex_line, "sex": lines[sex_line - 1]}


@pytest.fixture(scope="module")
def planted_cin(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("owncin")
    planted = plant_cin(tmp / "data")
    text = run("checking-cin-census", tmp,
               {"data_dir": str(tmp / "data"), "collection_year": YEAR, "top_n": 4})
    return text, planted


def test_cin_finds_the_planted_errors_and_shows_the_top_rules(planted_cin):
    text, planted = planted_cin
    assert "Skipped: this step shows the clean synthetic sample only." in text
    errors = int(re.search(r"Error rules: (\d+) \| query rules: (\d+)", text).group(1))
    assert errors >= 4
    shown = re.search(r"Showing the (\d+) most common of (\d+) rules\.", text)
    assert shown.group(1) == "4" and int(shown.group(2)) >= errors
    for rule in ("4180", "8610", "8866", "8925"):
        assert re.search(rf"\b{rule}\s+Error", text), rule
    assert re.search(rf"{planted['b']}\s+1\s+\d+(?!\d)", text)  # one error rule
    # a, with three mistakes planted (and so three error rules or more), is a muddled
    # record; no rule flags more than one child
    with_errors = re.search(r"Children with an error: (\d+) of", text).group(1)
    by_child = text[text.index("Children with an error"):]
    a_errors = int(re.search(rf"{planted['a']}\s+(\d+)\s+\d+", by_child).group(1))
    assert a_errors >= 3
    assert ("Children failing more than one error rule: 1 of "
            f"{with_errors}; the most error rules one child fails: {a_errors}.") in text
    assert re.search(r"The rule flagging the most children: \S+, for 1 child\.", text)


def test_cin_traces_the_child_to_the_xml_lines(planted_cin):
    text, planted = planted_cin
    assert f"Child: {planted['a']}" in text
    assert f"{planted['sex_line']:>7}  {planted['sex']}" in text
    assert "<CPPendDate>2020-01-01</CPPendDate>" in text
    printed = re.findall(r"Rule (\S+) \((Error|Query)\): ", text)
    assert len(printed) == 2 and printed[0][1] == "Error"
    assert "Saved to" not in text


# --- demand model: one year, a stronger scenario, other costs -----------------------------


COSTS = {"FOSTERING": 900, "RESIDENTIAL": 6200, "SUPPORTED": 1800, "OTHER": 1600}


@pytest.fixture(scope="module")
def demand(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demand")
    text = run("forecasting-demand", tmp, {"forecast_years": 1, "weekly_costs": COSTS,
                                           "residential_entry_factor": 0.5})
    return text


def test_demand_forecasts_one_year_and_costs_the_scenario_as_the_library_does(demand):
    years = load("ssda903", year="all")
    args = (years, "01/04/2024", "31/03/2026")
    last_day = pd.Timestamp("2027-03-31")  # one year on, as forecast_years=1 asks
    base = forecast_demand(*args, forecast_days=365, by="placement_type")
    half = forecast_demand(*args, forecast_days=365, by="placement_type",
                           scale_moves_into={"RESIDENTIAL": 0.5})
    base, half = base[base["date"] <= last_day], half[half["date"] <= last_day]
    base_cost = cost_by_financial_year(cost_projection(base, COSTS)).set_index("financial_year")
    half_cost = cost_by_financial_year(cost_projection(half, COSTS)).set_index("financial_year")
    saving = base_cost["cost"] - half_cost["cost"]
    assert list(saving.index) == ["2026/27"]  # one complete year after 31/03/2026
    assert f"2026/27: the scenario saves £{saving.iloc[0] / 1e6:.2f} million" in demand
    assert "2027/28: the scenario saves" not in demand
    assert "Moves into residential care scaled by 0.5." in demand
    end = base["date"].max()
    assert f"forecast for {end:%d/%m/%Y}" in demand
    assert last_day - end < pd.Timedelta(days=7)  # the last weekly step by 31 March
    row = re.search(r"^2026/27((?:[ ]+[\d.]+)+)", demand, re.MULTILINE).group(1).split()
    assert float(row[-1]) == pytest.approx(base_cost["cost"].iloc[0] / 1e6, abs=0.006)
