"""Settings files (parameters + column mapping): validated on load, applied in memory."""

from __future__ import annotations

import pandas as pd
import pytest

from d2i_examples import paths
from d2i_examples.datasets import read_annex_a, read_ssda903
from d2i_examples.errors import DataError
from d2i_examples.settings.mapping import ColumnMapping, codes_by_meaning, with_renames
from d2i_examples.settings.model import (
    SettingsError,
    is_settings_data,
    parse_settings,
    read_settings,
)
from d2i_examples.spec import annex_a as annex_spec
from d2i_examples.tools import PLACEMENT_TYPES
from tests.fixtures.datasets_build import ROWS_903, annex_row, columns_903, write_csv, write_xlsx
from tests.fixtures.local_build import COUNCIL_SETTINGS, council_folder


def problems(text: str, tmp_path) -> list[str]:
    path = tmp_path / "settings.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        read_settings(path)
    assert str(path) in str(info.value)
    return info.value.problems


def test_the_example_in_the_repository_is_valid_and_maps_both_returns():
    settings = read_settings(paths.ROOT / "settings" / "example-council.yaml")
    assert settings.parameters["collection_year"] == 2025
    # forecasting-demand's weekly costs, one per placement type the model counts
    assert set(settings.parameters["weekly_costs"]) == set(PLACEMENT_TYPES)
    m903 = settings.mapping_for("ssda903")
    assert m903.rename(["child id", "GENDER", "UPN"]) == ["CHILD", "SEX", "UPN"]
    assert m903.codes["SEX"] == {"Male": "M", "Female": "F", "Unknown": "U"}
    annex = settings.mapping_for("annex_a")
    assert annex.rename(["Referral Date"], "list_3") == ["Date of referral"]
    assert annex.rename(["Referral Date"], "list_1") == ["Referral Date"]
    assert settings.mapping_for("cin_census") is None


def test_every_problem_is_listed_at_once_with_a_guess(tmp_path):
    found = problems(
        "paramters:\n  collection_year: 2025\n"
        "parameters:\n  collection_year: [2025, {a: {b: c}}]\n  2nd: 1\n  settings_file: x\n"
        "mapping:\n"
        "  ssda903:\n"
        "    columns: {Child ID: CHILDID, Gender: 7}\n"
        "    tables: {episode: {Start: DECOM}, episodes: {Start: DOB}}\n"
        "    codes: {SEX: {Male: MALE}, DOB: {x: y}, SEXX: {a: b}}\n"
        "    colums: {}\n"
        "  cin_census: {columns: {a: b}}\n"
        "  annex: {}\n",
        tmp_path,
    )
    text = "\n".join(found)
    assert "unknown key 'paramters' at the top level; did you mean 'parameters'?" in text
    assert "'2nd' is not a parameter name" in text
    assert "settings_file is set by d2i-examples" in text
    assert "'Child ID' maps to 'CHILDID', which is not a SSDA903 column; did you mean 'CHILD'?" \
        in text
    assert "'Gender' maps to 7, which is not a column heading" in text
    assert "unknown table 'episode' under mapping.ssda903.tables; did you mean 'episodes'?" in text
    assert "'Start' maps to 'DOB', which is not a column of the SSDA903 episodes table" in text
    assert "'Male' maps to 'MALE', which is not an SSDA903 SEX code" in text
    assert "DOB holds dates, not codes" in text
    assert "'SEXX' is not SSDA903 column; did you mean 'SEX'?" in text
    assert "unknown key 'colums' under mapping.ssda903; did you mean 'columns'?" in text
    assert "cin_census cannot be mapped" in text
    assert "unknown key 'annex' under mapping; did you mean 'annex_a'?" in text
    assert len(found) == 13


def test_wrong_types_at_the_top(tmp_path):
    assert "not a list" in problems("- collection_year\n- 2025\n", tmp_path)[0]
    found = problems("description: 3\nparameters: [1]\nmapping: text\n", tmp_path)
    assert [p.split(" ")[0] for p in found] == ["description", "parameters", "mapping"]
    assert "not valid YAML at line 2" in problems("mapping:\n\tssda903: {}\n", tmp_path)[0]
    with pytest.raises(SettingsError, match="was not found"):
        read_settings(tmp_path / "nope.yaml")


def test_yes_no_stay_words_and_dates_stay_text(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        "parameters: {start: 2023-04-01, flag: true, word: Yes}\n"
        "mapping:\n  annex_a:\n    codes:\n      Referral NFA?: {Yes: Y, No: N, 1: Y}\n"
    )
    settings = read_settings(path)
    assert settings.parameters == {"start": "2023-04-01", "flag": True, "word": "Yes"}
    assert settings.mapping_for("annex_a").codes == {"Referral NFA?": {"Yes": "Y", "No": "N",
                                                                      "1": "Y"}}


def test_a_settings_file_is_told_from_plain_parameters():
    assert is_settings_data({"parameters": {}}) and is_settings_data({"mapping": None})
    assert not is_settings_data({"collection_year": 2025})
    assert parse_settings(None).to_yaml() == "{}\n"


def test_mapping_renames_and_recodes_ignoring_case_and_spacing():
    m = ColumnMapping("ssda903", {"Child  ref": "CHILD"}, {"episodes": {"Start": "DECOM"}},
                      {"SEX": {"male": "M", "1": "M"}})
    assert m.rename([" child REF ", "Start"]) == ["CHILD", "Start"]
    assert m.rename(["Start"], "episodes") == ["DECOM"]
    values = pd.Series(["MALE ", "F", None, 1.0, "other"])
    recoded = m.recode("SEX", values)
    assert recoded.isna().tolist() == [False, False, True, False, False]
    assert recoded.dropna().tolist() == ["M", "F", "M", "other"]
    with pytest.raises(DataError, match="Two columns would both be read as 'CHILD'"):
        m.rename(["Child ref", "CHILD"], where="header.csv")


def test_suggested_renames_go_where_they_are_safe():
    m = with_renames(None, "ssda903", "header", {"Date of birth": "DOB"})
    assert m.columns == {"Date of birth": "DOB"}
    annex = with_renames(None, "annex_a", "list_3", {"ID": "Child Unique ID", "Referral":
                                                     "Date of referral"})
    assert annex.columns == {"ID": "Child Unique ID"}
    assert annex.tables == {"list_3": {"Referral": "Date of referral"}}
    # a global entry that suits one table but not another: mapped per table instead
    m = with_renames(ColumnMapping("ssda903", {"Start": "DECOM"}), "ssda903", "social_worker",
                     {"DECOM": "SW_DECOM"})
    assert m.columns == {"Start": "DECOM"} and m.tables == {"social_worker": {"Start":
                                                                              "SW_DECOM"}}
    assert codes_by_meaning(["MALE", "Boy"], {"M": "Male", "F": "Female"}) == {"MALE": "M"}


def test_the_903_loader_applies_a_mapping_in_memory_and_leaves_files_alone(tmp_path):
    data = council_folder(tmp_path, "X1")
    folder = data / "903 extract" / "2024-25"
    before = {p: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(DataError, match="looks like the SSDA903"):
        read_ssda903(folder)
    settings = parse_settings(__import__("yaml").safe_load(COUNCIL_SETTINGS))
    tables = read_ssda903(folder, collection_year=2025, mapping=settings.mapping_for("ssda903"))
    assert list(tables["header"].columns) == columns_903("header")
    assert tables["header"]["SEX"].tolist() == [r["SEX"] for r in ROWS_903["header"]]
    assert tables["header"]["CHILD"].str.startswith("SYNX1").all()
    assert tables["episodes"]["DECOM"].max() == pd.Timestamp("2024-09-15")
    assert {p: p.read_bytes() for p in folder.iterdir()} == before
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in before)


def test_the_annex_a_loader_applies_list_and_global_entries(tmp_path):
    headings = annex_spec.LISTS["list_3"][1]
    council = ["Child ID" if h == "Child Unique ID" else "Referral Date"
               if h == "Date of referral" else h for h in headings]
    row = annex_row("list_3", **{"Date of referral": "03/02/2026", "Referral NFA?": "Yes"})
    book = write_xlsx(tmp_path / "annex.xlsx", {"List 3": [council, row]})
    mapping = ColumnMapping("annex_a", {"Child ID": "Child Unique ID"},
                            {"list_3": {"Referral Date": "Date of referral"}},
                            {"Referral NFA?": {"yes": "Y"}})
    lists = read_annex_a(book, mapping=mapping)
    assert list(lists["list_3"].columns) == headings
    assert lists["list_3"]["Date of referral"].iloc[0] == pd.Timestamp("2026-02-03")
    assert lists["list_3"]["Referral NFA?"].iloc[0] == "Y"
    write_csv(tmp_path / "x" / "List 3.csv", council, [row])
    with pytest.raises(DataError, match="Rename 'Child ID' to 'Child Unique ID'") as info:
        read_annex_a(tmp_path / "x")
    assert info.value.renames["Child ID"] == "Child Unique ID"


def test_a_params_file_is_read_once_as_settings_or_as_plain_parameters(tmp_path, monkeypatch):
    from d2i_examples.settings import model

    plain = tmp_path / "plain.yaml"
    plain.write_text("collection_year: 2025\nlabel: Yes\n", encoding="utf-8")
    shared = tmp_path / "shared.yaml"
    shared.write_text("parameters:\n  collection_year: 2024\n", encoding="utf-8")
    reads = []
    real = model.read_yaml
    monkeypatch.setattr(model, "read_yaml", lambda path: reads.append(path) or real(path))

    assert model.read_params(plain) == (None, {"collection_year": 2025, "label": "Yes"})
    settings, params = model.read_params(shared)
    assert params == {} and settings.parameters == {"collection_year": 2024}
    assert reads == [plain, shared]


def test_a_params_file_that_is_not_a_mapping_names_the_file(tmp_path):
    from d2i_examples.settings.model import read_params
    from d2i_examples.settings.parameters import ParameterError

    path = tmp_path / "list.yaml"
    path.write_text("- collection_year\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="list.yaml must be a mapping"):
        read_params(path)
