"""Sharing: choosing the salt safely, and checking no identifier is left."""

import pandas as pd
import pytest

from d2i_examples.errors import DataError
from d2i_examples.indicators.sharing import (
    EXAMPLE_SALT,
    choose_salt,
    identifiers_left,
    prepare_for_sharing,
    read_salt,
)

SALT = "a-test-salt-of-32-characters-xyz"


def test_salt_from_a_file_wins_and_is_stripped(tmp_path):
    path = tmp_path / "salt.txt"
    path.write_text(f"  {SALT}  \nsecond line ignored\n", encoding="utf-8")
    assert read_salt(path) == SALT
    assert choose_salt(EXAMPLE_SALT, path, own_data=True) == SALT
    assert choose_salt(SALT) == SALT


def test_salt_file_problems(tmp_path):
    with pytest.raises(DataError, match="salt file was not found"):
        read_salt(tmp_path / "none.txt")
    short = tmp_path / "short.txt"
    short.write_text("abc\n", encoding="utf-8")
    with pytest.raises(DataError) as error:
        choose_salt(None, short)
    assert error.value.file == str(short) and error.value.found == "3 characters"
    blank_first = tmp_path / "blank.txt"
    blank_first.write_text("\n" + SALT, encoding="utf-8")
    with pytest.raises(DataError):
        read_salt(blank_first)


def test_example_salt_only_for_the_sample():
    assert choose_salt(EXAMPLE_SALT, own_data=False) == EXAMPLE_SALT
    with pytest.raises(DataError) as error:
        choose_salt(EXAMPLE_SALT, own_data=True)
    assert error.value.column == "salt" and "salt_file" in error.value.fix
    with pytest.raises(DataError):
        choose_salt(None)
    with pytest.raises(DataError):
        choose_salt("short")


def original():
    return pd.DataFrame({
        "CHILD": ["SYN1", "SYN2", "SYN3"],
        "DOB": pd.to_datetime(["2015-05-01", "2015-06-03", "2016-01-20"]),
        "HOME_POST": ["YO1 7HH", "YO2 1AA", None],
        "DECOM": pd.to_datetime(["2020-01-01", "2015-06-03", "2021-02-02"]),
    }, index=[10, 11, 12])


def test_nothing_left_after_preparation():
    before = original()
    after = prepare_for_sharing(before, SALT, ids=["CHILD"], dates_of_birth=["DOB"],
                                postcodes=["HOME_POST"])
    after["DOB"] = after["DOB"].dt.strftime("%Y-%m")
    found = identifiers_left(after.drop(columns="DECOM"), before,
                             ["CHILD", "DOB", "HOME_POST"])
    assert found.empty and list(found.columns) == ["identifier", "column", "rows"]


def test_identifiers_found_in_place_moved_or_in_another_form():
    before = original()
    after = pd.DataFrame({
        "CHILD": ["PSN1", "SYN2", "PSN3"],       # one ID left in place
        "note": ["syn1", None, "x"],              # an ID copied elsewhere (any case)
        "DOB": pd.to_datetime(["2015-05-01", "2015-06-01", "2016-01-01"]),  # 1st of month
        "HOME_POST": ["YO1", "yo21aa", None],     # one full postcode, no spaces
        "DECOM": ["01/01/2020", "03/06/2015", None],  # care began on the day of birth
    }, index=[10, 11, 12])
    found = identifiers_left(after, before, ["CHILD", "DOB", "HOME_POST"])
    assert found.to_dict("records") == [
        {"identifier": "CHILD", "column": "CHILD", "rows": 1},
        {"identifier": "CHILD", "column": "note", "rows": 1},
        {"identifier": "DOB", "column": "DOB", "rows": 1},
        {"identifier": "DOB", "column": "DECOM", "rows": 1},
        {"identifier": "HOME_POST", "column": "HOME_POST", "rows": 1},
    ]


def test_rows_must_come_from_the_original():
    with pytest.raises(DataError, match="not in the original"):
        identifiers_left(original().reset_index(drop=True).iloc[:1].set_axis([99]),
                         original(), ["CHILD"])
    with pytest.raises(DataError):
        identifiers_left(original(), original(), ["UPN"])
