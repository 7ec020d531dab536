"""Reading the DfE's published tables (EES open-data CSVs) as published."""

from __future__ import annotations

import pandas as pd
import pytest

from d2i_examples.datasets.published import place_code, place_name, read_published
from d2i_examples.errors import DataError

HEAD = ("time_period,time_identifier,geographic_level,country_code,country_name,"
        "region_code,region_name,old_la_code,la_name,new_la_code,population_type,"
        "children_count,rate_per_10000\n")
ROWS = (
    "2025,Reporting year,National,E92000001,England,,,,,,On 31 March,\"81,770\",67\n"
    "2025,Reporting year,Regional,E92000001,England,E12000001,North East,,,,On 31 March,"
    "6040,111\n"
    "2025,Reporting year,Local authority,E92000001,England,E12000001,North East,999,"
    "Some LA,E06999999,On 31 March,c,c\n"
    "2025,Reporting year,Local authority,E92000001,England,E12000001,North East,998,"
    "Other LA,E06999998,On 31 March,0,z\n"
    "2025,Reporting year,Local authority,E92000001,England,E12000001,North East,997,"
    "Third LA,E06999997,On 31 March,low,:\n"
)


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_numbers_symbols_and_levels_read_as_published(tmp_path):
    table = read_published(write(tmp_path, HEAD + ROWS))
    assert table.attrs["indicators"] == ["children_count", "rate_per_10000"]
    assert table["children_count"].tolist()[:2] == [81770.0, 6040.0]  # thousands read
    assert table.loc[3, "children_count"] == 0  # a true zero stays zero
    assert table["children_count"].isna().tolist() == [False, False, True, False, True]
    assert table["children_count_reason"].tolist()[2] == "suppressed (confidential)"
    assert table["children_count_reason"].tolist()[4] == "rounds to zero"
    assert table["rate_per_10000_reason"].tolist()[2:] == [
        "suppressed (confidential)", "not applicable", "not available"]
    assert pd.isna(table["rate_per_10000_reason"].iloc[0])
    assert table["population_type"].tolist()[0] == "On 31 March"  # a filter stays text
    assert place_code(table).tolist() == ["E92000001", "E12000001", "E06999999",
                                          "E06999998", "E06999997"]
    assert place_name(table).tolist()[:3] == ["England", "North East", "Some LA"]


def test_unknown_symbol_is_missing_with_its_own_reason(tmp_path):
    table = read_published(write(tmp_path, HEAD + ROWS.replace("\"81,770\"", "[w]")))
    assert pd.isna(table.loc[0, "children_count"])
    assert "[w]" in table.loc[0, "children_count_reason"]


def test_a_filter_named_by_the_caller_stays_text(tmp_path):
    table = read_published(write(tmp_path, HEAD + ROWS), filters=["rate_per_10000"])
    assert table["rate_per_10000"].tolist()[0] == "67"


def test_missing_standard_column_names_file_and_column(tmp_path):
    path = write(tmp_path, "year,la,children\n2025,X,5\n", "wrong.csv")
    with pytest.raises(DataError) as info:
        read_published(path)
    message = str(info.value)
    assert "wrong.csv" in message and "time_period" in message and "geographic_level" in message


def test_empty_file_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="empty"):
        read_published(write(tmp_path, ""))
