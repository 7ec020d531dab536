"""Which collection year files hold (datasets.years), in-year extracts, last year optional,
older specifications, and Annex A drop-down values: the parts the agreement test relies on,
tried without a kernel."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from d2i_examples import cli
from d2i_examples.datasets import data_path, load, read_annex_a
from d2i_examples.datasets import years as yrs
from d2i_examples.errors import DataError
from d2i_examples.indicators.chat.profile import age_sex_pyramid
from d2i_examples.indicators.frames import UnplacedValues
from d2i_examples.indicators.periods import annex_a_window
from d2i_examples.outputs import RUNNER_ENV
from d2i_examples.settings.model import read_settings
from d2i_examples.spec import annex_a as annex_spec
from d2i_examples.tools import validate_cin_census, validate_ssda903
from tests.fixtures.datasets_build import (
    CHILD_A,
    ROWS_903,
    annex_row,
    cin_xml,
    write_903,
    write_xlsx,
)

# --- the year, and how we know ---------------------------------------------------------------


@pytest.mark.parametrize("name, year", [
    ("2026", 2026), ("2025-26", 2026), ("903_2025_26", 2026), ("CLA header 2024-25.csv", 2025),
    ("x 2024 to 2025", 2025), ("episodes.csv", None), ("cin_census_2026.xml", 2026),
])
def test_a_year_in_a_name(name, year):
    assert yrs.year_in_name(name) == year


@pytest.mark.parametrize("value", [2026, "2026", "2025/26", "2025-26", "2025 to 2026"])
def test_a_stated_year(value):
    assert yrs.stated_year(value) == 2026


def test_a_stated_year_that_is_not_one_says_how_to_write_it():
    with pytest.raises(DataError, match="collection year was not understood"):
        yrs.stated_year("next year")


def _census(path, reference="2026-03-31", sex="Sex"):
    text = cin_xml(CHILD_A).replace("2026-03-31", reference)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace("<Sex>M</Sex>", f"<{sex}>M</{sex}>"), encoding="utf-8")
    return path


@pytest.mark.parametrize("reference, year, in_year", [
    ("2026-03-31", 2026, False), ("2025-07-15", 2026, True), ("2025-04-01", 2026, True),
    ("2025-03-31", 2025, False),
])
def test_the_census_year_holds_the_reference_date(tmp_path, reference, year, in_year):
    found = yrs.decide("cin_census", _census(tmp_path / "c.xml", reference))
    assert found.year == year
    assert found.reason.startswith("from the header's ReferenceDate")
    assert ("in-year extract" in found.note) is in_year


def test_the_year_asked_for_wins_and_a_disagreement_is_said_once(tmp_path):
    folder = write_903(tmp_path / "2026")  # named 2025/26, dates of 2025/26 up to September
    found = yrs.decide("ssda903", folder)
    assert found.reason == "from the latest episode date (15/09/2025)"
    assert "in-year extract: the latest episode date (15/09/2025) comes before the year " \
        "ends on 31/03/2026" in found.note
    asked = yrs.decide("ssda903", folder, asked="2024/25")
    assert asked.year == 2025
    assert asked.note.count("Set collection_year=2026") == 1


def test_renamed_date_headings_are_read_through_the_settings_mapping(tmp_path):
    folder = write_903(tmp_path / "2026")  # dates of 2025/26 up to September: in-year
    episodes = folder / "episodes.csv"
    text = episodes.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    renamed = header.replace("DECOM", "Episode Start Date").replace("DEC,", "Episode End Date,")
    episodes.write_text(f"{renamed}\n{rest}", encoding="utf-8")
    settings = tmp_path / "settings.yaml"
    settings.write_text("mapping:\n  ssda903:\n    columns:\n"
                        "      Episode Start Date: DECOM\n      Episode End Date: DEC\n",
                        encoding="utf-8")
    unmapped = yrs.decide("ssda903", folder, asked=2026)
    assert "in-year extract" not in unmapped.note  # the dates cannot be found unmapped
    mapped = yrs.decide("ssda903", folder, asked=2026, settings=settings)
    assert mapped.year == 2026
    assert "in-year extract: the latest episode date (15/09/2025)" in mapped.note
    assert mapped == yrs.decide("ssda903", folder, asked=2026,
                                mapping=read_settings(settings).mapping_for("ssda903"))


def test_the_files_dates_beat_their_folder_name(tmp_path):
    folder = write_903(tmp_path / "2025")  # episodes run to 15/09/2025: 2025/26
    found = yrs.decide("ssda903", folder)
    assert found.year == 2026
    assert "By the folder name '2025' these are 2024/25" in found.note


def test_names_answer_when_the_files_hold_no_dates(tmp_path):
    folder = tmp_path / "2024-25"
    folder.mkdir()
    (folder / "notes.txt").write_text("x")
    assert yrs.decide("ssda903", folder) == yrs.Found(2025, "from the folder name '2024-25'")
    assert yrs.decide("ssda903", tmp_path / "none-here").year is None


def test_one_mistyped_date_does_not_move_the_903_year():
    dates = pd.Series(pd.date_range("2025-04-01", "2026-03-20", periods=300))
    episodes = pd.DataFrame({"DECOM": pd.concat([dates, pd.Series([pd.Timestamp("2027-02-10")])],
                                                ignore_index=True)})
    found = yrs.ssda903_evidence_from_episodes(episodes)
    assert yrs.year_ending_31_march(found.date) == 2026
    assert "10/02/2027 is left out as a likely typing mistake" in found.said()


# --- in-year extracts: check, wrapper and notebook agree -------------------------------------


def test_an_in_year_census_is_checked_against_its_years_rules_with_no_loop(tmp_path, capsys):
    data = tmp_path / "data"
    census = _census(data / "cin_census" / "CIN extract July.xml", "2025-07-15")
    status = cli.main(["check", "--data", str(data)])
    text = capsys.readouterr().out
    assert status == 0, text
    assert "Year: 2025/26 (collection year 2026), from the header's ReferenceDate" in text
    assert "in-year extract" in text and "may flag what is simply not finished yet" in text
    # the wrapper accepts the year the check names...
    result = validate_cin_census(census, collection_year=2026)
    assert result.collection_year == 2026
    # ...and a year the check refuses comes with a fix the check then accepts
    status = cli.main(["check", "--data", str(data), "-p", "collection_year=2025"])
    text = capsys.readouterr().out
    assert status == 12 and "-p collection_year=2026" in text
    with pytest.raises(DataError, match="Pass collection_year=2026"):
        validate_cin_census(census, collection_year=2025)


def test_a_census_using_gender_current_is_named_with_its_specification(tmp_path):
    found = yrs.decide("cin_census", _census(tmp_path / "c.xml", sex="GenderCurrent"))
    assert "<GenderCurrent>, the element of the CIN census specification up to 2023/24" \
        in found.note
    assert "Export the census again to the 2025/26 specification" in found.note
    assert yrs.decide("cin_census", _census(tmp_path / "d.xml")).note == ""


def test_903_codes_of_another_year_are_named_with_their_specification(tmp_path):
    folder = write_903(tmp_path / "903")
    episodes = folder / "episodes.csv"
    episodes.write_text(episodes.read_text().replace(",K2,", ",H5,"))
    note = yrs.decide("ssda903", folder, asked=2026).note
    assert "codes the 2025/26 specification does not accept (PLACE H5)" in note
    assert "the codes of the 2024/25 specification" in note


# --- last year's SSDA903 is optional -----------------------------------------------------------


def test_this_years_903_alone_is_enough_and_last_year_is_named(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(RUNNER_ENV, "1")
    data = tmp_path / "data"
    write_903(data / "SSDA903", names={"header": "header_2025-26.csv",
                                       "episodes": "episodes_2025-26.csv"})
    assert data_path("ssda903", data, year=2026) == data / "SSDA903"
    assert data_path("ssda903", data, year=2025, missing_ok=True) is None
    status = cli.main(["check", "checking-ssda903", "--data", str(data)])
    text = capsys.readouterr().out
    assert status == 0, text
    assert "Last year's files (2024/25) are not there. They are optional" in text
    result = validate_ssda903(data / "SSDA903", None, collection_year=2026)
    status = result.rules["status"]
    providers = status.str.contains("Ofsted providers")
    skipped = result.rules[status.str.contains("previous year's") & ~providers]
    assert len(skipped) > 10
    assert (f"{len(skipped)} rule(s) were skipped: they compare with last year's return, "
            "whose files were not given") in repr(result)


# --- Annex A: drop-down values, unplaced values, an empty window -------------------------------


@pytest.mark.parametrize("value, code", [
    ("a) Male", "Male"), ("b) Female", "Female"), ("a) WBRI", "WBRI"), ("s) NOBT", "NOBT"),
    ("q) 6: Police", "6"), ("j) 3D: Health services", "3D"), ("1A", "1A"), ("Male", "Male"),
    ("Smith, J", "Smith, J"),
])
def test_template_drop_down_values_are_read_as_codes(value, code):
    from d2i_examples.datasets.values import template_code

    assert template_code(value) == code


def _annex(path, gender="a) Male", contact="31/05/2024"):
    heading = annex_spec.LISTS["list_1"][1]
    rows = [annex_row("list_1", **{"Child Unique ID": f"SYN{n}", "Gender": g,
                                   "Ethnicity": "a) WBRI", "Contact Source": "q) 6: Police",
                                   "Date of Contact": contact})
            for n, g in enumerate([gender, "b) Female", "b) Femail"])]
    return write_xlsx(path, {"List 1": [heading, *rows]})


def test_an_annex_a_with_drop_down_values_is_read_and_counted_by_its_codes(tmp_path):
    lists = read_annex_a(_annex(tmp_path / "annex.xlsx"))
    list_1 = lists["list_1"]
    assert list(list_1["Gender"]) == ["Male", "Female", "Femail"]
    assert set(list_1["Ethnicity"]) == {"WBRI"} and set(list_1["Contact Source"]) == {"6"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pyramid = age_sex_pyramid(list_1, "31/03/2025")
    sexes = pyramid.groupby("sex")["children"].sum()
    assert (sexes["Male"], sexes["Female"], sexes["Other or not recorded"]) == (1, 1, 1)
    [warning] = [w for w in caught if issubclass(w.category, UnplacedValues)]
    assert "1 child with Gender 'Femail'" in str(warning.message)
    assert "counted as Other or not recorded" in str(warning.message)


def test_a_window_holding_no_records_is_refused_with_the_date_that_covers_it(tmp_path):
    lists = read_annex_a(_annex(tmp_path / "annex.xlsx"))
    with pytest.raises(DataError) as caught:
        annex_a_window(lists, "31/03/2026", 12)
    text = str(caught.value)
    assert "No Annex A record is dated in the window 01/04/2025 to 31/03/2026" in text
    assert "run from 31/05/2024 to 31/05/2024" in text and "-p reference_date=31/05/2024" in text
    said = annex_a_window(lists, "31/05/2024", 12)
    assert "3 of them fall in the window" in said


def test_a_window_with_dates_but_no_contact_or_referral_in_it_is_refused():
    """The corpus's 2026/27 Annex A under the default 2025/26 window: cases open then (List 6)
    put dates in the window, so check said OK and chat-annex-a crashed on no referrals."""
    lists = {
        "list_3": pd.DataFrame({"Date of referral": pd.to_datetime(["2026-05-01", "2026-11-14"])}),
        "list_6": pd.DataFrame({"CIN Start Date": pd.to_datetime(["2025-06-01"]),
                                "CIN Closure Date": pd.to_datetime(["2026-06-01"])}),
    }
    with pytest.raises(DataError) as caught:
        annex_a_window(lists, "31/03/2026", 12)
    text = str(caught.value)
    assert "No contact or referral (Annex A Lists 1 and 3)" in text
    assert "run from 01/05/2026 to 14/11/2026" in text
    assert "-p reference_date=30/11/2026" in text
    assert "3 of them fall in the window" in annex_a_window(lists, "30/11/2026", 12)


def test_the_check_refuses_an_empty_window_and_accepts_its_fix(tmp_path, capsys):
    data = tmp_path / "data"
    _annex(data / "annex_a" / "annex.xlsx")
    status = cli.main(["check", "journeys", "--data", str(data)])
    text = capsys.readouterr().out
    assert status == 12 and "-p reference_date=31/05/2024" in text
    status = cli.main(["check", "journeys", "--data", str(data), "-p",
                       "reference_date=31/05/2024"])
    assert status == 0, capsys.readouterr().out


def test_load_of_every_year_keys_years_by_the_files_dates(tmp_path, monkeypatch):
    monkeypatch.setenv(RUNNER_ENV, "1")
    write_903(tmp_path / "903 files")
    assert list(load("ssda903", tmp_path / "903 files", year="all")) == [2026]
    assert ROWS_903["episodes"][0]["DEC"] == "15/09/2025"  # the date that says 2025/26
