"""Tables derived after the events: yearly health outcomes, care leavers, mothers and
previous permanence.

Part of the simulation (``synth.simulate``): ``AnnualMixin`` builds, from the simulated
periods of care, the records the SSDA903 keeps per collection year (OC2 outcomes of
children looked after all year, OC3 care leavers at their 17th to 21st birthdays) and the
per-period previous permanence, and marks girls in care who become mothers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from d2i_examples.synth.calendar import collection_bounds, to_datetime
from d2i_examples.synth.draws import choice


class AnnualMixin:
    """Derived-table methods of the simulation."""

    def _mothers(self, t) -> None:
        """Some girls looked after at 14+ have a baby while in care."""
        rng = self.rng
        ch = t["children"]
        per = t["care_periods"].merge(ch[["child_id", "sex", "dob"]], on="child_id")
        end = per["end_date"].fillna(self.horizon_ts)
        age_end = (end - per["dob"]).dt.days / 365.25
        cand = per[(per["sex"] == "F") & (age_end >= 15)].copy()
        cand = cand.drop_duplicates("child_id")
        pick = rng.random(len(cand)) < 0.06
        cand = cand[pick]
        lo = np.maximum(cand["start_date"].to_numpy(), (cand["dob"] + pd.DateOffset(years=15)).to_numpy())
        hi = end.loc[cand.index].to_numpy()
        ok = hi > lo
        lo, hi, cand = lo[ok], hi[ok], cand[ok]
        frac = rng.random(len(cand))
        mc = lo + ((hi - lo) * frac).astype("timedelta64[D]")
        mc = pd.to_datetime(mc).normalize()
        ch.loc[ch["child_id"].isin(cand["child_id"]), "first_child_dob"] = pd.Series(
            mc.to_numpy(), index=ch.index[ch["child_id"].isin(cand["child_id"])])

    def _cla_outcomes(self, t) -> pd.DataFrame:
        """OC2 outcomes for children looked after continuously for 12 months at 31 March."""
        rng = self.rng
        per = t["care_periods"]
        rows = []
        for year in range(self.start_year, self.end_year + 1):
            ys, ye = collection_bounds(year)
            ye_ts = to_datetime(np.array([ye]))[0]
            ys_ts = to_datetime(np.array([ys]))[0]
            # looked after throughout the year, as the SSDA903 validator defines it
            m = (per["start_date"] <= ys_ts) & (per["end_date"].isna() | (per["end_date"] >= ye_ts))
            c = per.loc[m, ["child_id"]].drop_duplicates().merge(t["children"][["child_id", "dob"]])
            if c.empty:
                continue
            c["collection_year"] = year
            age = ((ye_ts - c["dob"]).dt.days / 365.25).to_numpy()
            n = len(c)
            # SDQ expected from children 4 or over at 31 March and not yet 17 before 1 April
            sdq_age = ((c["dob"] + pd.DateOffset(years=4) <= ye_ts)
                       & (c["dob"] + pd.DateOffset(years=17) >= ys_ts)).to_numpy()
            got = rng.random(n) < 0.8
            c["sdq_score"] = np.where(sdq_age & got, np.clip(rng.normal(14, 6.5, n).round(), 0, 40), np.nan)
            c["sdq_reason"] = np.where(sdq_age & ~got, choice(rng, {"SDQ2": 0.3, "SDQ3": 0.2, "SDQ4": 0.3, "SDQ5": 0.2}, n), None)
            c["convicted"] = (age >= 10) & (rng.random(n) < 0.04)
            c["immunisations"] = rng.random(n) < 0.85
            c["development_checks"] = (age < 5) & (rng.random(n) < 0.9)
            sm = (age >= 10) & (rng.random(n) < 0.05)
            c["substance_misuse"] = sm
            recv = rng.random(n) < 0.6
            c["intervention_received"] = np.where(sm, recv, None)
            c["intervention_offered"] = np.where(sm & ~recv, rng.random(n) < 0.5, None)
            rows.append(c.drop(columns=["dob"]))
        cols = ["child_id", "collection_year", "sdq_score", "sdq_reason", "convicted", "immunisations",
                "development_checks", "substance_misuse", "intervention_received", "intervention_offered"]
        if not rows:
            return pd.DataFrame(columns=cols)
        return pd.concat(rows, ignore_index=True)[cols]

    def _care_leavers(self, t) -> pd.DataFrame:
        """OC3: young people who left care at 16+ after 13 weeks in care since 14, with their
        17th to 21st birthday in the collection year, not looked after on that birthday."""
        rng = self.rng
        per = t["care_periods"].merge(t["children"][["child_id", "dob", "uasc"]], on="child_id")
        b14 = per["dob"] + pd.DateOffset(years=14)
        s = per["start_date"].where(per["start_date"] > b14, b14)
        e = per["end_date"].fillna(self.horizon_ts)
        days_after14 = (e - s).dt.days.clip(lower=0)
        per["d14"] = days_after14
        tot = per.groupby("child_id")["d14"].sum()
        last = per.sort_values("start_date").drop_duplicates("child_id", keep="last")
        last = last[last["end_date"].notna()]
        age_left = (last["end_date"] - last["dob"]).dt.days / 365.25
        elig = last[(age_left >= 16) & last["child_id"].map(tot).ge(91)
                    & ~last["reason_ceased"].isin(["E11", "E12", "E2", "E3", "E45", "E46", "E47", "E48", "E41"])]
        rows = []
        for year in range(self.start_year, self.end_year + 1):
            ys, ye = [to_datetime(np.array([d]))[0] for d in collection_bounds(year)]
            for a in range(17, 22):
                bd = elig["dob"] + pd.DateOffset(years=a)
                # 17 and 18: only those who had left care before the birthday
                left = (elig["end_date"] < bd) if a <= 18 else (elig["end_date"] <= bd)
                m = (bd >= ys) & (bd <= ye) & left
                if m.any():
                    rows.append(pd.DataFrame({"child_id": elig.loc[m, "child_id"].to_numpy(),
                                              "collection_year": year, "birthday": bd[m].to_numpy(),
                                              "age": a}))
        cols = ["child_id", "collection_year", "birthday", "age", "in_touch", "activity",
                "accommodation", "eligibility"]
        if not rows:
            return pd.DataFrame(columns=cols)
        cl = pd.concat(rows, ignore_index=True)
        n = len(cl)
        cl["in_touch"] = choice(rng, {"YES": 0.88, "NO": 0.05, "REFU": 0.04, "NREQ": 0.01, "RHOM": 0.02}, n)
        act = choice(rng, {"F1": 0.07, "P1": 0.01, "F2": 0.22, "P2": 0.03, "F4": 0.12, "P4": 0.06,
                            "F5": 0.03, "P5": 0.01, "G4": 0.12, "G5": 0.27, "G6": 0.06}, n)
        acc = choice(rng, {"B1": 0.10, "C1": 0.02, "D1": 0.10, "E1": 0.08, "K1": 0.03, "U1": 0.40,
                            "Z1": 0.10, "T1": 0.02, "V2": 0.02, "S2": 0.01, "X2": 0.02, "Y1": 0.06,
                            "R2": 0.01, "B2": 0.01, "W2": 0.02}, n)
        in_touch = cl["in_touch"].to_numpy()
        # with former foster carers ("staying put", Z) only from 18
        acc = np.where((cl["age"].to_numpy() == 17) & np.isin(acc, ["Z1", "Z2"]), "D1", acc)
        # not in touch (or not required, returned home...): activity and accommodation "0"
        cl["activity"] = np.where(in_touch == "YES", act, "0")
        cl["accommodation"] = np.where(in_touch == "YES", acc, "0")
        cl["eligibility"] = np.where(cl["age"] < 18, "relevant", "former relevant")
        return cl[cols].sort_values(["collection_year", "child_id"], kind="stable").reset_index(drop=True)

    def _previous_permanence(self, t) -> pd.DataFrame:
        """Previous permanence for every period: after an SGO/CAO exit from our own care,
        that order; otherwise mostly none (Z1), occasionally an order made elsewhere."""
        rng = self.rng
        per = t["care_periods"].sort_values(["child_id", "start_date"], kind="stable").reset_index(drop=True)
        prev_exit = per.groupby("child_id")["reason_ceased"].shift()
        prev_end = per.groupby("child_id")["end_date"].shift()
        n = len(per)
        code = choice(rng, {"Z1": 0.93, "P1": 0.02, "P2": 0.03, "P3": 0.02}, n)
        code = np.where(prev_exit.isin(["E45", "E46", "E47", "E48"]), "P2", code)
        code = np.where(prev_exit.isin(["E41"]), "P3", code)
        code = np.where(per["route"].eq("uasc"), "Z1", code)
        own = prev_exit.isin(["E41", "E45", "E46", "E47", "E48"]).to_numpy()
        la = np.where(own, self.p.la_code, np.where(code != "Z1", choice(rng, {"812": 0.3, "813": 0.3, "815": 0.4}, n), None))
        date = np.where(own, prev_end.to_numpy(), np.datetime64("NaT"))
        elsewhere = (code != "Z1") & ~own
        dob = per["child_id"].map(t["children"].set_index("child_id")["dob"])
        span = (per["start_date"] - dob).dt.days.to_numpy()
        guess = dob.to_numpy() + (span * rng.uniform(0.2, 0.9, n)).astype("timedelta64[D]")
        date = np.where(elsewhere, guess, date)
        out = pd.DataFrame({"child_id": per["child_id"], "period_id": per["period_id"],
                            "prev_perm": code, "la_perm": la,
                            "date_perm": pd.to_datetime(date).normalize()})
        return out
