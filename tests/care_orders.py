"""No care order for a child of 17: the rule the synthetic council must keep.

Children Act 1989 s31(3): "No care order or supervision order may be made with respect to
a child who has reached the age of seventeen"; s31(11) counts an interim care order as a
care order. A full care order made earlier lasts to 18 (s91(12)); an interim one cannot
outlive the 17th birthday (Re Q (Child: Interim Care Order: Jurisdiction) [2019] EWHC 512
(Fam)). In SSDA903 terms (LS codes in ``spec.ssda903.LS``):

- an episode *makes* a care order on its DECOM when its LS is C1 (interim care order) or C2
  (full care order) and its RNE says the legal status started that day: S (started to be
  looked after), L (legal status only), B (legal status, placement and carer) or U (legal
  status and placement, same carer). P and T change only the placement: the order runs
  on. An order already seen earlier in the same period of care (a C2 that resumes after,
  say, a remand) is not made again;
- an episode on C1 ends (DEC) on or before the 17th birthday; one still open at the end of
  the data counts as running to the day after it.

The 17th birthday is pandas' ``DateOffset(years=17)`` (29 February to 28 February), as the
simulation and the 903 validator reckon birthdays.
"""

from __future__ import annotations

import pandas as pd

CARE_ORDERS = ("C1", "C2")
STATUS_STARTS = ("S", "L", "B", "U")


def care_orders_broken(episodes: pd.DataFrame, data_end: pd.Timestamp) -> pd.DataFrame:
    """Episodes breaking s31(3): orders made on or after the 17th birthday, and interim
    orders running past it. ``episodes`` has CHILD, DOB, DECOM, RNE, LS, DEC (dates as
    datetimes; DEC missing while open at ``data_end``). Returns the offending rows with a
    ``why`` column."""
    e = episodes.sort_values(["CHILD", "DECOM"], kind="stable").copy()
    e["period"] = e["RNE"].eq("S").groupby(e["CHILD"]).cumsum()
    seen_before = e.duplicated(["CHILD", "period", "LS"])
    bday17 = e["DOB"] + pd.DateOffset(years=17)
    made = e["LS"].isin(CARE_ORDERS) & e["RNE"].isin(STATUS_STARTS) & ~seen_before
    made_at_17 = made & (e["DECOM"] >= bday17)
    ends = e["DEC"].fillna(data_end + pd.Timedelta(days=1))
    interim_past_17 = e["LS"].eq("C1") & (ends > bday17)
    why = pd.Series("", index=e.index)
    why[interim_past_17] = "interim order past 17"
    why[made_at_17] = "order made at 17"
    broken = made_at_17 | interim_past_17
    return e[broken].assign(why=why[broken])
