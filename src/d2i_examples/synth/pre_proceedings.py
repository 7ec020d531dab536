"""Pre-proceedings (the public law outline, PLO) for the CIN census from 2026/27.

The 2026/27 CIN census adds a pre-proceedings block (``spec.cin_census``, table
``PreProceedings``). The simulation has no such event, so this module draws the blocks, on
a random stream of its own (the other returns stay as they were), for the children whose
case went through pre-proceedings before care proceedings: those who started to be looked
after in the year under an interim care order (legal status C1, so a court application was
made), when the episode that brought them into care had room for pre-proceedings of five
weeks or more after 1 April and after the referral. Children who came into care in an
emergency (L1, L2) or by agreement (V2) have none.

Each block's dates follow one another as csc-validator-be-cin's 2026/27 rules 9005-9013
expect: the decision to start pre-proceedings, the letter before proceedings, the first
pre-proceedings meeting, the decision to step up to court, the court application and the
letter telling the parents, all within the census year and on or before the day the child
came into care. ``PPOutcome`` is ``A`` (see ``spec.cin_census.PP_OUTCOME``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from d2i_examples.synth.simulate import Journeys

MIN_DAYS, MAX_DAYS = 35, 140  # decision to start pre-proceedings -> child in care


def pre_proceedings(journeys: Journeys, referrals: pd.DataFrame, collection_year: int
                    ) -> pd.DataFrame:
    """One row per period of pre-proceedings that started in the year ending 31 March
    ``collection_year``: ``referral_id`` (the census episode it belongs to), then the
    block's elements (``spec.cin_census.TABLES["PreProceedings"]`` from ``PPStartDate``;
    dates as Timestamps, flags and counts as text, NaN/None when not recorded).
    ``referrals`` are the census's episodes. The same journeys and year give the same
    rows."""
    ys, ye = pd.Timestamp(f"{collection_year - 1}-04-01"), pd.Timestamp(f"{collection_year}-03-31")
    eps = journeys.episodes.sort_values(["child_id", "period_id", "decom"], kind="stable")
    first = eps.drop_duplicates(["child_id", "period_id"])[["child_id", "period_id", "ls"]]
    care = journeys.care_periods.merge(first, on=["child_id", "period_id"])
    care = care[(care["ls"] == "C1") & care["start_date"].between(ys, ye)]
    care = care.merge(referrals[["referral_id", "referral_date"]], on="referral_id")
    earliest = care["referral_date"].where(care["referral_date"] > ys, ys)
    room = (care["start_date"] - earliest).dt.days
    care = care[room >= MIN_DAYS].sort_values(["child_id", "start_date"], kind="stable")
    room = room[care.index].to_numpy()
    n = len(care)
    rng = np.random.default_rng([journeys.seed, collection_year, 2027])

    def days(lo, hi) -> pd.TimedeltaIndex:
        return pd.to_timedelta(rng.integers(lo, np.asarray(hi) + 1, n), unit="D")

    in_care = care["start_date"].reset_index(drop=True)
    start = in_care - days(MIN_DAYS, np.minimum(room, MAX_DAYS))
    letter = start + days(2, 7)
    meeting = letter + days(5, 12)
    step = in_care - days(1, 7)
    court = step + pd.to_timedelta(
        np.minimum(rng.integers(0, 4, n), (in_care - step).dt.days), unit="D")
    told = court + pd.to_timedelta(np.minimum(rng.integers(0, 2, n), (in_care - court).dt.days),
                                   unit="D")
    offered = rng.random(n) < 0.75
    held = offered & (rng.random(n) < 0.6)
    return pd.DataFrame({
        "referral_id": care["referral_id"].to_numpy(),
        "PPStartDate": start, "LBPSentDate": letter,
        "FGDMMeetingOffer": np.where(offered, "1", "0"),
        "FGDMMeetingFac": np.where(offered, np.where(held, "1", "0"), None),
        "InitialPPMeetingDate": meeting,
        "ReviewMeetingsCount": rng.integers(0, 4, n).astype(str),
        "StepDecisionDate": step, "PPOutcome": "A",
        "CourtAppDate": court, "LetterInitCPDate": told,
    })
