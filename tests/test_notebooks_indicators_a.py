"""The ChAT, DRIFT and journeys worked examples, each run once with non-default parameters.

Each test runs one notebook through the runner on the synthetic sample and
checks that the parameters reached the calculations: the figures the notebook
prints are the library's figures for those parameters, which differ from the
defaults'. Library helpers the notebooks use are unit-tested in
test_indicators_*.py.
"""

import nbformat
import pandas as pd
import pytest

from d2i_examples import paths
from d2i_examples.datasets import load
from d2i_examples.indicators import chat
from d2i_examples.indicators.drift import band_labels, drift_summary, drift_table
from d2i_examples.indicators.journeys import conversion_rates, journey_paths, stage_counts
from d2i_examples.runner import format_failures, run_notebooks
from tests.notebook_factory import outputs_text

# every test here executes worked examples end to end
pytestmark = pytest.mark.slow


def run(tmp_path, name, params):
    """Run notebooks/NAME.ipynb with params; the executed notebook and its output text."""
    [outcome] = run_notebooks([paths.NOTEBOOKS / f"{name}.ipynb"], tmp_path / "out", params,
                              progress=None, inputs_root=tmp_path, workers=1)
    assert outcome.status == "ok", format_failures([outcome])
    executed = nbformat.read(outcome.output, as_version=4)
    assert executed.cells[1 + next(i for i, c in enumerate(executed.cells)
                                   if "parameters" in c.metadata.get("tags", []))
                          ].metadata["tags"] == ["injected-parameters"]
    return executed, outputs_text(outcome.output)


def images(executed):
    return sum("image/png" in out.get("data", {})
               for cell in executed.cells for out in cell.get("outputs", []))


@pytest.fixture(scope="module")
def annex_a():
    return load("annex_a", None)


def test_chat_notebook_uses_its_thresholds(tmp_path, annex_a):
    params = {"assessment_working_days": 20, "placements_threshold": 2,
              "focus_measure": "assessment_timeliness"}
    executed, text = run(tmp_path, "chat-annex-a", params)
    options = {"assessment_timeliness": {"working_days": 20},
               "placement_stability_short_term": {"placements": 2}}
    ours = chat.chat_summary(annex_a, "2026-03-31", options=options).set_index("indicator")
    default = chat.chat_summary(annex_a, "2026-03-31").set_index("indicator")

    quick = ours.loc["assessment_timeliness"]
    assert quick["measure"] == "Assessments authorised within 20 working days"
    assert quick["rate"] < default.loc["assessment_timeliness", "rate"]
    assert f"{quick['rate']:.1%}" in text
    assert f"{ours.loc['placement_stability_short_term', 'rate']:.1%}" in text
    assert "2+ placements in 12 months" in text
    assert "45 working days" not in text  # the default threshold is gone everywhere
    # the children behind the chosen measure: assessments over 20 working days
    behind = int(quick["denominator"] - quick["numerator"])
    assert (f"Assessments authorised within 20 working days: {behind} of "
            f"{int(quick['denominator'])} records are behind the rate") in text
    # measures whose list was left blank say so rather than showing a rate
    blank = ours.loc[ours["status"] == "no data", "measure"].tolist()
    assert f"{len(ours) - len(blank)} of {len(ours)} measures have data." in text
    assert ("No data: " + ("; ".join(blank) or "none")) in text
    assert images(executed) == 3  # sources, rates, pyramids


def test_drift_notebook_uses_its_bands_and_minimum(tmp_path):
    executed, text = run(tmp_path, "drift", {"bands": [0, 10, 30], "min_stages": 1,
                                             "earlier_years": True})
    census = load("cin_census", None, year=2026)
    tables = load("ssda903", None, year="all")
    episodes = pd.concat([t["episodes"] for t in tables.values()]).drop_duplicates(
        ["CHILD", "DECOM"])
    drift = drift_table(census, episodes)
    summary = drift_summary(drift)
    # min_stages=1: every year with a linked stage is in the printed table
    for year in summary.loc[summary["children"] >= 1, "year"].unique():
        assert year in text
    for label in band_labels([0, 10, 30]):
        assert label in text
    assert "365+ days" not in text
    latest = summary["year"].max()
    cp = summary[(summary["stage"] == "CP plan") & (summary["year"] == latest)]
    assert "the median wait from referral was" in text
    assert f"{cp['median'].iloc[0]:.0f} days to a CP plan" in text
    unlinked = int((~drift["linked"]).sum())
    assert f"{unlinked} of {len(drift)} stages are not linked to a referral" in text
    cin_plans = summary[summary["stage"] == "CIN plan"].set_index("year")["children"]
    assert "The 2026 census covers 2025-26 whole. CIN plans started, by year: " + ", ".join(
        f"{year}: {n}" for year, n in cin_plans.items()) in text
    assert images(executed) == 2  # box plots, histograms


def test_journeys_notebook_uses_its_window(tmp_path, annex_a):
    params = {"reference_date": "31/12/2025", "months": 6, "top_paths": 3}
    executed, text = run(tmp_path, "journeys", params)
    counts = stage_counts(annex_a, "2025-12-31", 6).set_index("stage")["children"]
    default = stage_counts(annex_a, "2026-03-31").set_index("stage")["children"]
    assert counts["Referral"] != default["Referral"]
    assert (f"In the 6 months to 31 December 2025: {counts['Contact']} children had a "
            f"contact, {counts['Referral']} were referred") in text
    rates = conversion_rates(annex_a, "2025-12-31", 6)
    for rate in rates["rate"]:
        assert f"{rate:.1%}" in text
    paths_ = journey_paths(annex_a, "2025-12-31", 6)
    share = (paths_["children"] / paths_["children"].sum()).head(3).sum()
    assert f"the 3 most common cover {share:.0%} of children" in text
    assert images(executed) == 3  # funnel, next stages, conversion rates
