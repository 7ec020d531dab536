"""Tables for readers: codes with their meanings, text whole (d2i_examples.tables)."""

from __future__ import annotations

import pandas as pd
import pytest

from d2i_examples.tables import preview, whole, with_labels


def test_codes_are_written_with_their_meanings_and_unknown_codes_stay_visible():
    frame = pd.DataFrame({
        "PLACE": ["K3", "U6", "Q9", None],
        "REC": ["E17", None, "X1", "E11"],
        "ReasonForClosure": ["RC7", None, None, None],
        "ReferralSource": ["2A", None, None, None],
        "DEC": pd.to_datetime(["2026-03-31", None, None, None]),
        "note": ["a", "b", "c", "d"],
    })
    shown = with_labels(frame, 2026)
    assert shown.loc[0, "PLACE"] == "K3: Supported accommodation (registered with Ofsted)"
    assert shown.loc[1, "PLACE"].startswith("U6: ")
    assert shown.loc[2, "PLACE"] == "Q9"  # not a 2025/26 code: left as it is
    assert shown.loc[3, "PLACE"] == "(blank)"
    assert shown.loc[0, "REC"].startswith("E17: ")
    assert shown.loc[0, "ReasonForClosure"] == (
        "RC7: Services ceased for any other reason, including child no longer in need")
    assert shown.loc[0, "ReferralSource"] == "2A: Schools"
    assert shown["DEC"].tolist() == ["31/03/2026", "(blank)", "(blank)", "(blank)"]
    assert shown["note"].tolist() == ["a", "b", "c", "d"]
    other_returns = with_labels(pd.DataFrame({
        "Referral Source": ["2A"], "request_outcome": ["A"], "primary_need": ["ASD"]}))
    assert other_returns.iloc[0].tolist() == [
        "2A: Schools", "A: decided to assess", "ASD: Autistic spectrum disorder"]
    assert frame.loc[0, "PLACE"] == "K3"  # the reader's frame is not changed


def test_whole_keeps_long_text_and_shows_shares_as_percentages():
    long = "Contact > Referral > Assessment > Section 47 > Child protection plan"
    frame = pd.DataFrame({"path": [long, "Contact"], "share": [0.51, 0.049], "x": [1, 2]})
    table = whole(frame, columns=["path", "share"], percent=["share"])
    markup = table._repr_html_()
    assert long.replace(">", "&gt;") in markup
    assert "51%" in markup and "5%" in markup and "0.510" not in markup
    assert ">x<" not in markup
    text = repr(table)  # what a plain-text reader (or a test) sees
    assert long in text and "51%" in text and " x" not in text


def test_preview_shows_the_columns_asked_for_and_names_the_ones_left_out():
    episodes = pd.DataFrame({
        "CHILD": [f"SYN{n:03}" for n in range(8)], "DECOM": ["01/04/2025"] * 8,
        "LS": ["C2"] * 8, "PLACE": ["U1"] * 8, "PL_POST": ["YO1"] * 8, "URN": ["SC1"] * 8,
    })
    table = preview(episodes, ["CHILD", "PLACE", "DECOM"], rows=3)
    assert list(table.frame.columns) == ["CHILD", "PLACE", "DECOM"]  # the order asked for
    assert len(table.frame) == 3
    assert table.frame["PLACE"].iloc[0].startswith("U1: ")  # codes with their meanings
    assert table.caption == ("The first 3 of 8 rows, 3 of 6 columns "
                             "(not shown: LS, PL_POST, URN).")
    assert "<caption>The first 3 of 8 rows" in table._repr_html_()
    assert repr(table).startswith("The first 3 of 8 rows")
    assert preview(episodes.head(2), episodes.columns).caption == \
        "The first 2 of 2 rows, 6 of 6 columns."


def test_preview_names_a_column_the_table_does_not_have():
    with pytest.raises(KeyError, match="No column DEC in this table; its columns: CHILD"):
        preview(pd.DataFrame({"CHILD": ["SYN001"]}), ["CHILD", "DEC"])
