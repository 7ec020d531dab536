"""Simulate the authority's special educational needs work: requests for an education,
health and care (EHC) needs assessment, decisions, plans issued and ceased.

Part of the one simulation: ``simulate_send(journeys)`` takes the children's journeys
(``synth.simulate``) and adds their SEND history, drawing from a random stream of its own
(seeded from the simulation's seed), so every other table stays as it was. Children
known to children's social care keep their identifiers (UPN, date of birth, sex,
ethnicity); most children with an EHC plan are never known to social care and are new
people, with UPNs of their own. Rates and assumptions: ``synth.send_profile``.

How it works
------------
Requests arrive over the simulation's span (its history years and collection years) at
``requests_per_10k`` a year now, fewer in the past (``request_growth`` a year). A child
known to children's social care asks at the general rate times ``ehcp_multiplier_cin``
(referred) or ``ehcp_multiplier_cla`` (ever looked after), at most once, between ages 2
and 19; the other requests come from new children, aged as ``REQUEST_AGE``. Each request
is decided (assess, refuse, withdrawn, moved away) after a lognormal number of weeks;
an assessment ends with a decision to issue a plan or not, and the final plan follows so
that the weeks from request to final plan are lognormal with the published shares within
20 and over 52 weeks (longer where an exception to the 20-week limit applies). A plan
lasts until the young person leaves education (``LEAVING_AGE``) or ceases earlier
(``early_cease_per_year``), for the reasons of ``CEASE_LEAVING`` / ``CEASE_EARLY``.

Tables (dates are datetime64, missing as NaT; everything that happens is dated, even
after the window's end, and the SEN2 writer keeps what is known on its census date)
------
people
    person_id (``SEN00001``...), child_id (the social care child, ``None`` if not known to
    social care), known_to (``cla`` / ``cin`` / ``none``), upn, dob, sex, ethnicity,
    forename, surname (invented: ``Synthetic`` and a number).
requests
    person_id, request_id, received_date, source (SEN2 RequestSource), outcome (``A``
    assess, ``B`` refused, ``W`` withdrawn, ``M`` moved away), decision_date, mediation,
    tribunal (bool, refused requests only), exception (bool: a 20-week exception applies),
    assessment_outcome (``A`` issue, ``B`` not issue; ``None`` unless assessed),
    assessment_date (decision whether to issue), plan_date (final plan issued; NaT if none).
plans
    person_id, request_id, start_date, cease_date, cease_reason, primary_need,
    secondary_need (``None`` if none), setting_u (a uniform draw fixing the child's kind of
    school, ``synth.sen2`` turns it into a placement).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from d2i_examples.synth.draws import choice, upns
from d2i_examples.synth.send_profile import (
    CEASE_EARLY,
    CEASE_LEAVING,
    DEFAULT_SEND_PROFILE,
    LEAVING_AGE,
    REQUEST_AGE,
    REQUEST_SOURCE,
    REQUEST_SOURCE_SOCIAL_CARE,
    SendProfile,
)
from d2i_examples.synth.short_breaks import ROUTE as SHORT_BREAK_ROUTE
from d2i_examples.synth.simulate import Journeys

_STREAM = 903_512  # this module's random stream, apart from every other table's
_DAY = pd.Timedelta(days=1)
_YEAR_DAYS = 365.25
#: UPNs of children new to this module are numbered from here, apart from the social care
#: children's (synth.draws.upns numbers serials and school numbers from the position)
_UPN_START = 5_000_000


@dataclass
class SendJourneys:
    """Every child's SEND history (see the module docstring)."""

    people: pd.DataFrame
    requests: pd.DataFrame
    plans: pd.DataFrame
    profile: SendProfile


def _grown_dates(rng, n: int, first: np.ndarray, last: np.ndarray, growth: float) -> np.ndarray:
    """Dates (days from ``last``'s origin) between ``first`` and ``last`` (days, floats)
    with density growing by ``growth`` a year."""
    g = growth / _YEAR_DAYS
    u = rng.random(n)
    if g == 0:
        return first + u * (last - first)
    lo = np.exp(g * (first - last))
    return last + np.log(lo + u * (1 - lo)) / g


def _expected(first: np.ndarray, last: np.ndarray, rate_now: float, growth: float) -> np.ndarray:
    """Expected requests between day ``first`` and ``last`` at ``rate_now`` a year on
    day ``last`` (relative days), growing ``growth`` a year."""
    g = growth / _YEAR_DAYS
    span = np.maximum(last - first, 0)
    if g == 0:
        return rate_now * span / _YEAR_DAYS
    return rate_now / _YEAR_DAYS * (1 - np.exp(-g * span)) / g


def _scale_to(total: float, weights: np.ndarray, unknown: float) -> float:
    """The k for which known children (at most one request each, with probability
    1 - exp(-k w)) and new children (k * unknown requests) make ``total`` requests."""
    lo, hi = 0.0, 1.0
    while (1 - np.exp(-hi * weights)).sum() + hi * unknown < total and hi < 1e6:
        hi *= 2
    for _ in range(60):
        mid = (lo + hi) / 2
        if (1 - np.exp(-mid * weights)).sum() + mid * unknown < total:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def simulate_send(journeys: Journeys, profile: SendProfile = DEFAULT_SEND_PROFILE) -> SendJourneys:
    """The SEND history of ``journeys``' authority, reproducibly from its seed."""
    rng = np.random.default_rng([int(journeys.seed), _STREAM])
    la = journeys.profile
    end = journeys.window_end
    start = pd.Timestamp(f"{journeys.start_year - 1 - la.history_years}-04-01")
    scale = la.population_0_17 / 10_000
    rate_now = profile.requests_per_10k * scale  # requests a year, at the window's end
    per_child_now = profile.requests_per_10k / 10_000
    t_end = float((end - start).days)

    # --- children known to social care --------------------------------------------
    # the short-break children, added after the main simulation, have no SEND history
    breaks = journeys.care_periods.loc[journeys.care_periods["route"] == SHORT_BREAK_ROUTE,
                                       "child_id"]
    kids = journeys.children[~journeys.children["child_id"].isin(breaks)]
    referred = set(journeys.referrals.loc[~journeys.referrals["nfa"], "child_id"])
    in_care = set(journeys.care_periods["child_id"])
    known = np.where(kids["child_id"].isin(in_care), "cla",
                     np.where(kids["child_id"].isin(referred), "cin", "none"))
    mult = np.select([known == "cla", known == "cin"],
                     [profile.ehcp_multiplier_cla, profile.ehcp_multiplier_cin], 1.0)
    dob_d = (kids["dob"] - start).dt.days.to_numpy(float)
    a = np.clip(dob_d + 2 * _YEAR_DAYS, 0, t_end)
    b = np.clip(dob_d + 20 * _YEAR_DAYS, 0, t_end)
    # expected requests at the general rate between ages 2 and 20 inside the span
    g = profile.request_growth / _YEAR_DAYS
    base = per_child_now / _YEAR_DAYS * (np.exp(g * (b - t_end)) - np.exp(g * (a - t_end))) / g
    base = np.where(b > a, base, 0.0)
    # new children take the exposure the known ones leave; scale so requests add up to
    # the profile's rate while known children keep their multiplier
    total = _expected(np.array([0.0]), np.array([t_end]), rate_now, profile.request_growth)[0]
    unknown = max(total - base.sum(), 0.0)
    k = _scale_to(total, base * mult, unknown)
    asks = rng.random(len(kids)) < 1 - np.exp(-base * mult * k)
    sc_dates = _grown_dates(rng, len(kids), a, b, profile.request_growth)
    sc = kids.loc[asks, ["child_id", "upn", "dob", "sex", "ethnicity"]].reset_index(drop=True)
    sc["known_to"] = known[asks]
    sc_received = start + pd.to_timedelta(np.floor(sc_dates[asks]), unit="D")

    # --- children new to this module ------------------------------------------------
    n_new = int(rng.poisson(unknown * k))
    new_days = _grown_dates(rng, n_new, np.zeros(n_new), np.full(n_new, t_end),
                            profile.request_growth)
    new_received = start + pd.to_timedelta(np.floor(new_days), unit="D")
    bands = list(REQUEST_AGE)
    band = rng.choice(len(bands), n_new, p=np.array(list(REQUEST_AGE.values())) /
                      sum(REQUEST_AGE.values()))
    lo = np.array([bands[i][0] for i in band], float)
    hi = np.array([bands[i][1] + 1 for i in band], float)
    age_days = np.floor((lo + rng.random(n_new) * (hi - lo)) * _YEAR_DAYS)
    new_dob = new_received - pd.to_timedelta(age_days, unit="D")
    pop = la.population_ethnicity
    new = pd.DataFrame({
        "child_id": [None] * n_new,
        "upn": upns(la.la_code, new_dob.to_numpy("datetime64[D]").astype(np.int64),
                    start=_UPN_START),
        "dob": new_dob.to_numpy(),
        "sex": np.where(rng.random(n_new) < 0.70, "M", "F"),  # assumed: 70% boys
        "ethnicity": choice(rng, pop, n_new),
        "known_to": "none",
    })

    people = pd.concat([sc, new], ignore_index=True)
    received = pd.Series(np.concatenate([sc_received.to_numpy(), new_received.to_numpy()]))
    order = np.lexsort((people["upn"].astype(str).to_numpy(), received.to_numpy()))
    people, received = people.iloc[order].reset_index(drop=True), received.iloc[order]
    received = received.reset_index(drop=True)
    n = len(people)
    people.insert(0, "person_id", [f"SEN{i:05d}" for i in range(1, n + 1)])
    people["forename"] = "Synthetic"
    people["surname"] = [f"Person {i}" for i in range(1, n + 1)]
    people["child_id"] = people["child_id"].astype(object)

    requests = _requests(rng, people, received, profile)
    plans = _plans(rng, people, requests, profile)
    return SendJourneys(people=people, requests=requests, plans=plans, profile=profile)


def _weeks(x) -> pd.Series:
    return pd.to_timedelta(np.round(np.asarray(x, float) * 7), unit="D")


def _requests(rng, people: pd.DataFrame, received: pd.Series, p: SendProfile) -> pd.DataFrame:
    n = len(people)
    social = people["known_to"].ne("none").to_numpy()
    source = choice(rng, REQUEST_SOURCE, n)
    source[social] = choice(rng, REQUEST_SOURCE_SOCIAL_CARE, int(social.sum()))
    u = rng.random(n)
    outcome = np.select(
        [u < p.refused_share, u < p.refused_share + p.withdrawn_share,
         u < p.refused_share + p.withdrawn_share + p.moved_share], ["B", "W", "M"], "A")
    decision_w = np.clip(rng.lognormal(np.log(p.decision_median_weeks), 0.35, n), 1, 16)
    early = np.isin(outcome, ["W", "M"])
    decision_w[early] = rng.uniform(1, 5, early.sum())
    refused = outcome == "B"
    mediation = refused & (rng.random(n) < 0.08)  # assumed
    tribunal = refused & (rng.random(n) < 0.04)   # assumed
    assessed = outcome == "A"
    exception = assessed & (rng.random(n) < p.exception_share)
    median, sigma = p.weeks_to_final()
    total_w = rng.lognormal(np.log(median), sigma, n) * np.where(exception, 1.35, 1.0)
    total_w = np.maximum(total_w, decision_w + 6)
    issue = assessed & (rng.random(n) >= p.not_issued_share)
    assess_w = decision_w + p.assessment_share_of_rest * (total_w - decision_w)
    decided = received + _weeks(decision_w)
    return pd.DataFrame({
        "person_id": people["person_id"],
        "request_id": [f"REQ{i:05d}" for i in range(1, n + 1)],
        "received_date": received,
        "source": source,
        "outcome": outcome,
        "decision_date": decided,
        "mediation": mediation,
        "tribunal": tribunal,
        "exception": exception,
        "assessment_outcome": np.where(assessed, np.where(issue, "A", "B"), None),
        "assessment_date": (received + _weeks(assess_w)).where(assessed),
        "plan_date": (received + _weeks(total_w)).where(issue),
    })


def _plans(rng, people: pd.DataFrame, requests: pd.DataFrame, p: SendProfile) -> pd.DataFrame:
    issued = requests[requests["plan_date"].notna()].reset_index(drop=True)
    n = len(issued)
    dob = issued["person_id"].map(people.set_index("person_id")["dob"])
    start = issued["plan_date"]
    leave_age = rng.choice(list(LEAVING_AGE), n, p=np.array(list(LEAVING_AGE.values())) /
                           sum(LEAVING_AGE.values()))
    leave_date = pd.Series([d + pd.DateOffset(years=int(a)) for d, a in zip(dob, leave_age)])
    # leaving at the end of the academic year: 31 July after that birthday
    leave_date = pd.to_datetime([f"{d.year + (d.month > 7)}-07-31" for d in leave_date])
    wait = np.minimum(rng.exponential(_YEAR_DAYS / p.early_cease_per_year, n), 30 * _YEAR_DAYS)
    early = start + pd.to_timedelta(np.floor(wait), unit="D")
    leaves = pd.Series(leave_date) <= early
    cease = pd.Series(np.where(leaves, leave_date, early)).astype("datetime64[ns]")
    cease = cease.where(cease > start, start + pd.Timedelta(days=180))
    reason = np.where(leaves, choice(rng, CEASE_LEAVING, n), choice(rng, CEASE_EARLY, n))
    primary = choice(rng, p.primary_need, n)
    second = choice(rng, p.primary_need, n)
    has_second = (rng.random(n) < p.secondary_need_share) & (second != primary)
    return pd.DataFrame({
        "person_id": issued["person_id"],
        "request_id": issued["request_id"],
        "start_date": start,
        "cease_date": cease,
        "cease_reason": reason,
        "primary_need": primary,
        "secondary_need": np.where(has_second, second, None),
        "setting_u": rng.random(n),
    })
