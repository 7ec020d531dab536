"""Plant realistic, documented mistakes in a synthetic authority's returns.

The synthetic returns are clean: D2I's validators find nothing wrong with them (bar the
validator defects listed in ``EXCUSED_903_RULES`` / ``EXCUSED_CIN_RULES``). To show what
the validators catch, :func:`inject_errors` plants mistakes that council analysts meet
every year (a legal status code that does not exist, a placement end date typed before its
start, a UPN with the wrong check letter, ...) and returns a log of what it changed, so a
notebook can ask "here is what we planted: did the validator find it?".

Each mistake in :data:`CATALOGUE` is aimed at one validation rule of the DfE's 2025/26
rules, as D2I's validators implement them (csc-validator-be-903 ``lac_validator`` and
csc-validator-be-cin ``cin_validator``, ruleset ``get_year_ruleset("2026")``). A mistake
is planted on one child chosen (reproducibly from the seed) among the children for whom the
change breaks that rule and no other: for example a wrong sex code goes to a boy who is new
this year (a child already in last year's return would also break rule 202, "sex differs
from last year"), and a legal status code goes to a child with a single episode (a child
with a later episode would also break rule 435, "placement changed but legal status did
not").

The mistakes fall on children as they do in real returns:

- most are scattered: each mistake of the catalogue is planted once, on a child of its own;
- a few are extract-level faults (:data:`EXTRACT_FAULTS`, such as a placement code list not
  updated for the year): the same mistake on several children, so one rule flags many;
- a few children have muddled records (:data:`MUDDLED_RECORDS`): two to four different
  mistakes each, every one in a different table, so one child fails several rules.

A child's mistakes never share a table, so they do not interact: each planted row is caught
by exactly the rule it was aimed at.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from d2i_examples.errors import DataError
from d2i_examples.spec.ssda903 import DATE_COLUMNS, DATE_FORMAT, TABLES

SSDA903 = "SSDA903"
CIN = "CIN census"

LOG_COLUMNS = [
    "error",
    "return",
    "rule",
    "child",
    "table",
    "row",
    "CINdetailsID",
    "column",
    "old_value",
    "new_value",
    "mistake",
    "also_changed",
]


@dataclass(frozen=True)
class Planting:
    """The cell one planted mistake changed.

    ``row`` is the 0-based row of the SSDA903 table (as ``validate_ssda903`` reports it);
    ``cin_details`` the number of the child's CINdetails block, from 1 (as
    ``validate_cin_census`` reports ``CINdetailsID``), None for the child's identifiers or
    characteristics. ``also`` lists other cells changed to keep the mistake consistent.
    """

    child: str
    table: str
    column: str
    old: str
    new: str
    row: int | None = None
    cin_details: int | None = None
    also: str = ""


@dataclass(frozen=True)
class Mistake:
    """One kind of mistake: the rule it breaks, where, and how it is planted.

    ``plant(context)`` chooses a child among those the mistake suits (and that carry no
    mistake yet), with the context's seeded generator; changes the data in the context and
    returns a :class:`Planting`, or None if no child suits.
    """

    rule: str
    ret: str
    table: str
    column: str
    mistake: str
    plant: Callable[..., Planting | None]


class Planted(NamedTuple):
    """What :func:`inject_errors` returns: the returns with the mistakes, and their log."""

    ssda903: dict[str, pd.DataFrame] | None
    cin_xml: bytes | None
    log: pd.DataFrame


# --------------------------------------------------------------------------------------
# helpers


def _to_date(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s, format=DATE_FORMAT, errors="coerce")


def _fmt(d: pd.Timestamp) -> str:
    return d.strftime(DATE_FORMAT)


def _age(dob: pd.Series, when) -> pd.Series:
    """Age in whole years on ``when`` (a date or a Series of dates)."""
    when = pd.Series(when, index=dob.index) if not isinstance(when, pd.Series) else when
    years = when.dt.year - dob.dt.year
    before_birthday = (when.dt.month < dob.dt.month) | (
        (when.dt.month == dob.dt.month) & (when.dt.day < dob.dt.day)
    )
    return years - before_birthday.astype(int)


def _upn_check_letter(digits: str) -> str:
    """The DfE check letter of a UPN's 12 characters after the letter (UPN guide 1.2)."""
    total = sum(int(c) * w for c, w in zip(digits, range(2, 14)))
    return "ABCDEFGHJKLMNPQRTUVWXYZ"[total % 23]


_UPN = re.compile(r"^[A-HJ-NP-RT-Z]\d{12}$")


class _Targets:
    """Children already given a mistake, and the seeded choice of the next one.

    Normally a mistake goes to a child with no mistake yet. While ``only`` names a child,
    mistakes go to that child alone (the several mistakes of a muddled record); while
    ``survey`` is a set, choosing changes nothing: the children a mistake suits are added
    to it instead.
    """

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)
        self.used: set[str] = set()
        self.only: str | None = None
        self.survey: set[str] | None = None

    def free(self, children: pd.Series) -> pd.Series:
        """Per child: may the next mistake go to them?"""
        if self.only is not None:
            return children == self.only
        return ~children.isin(self.used)

    def pick(self, candidates: list):
        """One of ``candidates`` (rows or children, in a reproducible order), or None."""
        if not candidates:
            return None
        return candidates[int(self.rng.integers(len(candidates)))]

    def take(self, candidates: list, child: Callable):
        """Pick one of ``candidates`` and mark its child (``child(candidate)``) as used; in a
        survey, note every candidate's child and pick none."""
        if self.survey is not None:
            self.survey.update(child(x) for x in candidates)
            return None
        found = self.pick(candidates)
        if found is not None:
            self.used.add(child(found))
        return found


# --------------------------------------------------------------------------------------
# SSDA903


class _Ssda903:
    """The year's SSDA903 tables being changed, with what the mistakes need to know."""

    def __init__(self, tables: Mapping[str, pd.DataFrame], previous, year: int, targets: _Targets):
        self.t = {name: df.reset_index(drop=True).copy() for name, df in tables.items()}
        for name, (_, columns) in TABLES.items():
            if name not in self.t:
                self.t[name] = pd.DataFrame(columns=columns, dtype=object)
        prev = previous or {}
        self.prev_header = prev.get("header", pd.DataFrame(columns=TABLES["header"][1]))
        self.prev_children = set(self.prev_header["CHILD"])
        self.start = pd.Timestamp(f"{year - 1}-04-01")
        self.end = pd.Timestamp(f"{year}-03-31")
        self.targets = targets
        eps = self.t["episodes"].copy()
        eps["decom"], eps["dec"] = _to_date(eps["DECOM"]), _to_date(eps["DEC"])
        eps = eps.sort_values(["CHILD", "decom"], kind="stable")
        eps["n"] = eps.groupby("CHILD")["CHILD"].transform("size")
        eps["first"] = ~eps["CHILD"].duplicated()
        eps["last"] = ~eps["CHILD"].duplicated(keep="last")
        self.eps = eps
        dob = self.t["header"].set_index("CHILD")["DOB"]
        self.dob = _to_date(dob)
        self.sex = self.t["header"].set_index("CHILD")["SEX"]
        self._dates = None

    # --- choosing -----------------------------------------------------------------

    def rows(self, table: str, mask) -> list[int]:
        df = self.t[table]
        mask = pd.Series(mask, index=df.index).fillna(False).astype(bool)
        mask &= self.targets.free(df["CHILD"])
        return df.index[mask].tolist()

    def choose(self, table: str, mask) -> int | None:
        child = self.t[table]["CHILD"]
        return self.targets.take(self.rows(table, mask), lambda row: child.at[row])

    def count(self, table: str) -> pd.Series:
        """Rows per child in ``table``, aligned on ``table``'s rows."""
        df = self.t[table]
        return df.groupby("CHILD")["CHILD"].transform("size")

    def in_table(self, table: str, frame: pd.DataFrame) -> pd.Series:
        return frame["CHILD"].isin(self.t[table]["CHILD"])

    @property
    def all_dates(self) -> pd.DataFrame:
        """Every date recorded in the year's tables: CHILD, table, date (DOBs excluded)."""
        if self._dates is None:
            parts = []
            for name, df in self.t.items():
                for col in set(df.columns) & (DATE_COLUMNS - {"DOB"}):
                    parts.append(
                        pd.DataFrame(
                            {"CHILD": df["CHILD"], "table": name, "date": _to_date(df[col])}
                        )
                    )
            dates = pd.concat(parts, ignore_index=True)
            self._dates = dates[dates["date"].notna()]
        return self._dates

    def care_ended_in_year(self) -> set[str]:
        e = self.eps
        ended = e["dec"].notna() & e["REC"].ne("X1") & e["REC"].ne("")
        return set(e.loc[ended, "CHILD"])

    # --- changing -----------------------------------------------------------------

    def set(self, table: str, row: int, column: str, new: str, also: str = "") -> Planting:
        df = self.t[table]
        old = df.at[row, column]
        df.at[row, column] = new
        return Planting(
            child=df.at[row, "CHILD"],
            table=table,
            column=column,
            old=old,
            new=new,
            row=int(row),
            also=also,
        )

    # --- common sets of episodes ----------------------------------------------------

    def new_single_episode(self) -> pd.Series:
        """Per episode row: the child's only episode in the year, starting a period of
        care in the year (RNE S), so no other episode or last year's return compares with
        it."""
        e = self.eps.reindex(self.t["episodes"].index)
        return (e["n"] == 1) & (e["RNE"] == "S") & (e["decom"] >= self.start)

    def placement_free(self) -> pd.Series:
        """Per episode row: placement details (type, provider) can change without another
        episode noticing: neither this episode nor the child's next one is a change of
        legal status only (RNE L, rule 434), and it is not a first episode begun last year
        (rules 503D-J)."""
        e = self.eps
        next_rne = e.groupby("CHILD")["RNE"].shift(-1)
        free = (e["RNE"] != "L") & (next_rne != "L")
        return free.reindex(self.t["episodes"].index) & ~self.continuing_first()

    def continuing_first(self) -> pd.Series:
        """Per episode row: the child's first episode of the year, begun last year (rules
        503A-J compare it with the episode open at the end of last year's return)."""
        e = self.eps.reindex(self.t["episodes"].index)
        return e["first"] & (e["decom"] < self.start)


def _header_mask(c: _Ssda903, new_child: bool | None = None, uasc: bool | None = None):
    h = c.t["header"]
    mask = pd.Series(True, index=h.index)
    if new_child is not None:
        mask &= h["CHILD"].isin(c.prev_children) != new_child
    if uasc is not None:
        mask &= c.in_table("uasc", h) == uasc
    return mask


# --- header -----------------------------------------------------------------------------


def _sex_numeric(c: _Ssda903):
    h = c.t["header"]
    row = c.choose(
        "header",
        (h["SEX"] == "M")
        & (h["MC_DOB"] == "")
        & (h["MOTHER"] == "")
        & _header_mask(c, new_child=True, uasc=False),
    )
    return None if row is None else c.set("header", row, "SEX", "1")


_ETHNIC_LABELS = {
    "WBRI": "White British",
    "WOTH": "Any other White background",
    "MOTH": "Any other Mixed background",
    "BAFR": "Black African",
}


def _ethnicity_label(c: _Ssda903):
    h = c.t["header"]
    row = c.choose("header", h["ETHNIC"].isin(list(_ETHNIC_LABELS)) & _header_mask(c, True))
    if row is None:
        return None
    return c.set("header", row, "ETHNIC", _ETHNIC_LABELS[h.at[row, "ETHNIC"]])


def _upn_short(c: _Ssda903):
    h = c.t["header"]
    row = c.choose("header", h["UPN"].str.match(_UPN) & _header_mask(c, True))
    return None if row is None else c.set("header", row, "UPN", h.at[row, "UPN"][:-1])


def _same_as_last_year(c: _Ssda903, column: str) -> pd.Series:
    h = c.t["header"]
    last = c.prev_header.drop_duplicates("CHILD").set_index("CHILD")[column]
    return h["CHILD"].map(last).eq(h[column])


def _upn_transposed(c: _Ssda903):
    h = c.t["header"]
    varied = h["UPN"].str[5:13].map(lambda digits: len(set(digits)) > 1)
    row = c.choose(
        "header",
        h["UPN"].str.match(_UPN) & varied & _header_mask(c, False) & _same_as_last_year(c, "UPN"),
    )
    if row is None:
        return None
    upn = h.at[row, "UPN"]
    i = next(i for i in range(5, 12) if upn[i] != upn[i + 1])
    return c.set("header", row, "UPN", upn[:i] + upn[i + 1] + upn[i] + upn[i + 2 :])


def _sex_changed(c: _Ssda903):
    h = c.t["header"]
    row = c.choose(
        "header",
        (h["SEX"] == "F")
        & (h["MC_DOB"] == "")
        & (h["MOTHER"] != "1")
        & _header_mask(c, False, uasc=False)
        & _same_as_last_year(c, "SEX"),
    )
    return None if row is None else c.set("header", row, "SEX", "M")


def _dob_corrected(c: _Ssda903):
    h = c.t["header"]
    dob = _to_date(h["DOB"])
    year = c.end.year
    fixed = [c.start, c.end, pd.Timestamp(f"{year - 2}-08-31"), pd.Timestamp(f"{year - 1}-08-31")]
    # moving a birthday one day later changes an age only on the old birthday: keep away
    # from children with any date (or a date a rule measures age on) on their birthday
    d = c.all_dates
    on_birthday = d["date"].dt.strftime("%m%d") == d["CHILD"].map(c.dob).dt.strftime("%m%d")
    birthday = dob.dt.strftime("%m%d")
    ok = (
        _header_mask(c, False)
        & _same_as_last_year(c, "DOB")
        & dob.notna()
        & (birthday != "0229")
        & ~h["CHILD"].isin(set(d.loc[on_birthday, "CHILD"]))
        & ~birthday.isin({f.strftime("%m%d") for f in fixed})
    )
    row = c.choose("header", ok)
    if row is None:
        return None
    child = h.at[row, "CHILD"]
    new = _fmt(dob[row] + pd.Timedelta(days=1))
    also = []
    for name, df in c.t.items():
        if name != "header" and "DOB" in df.columns:
            rows = df.index[df["CHILD"] == child]
            if len(rows):
                df.loc[rows, "DOB"] = new
                also.append(f"DOB in {name} ({len(rows)} row{'s' if len(rows) > 1 else ''})")
    return c.set("header", row, "DOB", new, also="; ".join(also))


_ETHNIC_NEIGHBOUR = {
    "WBRI": "WOTH",
    "WOTH": "WBRI",
    "MWBC": "MOTH",
    "MOTH": "MWBC",
    "BAFR": "BOTH",
    "AOTH": "OOTH",
    "OOTH": "AOTH",
}


def _ethnicity_changed(c: _Ssda903):
    h = c.t["header"]
    row = c.choose(
        "header",
        h["ETHNIC"].isin(list(_ETHNIC_NEIGHBOUR))
        & _header_mask(c, False)
        & _same_as_last_year(c, "ETHNIC"),
    )
    if row is None:
        return None
    return c.set("header", row, "ETHNIC", _ETHNIC_NEIGHBOUR[h.at[row, "ETHNIC"]])


def _uasc_sex(c: _Ssda903):
    u = c.t["uasc"]
    sex = u["CHILD"].map(c.sex)
    row = c.choose("uasc", sex.isin(["M", "F"]) & (u["SEX"] == sex) & (c.count("uasc") == 1))
    if row is None:
        return None
    return c.set("uasc", row, "SEX", {"M": "F", "F": "M"}[u.at[row, "SEX"]])


def _missing_dob_swapped(c: _Ssda903):
    m = c.t["missing"]
    dob = _to_date(m["DOB"])
    ok = (
        (c.count("missing") == 1)
        & (dob.dt.day <= 12)
        & (dob.dt.day != dob.dt.month)
        & m["CHILD"].map(c.dob).eq(dob)
    )
    row = c.choose("missing", ok)
    if row is None:
        return None
    d = dob[row]
    return c.set("missing", row, "DOB", f"{d.month:02d}/{d.day:02d}/{d.year}")


def _mother_blank(c: _Ssda903):
    h = c.t["header"]
    looked_after = c.eps.loc[~c.eps["LS"].isin(["V3", "V4"]), "CHILD"]
    row = c.choose(
        "header",
        (h["SEX"] == "F")
        & (h["MOTHER"] == "0")
        & (h["MC_DOB"] == "")
        & h["CHILD"].isin(set(looked_after))
        & ~h["CHILD"].isin(c.care_ended_in_year())
        & _header_mask(c, True),
    )
    return None if row is None else c.set("header", row, "MOTHER", "")


# --- episodes ---------------------------------------------------------------------------


def _legal_status(c: _Ssda903):
    e = c.t["episodes"]
    row = c.choose(
        "episodes",
        c.new_single_episode() & e["LS"].isin(["C1", "C2"]) & ~c.in_table("placed_for_adoption", e),
    )
    return None if row is None else c.set("episodes", row, "LS", "C3")


def _rne_place_code(c: _Ssda903):
    e = c.eps
    prev = e.groupby("CHILD")[["REC", "dec"]].shift()
    ok = ~e["first"] & (e["RNE"] == "P") & (prev["REC"] == "X1") & (prev["dec"] == e["decom"])
    row = c.choose("episodes", ok.reindex(c.t["episodes"].index))
    if row is None:
        return None
    return c.set("episodes", row, "RNE", c.t["episodes"].at[row, "PLACE"])


def _cin_code(c: _Ssda903):
    row = c.choose("episodes", c.new_single_episode())
    return None if row is None else c.set("episodes", row, "CIN", "N9")


def _place_old_code(c: _Ssda903):
    e = c.t["episodes"]
    row = c.choose("episodes", c.placement_free() & (e["PLACE"] == "K3"))
    return None if row is None else c.set("episodes", row, "PLACE", "H5")


def _rec_old_code(c: _Ssda903):
    e = c.t["episodes"]
    row = c.choose("episodes", e["REC"].isin(["E4A", "E4B"]))
    return None if row is None else c.set("episodes", row, "REC", "E4")


def _provider_code(c: _Ssda903):
    e = c.t["episodes"]
    row = c.choose("episodes", (e["PLACE_PROVIDER"] == "PR4") & c.placement_free())
    return None if row is None else c.set("episodes", row, "PLACE_PROVIDER", "P4")


def _provider_blank(c: _Ssda903):
    e = c.t["episodes"]
    row = c.choose("episodes", e["PLACE_PROVIDER"].isin(["PR1", "PR4"]) & c.placement_free())
    return None if row is None else c.set("episodes", row, "PLACE_PROVIDER", "")


def _reason_change_code(c: _Ssda903):
    e = c.t["episodes"]
    row = c.choose("episodes", e["REASON_PLACE_CHANGE"].isin(["CREQB", "CREQO"]))
    return None if row is None else c.set("episodes", row, "REASON_PLACE_CHANGE", "CARER")


def _reason_change_blank(c: _Ssda903):
    e = c.t["episodes"]
    row = c.choose("episodes", (e["REC"] == "X1") & (e["REASON_PLACE_CHANGE"] != ""))
    return None if row is None else c.set("episodes", row, "REASON_PLACE_CHANGE", "")


# reasons for leaving care whose rules do not depend on the child's age on leaving (unlike
# E17 staying put at 18, E5/E6 independent living, E7 adult care, E11/E12 adoption,
# E45-E48 special guardianship: rules 386-389, 407, 460)
_REC_ANY_AGE = ["E4A", "E4B", "E13", "E8", "E3", "E16", "E41"]


def _end_before_start(c: _Ssda903):
    e = c.eps
    new_dec = e["decom"] - pd.Timedelta(days=1)
    # the last episode of a period of care that ended in the year, for a child with no
    # record dated after the new end (reviews, missing, social workers: rules 578,
    # SW12STG2...) and none of the tables that depend on how long care lasted
    d = c.all_dates[c.all_dates["table"] != "episodes"]
    latest = d.groupby("CHILD")["date"].max()
    others = set().union(*(c.t[name]["CHILD"] for name in ("oc2", "oc3", "ad1")))
    ok = (
        e["dec"].notna()
        & e["REC"].isin(_REC_ANY_AGE)
        & e["last"]
        & (new_dec >= c.start)
        & ~(e["CHILD"].map(latest) > new_dec)
        & ~e["CHILD"].isin(others)
    )
    row = c.choose("episodes", ok.reindex(c.t["episodes"].index))
    if row is None:
        return None
    return c.set("episodes", row, "DEC", _fmt(new_dec[row]))


def _end_next_year(c: _Ssda903):
    e = c.eps
    # a child whose care started in the year and who is in no other table that depends on
    # being looked after on 31 March (OC2, adoption) or on when care ended (missing)
    started = e.groupby("CHILD")["decom"].transform("min") >= c.start
    others = set().union(
        *(c.t[name]["CHILD"] for name in ("oc2", "oc3", "ad1", "placed_for_adoption", "missing"))
    )
    ok = (
        e["dec"].notna()
        & e["REC"].isin(_REC_ANY_AGE)
        & e["last"]
        & started
        & ~e["CHILD"].isin(others)
    )
    row = c.choose("episodes", ok.reindex(c.t["episodes"].index))
    if row is None:
        return None
    d = e.at[row, "dec"]
    return c.set("episodes", row, "DEC", f"{d.day:02d}/{d.month:02d}/{d.year + 1}")


_FOSTER = ["U1", "U2", "U3", "U4", "U5", "U6"]


def _provider_parent(c: _Ssda903):
    e = c.t["episodes"]
    row = c.choose(
        "episodes",
        e["PLACE"].isin(_FOSTER) & e["PLACE_PROVIDER"].isin(["PR1", "PR4"]) & c.placement_free(),
    )
    return None if row is None else c.set("episodes", row, "PLACE_PROVIDER", "PR0")


def _parent_private(c: _Ssda903):
    e = c.t["episodes"]
    row = c.choose(
        "episodes", (e["PLACE"] == "P1") & (e["PLACE_PROVIDER"] == "PR0") & c.placement_free()
    )
    return None if row is None else c.set("episodes", row, "PLACE_PROVIDER", "PR4")


# --- reviews, missing -------------------------------------------------------------------


def _review_code(c: _Ssda903):
    r = c.t["reviews"]
    row = c.choose("reviews", r["REVIEW_CODE"].isin([f"PN{i}" for i in range(1, 8)]))
    return (
        None
        if row is None
        else c.set("reviews", row, "REVIEW_CODE", "P" + r.at[row, "REVIEW_CODE"][2:])
    )


def _review_impossible_date(c: _Ssda903):
    r = c.t["reviews"]
    when = _to_date(r["REVIEW"])
    row = c.choose("reviews", when.dt.month.isin([4, 6, 9, 11]))
    if row is None:
        return None
    return c.set("reviews", row, "REVIEW", "31" + r.at[row, "REVIEW"][2:])


def _review_under_4(c: _Ssda903):
    r = c.t["reviews"]
    age = _age(_to_date(r["DOB"]), _to_date(r["REVIEW"]))
    row = c.choose("reviews", r["REVIEW_CODE"].isin([f"PN{i}" for i in range(1, 8)]) & (age >= 5))
    return None if row is None else c.set("reviews", row, "REVIEW_CODE", "PN0")


def _missing_type(c: _Ssda903):
    m = c.t["missing"]
    row = c.choose("missing", m["MISSING"].isin(["M", "A"]))
    return None if row is None else c.set("missing", row, "MISSING", "MISSING")


def _missing_swapped(c: _Ssda903):
    m = c.t["missing"]
    start, end = _to_date(m["MIS_START"]), _to_date(m["MIS_END"])
    row = c.choose("missing", (c.count("missing") == 1) & (end > start) & (start >= c.start))
    if row is None:
        return None
    old_start = m.at[row, "MIS_START"]
    m.at[row, "MIS_START"] = m.at[row, "MIS_END"]
    return c.set(
        "missing",
        row,
        "MIS_END",
        old_start,
        also=f"MIS_START changed to {m.at[row, 'MIS_START']!r}",
    )


# --- OC2, OC3 ---------------------------------------------------------------------------


def _oc2_age(c: _Ssda903) -> pd.Series:
    return _age(_to_date(c.t["oc2"]["DOB"]), c.end)


def _sdq_out_of_range(c: _Ssda903):
    o = c.t["oc2"]
    score = pd.to_numeric(o["SDQ_SCORE"], errors="coerce")
    row = c.choose("oc2", score.between(11, 39))
    if row is None:
        return None
    return c.set("oc2", row, "SDQ_SCORE", str(int(score[row]) + 30))


def _sdq1_wrong_age(c: _Ssda903):
    o = c.t["oc2"]
    dob = _to_date(o["DOB"])
    ok = (
        o["SDQ_REASON"].isin(["SDQ2", "SDQ3", "SDQ4", "SDQ5"])
        & (o["SDQ_SCORE"] == "")
        & (dob + pd.DateOffset(years=5) <= c.start)
        & (dob + pd.DateOffset(years=15) >= c.end)
    )
    row = c.choose("oc2", ok)
    return None if row is None else c.set("oc2", row, "SDQ_REASON", "SDQ1")


def _oc2_yes(c: _Ssda903):
    o = c.t["oc2"]
    row = c.choose("oc2", o["HEALTH_ASSESSMENT"] == "1")
    return None if row is None else c.set("oc2", row, "HEALTH_ASSESSMENT", "Y")


def _intervention_blank(c: _Ssda903):
    o = c.t["oc2"]
    row = c.choose(
        "oc2", (o["SUBSTANCE_MISUSE"] == "1") & o["INTERVENTION_RECEIVED"].isin(["0", "1"])
    )
    return None if row is None else c.set("oc2", row, "INTERVENTION_RECEIVED", "")


def _convicted_under_10(c: _Ssda903):
    o = c.t["oc2"]
    age = _oc2_age(c)
    row = c.choose("oc2", (o["CONVICTED"] == "") & age.between(5, 8))
    return None if row is None else c.set("oc2", row, "CONVICTED", "0")


def _health_check_over_5(c: _Ssda903):
    o = c.t["oc2"]
    age = _oc2_age(c)
    row = c.choose("oc2", (o["HEALTH_CHECK"] == "") & age.between(6, 15))
    return None if row is None else c.set("oc2", row, "HEALTH_CHECK", "1")


def _in_touch_code(c: _Ssda903):
    o = c.t["oc3"]
    row = c.choose("oc3", o["IN_TOUCH"] == "YES")
    return None if row is None else c.set("oc3", row, "IN_TOUCH", "Y")


def _accommodation_code(c: _Ssda903):
    o = c.t["oc3"]
    row = c.choose("oc3", (o["IN_TOUCH"] == "YES") & o["ACCOM"].str.match(r"^[A-Z][12]$"))
    return None if row is None else c.set("oc3", row, "ACCOM", o.at[row, "ACCOM"][0])


def _activity_zero(c: _Ssda903):
    o = c.t["oc3"]
    row = c.choose("oc3", (o["IN_TOUCH"] == "YES") & ~o["ACTIV"].isin(["0", ""]))
    return None if row is None else c.set("oc3", row, "ACTIV", "0")


# --- social workers, previous permanence ------------------------------------------------


def _sw_id_prefix(c: _Ssda903):
    s = c.t["social_worker"]
    row = c.choose("social_worker", s["SW_ID"].str.startswith("SW"))
    return None if row is None else c.set("social_worker", row, "SW_ID", s.at[row, "SW_ID"][2:])


def _sw_reason(c: _Ssda903):
    s = c.t["social_worker"]
    row = c.choose("social_worker", s["SW_REASON"] == "LEFTRL")
    return None if row is None else c.set("social_worker", row, "SW_REASON", "LEFT")


_PERM_WORDS = {"P1": "AO", "P2": "SGO", "P3": "CAO", "P4": "CAO"}


def _prev_perm_code(c: _Ssda903):
    p = c.t["previous_permanence"]
    row = c.choose(
        "previous_permanence",
        p["PREV_PERM"].isin(list(_PERM_WORDS)) & (p["LA_PERM"] != "") & (p["DATE_PERM"] != ""),
    )
    if row is None:
        return None
    return c.set("previous_permanence", row, "PREV_PERM", _PERM_WORDS[p.at[row, "PREV_PERM"]])


def _prev_perm_la(c: _Ssda903):
    p = c.t["previous_permanence"]
    row = c.choose("previous_permanence", p["LA_PERM"].str.fullmatch(r"\d{3}"))
    if row is None:
        return None
    return c.set("previous_permanence", row, "LA_PERM", "0" + p.at[row, "LA_PERM"])


# --------------------------------------------------------------------------------------
# CIN census


_ISO = "%Y-%m-%d"


@cache
def _iso(text: str | None) -> pd.Timestamp:
    return pd.to_datetime(text, format=_ISO, errors="coerce") if text else pd.NaT


class _CinChild:
    def __init__(self, el: ET.Element):
        self.el = el
        self.id = el.findtext("ChildIdentifiers/LAchildID")
        self.details = el.findall("CINdetails")


class _Cin:
    """The CIN census being changed: its parsed XML and the children in it."""

    def __init__(self, root: ET.Element, year: int, targets: _Targets):
        self.root = root
        self.start = pd.Timestamp(f"{year - 1}-04-01")
        self.end = pd.Timestamp(f"{year}-03-31")
        self.children = [_CinChild(el) for el in root.iter("Child")]
        self.targets = targets

    def choose(self, candidates: list):
        """Pick one of ``candidates``: tuples starting with a _CinChild (one the next mistake
        may go to: see _Targets)."""
        ids = pd.Series([c[0].id for c in candidates], dtype=object)
        free = [c for c, ok in zip(candidates, self.targets.free(ids)) if ok]
        return self.targets.take(free, lambda c: c[0].id)

    def blocks(self, tag: str):
        """(child, CINdetails number from 1, CINdetails element, block) for every ``tag``
        block (Assessments, Section47, ...) of every child."""
        for ch in self.children:
            for n, det in enumerate(ch.details, start=1):
                for block in det.findall(tag):
                    yield ch, n, det, block


def _set_text(parent: ET.Element, tag: str, new: str | None) -> str | None:
    """Set (or remove, when ``new`` is None) the element ``tag`` of ``parent``; returns
    its old text."""
    el = parent.find(tag)
    old = None if el is None else el.text
    if new is None:
        if el is not None:
            parent.remove(el)
    else:
        el.text = new
    return old


def _cin_planting(
    ch: _CinChild, table: str, column: str, old, new, n: int | None = None, also: str = ""
) -> Planting:
    return Planting(
        child=ch.id,
        table=table,
        column=column,
        old="" if old is None else old,
        new="" if new is None else new,
        cin_details=n,
        also=also,
    )


def _cin_details(c: _Cin):
    """(child, CINdetails number from 1, CINdetails element) for every child."""
    return ((ch, n, det) for ch in c.children for n, det in enumerate(ch.details, 1))


def _cin_plans(c: _Cin):
    """(child, CINdetails number from 1, ChildProtectionPlans element) for every plan."""
    return ((ch, n, p) for ch, n, _, p in c.blocks("ChildProtectionPlans"))


def _cin_rewrite(c: _Cin, table: str, tag: str, blocks, wanted, new):
    """Plant one error: in one of ``blocks`` (of a child not yet used) whose ``tag``
    text passes ``wanted`` (None when absent), set that text to ``new(old)``
    (None removes the element)."""
    found = c.choose([(ch, n, el) for ch, n, el in blocks if wanted(el.findtext(tag))])
    if found is None:
        return None
    ch, n, el = found
    old = el.findtext(tag)
    value = new(old)
    _set_text(el, tag, value)
    return _cin_planting(ch, table, tag, old, value, n)


def _cin_upn_check_letter(c: _Cin):
    cands = []
    for ch in c.children:
        upn = ch.el.findtext("ChildIdentifiers/UPN")
        if upn and _UPN.match(upn) and _upn_check_letter(upn[1:]) == upn[0]:
            cands.append((ch, upn))
    found = c.choose(cands)
    if found is None:
        return None
    ch, upn = found
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    new = letters[(letters.index(upn[0]) + 1) % len(letters)] + upn[1:]
    _set_text(ch.el.find("ChildIdentifiers"), "UPN", new)
    return _cin_planting(ch, "ChildIdentifiers", "UPN", upn, new)


def _cin_sex_numeric(c: _Cin):
    found = c.choose([(ch,) for ch in c.children if ch.el.findtext("ChildIdentifiers/Sex") == "M"])
    if found is None:
        return None
    ch = found[0]
    old = _set_text(ch.el.find("ChildIdentifiers"), "Sex", "1")
    return _cin_planting(ch, "ChildIdentifiers", "Sex", old, "1")


def _cin_ethnicity_blank(c: _Cin):
    found = c.choose(
        [(ch,) for ch in c.children if ch.el.findtext("ChildCharacteristics/Ethnicity")]
    )
    if found is None:
        return None
    ch = found[0]
    el = ch.el.find("ChildCharacteristics/Ethnicity")
    old, el.text = el.text, None
    return _cin_planting(ch, "ChildCharacteristics", "Ethnicity", old, None)


def _disabilities(ch: _CinChild) -> list[ET.Element]:
    return ch.el.findall("ChildCharacteristics/Disabilities/Disability")


def _cin_extra_disability(c: _Cin, code: str | None, first_place: bool):
    """Give a child with one disability code a second Disability element: ``code``
    (None: the same code again), put first or last."""
    found = c.choose(
        [
            (ch,)
            for ch in c.children
            if len(_disabilities(ch)) == 1 and _disabilities(ch)[0].text not in ("NONE", None)
        ]
    )
    if found is None:
        return None
    ch = found[0]
    dis = ch.el.find("ChildCharacteristics/Disabilities")
    first = dis[0]
    new = ET.Element("Disability")
    new.text = code or first.text
    new.tail = first.tail
    first.tail = dis.text
    if first_place:
        dis.insert(0, new)
    else:
        dis.append(new)
    codes = [new.text, first.text] if first_place else [first.text, new.text]
    return _cin_planting(ch, "Disabilities", "Disability", first.text, ", ".join(codes))


def _cin_disability_none_left(c: _Cin):
    return _cin_extra_disability(c, "NONE", first_place=True)


def _cin_disability_twice(c: _Cin):
    return _cin_extra_disability(c, None, first_place=False)


def _cin_referral_source(c: _Cin):
    return _cin_rewrite(
        c, "CINdetails", "ReferralSource", _cin_details(c), lambda t: t == "6", lambda _: "POL"
    )


def _cin_primary_need(c: _Cin):
    return _cin_rewrite(
        c, "CINdetails", "PrimaryNeedCode", _cin_details(c),
        lambda t: re.fullmatch(r"N\d", t or ""), lambda old: "N0" + old[1:],
    )


def _cin_closure_reason(c: _Cin):
    return _cin_rewrite(
        c, "CINdetails", "ReasonForClosure", _cin_details(c),
        lambda t: re.fullmatch(r"RC[1-7]", t or ""), lambda old: "R" + old[2:],
    )


def _cin_closed_before_referral(c: _Cin):
    cands = []
    for ch in c.children:
        if len(ch.details) != 1:
            continue
        det = ch.details[0]
        ref, close = _iso(det.findtext("CINreferralDate")), _iso(det.findtext("CINclosureDate"))
        if (
            det.findtext("ReferralNFA") in ("1", "true")
            and ref == close
            and ref > c.start + pd.Timedelta(days=7)
        ):
            cands.append((ch, 1, det, close))
    found = c.choose(cands)
    if found is None:
        return None
    ch, n, det, close = found
    new = (close - pd.Timedelta(days=1)).strftime(_ISO)
    old = _set_text(det, "CINclosureDate", new)
    return _cin_planting(ch, "CINdetails", "CINclosureDate", old, new, n)


def _weekend_before(day: pd.Timestamp) -> pd.Timestamp:
    """The Sunday before ``day`` (or ``day`` itself if a Sunday)."""
    return day - pd.Timedelta(days=(day.dayofweek + 1) % 7)


def _cin_icpc_weekend(c: _Cin):
    cands = []
    for ch, n, det, s47 in c.blocks("Section47"):
        icpc = _iso(s47.findtext("DateOfInitialCPC"))
        start = _iso(s47.findtext("S47ActualStartDate"))
        if pd.isna(icpc) or pd.isna(start):
            continue
        sunday = _weekend_before(icpc)
        plans = [_iso(p.findtext("CPPstartDate")) for p in det.findall("ChildProtectionPlans")]
        if (
            sunday > start
            and sunday > c.start
            and icpc not in plans
            and len(det.findall("Section47")) == 1
        ):
            cands.append((ch, n, s47, sunday))
    found = c.choose(cands)
    if found is None:
        return None
    ch, n, s47, sunday = found
    new = sunday.strftime(_ISO)
    old = _set_text(s47, "DateOfInitialCPC", new)
    return _cin_planting(ch, "Section47", "DateOfInitialCPC", old, new, n)


_ABUSE_WORDS = {
    "NEG": "Neglect",
    "PHY": "Physical",
    "EMO": "Emotional",
    "SAB": "Sexual",
    "MUL": "Multiple",
}


def _cin_abuse_words(c: _Cin):
    return _cin_rewrite(
        c, "ChildProtectionPlans", "InitialCategoryOfAbuse", _cin_plans(c),
        lambda t: t in _ABUSE_WORDS, _ABUSE_WORDS.get,
    )


def _cin_latest_abuse_blank(c: _Cin):
    found = c.choose(
        [
            (ch, n, p)
            for ch, n, _, p in c.blocks("ChildProtectionPlans")
            if p.findtext("LatestCategoryOfAbuse")
        ]
    )
    if found is None:
        return None
    ch, n, p = found
    el = p.find("LatestCategoryOfAbuse")
    old, el.text = el.text, None
    return _cin_planting(ch, "ChildProtectionPlans", "LatestCategoryOfAbuse", old, None, n)


def _cin_previous_plans_missing(c: _Cin):
    return _cin_rewrite(
        c, "ChildProtectionPlans", "NumberOfPreviousCPP", _cin_plans(c),
        lambda t: t is not None, lambda _: None,
    )


def _factors(block: ET.Element) -> list[ET.Element]:
    return block.findall("FactorsIdentifiedAtAssessment/AssessmentFactors")


def _cin_factors_missing(c: _Cin):
    cands = []
    for ch, n, det, a in c.blocks("Assessments"):
        auth = _iso(a.findtext("AssessmentAuthorisationDate"))
        codes = [f.text for f in _factors(a)]
        if (
            len(ch.details) == 1
            and pd.notna(auth)
            and auth >= c.start
            and codes
            and "21" not in codes
        ):
            cands.append((ch, n, a))
    found = c.choose(cands)
    if found is None:
        return None
    ch, n, a = found
    holder = a.find("FactorsIdentifiedAtAssessment")
    old = ", ".join(f.text for f in _factors(a))
    a.remove(holder)
    return _cin_planting(ch, "Assessments", "AssessmentFactors", old, None, n)


def _cin_closure_reason_missing(c: _Cin):
    closed = ((ch, n, det) for ch, n, det in _cin_details(c) if det.findtext("CINclosureDate"))
    return _cin_rewrite(
        c, "CINdetails", "ReasonForClosure", closed,
        lambda t: t in ("RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7"), lambda _: None,
    )


def _cin_plan_end_before_start(c: _Cin):
    cands = []
    for ch, n, det, p in c.blocks("CINPlanDates"):
        start, end = _iso(p.findtext("CINPlanStartDate")), _iso(p.findtext("CINPlanEndDate"))
        if (
            pd.notna(end)
            and start > c.start + pd.Timedelta(days=1)
            and not det.findall("ChildProtectionPlans")
            and len(det.findall("CINPlanDates")) == 1
        ):
            cands.append((ch, n, p, start))
    found = c.choose(cands)
    if found is None:
        return None
    ch, n, p, start = found
    new = (start - pd.Timedelta(days=1)).strftime(_ISO)
    old = _set_text(p, "CINPlanEndDate", new)
    return _cin_planting(ch, "CINplanDates", "CINPlanEndDate", old, new, n)


def _cin_review_on_plan_start(c: _Cin):
    found = c.choose(
        [
            (ch, n, p)
            for ch, n, _, p in c.blocks("ChildProtectionPlans")
            if p.find("Reviews/CPPreviewDate") is not None
        ]
    )
    if found is None:
        return None
    ch, n, p = found
    el = p.find("Reviews/CPPreviewDate")
    old, el.text = el.text, p.findtext("CPPstartDate")
    return _cin_planting(ch, "Reviews", "CPPreviewDate", old, el.text, n)


def _cin_assessment_dates_swapped(c: _Cin):
    cands = []
    for ch, n, det, a in c.blocks("Assessments"):
        start = _iso(a.findtext("AssessmentActualStartDate"))
        auth = _iso(a.findtext("AssessmentAuthorisationDate"))
        if (
            pd.notna(auth)
            and auth > start
            and start >= c.start
            and len(det.findall("Assessments")) == 1
        ):
            cands.append((ch, n, a))
    found = c.choose(cands)
    if found is None:
        return None
    ch, n, a = found
    start = a.findtext("AssessmentActualStartDate")
    auth = _set_text(a, "AssessmentAuthorisationDate", start)
    _set_text(a, "AssessmentActualStartDate", auth)
    return _cin_planting(
        ch,
        "Assessments",
        "AssessmentAuthorisationDate",
        auth,
        start,
        n,
        also=f"AssessmentActualStartDate changed to {auth!r}",
    )


def _cin_nfa_flag(c: _Cin):
    # referred in the year: rule 8569Q queries any flag but 0 on earlier referrals
    found = c.choose(
        [
            (ch, n, det)
            for ch in c.children
            for n, det in enumerate(ch.details, 1)
            if det.findtext("ReferralNFA") == "0"
            and det.findtext("CINclosureDate")
            and _iso(det.findtext("CINreferralDate")) > c.start + pd.Timedelta(days=7)
        ]
    )
    if found is None:
        return None
    ch, n, det = found
    old = _set_text(det, "ReferralNFA", "No")
    return _cin_planting(ch, "CINdetails", "ReferralNFA", old, "No", n)


# --------------------------------------------------------------------------------------
# the catalogue


def _m903(rule, table, column, mistake, plant) -> Mistake:
    return Mistake(rule, SSDA903, table, column, mistake, plant)


def _mcin(rule, table, column, mistake, plant) -> Mistake:
    return Mistake(rule, CIN, table, column, mistake, plant)


#: Extract-level faults: mistakes a real extract makes for every child it touches (a code
#: list not updated for the year, a code mapping that drops a letter), so a few rules flag
#: many children, as in real returns. Rule -> how many children get the mistake (each a
#: child of its own, so every planted row is still caught by exactly its rule); every
#: other mistake is planted once.
EXTRACT_FAULTS: dict[str, int] = {"146": 6, "8640": 5}

#: Muddled records: children whose case record was keyed badly in several places, so one
#: child fails several rules, as in real returns. Each entry is the rules of one such
#: child's mistakes (all in one return), planted after every other mistake on a child with
#: no mistake yet who suits all of them. Each mistake of an entry changes a different
#: table, so they cannot interact: every planted row is still caught by exactly its rule.
MUDDLED_RECORDS: list[tuple[str, ...]] = [
    # in care since before last year: ethnicity changed since last year's return, reason
    # for a placement move left blank, a review dated the 31st of a 30-day month, health
    # assessment 'Y'
    ("204", "225", "166", "181"),
    # new this year: ethnicity as the system's label, provider 'P4', review code 'P5'
    ("103", "178", "167"),
    # a care leaver: UPN digits transposed, accommodation code without its digit
    ("208", "133"),
    # CIN census, a child on a protection plan: ethnicity left empty, primary need 'N01',
    # category of abuse in words, assessment dates the wrong way round
    ("4220", "8650", "8905", "8608"),
    # CIN census: UPN with a wrong check letter, referral source 'POL', assessment factors
    # left out
    ("1510", "8866", "8897Q"),
]

CATALOGUE: list[Mistake] = [
    # SSDA903: header
    _m903(
        "101",
        "header",
        "SEX",
        "Sex exported with the old numeric code '1' for male "
        "(the return has used M/F/U since 2024/25).",
        _sex_numeric,
    ),
    _m903(
        "103",
        "header",
        "ETHNIC",
        "Ethnicity exported as the case system's label (e.g. "
        "'White British') instead of the DfE code (WBRI).",
        _ethnicity_label,
    ),
    _m903(
        "168", "header", "UPN", "UPN keyed with its last digit missing (12 characters).", _upn_short
    ),
    _m903(
        "208",
        "header",
        "UPN",
        "UPN re-keyed this year with two digits transposed, so it "
        "no longer matches last year's return.",
        _upn_transposed,
    ),
    _m903(
        "202",
        "header",
        "SEX",
        "Child's sex recorded differently from last year's return (F last year, M this year).",
        _sex_changed,
    ),
    _m903(
        "203",
        "header",
        "DOB",
        "Date of birth corrected this year (one day later, in every "
        "table) but last year's return still holds the old date.",
        _dob_corrected,
    ),
    _m903(
        "204",
        "header",
        "ETHNIC",
        "Ethnicity recorded differently from last year's return "
        "(e.g. WBRI last year, WOTH this year).",
        _ethnicity_changed,
    ),
    _m903(
        "INT21",
        "uasc",
        "SEX",
        "Child's sex recorded differently in the header and the UASC table.",
        _uasc_sex,
    ),
    _m903(
        "INT13",
        "missing",
        "DOB",
        "Date of birth in the missing table typed with day and "
        "month swapped, so it differs from the header.",
        _missing_dob_swapped,
    ),
    _m903(
        "393",
        "header",
        "MOTHER",
        "Mother field left blank for a girl who is looked after (should be 0 or 1).",
        _mother_blank,
    ),
    # SSDA903: episodes
    _m903(
        "144",
        "episodes",
        "LS",
        "Invalid legal status code 'C3' (care orders are C1 interim, C2 full).",
        _legal_status,
    ),
    _m903(
        "143",
        "episodes",
        "RNE",
        "Reason for new episode filled with the placement type code (e.g. 'U4') instead of P.",
        _rne_place_code,
    ),
    _m903(
        "145",
        "episodes",
        "CIN",
        "Category of need 'N9', a CIN census primary need code the "
        "SSDA903 does not accept (N1-N8).",
        _cin_code,
    ),
    _m903(
        "146",
        "episodes",
        "PLACE",
        "Supported accommodation coded 'H5' (semi-independent "
        "living), a placement code the 2025/26 return no longer accepts (K3 is supported "
        "accommodation).",
        _place_old_code,
    ),
    _m903(
        "149",
        "episodes",
        "REC",
        "Reason episode ceased 'E4' (returned home) without the A "
        "(as part of the care plan) or B (not part of the care plan).",
        _rec_old_code,
    ),
    _m903(
        "178",
        "episodes",
        "PLACE_PROVIDER",
        "Placement provider keyed as 'P4' instead of 'PR4'.",
        _provider_code,
    ),
    _m903(
        "1009",
        "episodes",
        "REASON_PLACE_CHANGE",
        "Reason for placement change typed as 'CARER' instead of CREQB/CREQO (carer requests).",
        _reason_change_code,
    ),
    _m903(
        "225",
        "episodes",
        "REASON_PLACE_CHANGE",
        "Reason for placement change left blank when the child moved to a new placement.",
        _reason_change_blank,
    ),
    _m903("526", "episodes", "PLACE_PROVIDER", "Placement provider left blank.", _provider_blank),
    _m903(
        "356",
        "episodes",
        "DEC",
        "Placement end date typed before its start date (one day earlier).",
        _end_before_start,
    ),
    _m903(
        "385",
        "episodes",
        "DEC",
        "Episode end date typed with next year's year, after the end of the collection year.",
        _end_next_year,
    ),
    _m903(
        "550",
        "episodes",
        "PLACE_PROVIDER",
        "Foster placement coded to provider PR0 "
        "(parents), which goes only with placement with parents (P1).",
        _provider_parent,
    ),
    _m903(
        "530",
        "episodes",
        "PLACE_PROVIDER",
        "Placement with parents (P1) coded to a private provider (PR4).",
        _parent_private,
    ),
    # SSDA903: reviews, missing
    _m903(
        "167",
        "reviews",
        "REVIEW_CODE",
        "Review participation code typed without the N (e.g. 'P5' for PN5).",
        _review_code,
    ),
    _m903(
        "166",
        "reviews",
        "REVIEW",
        "Review dated on a day that does not exist (31st of a 30-day month).",
        _review_impossible_date,
    ),
    _m903(
        "440",
        "reviews",
        "REVIEW_CODE",
        "Participation code PN0 (child under 4) recorded for an older child.",
        _review_under_4,
    ),
    _m903(
        "1006",
        "missing",
        "MISSING",
        "Missing type written out as 'MISSING' instead of "
        "the code M (or A, away without authorisation).",
        _missing_type,
    ),
    _m903(
        "567",
        "missing",
        "MIS_END",
        "Missing episode start and end dates entered the wrong way round.",
        _missing_swapped,
    ),
    # SSDA903: OC2, OC3
    _m903(
        "180", "oc2", "SDQ_SCORE", "SDQ total score over 40 (scores run 0-40).", _sdq_out_of_range
    ),
    _m903(
        "157",
        "oc2",
        "SDQ_REASON",
        "SDQ reason SDQ1 (child under 4 or over 17) given for a child aged 5 to 15.",
        _sdq1_wrong_age,
    ),
    _m903(
        "181",
        "oc2",
        "HEALTH_ASSESSMENT",
        "Health assessment recorded as 'Y' instead of 1.",
        _oc2_yes,
    ),
    _m903(
        "192",
        "oc2",
        "INTERVENTION_RECEIVED",
        "Intervention received left blank for a child with a substance misuse problem.",
        _intervention_blank,
    ),
    _m903(
        "542",
        "oc2",
        "CONVICTED",
        "Conviction recorded as 0 for a child under 10 (should be blank).",
        _convicted_under_10,
    ),
    _m903(
        "546",
        "oc2",
        "HEALTH_CHECK",
        "Development (health surveillance) check recorded for "
        "a child aged 5 or over (should be blank).",
        _health_check_over_5,
    ),
    _m903(
        "131",
        "oc3",
        "IN_TOUCH",
        "Care leaver in touch recorded as 'Y' instead of YES.",
        _in_touch_code,
    ),
    _m903(
        "133",
        "oc3",
        "ACCOM",
        "Care leaver's accommodation code without its suitability digit (e.g. 'B' for B1).",
        _accommodation_code,
    ),
    _m903("345", "oc3", "ACTIV", "Care leaver in touch, but activity left as 0.", _activity_zero),
    # SSDA903: social workers, previous permanence
    _m903(
        "SW02STG1",
        "social_worker",
        "SW_ID",
        "Social worker ID exported without its 'SW' prefix.",
        _sw_id_prefix,
    ),
    _m903(
        "SW13STG1",
        "social_worker",
        "SW_REASON",
        "Reason for social worker change typed as 'LEFT' instead of LEFTRL.",
        _sw_reason,
    ),
    _m903(
        "631",
        "previous_permanence",
        "PREV_PERM",
        "Previous permanence order written as "
        "an abbreviation (e.g. 'SGO') instead of its code (P2).",
        _prev_perm_code,
    ),
    _m903(
        "633",
        "previous_permanence",
        "LA_PERM",
        "LA code of the previous permanence order padded to four digits (e.g. '0815').",
        _prev_perm_la,
    ),
    # CIN census. Left out because the installed cin_validator never reports them on a census
    # XML: 8540 (invalid disability: its row frame is keyed ROW_ID_x, and the tool drops the
    # whole report), 8869 (factor 21 with others: compares the list of factors with "21"),
    # 8898 and 8614 (duplicate factor, factors on an open assessment: they crash grouping on
    # the list of factors), 8870Q (weekend ICPC target: parses the date as dd-mm-YYYY).
    _mcin(
        "1510",
        "ChildIdentifiers",
        "UPN",
        "UPN with a wrong check letter (first character).",
        _cin_upn_check_letter,
    ),
    _mcin(
        "4180",
        "ChildIdentifiers",
        "Sex",
        "Sex given with the old GenderCurrent code '1' instead of M.",
        _cin_sex_numeric,
    ),
    _mcin(
        "4220",
        "ChildCharacteristics",
        "Ethnicity",
        "Ethnicity left empty (NOBT or REFU record an unknown ethnicity).",
        _cin_ethnicity_blank,
    ),
    _mcin(
        "8790",
        "Disabilities",
        "Disability",
        "'NONE' left in the disabilities after a disability was added.",
        _cin_disability_none_left,
    ),
    _mcin(
        "8794",
        "Disabilities",
        "Disability",
        "The same disability entered twice.",
        _cin_disability_twice,
    ),
    _mcin(
        "8866",
        "CINdetails",
        "ReferralSource",
        "Referral source recorded as 'POL' (a local code for police) instead of 6.",
        _cin_referral_source,
    ),
    _mcin(
        "8650",
        "CINdetails",
        "PrimaryNeedCode",
        "Primary need code zero-padded (e.g. 'N01' for N1).",
        _cin_primary_need,
    ),
    _mcin(
        "8640",
        "CINdetails",
        "ReasonForClosure",
        "Reason for closure typed without the C (e.g. 'R7' for RC7).",
        _cin_closure_reason,
    ),
    _mcin(
        "8630",
        "CINdetails",
        "CINclosureDate",
        "Case closure date typed one day before the referral date.",
        _cin_closed_before_referral,
    ),
    _mcin(
        "8875",
        "Section47",
        "DateOfInitialCPC",
        "Initial child protection conference dated on the Sunday before it was held.",
        _cin_icpc_weekend,
    ),
    _mcin(
        "8905",
        "ChildProtectionPlans",
        "InitialCategoryOfAbuse",
        "Initial category of abuse written in words (e.g. 'Neglect') instead of the code NEG.",
        _cin_abuse_words,
    ),
    _mcin(
        "8910",
        "ChildProtectionPlans",
        "LatestCategoryOfAbuse",
        "Latest category of abuse left empty.",
        _cin_latest_abuse_blank,
    ),
    _mcin(
        "8730",
        "ChildProtectionPlans",
        "NumberOfPreviousCPP",
        "Number of previous child protection plans left out.",
        _cin_previous_plans_missing,
    ),
    _mcin(
        "8897Q",
        "Assessments",
        "AssessmentFactors",
        "Factors identified at assessment left out of a completed assessment.",
        _cin_factors_missing,
    ),
    _mcin(
        "8805",
        "CINdetails",
        "ReasonForClosure",
        "Case closed (closure date) without a reason for closure.",
        _cin_closure_reason_missing,
    ),
    _mcin(
        "4011",
        "CINplanDates",
        "CINPlanEndDate",
        "CIN plan end date typed one day before its start.",
        _cin_plan_end_before_start,
    ),
    _mcin(
        "8841",
        "Reviews",
        "CPPreviewDate",
        "Child protection review dated on the day the plan started.",
        _cin_review_on_plan_start,
    ),
    _mcin(
        "8608",
        "Assessments",
        "AssessmentAuthorisationDate",
        "Assessment start and authorisation dates entered the wrong way round.",
        _cin_assessment_dates_swapped,
    ),
    _mcin(
        "8568",
        "CINdetails",
        "ReferralNFA",
        "No-further-action flag written 'No' instead of 0.",
        _cin_nfa_flag,
    ),
]


def catalogue() -> pd.DataFrame:
    """The mistakes :func:`inject_errors` can plant: rule, return, table, column, mistake."""
    return pd.DataFrame(
        [
            {
                "rule": m.rule,
                "return": m.ret,
                "table": m.table,
                "column": m.column,
                "mistake": m.mistake,
            }
            for m in CATALOGUE
        ]
    )


# --------------------------------------------------------------------------------------
# the entry point


def _checked_tables(tables: Mapping[str, pd.DataFrame], what: str) -> None:
    """The SSDA903 frames must be keyed by our table names and hold the spec's columns."""
    for name, df in tables.items():
        if name not in TABLES:
            raise DataError(
                f"Unknown table in the {what}.",
                found=repr(name),
                expected=", ".join(TABLES),
                fix="Key the frames as synth.ssda903_tables does.",
            )
        if not isinstance(df, pd.DataFrame):
            raise DataError(
                f"The {name} table of the {what} is not a DataFrame.",
                found=type(df).__name__,
                expected="a pandas DataFrame",
            )
        missing = [col for col in TABLES[name][1] if col not in df.columns]
        if missing:
            raise DataError(
                f"The {name} table of the {what} lacks SSDA903 columns.",
                column=", ".join(missing),
                expected=", ".join(TABLES[name][1]),
                found=", ".join(map(str, df.columns)),
                fix="Pass the tables as synth.ssda903_tables writes them.",
            )


def _cin_year(root: ET.Element) -> int | None:
    ref = pd.to_datetime(
        root.findtext("Header/CollectionDetails/ReferenceDate"), format=_ISO, errors="coerce"
    )
    return None if pd.isna(ref) else ref.year


def _selected(rules, ssda903, cin_xml) -> list[Mistake]:
    if rules is None:
        return [
            m
            for m in CATALOGUE
            if (m.ret == SSDA903 and ssda903 is not None) or (m.ret == CIN and cin_xml is not None)
        ]
    codes = [str(r) for r in ([rules] if isinstance(rules, str | int) else rules)]
    known = {m.rule: m for m in CATALOGUE}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise DataError(
            "No mistake in the catalogue breaks these rules.",
            found=", ".join(unknown),
            expected="rule codes from catalogue()['rule'], e.g. '144' or '1510'",
            fix="Leave rules=None to plant every mistake of the catalogue.",
        )
    chosen = [known[c] for c in dict.fromkeys(codes)]
    for m in chosen:
        if (ssda903 if m.ret == SSDA903 else cin_xml) is None:
            raise DataError(
                f"Rule {m.rule} belongs to the {m.ret}, which was not given.",
                fix=f"Pass the {m.ret} or leave rule {m.rule} out.",
            )
    return chosen


def _log_row(m: Mistake, planted: Planting) -> dict:
    return {
        "return": m.ret,
        "rule": m.rule,
        "child": planted.child,
        "table": planted.table,
        "row": planted.row,
        "CINdetailsID": planted.cin_details,
        "column": planted.column,
        "old_value": planted.old,
        "new_value": planted.new,
        "mistake": m.mistake,
        "also_changed": planted.also,
    }


def _muddled(group: list[Mistake], ctx, targets: _Targets) -> list[tuple[Mistake, Planting]]:
    """Plant every mistake of ``group`` on one child (chosen with the seed among the
    children with no mistake yet whom each of them suits); none if no child suits all."""
    suits = None
    for m in group:
        targets.survey = set()
        m.plant(ctx)
        suits = targets.survey if suits is None else suits & targets.survey
    targets.survey = None
    child = targets.pick(sorted(suits or ()))
    if child is None:
        return []
    targets.only = child
    try:
        planted = [(m, m.plant(ctx)) for m in group]
    finally:
        targets.only = None
    missed = [m.rule for m, p in planted if p is None]
    if missed:  # each mistake of a muddled record must change a table of its own
        raise RuntimeError(f"Rules {missed} no longer suit {child} after its other mistakes.")
    return planted


def inject_errors(
    ssda903: Mapping[str, pd.DataFrame] | None,
    cin_xml: bytes | None,
    *,
    previous_ssda903: Mapping[str, pd.DataFrame] | None = None,
    seed: int = 0,
    rules: list[str] | None = None,
    collection_year: int = 2026,
) -> Planted:
    """Plant the catalogue's mistakes in the year's SSDA903 tables and CIN census XML.

    Args:
        ssda903: the year's SSDA903 tables as written by ``synth.ssda903_tables`` (frames of
            strings keyed by our table names, dates dd/mm/YYYY), or None.
        cin_xml: the year's CIN census XML bytes (``synth.cin_census.cin_census_xml``), or
            None.
        previous_ssda903: last year's SSDA903 tables. Give them whenever the validator will
            see them: rules 202-208 compare the years, so mistakes meant for other rules are
            kept away from children in last year's return where that matters. Without them,
            the cross-year mistakes (202, 203, 204, 208) find no child and are left out.
        seed: chooses the children, reproducibly.
        rules: rule codes of the mistakes to plant (default: every mistake of the catalogue
            that finds a suitable child in the data given). Extract faults go to several
            children; a muddled record (:data:`MUDDLED_RECORDS`) is added when all its
            rules are asked for.
        collection_year: the year the returns end (2026 for 2025/26); the catalogue is aimed
            at the 2025/26 rules.

    Returns:
        ``Planted(ssda903, cin_xml, log)``: copies of the returns with the mistakes (the
        inputs are not changed; SSDA903 frames get a fresh 0-based index) and a log with one
        row per mistake: ``error`` (1, 2, ...), ``return``, ``rule``, ``child``, ``table``
        (our SSDA903 table name, or the CIN validator's table), ``row`` (SSDA903: the
        table's 0-based row, as ``validate_ssda903`` reports it), ``CINdetailsID`` (CIN:
        the child's CINdetails block, from 1, as ``validate_cin_census`` reports it; empty
        for identifiers and characteristics), ``column``, ``old_value``, ``new_value``,
        ``mistake`` (in plain words) and ``also_changed`` (other cells changed with it).

    Raises:
        DataError: unknown rule codes; a rule asked for whose return was not given or in
            which no child suits the mistake; a CIN census of another collection year.
    """
    if ssda903 is not None:
        _checked_tables(ssda903, "SSDA903 return")
    if previous_ssda903 is not None:
        _checked_tables(previous_ssda903, "previous year's SSDA903 return")
    chosen = _selected(rules, ssda903, cin_xml)
    targets = _Targets(seed)
    ctx903 = (
        None if ssda903 is None else _Ssda903(ssda903, previous_ssda903, collection_year, targets)
    )
    root = None
    if cin_xml is not None:
        try:
            root = ET.fromstring(cin_xml)
        except ET.ParseError as err:
            raise DataError("The CIN census is not well-formed XML.", found=str(err)) from None
        if _cin_year(root) != int(collection_year):
            raise DataError(
                "The CIN census is not for the collection year asked for.",
                column="Header/CollectionDetails/ReferenceDate",
                expected=f"a date in {collection_year}",
                found=str(root.findtext("Header/CollectionDetails/ReferenceDate")),
                fix="Pass the census of the same year as the SSDA903 tables, or "
                "set collection_year.",
            )
    ctxcin = None if root is None else _Cin(root, int(collection_year), targets)

    rows = []
    for m in chosen:
        for repeat in range(EXTRACT_FAULTS.get(m.rule, 1)):
            planted = m.plant(ctx903 if m.ret == SSDA903 else ctxcin)
            if planted is None:
                if rules is not None and repeat == 0:
                    raise DataError(
                        f"No child in the {m.ret} suits the mistake for rule {m.rule}.",
                        found=m.mistake,
                        fix="Leave the rule out, or try a larger return or another seed.",
                    )
                break
            rows.append(_log_row(m, planted))
    known = {m.rule: m for m in chosen}
    for record in MUDDLED_RECORDS:
        if set(record) <= set(known):
            group = [known[rule] for rule in record]
            ctx = ctx903 if group[0].ret == SSDA903 else ctxcin
            rows += [_log_row(m, planted) for m, planted in _muddled(group, ctx, targets)]
    log = pd.DataFrame(rows, columns=LOG_COLUMNS[1:])
    log.insert(0, "error", range(1, len(log) + 1))
    log = log.astype({"row": "Int64", "CINdetailsID": "Int64"})

    out903 = None if ctx903 is None else {name: ctx903.t[name] for name in ssda903}
    out_xml = None
    if root is not None:
        out_xml = (
            b'<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(root, encoding="unicode").encode("utf-8")
            + b"\n"
        )
    return Planted(out903, out_xml, log)
