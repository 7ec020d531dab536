"""EHC plans from the SEN2: timeliness, where the weeks go, refusals and ceased plans.

Definitions (DfE, *Education, health and care plans* statistics, from the SEN2):

- **new plans** of a calendar year: EHC plans first issued (the final plan, SEN2
  ``NamedPlan/StartDate``) in that year;
- **issued within 20 weeks**: the final plan issued no more than 20 weeks (140 days) after
  the request for an EHC needs assessment was received;
- **excluding exceptions**: counted over the new plans where no exception to the 20-week
  limit applies (``Week20`` = 0); **including exceptions**: over all new plans. A plan
  whose ``Week20`` is blank counts in the second only, and ``exceptions_unknown`` says how
  many there are;
- **refusal rate**: requests received in the calendar year where the authority decided
  not to assess (``RequestOutcome`` B), over all requests received in the year. The SEN2
  collects the requests received in the calendar year before the census (DfE, *Special
  educational needs person level survey 2025: guide*), so a request belongs to the year
  it was received: one received in December and decided in January counts in December's
  year. Requests not yet decided at the census count in the denominator, shown as "not
  yet decided".

The SEN2 records no draft plan date, so the stages it can time are: request -> decision
whether to assess (due within 6 weeks), -> decision whether to issue a plan (the
assessment), -> final plan (drafting, consultation and naming the placement).

``requests_table`` turns the loaded SEN2 (``load("sen2", ...)``) into one row per request;
every other function takes that table.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from d2i_examples.spec import sen2 as spec

STAGES = ("request to decision to assess", "decision to assess to decision to issue",
          "decision to issue to final plan")
_WEEK = pd.Timedelta(days=7)
_UNDECIDED = "~"  # sorts after the codes; shown blank


def _age(dob: pd.Series, on: pd.Series) -> pd.Series:
    years = on.dt.year - dob.dt.year
    before = (on.dt.month < dob.dt.month) | ((on.dt.month == dob.dt.month)
                                             & (on.dt.day < dob.dt.day))
    return (years - before.astype(int)).where(dob.notna() & on.notna())


def age_band(age: pd.Series) -> pd.Series:
    """The DfE's age bands for EHC plans: under 5, 5 to 10, 11 to 15, 16 to 19, 20 to 25."""
    return pd.cut(age, [-1, 4, 10, 15, 19, 200], labels=["under 5", "5 to 10", "11 to 15",
                                                         "16 to 19", "20 to 25"])


def requests_table(sen2: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per SEN2 request: the person (UPN, birth date, sex), the request, its
    decisions, the plan issued from it (first assessment's) and the plan's primary need.

    Columns: person_id, request_id, upn, dob, sex, received, request_outcome,
    request_decided, mediation, tribunal, assessment_outcome, assessment_decided,
    week20 (``True`` exception applies, ``False`` none, NaN blank), plan_start,
    cease_date, cease_reason, primary_need, age_at_request, historical (plan issued before
    the collection's activity year; outcome H).
    """
    person = sen2["person"][["person_id", "UPN", "PersonBirthDate", "Sex"]].rename(
        columns={"UPN": "upn", "PersonBirthDate": "dob", "Sex": "sex"})
    req = sen2["requests"].rename(columns={
        "ReceivedDate": "received", "RequestOutcome": "request_outcome",
        "RequestOutcomeDate": "request_decided", "RequestMediation": "mediation",
        "RequestTribunal": "tribunal"})
    keys = ["person_id", "request_id"]
    ass = sen2["assessments"].sort_values([*keys, "assessment_id"]).drop_duplicates(keys)
    ass = ass.rename(columns={"AssessmentOutcome": "assessment_outcome",
                              "AssessmentOutcomeDate": "assessment_decided"})
    ass["week20"] = ass["Week20"].map({"1": True, "0": False})
    plans = sen2["plans"].sort_values([*keys, "assessment_id"]).drop_duplicates(keys)
    plans = plans.rename(columns={"StartDate": "plan_start", "CeaseDate": "cease_date",
                                  "CeaseReason": "cease_reason"})
    needs = sen2["sen_needs"]
    primary = needs[needs["SENtypeRank"].astype(str) == "1"].drop_duplicates(keys)
    out = (req[[*keys, "received", "request_outcome", "request_decided", "mediation",
                "tribunal"]]
           .merge(person, on="person_id", how="left")
           .merge(ass[[*keys, "assessment_outcome", "assessment_decided", "week20"]],
                  on=keys, how="left")
           .merge(plans[[*keys, "plan_start", "cease_date", "cease_reason"]], on=keys,
                  how="left")
           .merge(primary[[*keys, "SENtype"]].rename(columns={"SENtype": "primary_need"}),
                  on=keys, how="left"))
    out["age_at_request"] = _age(out["dob"], out["received"])
    out["historical"] = out["assessment_outcome"].eq("H")
    cols = ["person_id", "request_id", "upn", "dob", "sex", "received", "request_outcome",
            "request_decided", "mediation", "tribunal", "assessment_outcome",
            "assessment_decided", "week20", "plan_start", "cease_date", "cease_reason",
            "primary_need", "age_at_request", "historical"]
    return out[cols]


def new_plans(requests: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """Requests whose final plan was issued in calendar ``year`` (every year if None),
    with ``weeks`` from request to final plan and ``within_20`` (bool). Plans with no
    request date (historical) are left out."""
    plans = requests[requests["plan_start"].notna() & requests["received"].notna()
                     & ~requests["historical"]].copy()
    if year is not None:
        plans = plans[plans["plan_start"].dt.year == int(year)]
    plans["year"] = plans["plan_start"].dt.year
    plans["weeks"] = (plans["plan_start"] - plans["received"]) / _WEEK
    plans["within_20"] = plans["weeks"] <= spec.WEEKS_TO_FINAL_PLAN
    return plans


def timeliness(requests: pd.DataFrame, by: str | list[str] | None = None) -> pd.DataFrame:
    """New plans issued within 20 weeks, by year (and ``by``, e.g. "primary_need").

    Columns: the groups, plans, within_20, pct_including_exceptions (all plans),
    plans_without_exceptions, within_20_without_exceptions, pct_excluding_exceptions
    (the DfE's headline), exceptions_unknown (Week20 blank), median_weeks.
    """
    plans = new_plans(requests)
    if by == "age":
        plans["age"] = age_band(plans["age_at_request"])
    groups = ["year"] + ([] if by is None else [by] if isinstance(by, str) else list(by))
    plans["no_exception"] = plans["week20"].eq(False)
    plans["on_time_no_exception"] = plans["within_20"] & plans["no_exception"]
    plans["unknown"] = plans["week20"].isna()
    out = plans.groupby(groups, observed=True).agg(
        plans=("request_id", "size"), within_20=("within_20", "sum"),
        plans_without_exceptions=("no_exception", "sum"),
        within_20_without_exceptions=("on_time_no_exception", "sum"),
        exceptions_unknown=("unknown", "sum"), median_weeks=("weeks", "median"),
    ).reset_index()
    out["pct_including_exceptions"] = 100 * out["within_20"] / out["plans"]
    out["pct_excluding_exceptions"] = (100 * out["within_20_without_exceptions"]
                                       / out["plans_without_exceptions"].replace(0, np.nan))
    cols = [*groups, "plans", "within_20", "pct_including_exceptions",
            "plans_without_exceptions", "within_20_without_exceptions",
            "pct_excluding_exceptions", "exceptions_unknown", "median_weeks"]
    return out[cols]


def groups_left_out(table: pd.DataFrame, by: str, label: str, min_plans: int) -> str:
    """A sentence naming the groups of ``timeliness(requests, by=by)`` (one year's rows)
    left out of a comparison for having fewer than ``min_plans`` new plans without
    exceptions, and why; "" when none is. ``label``: how the group is called
    ("Primary need")."""
    counts = table.set_index(table[by].astype(str))["plans_without_exceptions"]
    few = counts[(counts > 0) & (counts < min_plans)]
    if (counts >= min_plans).any():
        if few.empty:
            return ""
        listed = ", ".join(f"{group} ({int(n)})" for group, n in few.items())
        return (f"Left out of the comparison by {label.lower()}: {listed}, with fewer than "
                f"min_plans={min_plans} new plans without exceptions, too few for a share "
                "to mean much. Lower min_plans to see them.")
    groups, most = len(counts[counts > 0]), int(counts.max()) if len(counts) else 0
    return (f"No {label.lower()} had {min_plans} or more new plans without exceptions "
            f"(the most was {most}, across {groups} group{'s' if groups != 1 else ''}), "
            f"so none is compared here. Lower min_plans (e.g. -p min_plans=1) to see "
            "them, knowing a share of so few plans says little.")


def year_timeliness(overall: pd.DataFrame, year: int) -> pd.Series:
    """``year``'s row of ``timeliness(requests)``; when no new plan was issued that year, a
    row of 0 plans with the percentages and median missing (NaN)."""
    rows = overall[overall["year"] == int(year)]
    if len(rows):
        return rows.iloc[0]
    missing = {"pct_including_exceptions", "pct_excluding_exceptions", "median_weeks"}
    return pd.Series({c: int(year) if c == "year" else np.nan if c in missing else 0
                      for c in overall.columns})


def timeliness_sentences(row: pd.Series) -> str:
    """What ``year_timeliness`` found, in words (saying so when no plan was issued)."""
    year = int(row["year"])
    if not row["plans"]:
        return (f"No new EHC plan was issued in {year}, so there is no timeliness to report "
                "for it: the sections below that need new plans say so too.")
    return (f"In {year}, {int(row['within_20_without_exceptions'])} of "
            f"{int(row['plans_without_exceptions'])} new plans without exceptions were issued "
            f"within 20 weeks: {row['pct_excluding_exceptions']:.1f}%.\n"
            f"Counting every new plan, {row['pct_including_exceptions']:.1f}% were; "
            f"{int(row['exceptions_unknown'])} plans have no Week20 recorded.")


def slowest_stage(summary: pd.DataFrame) -> str:
    """The stage with the longest median wait (``stage_summary``), in words."""
    if summary.empty or summary["median_weeks"].isna().all():
        return "No new plan in the year has the dates to time its stages."
    slowest = summary.loc[summary["median_weeks"].idxmax()]
    return (f"The longest stage is {slowest['stage']}: a median of "
            f"{slowest['median_weeks']:.1f} weeks, and a quarter of plans took over "
            f"{slowest['upper_quartile']:.1f} weeks in it.")


def stage_weeks(requests: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """Weeks spent in each stage by the new plans of ``year`` (every year if None): one
    row per plan and stage (``STAGES``), columns person_id, request_id, year, primary_need,
    age_at_request, stage, weeks. A stage with a missing or out-of-order date is left
    out (``date_problems`` lists them)."""
    plans = new_plans(requests, year)
    points = [plans["received"], plans["request_decided"], plans["assessment_decided"],
              plans["plan_start"]]
    rows = []
    for stage, start, end in zip(STAGES, points[:-1], points[1:]):
        weeks = (end - start) / _WEEK
        keep = weeks.notna() & (weeks >= 0)
        rows.append(plans.loc[keep, ["person_id", "request_id", "year", "primary_need",
                                     "age_at_request"]].assign(stage=stage,
                                                               weeks=weeks[keep]))
    out = pd.concat(rows, ignore_index=True)
    out["stage"] = pd.Categorical(out["stage"], categories=list(STAGES), ordered=True)
    return out


def stage_summary(stages: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Median and quartile weeks per stage (and ``by``), with the number of plans."""
    groups = ["stage"] + ([] if by is None else [by])
    g = stages.groupby(groups, observed=True)["weeks"]
    return pd.DataFrame({"plans": g.size(), "median_weeks": g.median(),
                         "lower_quartile": g.quantile(0.25),
                         "upper_quartile": g.quantile(0.75)}).reset_index()


def refusals(requests: pd.DataFrame, year: int) -> pd.DataFrame:
    """Requests received in calendar ``year`` by outcome: outcome code (blank for requests
    not yet decided), its meaning, requests, pct of all requests received in the year, and
    (refused ones) mediation and tribunal counts.

    The year is the year the request was received, as the SEN2 collects requests (DfE,
    *Special educational needs person level survey 2025: guide*), not the year it was
    decided."""
    received = requests[requests["received"].dt.year == int(year)]
    outcome = received["request_outcome"].astype("string").fillna(_UNDECIDED)
    counts = received.assign(request_outcome=outcome).groupby("request_outcome").agg(
        requests=("request_id", "size"),
        mediation=("mediation", lambda s: s.eq("1").sum()),
        tribunal=("tribunal", lambda s: s.eq("1").sum())).reset_index()
    counts["meaning"] = counts["request_outcome"].map(
        {**spec.REQUEST_OUTCOME, _UNDECIDED: "not yet decided at the census"})
    counts["request_outcome"] = counts["request_outcome"].replace(_UNDECIDED, "")
    counts["pct"] = 100 * counts["requests"] / counts["requests"].sum()
    return counts[["request_outcome", "meaning", "requests", "pct", "mediation", "tribunal"]]


def ceased_plans(requests: pd.DataFrame, year: int) -> pd.DataFrame:
    """Plans ceased in calendar ``year`` by reason: code, meaning, plans, pct."""
    ceased = requests[requests["cease_date"].dt.year == int(year)]
    out = ceased.groupby("cease_reason").size().rename("plans").reset_index()
    out["meaning"] = out["cease_reason"].map(spec.CEASE_REASON)
    out["pct"] = 100 * out["plans"] / out["plans"].sum()
    return out.sort_values("plans", ascending=False, kind="stable")[
        ["cease_reason", "meaning", "plans", "pct"]].reset_index(drop=True)


def date_problems(requests: pd.DataFrame) -> pd.DataFrame:
    """Requests whose dates are out of order: a decision, assessment outcome or plan
    before the request was received, or a plan ceasing before it started. Columns
    person_id, request_id, upn, problem."""
    checks = {
        "decision before the request": requests["request_decided"] < requests["received"],
        "decision to issue before the request":
            requests["assessment_decided"] < requests["received"],
        "plan issued before the request": requests["plan_start"] < requests["received"],
        "plan ceased before it started": requests["cease_date"] < requests["plan_start"],
    }
    rows = [requests.loc[mask, ["person_id", "request_id", "upn"]].assign(problem=name)
            for name, mask in checks.items()]
    return pd.concat(rows, ignore_index=True)
