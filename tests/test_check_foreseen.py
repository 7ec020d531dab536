"""check says beforehand what an example will leave out, by the example's own rule run on
the frames it read (own_data.foreseen): a census with no CIN plans, for drift."""

from __future__ import annotations

import re

from tests.fixtures.datasets_build import CHILD_A, cin_xml
from tests.fixtures.local_build import clean_903
from tests.test_own_data_check import run_cli


def folder(tmp_path, plans=True):
    data = clean_903(tmp_path / "data")
    child = CHILD_A if plans else re.sub(r"<CINPlanDates>.*?</CINPlanDates>", "", CHILD_A,
                                         flags=re.DOTALL)
    assert ("CINPlanDates" in child) == plans
    (data / "cin_census").mkdir()
    (data / "cin_census" / "cin_2026.xml").write_text(cin_xml(child), encoding="utf-8")
    return data


def test_check_of_drift_says_a_census_without_cin_plans_loses_that_stage(tmp_path, capsys):
    status, text = run_cli(capsys, "check", "drift", "--data", folder(tmp_path, plans=False),
                           "-p", "min_stages=1")
    assert status == 0, text  # a stage left out with a note is not a refusal
    said = [line.strip() for line in text.splitlines() if "will leave out" in line]
    assert said == [("What drift will leave out: Left out of the charts for 2025-26: "
                    "CIN plan (0), Looked after (0): fewer than min_stages=1 stages linked "
                    "to a referral, too few for a median to mean much. A census with no CIN "
                    "plan dates (or a part-year file) shows 0 here; lower min_stages to see "
                    "small counts.")], text


def test_check_of_drift_names_no_stage_when_each_has_enough(tmp_path, capsys):
    status, text = run_cli(capsys, "check", "drift", "--data", folder(tmp_path), "-p",
                           "min_stages=1")
    assert status == 0, text
    assert "CIN plan (0)" not in text
    # the example's own threshold decides: at its default of 20 every stage of two children
    status, text = run_cli(capsys, "check", "drift", "--data", folder(tmp_path / "b"))
    assert "What drift will leave out: Left out of the charts for 2025-26: CIN plan (1), " \
           "CP plan (1)" in text


def test_check_of_ehc_plans_timeliness_names_the_needs_it_will_leave_out(tmp_path, capsys):
    """The sample's SEN2 alone: at min_plans=5 some needs have too few new plans; check
    names them as the example's own rule (ehcp.groups_left_out) does, and none at 1."""
    import shutil

    from d2i_examples import paths

    data = tmp_path / "data"
    shutil.copytree(paths.ROOT / "sample_data" / "clean" / "sen2", data / "sen2")
    status, text = run_cli(capsys, "check", "ehc-plans-timeliness", "--data", data,
                           "-p", "min_plans=5")
    assert status == 0, text
    said = [line.strip() for line in text.splitlines() if "will leave out" in line]
    assert len(said) == 1 and said[0].startswith(
        "What ehc-plans-timeliness will leave out: Left out of the comparison by primary "
        "need: "), text
    status, text = run_cli(capsys, "check", "ehc-plans-timeliness", "--data", data,
                           "-p", "min_plans=1")
    assert status == 0 and "will leave out" not in text, text


def test_check_of_disproportionality_names_hidden_counts_and_refuses_what_run_would(
        tmp_path, capsys):
    """The sample folder: check names the counts the example hides, by its own rule; a
    comparison group the population lacks stops the example, so check refuses it."""
    from d2i_examples import paths

    data = paths.ROOT / "sample_data" / "clean"
    status, text = run_cli(capsys, "check", "disproportionality", "--data", data)
    assert status == 0, text
    assert ("What disproportionality will leave out: Hidden for having fewer than "
            "threshold=5 children: ") in text
    status, text = run_cli(capsys, "check", "disproportionality", "--data", data,
                           "-p", "comparison=Martian")
    assert status != 0 and "The comparison group is not in the population table" in text
    assert "What to do: Set comparison" in text
