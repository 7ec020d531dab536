"""SSDA903 mistakes in the child's care: episodes, reviews, missing spells, outcomes (OC2,
OC3), social workers and previous permanence.

Each function plants one mistake on one row, chosen with the seed among the rows the
mistake suits and breaks no other rule with (see ``Ssda903Tables.choose``), and is
registered beside its code with its rule, table, column and description.
"""

from __future__ import annotations

import pandas as pd

from d2i_examples.synth.mistakes.registry import SSDA903, mistakes_of
from d2i_examples.synth.mistakes.ssda903_tables import Ssda903Tables, age_on, fmt_date, to_date

mistake = mistakes_of(SSDA903)


# --- episodes ---------------------------------------------------------------------------


@mistake(rule="144", table="episodes", column="LS",
         text="Invalid legal status code 'C3' (care orders are C1 interim, C2 full).")
def _legal_status(c: Ssda903Tables):
    e = c.t["episodes"]
    row = c.choose(
        "episodes",
        c.new_single_episode() & e["LS"].isin(["C1", "C2"]) & ~c.in_table("placed_for_adoption", e),
    )
    return None if row is None else c.set("episodes", row, "LS", "C3")


@mistake(rule="143", table="episodes", column="RNE",
         text="Reason for new episode filled with the placement type code (e.g. 'U4') instead of "
              "P.")
def _rne_place_code(c: Ssda903Tables):
    e = c.eps
    prev = e.groupby("CHILD")[["REC", "dec"]].shift()
    ok = ~e["first"] & (e["RNE"] == "P") & (prev["REC"] == "X1") & (prev["dec"] == e["decom"])
    row = c.choose("episodes", ok.reindex(c.t["episodes"].index))
    if row is None:
        return None
    return c.set("episodes", row, "RNE", c.t["episodes"].at[row, "PLACE"])


@mistake(rule="145", table="episodes", column="CIN",
         text="Category of need 'N9', a CIN census primary need code the SSDA903 does not accept "
              "(N1-N8).")
def _cin_code(c: Ssda903Tables):
    row = c.choose("episodes", c.new_single_episode())
    return None if row is None else c.set("episodes", row, "CIN", "N9")


@mistake(rule="146", table="episodes", column="PLACE",
         text="Supported accommodation coded 'H5' (semi-independent living), a placement code the "
              "2025/26 return no longer accepts (K3 is supported accommodation).")
def _place_old_code(c: Ssda903Tables):
    e = c.t["episodes"]
    row = c.choose("episodes", c.placement_free() & (e["PLACE"] == "K3"))
    return None if row is None else c.set("episodes", row, "PLACE", "H5")


@mistake(rule="149", table="episodes", column="REC",
         text="Reason episode ceased 'E4' (returned home) without the A (as part of the care plan) "
              "or B (not part of the care plan).")
def _rec_old_code(c: Ssda903Tables):
    e = c.t["episodes"]
    row = c.choose("episodes", e["REC"].isin(["E4A", "E4B"]))
    return None if row is None else c.set("episodes", row, "REC", "E4")


@mistake(rule="178", table="episodes", column="PLACE_PROVIDER",
         text="Placement provider keyed as 'P4' instead of 'PR4'.")
def _provider_code(c: Ssda903Tables):
    e = c.t["episodes"]
    row = c.choose("episodes", (e["PLACE_PROVIDER"] == "PR4") & c.placement_free())
    return None if row is None else c.set("episodes", row, "PLACE_PROVIDER", "P4")


@mistake(rule="1009", table="episodes", column="REASON_PLACE_CHANGE",
         text="Reason for placement change typed as 'CARER' instead of CREQB/CREQO (carer "
              "requests).")
def _reason_change_code(c: Ssda903Tables):
    e = c.t["episodes"]
    row = c.choose("episodes", e["REASON_PLACE_CHANGE"].isin(["CREQB", "CREQO"]))
    return None if row is None else c.set("episodes", row, "REASON_PLACE_CHANGE", "CARER")


@mistake(rule="225", table="episodes", column="REASON_PLACE_CHANGE",
         text="Reason for placement change left blank when the child moved to a new placement.")
def _reason_change_blank(c: Ssda903Tables):
    e = c.t["episodes"]
    row = c.choose("episodes", (e["REC"] == "X1") & (e["REASON_PLACE_CHANGE"] != ""))
    return None if row is None else c.set("episodes", row, "REASON_PLACE_CHANGE", "")


@mistake(rule="526", table="episodes", column="PLACE_PROVIDER",
         text="Placement provider left blank.")
def _provider_blank(c: Ssda903Tables):
    e = c.t["episodes"]
    row = c.choose("episodes", e["PLACE_PROVIDER"].isin(["PR1", "PR4"]) & c.placement_free())
    return None if row is None else c.set("episodes", row, "PLACE_PROVIDER", "")


# reasons for leaving care whose rules do not depend on the child's age on leaving (unlike
# E17 staying put at 18, E5/E6 independent living, E7 adult care, E11/E12 adoption,
# E45-E48 special guardianship: rules 386-389, 407, 460)
_REC_ANY_AGE = ["E4A", "E4B", "E13", "E8", "E3", "E16", "E41"]


@mistake(rule="356", table="episodes", column="DEC",
         text="Placement end date typed before its start date (one day earlier).")
def _end_before_start(c: Ssda903Tables):
    e = c.eps
    new_dec = e["decom"] - pd.Timedelta(days=1)
    # the last episode of a period of care that ended in the year, for a child with no
    # record dated after the new end (reviews, missing, social workers: rules 578,
    # SW12STG2...) and none of the tables that depend on how long care lasted
    d = c.all_dates[c.all_dates["table"] != "episodes"]
    latest = d.groupby("CHILD")["date"].max()
    others = set().union(*(c.t[name]["CHILD"] for name in ("oc2", "oc3", "ad1")))
    ok = (
        e["dec"].notna()
        & e["REC"].isin(_REC_ANY_AGE)
        & e["last"]
        & (new_dec >= c.start)
        & ~(e["CHILD"].map(latest) > new_dec)
        & ~e["CHILD"].isin(others)
    )
    row = c.choose("episodes", ok.reindex(c.t["episodes"].index))
    if row is None:
        return None
    return c.set("episodes", row, "DEC", fmt_date(new_dec[row]))


@mistake(rule="385", table="episodes", column="DEC",
         text="Episode end date typed with next year's year, after the end of the collection year.")
def _end_next_year(c: Ssda903Tables):
    e = c.eps
    # a child whose care started in the year and who is in no other table that depends on
    # being looked after on 31 March (OC2, adoption) or on when care ended (missing)
    started = e.groupby("CHILD")["decom"].transform("min") >= c.start
    others = set().union(
        *(c.t[name]["CHILD"] for name in ("oc2", "oc3", "ad1", "placed_for_adoption", "missing"))
    )
    ok = (
        e["dec"].notna()
        & e["REC"].isin(_REC_ANY_AGE)
        & e["last"]
        & started
        & ~e["CHILD"].isin(others)
    )
    row = c.choose("episodes", ok.reindex(c.t["episodes"].index))
    if row is None:
        return None
    d = e.at[row, "dec"]
    return c.set("episodes", row, "DEC", f"{d.day:02d}/{d.month:02d}/{d.year + 1}")


_FOSTER = ["U1", "U2", "U3", "U4", "U5", "U6"]


@mistake(rule="550", table="episodes", column="PLACE_PROVIDER",
         text="Foster placement coded to provider PR0 (parents), which goes only with placement "
              "with parents (P1).")
def _provider_parent(c: Ssda903Tables):
    e = c.t["episodes"]
    row = c.choose(
        "episodes",
        e["PLACE"].isin(_FOSTER) & e["PLACE_PROVIDER"].isin(["PR1", "PR4"]) & c.placement_free(),
    )
    return None if row is None else c.set("episodes", row, "PLACE_PROVIDER", "PR0")


@mistake(rule="530", table="episodes", column="PLACE_PROVIDER",
         text="Placement with parents (P1) coded to a private provider (PR4).")
def _parent_private(c: Ssda903Tables):
    e = c.t["episodes"]
    row = c.choose(
        "episodes", (e["PLACE"] == "P1") & (e["PLACE_PROVIDER"] == "PR0") & c.placement_free()
    )
    return None if row is None else c.set("episodes", row, "PLACE_PROVIDER", "PR4")


# --- reviews, missing -------------------------------------------------------------------


@mistake(rule="167", table="reviews", column="REVIEW_CODE",
         text="Review participation code typed without the N (e.g. 'P5' for PN5).")
def _review_code(c: Ssda903Tables):
    r = c.t["reviews"]
    row = c.choose("reviews", r["REVIEW_CODE"].isin([f"PN{i}" for i in range(1, 8)]))
    return (
        None
        if row is None
        else c.set("reviews", row, "REVIEW_CODE", "P" + r.at[row, "REVIEW_CODE"][2:])
    )


@mistake(rule="166", table="reviews", column="REVIEW",
         text="Review dated on a day that does not exist (31st of a 30-day month).")
def _review_impossible_date(c: Ssda903Tables):
    r = c.t["reviews"]
    when = to_date(r["REVIEW"])
    row = c.choose("reviews", when.dt.month.isin([4, 6, 9, 11]))
    if row is None:
        return None
    return c.set("reviews", row, "REVIEW", "31" + r.at[row, "REVIEW"][2:])


@mistake(rule="440", table="reviews", column="REVIEW_CODE",
         text="Participation code PN0 (child under 4) recorded for an older child.")
def _review_under_4(c: Ssda903Tables):
    r = c.t["reviews"]
    age = age_on(to_date(r["DOB"]), to_date(r["REVIEW"]))
    row = c.choose("reviews", r["REVIEW_CODE"].isin([f"PN{i}" for i in range(1, 8)]) & (age >= 5))
    return None if row is None else c.set("reviews", row, "REVIEW_CODE", "PN0")


@mistake(rule="1006", table="missing", column="MISSING",
         text="Missing type written out as 'MISSING' instead of the code M (or A, away without "
              "authorisation).")
def _missing_type(c: Ssda903Tables):
    m = c.t["missing"]
    row = c.choose("missing", m["MISSING"].isin(["M", "A"]))
    return None if row is None else c.set("missing", row, "MISSING", "MISSING")


@mistake(rule="567", table="missing", column="MIS_END",
         text="Missing episode start and end dates entered the wrong way round.")
def _missing_swapped(c: Ssda903Tables):
    m = c.t["missing"]
    start, end = to_date(m["MIS_START"]), to_date(m["MIS_END"])
    row = c.choose("missing", (c.count("missing") == 1) & (end > start) & (start >= c.start))
    if row is None:
        return None
    old_start = m.at[row, "MIS_START"]
    m.at[row, "MIS_START"] = m.at[row, "MIS_END"]
    return c.set(
        "missing",
        row,
        "MIS_END",
        old_start,
        also=f"MIS_START changed to {m.at[row, 'MIS_START']!r}",
    )


# --- OC2, OC3 ---------------------------------------------------------------------------


def _oc2_age(c: Ssda903Tables) -> pd.Series:
    return age_on(to_date(c.t["oc2"]["DOB"]), c.end)


@mistake(rule="180", table="oc2", column="SDQ_SCORE",
         text="SDQ total score over 40 (scores run 0-40).")
def _sdq_out_of_range(c: Ssda903Tables):
    o = c.t["oc2"]
    score = pd.to_numeric(o["SDQ_SCORE"], errors="coerce")
    row = c.choose("oc2", score.between(11, 39))
    if row is None:
        return None
    return c.set("oc2", row, "SDQ_SCORE", str(int(score[row]) + 30))


@mistake(rule="157", table="oc2", column="SDQ_REASON",
         text="SDQ reason SDQ1 (child under 4 or over 17) given for a child aged 5 to 15.")
def _sdq1_wrong_age(c: Ssda903Tables):
    o = c.t["oc2"]
    dob = to_date(o["DOB"])
    ok = (
        o["SDQ_REASON"].isin(["SDQ2", "SDQ3", "SDQ4", "SDQ5"])
        & (o["SDQ_SCORE"] == "")
        & (dob + pd.DateOffset(years=5) <= c.start)
        & (dob + pd.DateOffset(years=15) >= c.end)
    )
    row = c.choose("oc2", ok)
    return None if row is None else c.set("oc2", row, "SDQ_REASON", "SDQ1")


@mistake(rule="181", table="oc2", column="HEALTH_ASSESSMENT",
         text="Health assessment recorded as 'Y' instead of 1.")
def _oc2_yes(c: Ssda903Tables):
    o = c.t["oc2"]
    row = c.choose("oc2", o["HEALTH_ASSESSMENT"] == "1")
    return None if row is None else c.set("oc2", row, "HEALTH_ASSESSMENT", "Y")


@mistake(rule="192", table="oc2", column="INTERVENTION_RECEIVED",
         text="Intervention received left blank for a child with a substance misuse problem.")
def _intervention_blank(c: Ssda903Tables):
    o = c.t["oc2"]
    row = c.choose(
        "oc2", (o["SUBSTANCE_MISUSE"] == "1") & o["INTERVENTION_RECEIVED"].isin(["0", "1"])
    )
    return None if row is None else c.set("oc2", row, "INTERVENTION_RECEIVED", "")


@mistake(rule="542", table="oc2", column="CONVICTED",
         text="Conviction recorded as 0 for a child under 10 (should be blank).")
def _convicted_under_10(c: Ssda903Tables):
    o = c.t["oc2"]
    age = _oc2_age(c)
    row = c.choose("oc2", (o["CONVICTED"] == "") & age.between(5, 8))
    return None if row is None else c.set("oc2", row, "CONVICTED", "0")


@mistake(rule="546", table="oc2", column="HEALTH_CHECK",
         text="Development (health surveillance) check recorded for a child aged 5 or over (should "
              "be blank).")
def _health_check_over_5(c: Ssda903Tables):
    o = c.t["oc2"]
    age = _oc2_age(c)
    row = c.choose("oc2", (o["HEALTH_CHECK"] == "") & age.between(6, 15))
    return None if row is None else c.set("oc2", row, "HEALTH_CHECK", "1")


@mistake(rule="131", table="oc3", column="IN_TOUCH",
         text="Care leaver in touch recorded as 'Y' instead of YES.")
def _in_touch_code(c: Ssda903Tables):
    o = c.t["oc3"]
    row = c.choose("oc3", o["IN_TOUCH"] == "YES")
    return None if row is None else c.set("oc3", row, "IN_TOUCH", "Y")


@mistake(rule="133", table="oc3", column="ACCOM",
         text="Care leaver's accommodation code without its suitability digit (e.g. 'B' for B1).")
def _accommodation_code(c: Ssda903Tables):
    o = c.t["oc3"]
    row = c.choose("oc3", (o["IN_TOUCH"] == "YES") & o["ACCOM"].str.match(r"^[A-Z][12]$"))
    return None if row is None else c.set("oc3", row, "ACCOM", o.at[row, "ACCOM"][0])


@mistake(rule="345", table="oc3", column="ACTIV",
         text="Care leaver in touch, but activity left as 0.")
def _activity_zero(c: Ssda903Tables):
    o = c.t["oc3"]
    row = c.choose("oc3", (o["IN_TOUCH"] == "YES") & ~o["ACTIV"].isin(["0", ""]))
    return None if row is None else c.set("oc3", row, "ACTIV", "0")


# --- social workers, previous permanence ------------------------------------------------


@mistake(rule="SW02STG1", table="social_worker", column="SW_ID",
         text="Social worker ID exported without its 'SW' prefix.")
def _sw_id_prefix(c: Ssda903Tables):
    s = c.t["social_worker"]
    row = c.choose("social_worker", s["SW_ID"].str.startswith("SW"))
    return None if row is None else c.set("social_worker", row, "SW_ID", s.at[row, "SW_ID"][2:])


@mistake(rule="SW13STG1", table="social_worker", column="SW_REASON",
         text="Reason for social worker change typed as 'LEFT' instead of LEFTRL.")
def _sw_reason(c: Ssda903Tables):
    s = c.t["social_worker"]
    row = c.choose("social_worker", s["SW_REASON"] == "LEFTRL")
    return None if row is None else c.set("social_worker", row, "SW_REASON", "LEFT")


_PERM_WORDS = {"P1": "AO", "P2": "SGO", "P3": "CAO", "P4": "CAO"}


@mistake(rule="631", table="previous_permanence", column="PREV_PERM",
         text="Previous permanence order written as an abbreviation (e.g. 'SGO') instead of its "
              "code (P2).")
def _prev_perm_code(c: Ssda903Tables):
    p = c.t["previous_permanence"]
    row = c.choose(
        "previous_permanence",
        p["PREV_PERM"].isin(list(_PERM_WORDS)) & (p["LA_PERM"] != "") & (p["DATE_PERM"] != ""),
    )
    if row is None:
        return None
    return c.set("previous_permanence", row, "PREV_PERM", _PERM_WORDS[p.at[row, "PREV_PERM"]])


@mistake(rule="633", table="previous_permanence", column="LA_PERM",
         text="LA code of the previous permanence order padded to four digits (e.g. '0815').")
def _prev_perm_la(c: Ssda903Tables):
    p = c.t["previous_permanence"]
    row = c.choose("previous_permanence", p["LA_PERM"].str.fullmatch(r"\d{3}"))
    if row is None:
        return None
    return c.set("previous_permanence", row, "LA_PERM", "0" + p.at[row, "LA_PERM"])
