"""Headline rates of a simulation, defined as in the DfE's national statistics.

Used to check that a simulated authority looks like the profile it was drawn from.
Definitions (Children in need / Children looked after in England, DfE):

- referrals: referrals dated in the collection year; re-referral share: the share of
  those within 12 months of the same child's previous referral;
- CIN at 31 March: children with a referral open (not closed) on 31 March, including
  those on a CP plan or looked after; CP at 31 March: children on a plan that day;
- CLA at 31 March: children in a period of care that day; starters: periods starting in
  the year; fostered share: CLA at 31 March whose placement is U1-U6; all three leave
  out care under a series of short breaks (LS V3, V4), as the DfE's figures do.

All rates are per 10,000 children aged 0-17 (the profile's population).
"""

from __future__ import annotations

import pandas as pd

from d2i_examples.spec.ssda903 import SHORT_BREAKS
from d2i_examples.synth.short_breaks import ROUTE as SHORT_BREAK_ROUTE
from d2i_examples.synth.simulate import Journeys


def _open_on(start: pd.Series, end: pd.Series, when: pd.Timestamp) -> pd.Series:
    return (start <= when) & (end.isna() | (end > when))


def yearly_rates(journeys: Journeys, collection_year: int) -> dict[str, float]:
    """Rates for one collection year (1 April to 31 March) of a simulation."""
    start = pd.Timestamp(f"{collection_year - 1}-04-01")
    end = pd.Timestamp(f"{collection_year}-03-31")
    per10k = 10_000 / journeys.profile.population_0_17
    ref = journeys.referrals.sort_values(["child_id", "referral_date"])
    prev = ref.groupby("child_id")["referral_date"].shift()
    in_year = ref["referral_date"].between(start, end)
    rerefer = (ref["referral_date"] - prev).dt.days.le(365) & in_year
    con = journeys.contacts["contact_date"].between(start, end)
    cp = journeys.cp_plans
    s47 = journeys.s47
    per = journeys.care_periods[journeys.care_periods["route"] != SHORT_BREAK_ROUTE]
    cla = per[_open_on(per["start_date"], per["end_date"], end)]
    eps = journeys.episodes[~journeys.episodes["ls"].isin(SHORT_BREAKS)]
    eps_now = eps[_open_on(eps["decom"], eps["dec"], end)]
    fostered = eps_now["place"].str.match(r"U[1-6]").mean() if len(eps_now) else float("nan")
    return {
        "contacts": con.sum() * per10k,
        "referrals": in_year.sum() * per10k,
        "rereferral_share": rerefer.sum() / max(in_year.sum(), 1),
        "s47": s47["start_date"].between(start, end).sum() * per10k,
        "cp_starts": cp["start_date"].between(start, end).sum() * per10k,
        "cin_31_march": ref.loc[_open_on(ref["referral_date"], ref["closure_date"], end)
                                & ~ref["nfa"], "child_id"].nunique() * per10k,
        "cp_31_march": cp.loc[_open_on(cp["start_date"], cp["end_date"], end),
                              "child_id"].nunique() * per10k,
        "cla_31_march": cla["child_id"].nunique() * per10k,
        "care_starters": per["start_date"].between(start, end).sum() * per10k,
        "fostered_share": float(fostered),
    }
