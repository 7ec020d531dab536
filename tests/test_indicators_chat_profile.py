"""Age and sex pyramids over an Annex A list; reference date 31/03/2025."""

import pandas as pd
import pytest

from d2i_examples.errors import DataError
from d2i_examples.indicators.chat.profile import age_band, age_sex_pyramid
from tests.annex_a_builders import annex_list

REF = "31/03/2025"


def test_age_bands_follow_dfe_bands():
    ages = pd.Series([-1, 0, 1, 4, 5, 9, 10, 15, 16, 17, None], dtype="Int64")
    assert age_band(ages).astype(str).tolist() == [
        "Unborn", "Under 1", "1-4", "1-4", "5-9", "5-9", "10-15", "10-15", "16+", "16+",
        "Unknown"]
    assert list(age_band(ages).cat.categories) == [
        "Unborn", "Under 1", "1-4", "5-9", "10-15", "16+", "Unknown"]


def test_pyramid_counts_each_child_once():
    frame = annex_list("list_8", [
        {"Child Unique ID": "SYN1", "Gender": "Female", "Date of Birth": "01/04/2024"},  # 0
        {"Child Unique ID": "SYN1", "Gender": "Female", "Date of Birth": "01/04/2024"},  # again
        {"Child Unique ID": "SYN2", "Gender": " m ", "Date of Birth": "31/03/2009"},  # 16 today
        {"Child Unique ID": "SYN3", "Gender": "Male", "Date of Birth": "01/04/2009"},  # 15
        {"Child Unique ID": "SYN4", "Gender": "Unknown", "Date of Birth": "01/01/2020"},  # 5
        {"Child Unique ID": "SYN5", "Gender": "2", "Date of Birth": None},
    ])
    table = age_sex_pyramid(frame, REF)
    found = table[table["children"] > 0].set_index(["age_band", "sex"])["children"]
    assert {k: int(v) for k, v in found.items()} == {
        ("Under 1", "Female"): 1, ("10-15", "Male"): 1, ("16+", "Male"): 1,
        ("5-9", "Other or not recorded"): 1, ("Unknown", "Female"): 1}
    # every DfE band is listed for each sex; Unborn only when a child is unborn
    assert len(table) == 6 * 3
    assert "Unborn" not in set(table["age_band"].astype(str))


def test_pyramid_names_a_missing_column():
    frame = annex_list("list_8", []).drop(columns="Gender")
    with pytest.raises(DataError) as error:
        age_sex_pyramid(frame, REF, source="Annex A List 8")
    assert error.value.column == "Gender"
