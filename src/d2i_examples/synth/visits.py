"""Contact with the child: social workers' visits, IRO contacts and return interviews.

Part of the simulation (``synth.simulate``), run once every other table exists. It draws
from its own random stream (seeded from the simulation's seed), so adding it left every
other table as it was. Timescales (most visits on time, a minority late):

- ``cp``: statutory visits to a child on a child protection plan. *Working Together to
  Safeguard Children* sets no national interval; every 10 working days is a common local
  standard, used here: the first within 10 working days of the plan starting, then
  gaps of 4-10 working days (about 88%) or 11-20 (late).
- ``cla``: social worker visits to a child looked after (Care Planning, Placement and Case
  Review (England) Regulations 2010, regulation 28): within one week of the start of any
  placement, then at intervals of not more than six weeks in the first year of the
  placement; after that, not more than three months apart where the placement is
  intended to last until the child is 18 (long-term fostering, U1/U4, or a placement for
  adoption), six weeks otherwise. About 90% of gaps are within the limit.
- ``cin``: the child seen by their social worker: during an assessment (where the child
  was seen), and during a child in need plan, every 4 weeks or so (a common local
  standard; 15% of gaps are 5-8 weeks).
- ``iro``: the independent reviewing officer's contact with the child before or on the
  day of each statutory review of a child looked after (IRO Handbook, 2010: the IRO
  should speak to the child in private before each review); 92% of reviews.

Seen alone: children under 4 are not seen alone; older children are seen alone on 80% of
statutory (``cp``, ``cla``) visits, 60% of ``cin`` visits and 70% of IRO contacts.

Return interviews (*Statutory guidance on children who run away or go missing from home or
care*, DfE 2014): after each missing or away spell that has ended, an independent return
interview is offered (85%) and, when offered, accepted about half the time (52%).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from d2i_examples.synth.calendar import NAT, add_working_days, age_on
from d2i_examples.synth.draws import cumsum_by, first_of_group

VISIT_KINDS = ("cp", "cla", "cin", "iro")
_SEEN_ALONE = {"cp": 0.8, "cla": 0.8, "cin": 0.6, "iro": 0.7}
_SEEN_ALONE_FROM_AGE = 4
LONG_TERM_PLACEMENTS = {"U1", "U4", "A3", "A4", "A5", "A6"}
RETURN_INTERVIEW_OFFERED = 0.85
RETURN_INTERVIEW_ACCEPTED = 0.52
# A stream of its own, so that visits do not change the other tables' draws.
_STREAM = 7


def _days(s: pd.Series, missing: int = NAT) -> np.ndarray:
    """A datetime Series as int64 day numbers, NaT as ``missing``."""
    out = s.to_numpy("datetime64[D]").astype(np.int64)
    return np.where(s.isna().to_numpy(), missing, out)


def _gaps(rng, n: int, on_time: tuple[int, int], late: tuple[int, int],
          p_on_time: float) -> np.ndarray:
    """Gaps in (working or calendar) days: ``on_time`` range with probability
    ``p_on_time``, else the ``late`` range (ranges inclusive)."""
    ok = rng.random(n) < p_on_time
    return np.where(ok, rng.integers(on_time[0], on_time[1] + 1, n),
                    rng.integers(late[0], late[1] + 1, n))


def _series(rng, start, end, first, gap, min_gap: int, working: bool):
    """Visits from ``start`` to ``end`` (inclusive, day numbers) for each row: the first
    ``first(n)`` days after ``start``, then ``gap(n)`` days apart. Returns (row, day)."""
    if len(start) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    span = np.maximum(end - start, 0)
    if working:
        span = span * 5 // 7 + 10
    count = span // min_gap + 2
    row = np.repeat(np.arange(len(start)), count)
    step = np.where(first_of_group(row), first(len(row)), gap(len(row)))
    offset = cumsum_by(step, row)
    if working:
        day = add_working_days(start[row], offset)
    else:
        day = start[row] + offset
    keep = day <= end[row]
    return row[keep], day[keep]


def simulate_visits(tables: dict[str, pd.DataFrame], seed: int, horizon: int) -> pd.DataFrame:
    """The ``visits`` table (child_id, kind, visit_date, seen_alone) from the simulated
    plans, periods of care and reviews (see the module docstring), up to ``horizon``."""
    rng = np.random.default_rng([int(seed), _STREAM])
    parts: list[tuple[str, np.ndarray, np.ndarray]] = []

    def add(kind: str, child_ids: np.ndarray, days: np.ndarray) -> None:
        parts.append((kind, np.asarray(child_ids, dtype=object), days))

    def gaps(on_time: tuple[int, int], late: tuple[int, int], p_on_time: float):
        return lambda n: _gaps(rng, n, on_time, late, p_on_time)

    # child protection plans: first within 10 working days, then every 10
    cp = tables["cp_plans"]
    start, end = _days(cp["start_date"]), _days(cp["end_date"], horizon + 1)
    row, day = _series(rng, start, np.minimum(end - 1, horizon), gaps((1, 10), (1, 10), 1.0),
                       gaps((4, 10), (11, 20), 0.88), 4, working=True)
    add("cp", cp["child_id"].to_numpy()[row], day)

    # children looked after: per placement, within a week, then 6-weekly, then 3-monthly
    ep = tables["episodes"].sort_values(["period_id", "decom"], kind="stable")
    periods = tables["care_periods"].set_index("period_id")
    new_placement = (ep["rne"] != "L").to_numpy()
    placement_no = pd.Series(new_placement.astype(int), index=ep.index).groupby(
        ep["period_id"]).cumsum()
    ep = ep.assign(placement_no=placement_no.to_numpy())
    pl = ep.groupby(["period_id", "placement_no"], sort=False).agg(
        child_id=("child_id", "first"), start=("decom", "first"),
        place=("place", "last")).reset_index()
    # a placement ends when the next one starts, or with the period
    nxt = pl.groupby("period_id")["start"].shift(-1)
    period_end = pl["period_id"].map(periods["end_date"])
    pl_end = nxt.fillna(period_end)
    p_start, p_end = _days(pl["start"]), _days(pl_end, horizon + 1)
    last_day = np.minimum(p_end - 1, horizon)
    year_on = p_start + 365
    six_weekly = gaps((21, 42), (43, 63), 0.9)
    row, day = _series(rng, p_start, np.minimum(last_day, year_on), gaps((1, 7), (8, 14), 0.92),
                       six_weekly, 21, working=False)
    add("cla", pl["child_id"].to_numpy()[row], day)
    # after the first year of a placement: 3-monthly if long term, else 6-weekly
    last_first_year = pd.Series(day).groupby(row).max()
    later = np.flatnonzero(last_day > year_on)
    if later.size:
        from_day = last_first_year.reindex(later).fillna(pd.Series(year_on[later],
                                                                   index=later)).to_numpy()
        long_term = pl["place"].isin(LONG_TERM_PLACEMENTS).to_numpy()[later]
        three_monthly = gaps((56, 91), (92, 120), 0.9)
        for m, gap, min_gap in ((long_term, three_monthly, 56), (~long_term, six_weekly, 21)):
            r2, d2 = _series(rng, from_day[m].astype(np.int64), last_day[later][m], gap, gap,
                             min_gap, working=False)
            add("cla", pl["child_id"].to_numpy()[later][m][r2], d2)

    # children in need: seen during the assessment, then about every 4 weeks on a plan
    a = tables["assessments"]
    a = a[a["child_seen"]]
    a_start = _days(a["start_date"])
    a_end = np.minimum(_days(a["authorisation_date"], horizon), horizon)
    seen = a_start + (rng.random(len(a)) * np.minimum(np.maximum(a_end - a_start, 0), 14)
                      ).astype(np.int64)
    ok = seen <= horizon
    add("cin", a["child_id"].to_numpy()[ok], seen[ok])
    cin = tables["cin_plans"]
    start, end = _days(cin["start_date"]), _days(cin["end_date"], horizon + 1)
    row, day = _series(rng, start, np.minimum(end - 1, horizon), gaps((3, 20), (3, 20), 1.0),
                       gaps((14, 28), (29, 56), 0.85), 14, working=False)
    add("cin", cin["child_id"].to_numpy()[row], day)

    # independent reviewing officer: contact before or at each review
    rev = tables["cla_reviews"]
    r_day = _days(rev["review_date"])
    contact = r_day - np.where(rng.random(len(rev)) < 0.4, 0, rng.integers(1, 15, len(rev)))
    per_start = _days(rev["period_id"].map(periods["start_date"]))
    ok = (rng.random(len(rev)) < 0.92) & (contact > per_start)
    add("iro", rev["child_id"].to_numpy()[ok], contact[ok])

    kinds = np.concatenate([np.full(len(d), k, dtype=object) for k, _, d in parts])
    child = np.concatenate([c for _, c, _ in parts])
    day = np.concatenate([d for _, _, d in parts]).astype(np.int64)
    dob = _days(tables["children"].set_index("child_id")["dob"].reindex(child))
    old_enough = age_on(dob, day) >= _SEEN_ALONE_FROM_AGE
    p_alone = pd.Series(kinds).map(_SEEN_ALONE).to_numpy(dtype=float)
    alone = old_enough & (rng.random(len(day)) < p_alone)
    out = pd.DataFrame({"child_id": child, "kind": kinds,
                        "visit_date": day.astype("datetime64[D]").astype("datetime64[ns]"),
                        "seen_alone": alone})
    out = out.sort_values(["child_id", "visit_date", "kind"], kind="stable")
    # one row per child, kind and day
    out = out.drop_duplicates(["child_id", "kind", "visit_date"])
    return out.reset_index(drop=True)


def return_interviews(missing: pd.DataFrame, seed: int) -> pd.DataFrame:
    """``missing`` with ``return_interview_offered`` and ``return_interview_accepted``
    (bool; both ``None`` while the spell is open): see the module docstring."""
    rng = np.random.default_rng([int(seed), _STREAM, 1])
    n = len(missing)
    offered = rng.random(n) < RETURN_INTERVIEW_OFFERED
    accepted = offered & (rng.random(n) < RETURN_INTERVIEW_ACCEPTED)
    ended = missing["end_date"].notna().to_numpy()
    out = missing.copy()
    out["return_interview_offered"] = np.where(ended, offered, None).astype(object)
    out["return_interview_accepted"] = np.where(ended, accepted, None).astype(object)
    return out
