"""Deprivation of liberty orders (DoLO) for the SSDA903 from 2026/27.

The 2026/27 SSDA903 adds a table of deprivation of liberty orders (``spec.ssda903``,
table ``dolo``). The simulation has no such event, so this module draws them, on a random
stream of its own (the other returns stay as they were), from the children's episodes:

- only a child looked after in the year, aged 11 or more, placed in a children's home
  (K2) for at least 30 days of the year, and then only about one such placement in eight;
- the order starts after the placement does and after 1 April, and ends before the
  placement ends (the day before at the latest) or stays open while the placement is
  open on 31 March, so it lies inside one K2 placement and one period of care
  (csc-validator-be-903's 2026/27 rules 703-710).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from d2i_examples.synth.simulate import Journeys

#: share of eligible children's home placements whose child is under an order
SHARE = 0.125
MIN_AGE = 11
MIN_DAYS = 30


def dolo_orders(journeys: Journeys, episodes: pd.DataFrame, collection_year: int
                ) -> pd.DataFrame:
    """One row per order for the year ending 31 March ``collection_year``: ``child_id``,
    ``start``, ``end`` (NaT while in force on 31 March), ordered by child and start.

    ``episodes`` are the year's episodes as the SSDA903 writes them (open ones with no
    ``dec``). The same journeys and year give the same orders."""
    ys, ye = pd.Timestamp(f"{collection_year - 1}-04-01"), pd.Timestamp(f"{collection_year}-03-31")
    dob = episodes["child_id"].map(journeys.children.set_index("child_id")["dob"])
    first = episodes["decom"].where(episodes["decom"] >= ys, ys - pd.Timedelta(days=1))
    last = episodes["dec"].fillna(ye + pd.Timedelta(days=1))
    days = (last - first).dt.days - 1  # days strictly inside the placement and the year
    eligible = episodes[(episodes["place"] == "K2") & (days >= MIN_DAYS)
                        & (dob + pd.DateOffset(years=MIN_AGE) <= ys)]
    eligible = eligible.sort_values(["child_id", "decom"], kind="stable")
    rng = np.random.default_rng([journeys.seed, collection_year, 1903])
    chosen = eligible[rng.random(len(eligible)) < SHARE]
    chosen = chosen.drop_duplicates("child_id")  # one order a child
    span = days[chosen.index].to_numpy()
    offset = np.floor(rng.random(len(chosen)) * np.minimum(span // 3, 60)).astype(int) + 1
    start = first[chosen.index] + pd.to_timedelta(offset, unit="D")
    open_now = chosen["dec"].isna().to_numpy() & (rng.random(len(chosen)) < 0.7)
    end_by = last[chosen.index] - pd.Timedelta(days=1)
    length = (end_by - start).dt.days.to_numpy()
    end = start + pd.to_timedelta(np.maximum(1, (length * (0.5 + rng.random(len(chosen)) / 2))
                                             .astype(int)), unit="D")
    end = end.where(~open_now & (end <= ye))
    out = pd.DataFrame({"child_id": chosen["child_id"].to_numpy(), "start": start.to_numpy(),
                        "end": end.to_numpy()})
    return out.sort_values(["child_id", "start"], ignore_index=True)
