"""Preparing data to share: pseudonyms, coarsening, small-count suppression."""

import hashlib
import hmac

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from d2i_examples.errors import DataError
from d2i_examples.indicators.sharing import (
    month_of_birth,
    postcode_district,
    prepare_for_sharing,
    pseudonymise,
    pseudonymise_tables,
    suppress_counts,
)
from tests.annex_a_builders import uk_dates

SALT = "test-salt-not-a-secret-0123"


def test_pseudonyms_are_keyed_hashes():
    ids = pd.Series(["SYN001", " SYN001 ", "SYN002", None])
    out = pseudonymise(ids, SALT)
    # HMAC-SHA256 of the ID under the salt, first 16 hex digits, prefixed PSN.
    expected = "PSN" + hmac.new(SALT.encode(), b"SYN001", hashlib.sha256).hexdigest()[:16]
    assert out.iloc[0] == out.iloc[1] == expected
    assert out.iloc[2] != expected and pd.isna(out.iloc[3])
    assert pseudonymise(ids, SALT + "x").iloc[0] != expected  # another salt, another pseudonym


def test_pseudonyms_consistent_across_tables():
    tables = {
        "list_3": pd.DataFrame({"Child Unique ID": ["SYN001", "SYN002"], "n": [1, 2]}),
        "episodes": pd.DataFrame({"CHILD": ["SYN002"], "MOTHER": [None]}),
        "CINdetails": pd.DataFrame({"LAchildID": ["SYN001"]}),
    }
    out = pseudonymise_tables(tables, SALT)
    assert out["episodes"]["CHILD"].iloc[0] == out["list_3"]["Child Unique ID"].iloc[1]
    assert out["CINdetails"]["LAchildID"].iloc[0] == out["list_3"]["Child Unique ID"].iloc[0]
    assert tables["list_3"]["Child Unique ID"].iloc[0] == "SYN001"  # inputs untouched
    assert out["list_3"]["n"].tolist() == [1, 2]


def test_salt_must_be_given():
    with pytest.raises(DataError, match="salt"):
        pseudonymise(pd.Series(["SYN001"]), "")
    with pytest.raises(DataError, match="too short"):
        pseudonymise(pd.Series(["SYN001"]), "short")


def test_coarsening():
    assert month_of_birth(uk_dates("29/02/2024", "31/12/2010", None)).tolist()[:2] == list(
        uk_dates("01/02/2024", "01/12/2010"))
    districts = postcode_district(pd.Series(
        ["me14 1xq", "ME141XQ", "ME14", " sw1a  1aa ", "B11AA", "", None]))
    assert districts.tolist()[:5] == ["ME14", "ME14", "ME14", "SW1A", "B1"]
    assert districts.iloc[5:].isna().all()


def test_prepare_for_sharing():
    frame = pd.DataFrame({"CHILD": ["SYN001"], "DOB": uk_dates("17/06/2012"),
                          "HOME_POST": ["ME14 1XQ"], "UPN": ["A123"]})
    out = prepare_for_sharing(frame, SALT, ids=["CHILD"], dates_of_birth=["DOB"],
                              postcodes=["HOME_POST"], drop=["UPN"])
    assert list(out.columns) == ["CHILD", "DOB", "HOME_POST"]
    assert out["CHILD"].iloc[0].startswith("PSN") and out["CHILD"].iloc[0] != "SYN001"
    assert out["DOB"].iloc[0] == pd.Timestamp("2012-06-01")
    assert out["HOME_POST"].iloc[0] == "ME14"
    with pytest.raises(DataError, match="missing"):
        prepare_for_sharing(frame, SALT, ids=["Child Unique ID"])


def test_suppression_by_hand():
    table = pd.DataFrame({"team": ["North", "South", "East"],
                          "White": [10, 3, 20], "Black": [12, 15, 2], "Asian": [30, 40, 50]})
    out = suppress_counts(table, marker="c")
    # South: 3 hidden, then its smallest other cell (15) so the row total does not reveal it.
    # East: 2 hidden, then 20.
    assert out[["White", "Black", "Asian"]].values.tolist() == [
        [10, 12, 30], ["c", "c", 40], ["c", "c", 50]]
    assert out["team"].tolist() == ["North", "South", "East"]


def test_secondary_in_columns_too():
    table = pd.DataFrame({"a": [3, 10, 11], "b": [20, 30, 40]})
    rows_only = suppress_counts(table)
    # Row 0: 3 hidden, then 20. Each column now has one hidden cell.
    assert rows_only.isna().values.tolist() == [[True, True], [False, False], [False, False]]
    both = suppress_counts(table, secondary="both")
    # Columns: hide 10 (smallest shown in a) and 30 in b.
    assert both.isna().values.tolist() == [[True, True], [True, True], [False, False]]


def test_zeros():
    table = pd.DataFrame({"a": [0, 7], "b": [8, 9]})
    assert suppress_counts(table, secondary=None).isna().values.tolist() == [
        [True, False], [False, False]]
    assert suppress_counts(table, keep_zeros=True).isna().sum().sum() == 0


@settings(max_examples=100, deadline=None)
@given(arrays(np.int64, st.tuples(st.integers(1, 6), st.integers(1, 6)),
              elements=st.integers(0, 30)),
       st.sampled_from(["rows", "both"]), st.integers(1, 10))
def test_suppression_properties(values, secondary, threshold):
    table = pd.DataFrame(values, columns=[f"c{i}" for i in range(values.shape[1])])
    out = suppress_counts(table, threshold=threshold, secondary=secondary)
    hidden = out.isna().to_numpy()
    shown = out.astype("float64").to_numpy()[~hidden]
    assert (shown >= threshold).all()                      # no small cell left
    assert (shown == values[~hidden]).all()                # shown cells unchanged
    assert hidden[values < threshold].all()                # every small cell hidden
    axes = [hidden] + ([hidden.T] if secondary == "both" else [])
    for grid in axes:
        for line in grid:
            if line.size >= 2:
                assert line.sum() != 1                     # never a lone hidden cell
