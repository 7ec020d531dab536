"""Small, sparse and unlinked data degrade, never crash: each example's library calls,
on hand-made data with nothing to show, give a plain statement of what was left out."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from d2i_examples import charts
from d2i_examples.datasets import read_ssda903
from d2i_examples.errors import DataError
from d2i_examples.indicators import disproportionality as dp
from d2i_examples.indicators import ehcp_social_care as sc
from d2i_examples.indicators.drift import drift_summary, drift_table, left_out
from tests.fixtures.datasets_build import write_903
from tests.test_indicators_drift import census, cin_table, episodes


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --- drift: a census with no CIN plans -----------------------------------------------------


def test_drift_on_a_census_without_cin_plans_keeps_the_stage_at_zero():
    cin = census()
    cin["CINplanDates"] = cin_table("CINplanDates", [])
    summary = drift_summary(drift_table(cin, episodes()))
    per_year = summary.pivot(index="year", columns="stage", values="children")
    assert per_year["CIN plan"].eq(0).all()  # the notebook's KeyError: 'CIN plan'
    assert list(summary["stage"].drop_duplicates()) == ["CIN plan", "CP plan", "Looked after"]
    said = left_out(summary, 1, "2024-25")
    assert said.startswith("Left out of the charts for 2024-25: CIN plan (0)")
    assert "CP plan" not in said


def test_drift_says_nothing_was_left_out_when_nothing_was():
    summary = drift_summary(drift_table(census(), episodes()))
    assert left_out(summary, 0, "2024-25") == ""


# --- disproportionality: every group suppressed -------------------------------------------


def _ratios(suppressed: set[str]) -> pd.DataFrame:
    rows = []
    for stage in ("Referral", "Looked after"):
        for group, ratio in (("White British", 1.0), ("Black", 2.0), ("Asian", 0.5)):
            hidden = stage in suppressed
            rows.append({"stage": stage, "ethnic_group": group,
                         "ratio": None if hidden else ratio,
                         "ratio_lower": None if hidden else ratio / 2,
                         "ratio_upper": None if hidden else ratio * 2})
    return pd.DataFrame(rows)


def test_disproportionality_chart_with_every_group_suppressed_says_why():
    fig, alt = charts.ratio_intervals(_ratios({"Referral", "Looked after"}),
                                      ["Referral", "Looked after"], title="t",
                                      comparison="White British", confidence=0.95,
                                      threshold=5)
    assert "below the threshold of 5 children" in alt and fig is not None


def test_disproportionality_chart_names_a_stage_left_out():
    _, alt = charts.ratio_intervals(_ratios({"Looked after"}), ["Referral", "Looked after"],
                                    title="t", comparison="White British", confidence=0.95,
                                    threshold=5)
    assert "Referral: Asian: 0.5 times; Black: 2.0 times" in alt
    assert "Not shown: Looked after, where every group's count is below 5" in alt


def test_readable_table_with_every_count_hidden():
    counts = pd.DataFrame({"stage": ["Referral"] * 2, "ethnic_group": ["White British", "Black"],
                           "children": [2, 1]})
    population = pd.DataFrame({"ethnic_group": ["White British", "Black"],
                               "population": [1000, 100]})
    table = dp.disproportionality(counts, population, comparison="White British", threshold=5)
    assert table["suppressed"].all()
    _, alt = charts.ratio_intervals(table, ["Referral"], title="t",
                                    comparison="White British", confidence=0.95, threshold=5)
    assert alt.startswith("No ratio to show")


# --- ehc-plans-timeliness: no need reaches min_plans ---------------------------------------


def test_ehcp_chart_with_no_need_reaching_min_plans_says_so():
    by_need = pd.DataFrame({"year": [2025, 2025], "primary_need": ["ASD", "MLD"],
                            "plans_without_exceptions": [2, 1],
                            "pct_excluding_exceptions": [50.0, 100.0]})
    _, alt = charts.ehcp.timeliness_by(by_need, "primary_need", "Primary need",
                                         overall=66.7, min_plans=5)
    assert "No primary need had 5 or more new plans" in alt and "the most was 2" in alt
    assert "-p min_plans=1" in alt


# --- send-children-in-need-and-care: no child known to social care had a new plan ----------


def _new_plans(n: int) -> pd.DataFrame:
    start = pd.Timestamp("2025-01-06")
    return pd.DataFrame({
        "request_id": range(n), "year": 2025, "within_20": [True] * n,
        "week20": [False] * n, "weeks": [10.0] * n, "upn": [f"U{i}" for i in range(n)],
        "plan_start": [start] * n})


def test_send_timeliness_with_no_known_child_says_there_is_nothing_to_compare(monkeypatch):
    from d2i_examples.indicators import ehcp

    monkeypatch.setattr(ehcp, "new_plans", lambda requests, year=None: requests.copy())
    new = _new_plans(3)
    timely, sentence = sc.timeliness_known_or_not(new, new["upn"].isin([]), 2025)
    assert timely.loc["plans", "children known to social care"] == 0
    assert timely.loc["plans", "other children"] == 3
    assert sentence.startswith("No new plan in 2025 was for a child known to social care")
    timely, sentence = sc.timeliness_known_or_not(new, new["upn"].eq("U0"), 2025)
    assert sentence == ("1 new plans in 2025 were for children known to social care: 100% "
                        "within 20 weeks (excluding exceptions), against 100% for other "
                        "children.")


# --- empty optional tables: accepted as no rows; every refused file named at once ----------


def test_an_empty_or_header_only_optional_table_is_no_rows(tmp_path):
    folder = write_903(tmp_path / "2026", ("header", "episodes"))
    (folder / "ssda903_2026_ad1.csv").write_bytes(b"\n")  # 1 byte
    (folder / "uasc.csv").write_bytes(b"")
    (folder / "missing.csv").write_text("CHILD,DOB,MISSING,MIS_START,MIS_END\n")  # header only
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frames = read_ssda903(folder)
    assert len(frames["ad1"]) == 0 and len(frames["uasc"]) == 0 and len(frames["missing"]) == 0
    notes = " ".join(str(w.message) for w in caught)
    assert "ssda903_2026_ad1.csv is empty: read as the ad1 table with no rows" in notes
    assert "uasc.csv is empty" in notes


def test_every_empty_file_that_cannot_be_accepted_is_named_at_once(tmp_path):
    folder = write_903(tmp_path / "2026", ("episodes",))
    (folder / "header.csv").write_bytes(b"")
    (folder / "notes.csv").write_bytes(b" \n")
    (folder / "ad1.csv").write_bytes(b"")
    with pytest.raises(DataError) as info:
        read_ssda903(folder)
    assert info.value.found == "header.csv, notes.csv"
    assert info.value.problem.startswith("2 files are empty")


# --- getting-started: no child in all three returns (systems with different IDs) -----------


def _unlinked():
    from tests.test_datasets_linking import CIN, SSDA903

    ssda903 = {t: f.replace({"A": "LCS-A", "B": "LCS-B"}) for t, f in SSDA903.items()}
    annex_a = {"list_1": pd.DataFrame({"Child Unique ID": ["A", "C"],
                                       "Date of Birth": pd.to_datetime(["2015-01-02"] * 2)})}
    return ssda903, CIN, annex_a


def test_getting_started_follows_the_best_linked_child_and_says_why():
    from d2i_examples.datasets.linking import child_records, dates_of_birth, example_child

    ssda903, cin, annex_a = _unlinked()
    child, said = example_child(ssda903, cin, annex_a)
    assert child == "A"  # in the CIN census and Annex A: two of three returns
    assert said.startswith("No child appears in all three returns (IDs shared by two "
                           "returns: SSDA903 and CIN census: 0, CIN census and Annex A: 2, "
                           "SSDA903 and Annex A: 0)")
    assert "in CIN census, Annex A only" in said and "-p child_id=ID" in said
    records = child_records(child, ssda903, cin, annex_a, keep_empty=True)
    assert len(records["ssda903 header"]) == 0  # shown empty, not a KeyError
    assert list(dates_of_birth(records)) == ["annex_a list_1"]  # CIN rows have no date


def test_getting_started_takes_the_readers_child_id_or_says_it_is_nowhere():
    from d2i_examples.datasets.linking import example_child

    ssda903, cin, annex_a = _unlinked()
    assert example_child(ssda903, cin, annex_a, "LCS-B") == (
        "LCS-B", "Following LCS-B (your child_id): in SSDA903.")
    with pytest.raises(DataError, match="is in none of the three returns") as info:
        example_child(ssda903, cin, annex_a, "Z")
    assert "child_id" in info.value.fix


def test_a_timeline_with_nothing_to_draw_is_titled_and_drawn_as_such():
    from d2i_examples.datasets.linking import child_timeline, timeline_title

    empty = child_timeline({}, until=pd.Timestamp("2026-03-31"))
    title = timeline_title("A", empty)
    assert title == "A: no CIN census or SSDA903 record with a date to draw"
    assert charts.timeline(empty, title=title) is not None


# --- clashing CIN census files: every clash named at once ----------------------------------


def test_every_clashing_cin_census_file_is_named_in_one_message(tmp_path):
    from d2i_examples.datasets.years import cin_census_years
    from tests.fixtures.datasets_build import CHILD_A, cin_xml

    folder = tmp_path / "cin_census"
    folder.mkdir()
    for name in ("cin_2026.xml", "cin_2026 (copy).xml", "cin_2026 old.xml"):
        (folder / name).write_text(cin_xml(CHILD_A), encoding="utf-8")
    with pytest.raises(DataError) as info:
        cin_census_years(folder)
    assert info.value.problem == "Three CIN census files are for 2025/26."
    for name in ("cin_2026.xml", "cin_2026 (copy).xml", "cin_2026 old.xml"):
        assert name in info.value.found
