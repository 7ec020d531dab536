"""Children looked after under an agreed series of short breaks (legal status V3 or V4).

A disabled child can stay with a short-break carer or in a short-break unit for a few
nights at a time while living at home; under section 20 of the Children Act 1989 the
council looks after them during each stay, and the SSDA903 records it with one of two
legal statuses (DfE SSDA903 guide; ``spec.ssda903.LS``):

- **V3**, each short break recorded: every stay is a period of care of its own, one
  episode starting RNE S, of at most 17 days (validation rule 365), with no change of
  placement during it (366) and at most 75 days of breaks in a year (367);
- **V4**, agreements recorded: one episode per agreement, covering its whole span.

A child is under one of the two in a year (rule 426), never in a temporary placement
(382) or long-term foster care U1 or U4 (384), and has no home or placement postcode
or URN (398, 214), no reviews and no MOTHER field (399). The DfE leaves these children out of its 31
March counts, its 12-month (OC2) cohort and its stability measures, which is what the
examples show with them.

``short_break_children`` draws a handful of such children *after* the main simulation, with
their own random stream and child IDs after every other child's, so the other children's
records are the same with or without them. They are in the SSDA903, Annex A List 8 and
the SSD; the simulation gives them no contacts, referrals, visits or SEND history, so
they are not in the CIN census (a real short-break child is usually a child in need on a
CIN plan: the linking examples find them as looked after but not in the census).
Assumed, not DfE figures: their number (``PER_10K`` children per 10,000 aged 0 to 17),
ages, breaks every three to eight weeks of two to four nights, yearly V4 agreements, and
each stay ending with a planned return home (REC E4A).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from d2i_examples.spec.ssda903 import SHORT_BREAKS
from d2i_examples.synth.draws import choice, upns
from d2i_examples.synth.postcodes import postcode_pools
from d2i_examples.synth.profile import LAProfile

PER_10K = 2.0  # assumed: short-break children per 10,000 children aged 0-17
ROUTE = "short breaks"  # care_periods.route of their periods of care
_STREAM = 3903  # their own random stream, beside the seed
_UPN_START = 7_000_000  # UPN positions far from the main simulation's and SEND's
_DISABILITIES = {"AUT": 0.35, "LD": 0.30, "COMM": 0.15, "MOB": 0.10, "CON": 0.10}
# a residential care home, or a health trust's unit for children with complex needs: the
# placements D2I's validator (0.1.17) lets a short break have without a URN. It asks a
# URN of every K2 or U6 placement (rule 218) and forbids one under V3 or V4 (rule 214),
# so a short break in a children's home or with a foster carer fails one of the two.
_PLACES = {"R1": 0.6, "R2": 0.4}


def _numbers(ids: pd.Series, prefix: str) -> int:
    found = ids.dropna().astype(str).str.removeprefix(prefix)
    return int(pd.to_numeric(found, errors="coerce").max()) if len(found) else 0


def _stays(rng, start: pd.Timestamp, stop: pd.Timestamp, v3: bool) -> list[tuple]:
    """(start, end) of each stay (V3) or agreement (V4) from ``start`` until ``stop``; the
    last is open (end NaT) when it runs past ``stop``."""
    out, day = [], start
    while day <= stop:
        if v3:
            end = day + pd.Timedelta(days=int(rng.integers(2, 5)))
            following = end + pd.Timedelta(days=int(rng.integers(21, 57)))
        else:
            end = day + pd.DateOffset(years=1) - pd.Timedelta(days=1)
            following = end + pd.Timedelta(days=1)
        out.append((day, end if end <= stop else pd.NaT))
        day = following
    return out


def short_break_children(tables: dict[str, pd.DataFrame], profile: LAProfile, seed: int,
                         window_end: pd.Timestamp, per_10k: float = PER_10K
                         ) -> dict[str, pd.DataFrame]:
    """The simulation's ``children``, ``care_periods``, ``episodes`` and
    ``previous_permanence`` tables (from ``tables``) with short-break children added after every other child (see the module
    docstring); the other rows are unchanged."""
    rng = np.random.default_rng([int(seed), _STREAM])
    names = ("children", "care_periods", "episodes", "previous_permanence")
    n = int(rng.poisson(per_10k * profile.population_0_17 / 10_000))
    if n == 0:
        return {name: tables[name] for name in names}
    end = pd.Timestamp(window_end)
    first_child = _numbers(tables["children"]["child_id"], "SYN") + 1
    first_period = _numbers(tables["care_periods"]["period_id"], "PER") + 1
    ids = np.array([f"SYN{first_child + i:06d}" for i in range(n)], dtype=object)
    # the series starts in the four years before the window end, at age 5 to 14
    series_start = end - pd.to_timedelta(rng.integers(60, 4 * 365, n), unit="D")
    dob = series_start - pd.to_timedelta((rng.uniform(5, 15, n) * 365.25).astype(int), unit="D")
    dob = pd.DatetimeIndex(dob).normalize()
    v3 = rng.random(n) < 2 / 3
    place = choice(rng, _PLACES, n)
    home = postcode_pools(profile)["home"]["postcode"].to_numpy()
    children = pd.DataFrame({
        "child_id": ids,
        "sex": np.where(rng.random(n) < 0.65, "M", "F").astype(object),
        "dob": dob.to_numpy("datetime64[ns]"),
        "ethnicity": choice(rng, profile.population_ethnicity, n),
        "upn": upns(profile.la_code, dob.to_numpy("datetime64[D]").astype(np.int64),
                    start=_UPN_START),
        "disabilities": choice(rng, _DISABILITIES, n),
        "disabled": True,
        "uasc": False,
        "uasc_ceased": pd.NaT,
        "home_postcode": home[rng.integers(0, len(home), n)].astype(object),
        "first_child_dob": pd.NaT,
        "first_seen": pd.DatetimeIndex(series_start).normalize().to_numpy("datetime64[ns]"),
    })
    periods, episodes, permanence = [], [], []
    for i in range(n):
        stop = min(end, pd.Timestamp(dob[i]) + pd.DateOffset(years=18) - pd.Timedelta(days=1))
        for k, (start, finish) in enumerate(
                _stays(rng, pd.Timestamp(children["first_seen"][i]), stop, bool(v3[i]))):
            period = f"PER{first_period + len(periods):07d}"
            ended = pd.notna(finish)
            periods.append({"child_id": ids[i], "period_id": period, "start_date": start,
                            "end_date": finish, "reason_ceased": "E4A" if ended else None,
                            "route": ROUTE, "referral_id": None, "cin_code": "N2",
                            "permanence_plan": "Return to family"})
            episodes.append({"child_id": ids[i], "period_id": period, "episode_number": k + 1,
                             "decom": start, "rne": "S", "ls": "V3" if v3[i] else "V4",
                             "cin": "N2", "place": place[i],
                             # a health trust's unit is another public provider (rule 527)
                             "place_provider": "PR3" if place[i] == "R2" else "PR1",
                             "dec": finish, "rec": "E4A" if ended else None,
                             "reason_place_change": None, "home_post": None,
                             "pl_post": None, "urn": None})
            # no previous permanence order (rule 630 asks for a row at every start)
            permanence.append({"child_id": ids[i], "period_id": period, "prev_perm": "Z1",
                               "la_perm": None, "date_perm": pd.NaT})
    children["uasc_ceased"] = children["uasc_ceased"].astype("datetime64[ns]")
    children["first_child_dob"] = children["first_child_dob"].astype("datetime64[ns]")

    def appended(table: pd.DataFrame, rows) -> pd.DataFrame:
        new = pd.DataFrame(rows, columns=table.columns).astype(table.dtypes.to_dict())
        if new.empty:
            return table
        return pd.concat([table, new], ignore_index=True)

    return {name: appended(tables[name], rows)
            for name, rows in zip(names, (children, periods, episodes, permanence), strict=True)}


def breaks_only(child: pd.Series, ls: pd.Series) -> pd.Index:
    """The children every one of whose episodes given is under short breaks (LS V3, V4)."""
    short = ls.isin(SHORT_BREAKS).groupby(child).all()
    return short.index[short]


def split_short_breaks(ssda903: dict[str, pd.DataFrame]
                       ) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """A year's SSDA903 tables (as ``synth.ssda903.ssda903_tables`` writes them) split in
    two: the rows of every other child, and those of the children looked after in the year
    only under short breaks (every episode LS V3 or V4)."""
    episodes = ssda903["episodes"]
    only = breaks_only(episodes["CHILD"], episodes["LS"])
    held = {name: frame["CHILD"].isin(only) for name, frame in ssda903.items()}
    return ({name: frame[~held[name]] for name, frame in ssda903.items()},
            {name: frame[held[name]] for name, frame in ssda903.items()})
