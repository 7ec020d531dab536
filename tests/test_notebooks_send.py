"""The two SEND worked examples, run by the runner with changed parameters; expected
figures come from the library on the same data."""

from __future__ import annotations

import re

import nbformat
import pandas as pd
import pytest

from d2i_examples import paths
from d2i_examples.datasets import load
from d2i_examples.indicators import ehcp
from d2i_examples.indicators import ehcp_social_care as sc
from d2i_examples.outputs import RUNNER_ENV
from d2i_examples.runner import format_failures, run_notebooks
from d2i_examples.synth import DEFAULT_PROFILE, write_dataset

pytestmark = pytest.mark.slow


def execute(name: str, params: dict, tmp_path) -> nbformat.NotebookNode:
    outcomes = run_notebooks([paths.NOTEBOOKS / f"{name}.ipynb"], tmp_path / "out", params,
                             progress=None, inputs_root=tmp_path, workers=1, timeout=300)
    assert outcomes[0].status == "ok", format_failures(outcomes)
    return nbformat.read(outcomes[0].output, as_version=4)


def all_text(nb: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "")
                   for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def alts(nb: nbformat.NotebookNode) -> list[str]:
    return [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if "d2i-chart" in o.get("data", {}).get("text/html", "")]


def test_timeliness_notebook_with_fewer_needs_shown(tmp_path):
    nb = execute("ehc-plans-timeliness", {"min_plans": 30, "longest": 2}, tmp_path)
    requests = ehcp.requests_table(load("sen2", None, year=2026))
    row = ehcp.timeliness(requests).set_index("year").loc[2025]
    text = all_text(nb)
    assert (f"{int(row['within_20_without_exceptions'])} of "
            f"{int(row['plans_without_exceptions'])} new plans") in text
    assert f"{row['pct_excluding_exceptions']:.1f}%" in text
    by_need = ehcp.timeliness(requests, by="primary_need").query("year == 2025")
    shown = by_need[by_need["plans_without_exceptions"] >= 30]
    [need_chart, stage_chart] = alts(nb)
    slowest = shown.sort_values("pct_excluding_exceptions").iloc[0]
    assert f"{slowest['primary_need']} plans were slowest" in need_chart
    stages = ehcp.stage_summary(ehcp.stage_weeks(requests, 2025))
    assert f"add up to {stages['median_weeks'].sum():.0f} weeks" in stage_chart
    [waits] = [c for c in nb.cells if c.cell_type == "code" and "head(longest)" in c.source]
    shown = waits.outputs[0]["data"]["text/plain"]
    listed = set(re.findall(r"^(\d+)\s+1\s", shown, re.MULTILINE))
    stage_weeks = ehcp.stage_weeks(requests, 2025)
    top = stage_weeks.groupby("person_id")["weeks"].sum().nlargest(2).index
    assert listed == {str(p) for p in top}  # the two longest waits, as longest = 2 asks


def test_social_care_notebook_on_another_year(tmp_path, monkeypatch):
    monkeypatch.setenv(RUNNER_ENV, "1")  # the test's own loads: no warning about saving
    data = tmp_path / "council"
    write_dataset(data, profile=DEFAULT_PROFILE.scaled(12_000), seed=4, collection_year=2025)
    nb = execute("send-children-in-need-and-care",
                 {"collection_year": 2025, "data_dir": str(data)}, tmp_path)
    text = all_text(nb)
    assert "SEN2 census date 15/01/2025" in text
    cin, t903 = load("cin_census", data, year=2025), load("ssda903", data, year=2025)
    sen2 = load("sen2", data, year=2025)
    kids = sc.social_care_children(cin, t903, "2025-03-31")
    status = sc.ehcp_status(ehcp.requests_table(sen2), pd.Timestamp("2025-01-15"))
    shares = sc.shares_by_group(sc.social_care_with_ehcp(kids, status)).set_index("group")
    cla = shares.loc["looked after", "pct_ehc_plan"]
    [chart] = alts(nb)
    assert f"Children looked after: {cla:.0f}% have an EHC plan" in chart
    assert f"Of {len(kids)} children in need or looked after" in text
