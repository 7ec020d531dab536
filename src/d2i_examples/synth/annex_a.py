"""Write Ofsted's Annex A lists for an inspection window from simulated journeys.

Annex A (Ofsted, *Inspecting local authority children's services*, Annex A: the child-level
lists a council sends before an inspection) asks for List 1 (contacts) over the six months
before the inspection and for the other lists over the 12 months before it. Here the
inspection date is ``window_end``; the 12-month window runs from the day after the same date
a year earlier to ``window_end``, and List 1 covers ``contact_months`` (default 6) months.
Everything is as the records stand on ``window_end`` (:mod:`d2i_examples.synth.as_at`, shared
with the CIN census writer): later dates are not known yet.

What each list holds (one row per):

1. contact dated in the last ``contact_months`` months;
2. early help assessment open at some point in the window;
3. referral dated in the window;
4. social care assessment open at some point in the window;
5. section 47 enquiry active in the window (started, conference held, or still running);
6. child in need episode (a referral that went on to further action) open in the window;
7. child protection plan open in the window (the same plans as in the CIN census);
8. period of care open in the window, with the child's legal status and placement as they
   stood at the window end (or when the period ended);
9. care leaver with their 17th to 21st birthday in the window (the SSDA903 OC3 cohort);
10. child with a decision that they should be placed for adoption, still on that path at
    some point in the window;
11. adopter matched with one of those children: synthetic adopters (identifiers, ethnicity,
    disability and assessment stage dates drawn reproducibly from the seed) built around
    the simulation's adoption records (number and sex of adopters, match, placement and
    adoption order dates).

Values: codes as the DfE returns write them (ethnicity ``WBRI``, referral source ``2A``,
primary need ``N1``, reason for closure ``RC7``, category of abuse ``NEG``, legal status
``C2``, placement ``U4``, provider ``PR1``, reason ceased ``E4A``, care leaver in touch
``YES``, activity ``F2``, accommodation type letter ``U``); Gender ``Male``/``Female``;
yes/no questions ``Y``/``N``; Age of Child (Years) in completed years at the window end;
allocated worker the simulation's social worker (``SW...``, the SSDA903 SW_ID) holding the
case at the window end, or last, and their team (``Team A``...). "Number of ... in the last
12 months" counts the child's events in the window. Visits come from the simulation's
``visits`` table (:mod:`d2i_examples.synth.visits`), each the latest up to the window end
within the row's episode, plan or period (blank if none yet): List 6 date child was last
seen (any visit), List 7 last statutory (``cp``) visit and whether the child was seen alone
on it, List 8 last social work (``cla``) visit and last IRO contact (``iro``). List 8's
return interview questions are about the period's latest missing spell (type M) that
started in the window (blank if none, or while the child is still missing). Its permanence
plan is the period's (``care_periods.permanence_plan``, the Annex A template's values),
except that a child whose plan becomes adoption has "Return to family" until the decision
that they should be placed for adoption.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from d2i_examples.datasets.placement_moves import MOVE, change_kinds
from d2i_examples.errors import DataError
from d2i_examples.spec.annex_a import LISTS
from d2i_examples.synth.as_at import active, known, open_during, referrals_as_at, s47_during
from d2i_examples.synth.postcodes import postcode_pools
from d2i_examples.synth.simulate import Journeys

DISABILITY = "Does the Child have a Disability"
ALLOCATED = ["Allocated Team", "Allocated Worker"]
TEAMS = [f"Team {letter}" for letter in "ABCDEF"]
DATE_FORMAT = "dd/mm/yyyy"
GENDER = {"M": "Male", "F": "Female"}
CASE_STATUS = ["Looked after child", "Child protection plan", "Child in need plan",
               "Open assessment", "Closed episode"]
EMERGENCY_LS = {"L1", "L2"}   # police protection, emergency protection order
FFA_PLACEMENTS = {"U2", "U5"}  # fostering for adoption / concurrent planning


def inspection_window(window_end) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the 12 months ending on ``window_end``."""
    end = pd.Timestamp(window_end).normalize()
    return end - pd.DateOffset(years=1) + pd.Timedelta(days=1), end


def _yn(flags: pd.Series) -> pd.Series:
    """Booleans as Y/N; missing stays missing."""
    return flags.map({True: "Y", False: "N"}).astype(object)


def _age(dob: pd.Series, on: pd.Timestamp) -> pd.Series:
    years = on.year - dob.dt.year
    before_birthday = (dob.dt.month > on.month) | ((dob.dt.month == on.month)
                                                    & (dob.dt.day > on.day))
    return (years - before_birthday.astype(int)).astype(int)


class _Lists:
    """Builds the lists for one window; shared look-ups are computed once."""

    def __init__(self, journeys: Journeys, window_end, contact_months: int):
        self.j = journeys
        self.first, self.last = inspection_window(window_end)
        self.contact_months = int(contact_months)
        earliest = journeys.window_start + pd.DateOffset(years=1) - pd.Timedelta(days=1)
        if not (journeys.window_start <= self.first and self.last <= journeys.window_end):
            raise DataError(
                "The inspection window is outside the simulated years.",
                column="window_end",
                expected=f"a date from {earliest.date()} to {journeys.window_end.date()}, so "
                "the 12 months before it were simulated",
                found=str(pd.Timestamp(window_end).date()),
                fix="Pick a window end inside the simulation, or simulate more years.",
            )
        self.children = journeys.children.set_index("child_id")
        self.referrals = referrals_as_at(journeys, self.last)
        sw = journeys.social_workers[journeys.social_workers["start_date"] <= self.last]
        latest = sw.sort_values(["referral_id", "start_date"], kind="stable").groupby(
            "referral_id")["sw_id"].last()
        self.worker = latest
        self.team = latest.map(_team)

    # -- shared columns --------------------------------------------------------------

    def child_columns(self, child_id: pd.Series, disability: bool = False) -> pd.DataFrame:
        ch = self.children.loc[child_id.to_numpy()]
        out = pd.DataFrame({
            "Child Unique ID": child_id.to_numpy(),
            "Gender": ch["sex"].map(GENDER).to_numpy(),
            "Ethnicity": ch["ethnicity"].to_numpy(),
            "Date of Birth": ch["dob"].to_numpy(),
            "Age of Child (Years)": _age(ch["dob"], self.last).to_numpy(),
        })
        if disability:
            out[DISABILITY] = _yn(ch["disabled"]).to_numpy()
        return out

    def allocated(self, referral_id: pd.Series) -> dict[str, np.ndarray]:
        return {"Allocated Team": referral_id.map(self.team).to_numpy(),
                "Allocated Worker": referral_id.map(self.worker).to_numpy()}

    def frame(self, key: str, rows: pd.DataFrame, disability: bool, **columns) -> pd.DataFrame:
        out = self.child_columns(rows["child_id"], disability)
        for name, values in columns.items():
            out[name] = values.to_numpy() if isinstance(values, pd.Series) else values
        if "referral_id" in rows and ALLOCATED[0] in LISTS[key][1]:
            for name, values in self.allocated(rows["referral_id"]).items():
                out[name] = values
        return out

    def count_in_window(self, child_id: pd.Series, dates: pd.Series) -> np.ndarray:
        """For each child in ``child_id``: how many of ``dates`` (indexed by child) fall in
        the window."""
        counts = dates[dates.between(self.first, self.last)].groupby(level=0).size()
        return child_id.map(counts).fillna(0).astype(int).to_numpy()

    def last_visit(self, rows: pd.DataFrame, start: str, end: str, kinds=None,
                   seen_alone: bool = False):
        """For each row (a child's episode, plan or period from ``start`` to ``end``, end
        missing while open): the date of the child's latest visit of one of ``kinds`` (any
        kind if None) within it, up to the window end; NaT if none. With ``seen_alone``,
        also whether the child was seen alone on that visit (missing if no visit)."""
        v = self.j.visits
        v = v[v["visit_date"] <= self.last]
        if kinds is not None:
            v = v[v["kind"].isin(kinds)]
        key = pd.DataFrame({"row": np.arange(len(rows)), "child_id": rows["child_id"].to_numpy(),
                            "start": rows[start].to_numpy(), "end": rows[end].to_numpy()})
        m = key.merge(v, on="child_id")
        m = m[(m["visit_date"] >= m["start"]) & (m["end"].isna() | (m["visit_date"] <= m["end"]))]
        latest = m.sort_values(["row", "visit_date"], kind="stable").drop_duplicates(
            "row", keep="last").set_index("row")
        dates = pd.Series(latest["visit_date"].reindex(key["row"]).to_numpy(), index=rows.index)
        if not seen_alone:
            return dates
        alone = latest["seen_alone"].reindex(key["row"]).astype(object)
        return dates, pd.Series(alone.to_numpy(), index=rows.index)

    def last_missing(self, periods: pd.DataFrame) -> pd.DataFrame:
        """The latest missing spell (type M) in the window of each period, indexed by
        period_id, with its return interview as known at the window end (missing while the
        child is still missing)."""
        mis = self.j.missing
        mis = mis[(mis["missing_type"] == "M") & mis["start_date"].between(self.first, self.last)
                  & mis["period_id"].isin(periods["period_id"])]
        mis = mis.sort_values(["period_id", "start_date"], kind="stable").drop_duplicates(
            "period_id", keep="last").set_index("period_id").copy()
        still_missing = ~(mis["end_date"] <= self.last)
        for col in ("return_interview_offered", "return_interview_accepted"):
            mis[col] = mis[col].where(~still_missing, None)
        return mis

    # -- the lists ---------------------------------------------------------------------

    def list_1(self) -> pd.DataFrame:
        c = self.j.contacts
        since = self.last - pd.DateOffset(months=self.contact_months) + pd.Timedelta(days=1)
        c = c[c["contact_date"].between(since, self.last)]
        c = c.sort_values(["child_id", "contact_date", "contact_id"], kind="stable")
        return self.frame("list_1", c, False, **{"Date of Contact": c["contact_date"],
                                                  "Contact Source": c["source"]})

    def list_2(self) -> pd.DataFrame:
        eh = active(self.j.early_help, "start_date", "end_date", self.first, self.last)
        eh = eh.sort_values(["child_id", "start_date", "early_help_id"], kind="stable")
        return self.frame("list_2", eh, False, **{
            "Assessment start date": eh["start_date"],
            "Assessment completion date": eh["end_date"],
            "Organisation completing assessment": eh["organisation"]})

    def list_3(self) -> pd.DataFrame:
        r = self.referrals
        r = r[r["referral_date"] >= self.first].sort_values(
            ["child_id", "referral_date", "referral_id"], kind="stable")
        dates = self.referrals.set_index("child_id")["referral_date"]
        return self.frame("list_3", r, False, **{
            "Date of referral": r["referral_date"],
            "Referral Source": r["source"],
            "Referral NFA?": _yn(r["nfa"]),
            "Number of Referrals in Last 12 Months": self.count_in_window(r["child_id"], dates)})

    def list_4(self) -> pd.DataFrame:
        a = active(self.j.assessments, "start_date", "authorisation_date", self.first,
                   self.last)
        a = a.sort_values(["child_id", "start_date", "assessment_id"], kind="stable")
        done = a["authorisation_date"].notna()
        return self.frame("list_4", a, True, **{
            "Continuous Assessment Start Date": a["start_date"],
            "Child Seen During Continuous Assessment": _yn(a["child_seen"]),
            "Continuous Assessment Date of Authorisation": a["authorisation_date"],
            "Was the child assessed as requiring LA children's social care support?":
                _yn(a["needs_support"].where(done))})

    def list_5(self) -> pd.DataFrame:
        s = s47_during(self.j, self.first, self.last)
        s = s.sort_values(["child_id", "start_date", "s47_id"], kind="stable")
        every = self.j.s47.set_index("child_id")
        held = s["icpc_date"].notna()
        return self.frame("list_5", s, True, **{
            "Strategy discussion initiating Section 47 Enquiry Start Date": s["start_date"],
            "Was an Initial Child Protection Conference deemed unnecessary?":
                _yn(s["icpc_not_required"]),
            "Date of Initial Child Protection Conference": s["icpc_date"],
            "Did the Initial Child Protection Conference Result in a Child Protection Plan":
                _yn(s["cp_plan"].where(held)),
            "Number of Section 47 Enquiries in the last 12 months":
                self.count_in_window(s["child_id"], every["start_date"]),
            "Number of ICPCs in the last 12 months":
                self.count_in_window(s["child_id"], every["icpc_date"])})

    def list_6(self) -> pd.DataFrame:
        r = active(self.referrals[~self.referrals["nfa"]], "referral_date", "closure_date",
                   self.first, self.last)
        r = r.sort_values(["child_id", "referral_date", "referral_id"], kind="stable")
        return self.frame("list_6", r, True, **{
            "CIN Start Date": r["referral_date"],
            "Primary Need Code": r["primary_need"],
            "Date Child Was Last Seen": self.last_visit(r, "referral_date", "closure_date"),
            "CIN Closure Date": r["closure_date"],
            "Reason for Closure": r["closure_reason"],
            "Case Status": self.case_status(r)})

    def case_status(self, r: pd.DataFrame) -> np.ndarray:
        """Ofsted's case status of each episode at the window end, the first that applies:
        closed, looked after, on a CP plan, on a CIN plan, else being assessed (an open
        assessment or section 47 enquiry)."""
        on = self.last

        def open_on(df: pd.DataFrame, start: str, end: str) -> pd.Index:
            return pd.Index(df.loc[(df[start] <= on) & (df[end].isna() | (df[end] > on)),
                                   "referral_id"])

        ids = r["referral_id"]
        status = np.full(len(r), CASE_STATUS[3], dtype=object)
        for label, df, start, end in reversed([
                (CASE_STATUS[0], self.j.care_periods, "start_date", "end_date"),
                (CASE_STATUS[1], self.j.cp_plans, "start_date", "end_date"),
                (CASE_STATUS[2], self.j.cin_plans, "start_date", "end_date")]):
            status[ids.isin(open_on(df, start, end)).to_numpy()] = label
        status[r["closure_date"].notna().to_numpy()] = CASE_STATUS[4]
        return status

    def list_7(self) -> pd.DataFrame:
        p = active(self.j.cp_plans, "start_date", "end_date", self.first, self.last)
        p = p.sort_values(["child_id", "start_date", "cp_plan_id"], kind="stable")
        rev = self.j.cp_reviews
        latest_review = rev[rev["review_date"] <= self.last].groupby("cp_plan_id")[
            "review_date"].max()
        six_months = self.last - pd.DateOffset(months=6)
        ep = self.j.episodes
        emergency = ep[ep["ls"].isin(EMERGENCY_LS)
                       & open_during(ep["decom"], ep["dec"], six_months, self.last)]
        visit, alone = self.last_visit(p, "start_date", "end_date", kinds=("cp",),
                                       seen_alone=True)
        return self.frame("list_7", p, True, **{
            "Child Protection Plan Start Date": p["start_date"],
            "Initial Category of Abuse": p["initial_category"],
            "Latest Category of Abuse": p["latest_category"],
            "Date of the Last Statutory Visit": visit,
            "Was the Child Seen Alone?": _yn(alone),
            "Date of latest review conference": p["cp_plan_id"].map(latest_review),
            "Child Protection Plan End Date": p["end_date"],
            "Subject to Emergency Protection Order or Protected Under Police Powers in Last "
            "Six Months (Y/N)": _yn(p["child_id"].isin(emergency["child_id"])),
            "Number of Previous Child Protection Plans": p["previous_plans"].astype(int)})

    def list_8(self) -> pd.DataFrame:
        j, first, last = self.j, self.first, self.last
        per = active(j.care_periods, "start_date", "end_date", first, last)
        per.loc[per["end_date"].isna(), "reason_ceased"] = None
        per = per.sort_values(["child_id", "start_date", "period_id"], kind="stable")

        ep = j.episodes
        ep = ep[ep["period_id"].isin(per["period_id"]) & (ep["decom"] <= last)]
        ep = ep.sort_values(["period_id", "decom", "episode_number"], kind="stable").copy()
        ep["dec"] = known(ep["dec"], last)
        # a placement (carer) starts with a period of care (RNE S) or a placement move as
        # the DfE counts one (datasets.placement_moves, the rule the indicators use)
        kind = change_kinds(ep["period_id"], ep["decom"], ep["rne"], ep["place"], ep["ls"],
                            ep["pl_post"])
        carer = ep["rne"].eq("S") | pd.Series(kind == MOVE, index=ep.index)
        ep["placement"] = carer.groupby(ep["period_id"]).cumsum()
        ep["placement_start"] = ep.groupby(["period_id", "placement"])["decom"].transform("min")
        ep["ls_run"] = (ep["ls"] != ep.groupby("period_id")["ls"].shift()).groupby(
            ep["period_id"]).cumsum()
        ep["ls_start"] = ep.groupby(["period_id", "ls_run"])["decom"].transform("min")
        current = ep.drop_duplicates("period_id", keep="last").set_index("period_id")
        in_window = ep[open_during(ep["decom"], ep["dec"], first, last)]
        placements = in_window.groupby("period_id")["placement"].nunique()

        def latest(df: pd.DataFrame, date: str, where=None) -> pd.Series:
            df = df[df[date] <= last] if where is None else df[(df[date] <= last) & where(df)]
            return df.groupby("period_id")[date].max()

        hc = j.health_checks
        reviews = latest(j.cla_reviews, "review_date")
        health = latest(hc, "check_date", lambda d: d["check"] == "health_assessment")
        dental = latest(hc, "check_date", lambda d: d["check"] == "dental")
        miss = j.missing[j.missing["start_date"].between(first, last)]
        n_missing = miss[miss["missing_type"] == "M"].groupby("period_id").size()
        n_absent = miss[miss["missing_type"] == "A"].groupby("period_id").size()
        adoption = j.adoption
        adoption_plan = adoption[(adoption["decision_date"] <= last)
                                 & ~(adoption["decision_ceased_date"] <= last)]["period_id"]
        # the permanence plan; before the decision that a child should be placed for adoption
        # the plan being worked on is a return to the family
        decided = per["period_id"].isin(adoption_plan)
        plan = per["permanence_plan"].where(
            (per["permanence_plan"] != "Adoption") | decided | per["end_date"].notna(),
            "Return to family").where(~decided, "Adoption")
        last_missing = self.last_missing(per)

        earlier = per.groupby("child_id").cumcount() > 0
        pid = per["period_id"]
        cur = current.reindex(pid)
        postcode_la = _postcode_authorities(j)
        la_code = cur["pl_post"].map(postcode_la)
        home = j.profile.gss_code
        return self.frame("list_8", per, True, **{
            "Date Started to be Looked After": per["start_date"],
            "Child's Category of Need": per["cin_code"],
            "Is this a second or subsequent period of being a Looked After Child within the last "
            "12 months (Y/N)": _yn(earlier),
            "Start date of current legal status": cur["ls_start"],
            "Child's Legal Status": cur["ls"],
            "Date of Latest Statutory Review": pid.map(reviews),
            "Date of Last Social Work Visit":
                self.last_visit(per, "start_date", "end_date", kinds=("cla",)),
            "What is the permanence plan for this child?": plan,
            "Date of Last IRO Visit / Contact to the Child":
                self.last_visit(per, "start_date", "end_date", kinds=("iro",)),
            "Date of Last Health Assessment": pid.map(health),
            "Date of Last Dental Check": pid.map(dental),
            "Number of Placements in the Last 12 months":
                pid.map(placements).fillna(0).astype(int),
            "Date Ceased to be Looked After": per["end_date"],
            "Reason Ceased to be Looked After": per["reason_ceased"],
            "Start Date of Most Recent Placement": cur["placement_start"],
            "Placement Type": cur["place"],
            "Placement Provider": cur["place_provider"],
            "Placement postcode": cur["pl_post"],
            "URN of Placement": cur["urn"],
            "Placement Location": np.where(la_code == home, "In", "Out"),
            "LA of Placement": la_code.map(_authority_names(j)),
            "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 "
            "months": pid.map(n_missing).fillna(0).astype(int),
            "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 "
            "months": pid.map(n_absent).fillna(0).astype(int),
            "Was the child offered a Return Interview after their last missing episode (Y/N)?":
                _yn(pid.map(last_missing["return_interview_offered"])),
            "Did the child accept a Return Interview after their last missing episode (Y/N)?":
                _yn(pid.map(last_missing["return_interview_accepted"]))})

    def list_9(self) -> pd.DataFrame:
        cl = self.j.care_leavers
        cl = cl[cl["birthday"].between(self.first, self.last)]
        cl = cl.sort_values(["child_id", "birthday"], kind="stable")
        periods = self.j.care_periods.sort_values(["child_id", "start_date"], kind="stable")
        last_referral = periods.groupby("child_id")["referral_id"].last()
        ref = cl["child_id"].map(last_referral)
        accommodation = cl["accommodation"].where(~cl["accommodation"].isin(["0", None]))
        activity = cl["activity"].where(~cl["activity"].isin(["0", None]))
        suitable = accommodation.str[1].map({"1": "Suitable", "2": "Not suitable"})
        out = self.frame("list_9", cl.assign(referral_id=ref), True, **{
            "Eligibility Category": cl["eligibility"].map(
                {"relevant": "Relevant child", "former relevant": "Former relevant child"}),
            "LA in Touch": cl["in_touch"],
            "Type of Accommodation": accommodation.str[0],
            "Suitability of Accommodation": suitable,
            "Activity Status": activity})
        return out

    def list_10(self) -> pd.DataFrame:
        a = self._adoptions()
        periods = self.j.care_periods.set_index("period_id")
        ep = self.j.episodes
        ffa = ep[ep["place"].isin(FFA_PLACEMENTS) & (ep["decom"] <= self.last)].groupby(
            "period_id")["decom"].min()
        return self.frame("list_10", a, True, **{
            "Family identifier": a["family_id"],
            "Date the Child Entered Care": a["period_id"].map(periods["start_date"]),
            "Date of Decision that Child Should be Placed for Adoption": a["decision_date"],
            "Date of Placement Order": a["placement_order_date"],
            "Date of Matching Child and Prospective Adopters": a["match_date"],
            "Date Placed for Adoption": a["placed_date"],
            "Date of Adoption Order": a["adoption_date"],
            "Date of Decision that Child Should No Longer be Placed for Adoption":
                a["decision_ceased_date"],
            "Reason Why Child No Longer Placed for Adoption": a["decision_ceased_reason"],
            "Date the child was placed for fostering in FFA or concurrent planning placement":
                a["period_id"].map(ffa)})

    def _adoptions(self) -> pd.DataFrame:
        """Adoption records on the adoption path at some point in the window, dates as known
        at its end; ``family_id`` names the matched adopters (blank until matched)."""
        a = self.j.adoption
        a = a[a["decision_date"] <= self.last].copy()
        for col in ["placement_order_date", "match_date", "placed_date", "adoption_date",
                    "decision_ceased_date"]:
            a[col] = known(a[col], self.last)
        a.loc[a["decision_ceased_date"].isna(), "decision_ceased_reason"] = None
        ended = a["adoption_date"].fillna(a["decision_ceased_date"])
        a = a[open_during(a["decision_date"], ended, self.first, self.last)]
        number = a["period_id"].astype(str).str.extract(r"(\d+)$", expand=False)  # astype: a council with no adoptions gives an empty, untyped column
        a["family_id"] = ("SYNF" + number).where(
            a["match_date"].notna())
        return a.sort_values(["child_id", "decision_date"], kind="stable")

    def list_11(self) -> pd.DataFrame:
        """Adopters matched with the children of List 10, one row per adopter."""
        a = self._adoptions()
        a = a[a["family_id"].notna()]
        ethnic = self.j.profile.population_ethnicity
        codes = np.array(list(ethnic))
        weights = np.array(list(ethnic.values()), dtype=float)
        weights /= weights.sum()
        rows = []
        for rec in a.itertuples(index=False):
            number = int(rec.family_id[4:])
            # one generator per family, so a family looks the same in every window
            rng = np.random.default_rng([self.j.seed, number])
            sexes = rec.sex_adopters.rstrip("1")  # MF, MM, FF couples; M1, F1 single adopters
            ethnicity = codes[rng.choice(len(codes), p=weights)]
            approved = rec.match_date - pd.Timedelta(days=int(rng.integers(20, 240)))
            stage2_end = approved - pd.Timedelta(days=int(rng.integers(7, 35)))
            stage2_start = stage2_end - pd.Timedelta(days=int(rng.integers(90, 150)))
            stage1_end = stage2_start - pd.Timedelta(days=int(rng.integers(0, 30)))
            stage1_start = stage1_end - pd.Timedelta(days=int(rng.integers(45, 75)))
            enquiry = stage1_start - pd.Timedelta(days=int(rng.integers(7, 60)))
            for k, sex in enumerate(sexes, start=1):
                same = k == 1 or rng.random() < 0.8
                rows.append({
                    "Individual adopter identifier": f"{rec.family_id.replace('SYNF', 'SYNA')}{k}",
                    "Family identifier": rec.family_id,
                    "Gender": GENDER[sex],
                    "Ethnicity": ethnicity if same else codes[rng.choice(len(codes), p=weights)],
                    "Disability": "Y" if rng.random() < 0.04 else "N",
                    "Is the (prospective) adopter fostering for adoption?":
                        "Y" if rec.foster_care else "N",
                    "Date enquiry received": enquiry,
                    "Date Stage 1 started": stage1_start,
                    "Date Stage 1 ended": stage1_end,
                    "Date Stage 2 started": stage2_start,
                    "Date Stage 2 ended": stage2_end,
                    "Date application submitted": stage2_start,
                    "Date application approved": approved,
                    "Date adopter matched with child(ren)": rec.match_date,
                    "Date child/children placed with adopter(s)": rec.placed_date,
                    "No. of children placed": int(pd.notna(rec.placed_date)),
                    "Date of Adoption Order": rec.adoption_date,
                    "Date of leaving adoption process": pd.NaT,
                    "Reason for leaving adoption process": None,
                })
        return pd.DataFrame(rows, columns=LISTS["list_11"][1])


def _team(sw_id: str) -> str:
    """A social worker's team, fixed by their ID (synthetic)."""
    return TEAMS[int(re.sub(r"\D", "", sw_id)) % len(TEAMS)]


def _postcode_authorities(j: Journeys) -> pd.Series:
    """Postcode -> ONS code of its authority, for the postcodes the simulation draws from."""
    pools = postcode_pools(j.profile)
    allpc = pd.concat(pools.values(), ignore_index=True).drop_duplicates("postcode")
    return allpc.set_index("postcode")["la"]


def _authority_names(j: Journeys) -> dict[str, str]:
    """ONS authority code -> name; the synthetic authority's own code -> its name."""
    import qlacref_authorities

    names = {r["LTLA21CD"]: r["LTLA21NM"] for r in qlacref_authorities.records}
    names[j.profile.gss_code] = j.profile.name
    return names


def annex_a_lists(journeys: Journeys, window_end, contact_months: int = 6
                  ) -> dict[str, pd.DataFrame]:
    """Annex A lists ``list_1``..``list_11`` for the inspection window ending ``window_end``
    (see the module docstring). Each frame has exactly the columns of
    :data:`d2i_examples.spec.annex_a.LISTS`; dates are datetime64 (NaT when blank)."""
    b = _Lists(journeys, window_end, contact_months)
    out = {}
    for key, (_, columns) in LISTS.items():
        df = getattr(b, key)().reset_index(drop=True)
        for col in columns:
            if "date" in col.lower():
                df[col] = pd.to_datetime(df[col])
        out[key] = df[columns]
    return out


# --- workbook -----------------------------------------------------------------------------


def _cell(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.integer):
        return int(value)
    return value


def annex_a_workbook(journeys: Journeys, window_end, contact_months: int = 6) -> bytes:
    """The Annex A workbook (.xlsx bytes): sheets "List 1".."List 11", a header row of the
    Ofsted headings, dates as Excel dates shown dd/mm/yyyy. The same journeys and window give
    the same bytes: the file's timestamps are 09:00 on the day after ``window_end``."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    lists = annex_a_lists(journeys, window_end, contact_months)
    stamp = (pd.Timestamp(window_end).normalize() + pd.Timedelta(days=1, hours=9)).to_pydatetime()
    wb = Workbook(write_only=True)
    wb.properties.creator = "d2i-examples (synthetic data)"
    wb.properties.created = stamp
    for key, (sheet, columns) in LISTS.items():
        ws = wb.create_sheet(sheet)
        ws.append(columns)
        dated = [("date" in c.lower()) for c in columns]
        for row in lists[key].itertuples(index=False):
            cells = []
            for value, is_date in zip(row, dated):
                value = _cell(value)
                if is_date and value is not None:
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = DATE_FORMAT
                    value = cell
                cells.append(value)
            ws.append(cells)
    raw = io.BytesIO()
    wb.save(raw)
    return _fixed_times(raw.getvalue(), stamp)


def _fixed_times(xlsx: bytes, when: datetime) -> bytes:
    """The same workbook with every timestamp set to ``when``: the zip entries' times and
    the document's modified time (openpyxl stamps the time of saving)."""
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + iso, data)
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.external_attr = info.external_attr
            dst.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_annex_a(journeys: Journeys, window_end, folder: str | Path,
                  contact_months: int = 6) -> Path:
    """Write ``annex_a_<window_end as YYYY-MM-DD>.xlsx`` into ``folder`` (created if
    needed); returns its path. Content as :func:`annex_a_workbook`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"annex_a_{pd.Timestamp(window_end):%Y-%m-%d}.xlsx"
    path.write_bytes(annex_a_workbook(journeys, window_end, contact_months))
    return path
