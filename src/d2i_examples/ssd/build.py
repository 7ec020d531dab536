"""Write the synthetic council's children into the SSD tables, in DuckDB.

An SSD is an extract: the case-management system as it stands on the day the extract ran.
``ssd_frames(journeys, extract_date)`` takes the simulation's records as known on that day
(:mod:`d2i_examples.synth.as_at`, the rules the CIN census and Annex A writers use: later
dates are not known yet, an enquiry that ended without a conference is "ICPC not
required", RC8/RC9 closures after a section 47 enquiry are RC7) and lays them out as the
tables of :mod:`.tables`. ``write_ssd`` writes them into a DuckDB database (a file, or
``":memory:"``).

Who is in it: every child with a contact, early help episode, referral or period of care
that started by the extract date (D2I's extract keeps those active in its
``@ssd_timeframe_years``; the simulation spans fewer years than that window).

Choices the simulation forces, each where it is made: identifiers are the simulation's
(``SYN...`` children, ``REF...`` referrals); a CLA episode is ``<period>-<n>``, a
placement ``<period>-P<n>`` (a new placement begins with every episode whose reason for
new episode is not L, legal status change only); the UPN is in ``ssd_linked_identifiers``
(type ``Unique Pupil Number``) for children of school age, the others ``UN1`` in
``pers_upn_unknown``, as in the CIN census writer; assessment factors are a JSON array of
the CIN census codes; an SDQ is dated 31 March of the year the SSDA903 recorded it in (the
SSDA903 has no date for it); a legal status (``ssd_legal_status``) runs from the episode
that began it to the end of the last episode before it changed; a care leaver's latest contact is their birthday in the
SSDA903 care leaver cohort, the date the return asks about, and the SSDA903's
accommodation code (``U1``) is split as the SSD keeps it: the type (``U``) in
``clea_care_leaver_accommodation``, suitability (``1`` suitable, ``2`` not) in
``clea_care_leaver_accom_suitable``; ``0`` (not known) is left blank there and in the
activity.

Pre-proceedings (``ssd_pre_proceedings``) are the periods the CIN census writer draws for
2026/27 on (:mod:`d2i_examples.synth.pre_proceedings`; the simulation has none before
April 2026), one row each: the decision to start, the letter before proceedings, the
first meeting, the review meetings, the decision to step up and the letter telling the
parents, as known on the extract date (the outcome and the count of review meetings once
the step decision is known), and the CP plans of the referral started by then
(``prep_cp_plans_referral_period``). The simulation has no family groups, so each child's period
is its own PLO family (``prep_plo_family_id``); the CIN census's court application date
and family group decision making meeting have no SSD column, and the items it does not
simulate (legal representation, hearings, care plans) are blank.

The EHCP tables come from the SEND history the SEN2 writer reads
(:func:`d2i_examples.synth.send.simulate_send`, rebuilt from the journeys' seed), for the
children in ``ssd_person`` only (most children with an EHC plan are never known to
social care, and an SSD holds those who are): one ``ssd_send`` row per child with a
request received by the extract date (``send_table_id`` is the SEND person's
``SEN...`` identifier), each request in ``ssd_ehcp_requests`` with the SEN2's request
outcome codes once decided, an ``ssd_ehcp_assessment`` for each request the authority
agreed to assess (``<request>-A``; the SEN2's assessment outcome and ``Week20`` flag),
each plan issued in ``ssd_ehcp_named_plan`` (``<request>-P``) and, while it is active,
in ``ssd_ehcp_active_plans`` under the same id, with the date the parents were told the
latest annual review's decision, as the SEN2 writer dates it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from d2i_examples.errors import DataError
from d2i_examples.spec.cin_census import FIRST_YEAR
from d2i_examples.ssd.tables import TABLES
from d2i_examples.synth.as_at import known, referrals_as_at, s47_as_at
from d2i_examples.synth.cin_census import census_referrals
from d2i_examples.synth.pre_proceedings import pre_proceedings
from d2i_examples.synth.sen2 import annual_review
from d2i_examples.synth.send import simulate_send
from d2i_examples.synth.simulate import Journeys

UPN_TYPE = "Unique Pupil Number"
# the SSD's code set for clea_care_leaver_eligibility (ssd_care_leavers.yml)
_ELIGIBILITY = {"relevant": "Relevant", "former relevant": "Former Relevant"}
_GENDER = {"M": "01", "F": "02"}
# the CIN census's PPOutcome codes (spec.cin_census.PP_OUTCOME) in the SSD's words
# (ssd_pre_proceedings.yml, prep_pre_pro_outcome)
_PP_OUTCOME = {"A": "Decision to Issue Care Proceedings", "B": "Decision to step down"}


def _yn(flags: pd.Series) -> pd.Series:
    return flags.map({True: "Y", False: "N"}).astype(object)


def _json_flag(key: str, values: pd.Series) -> pd.Series:
    """``{"KEY": "Y"}`` for each Y/N value (missing stays missing), as the SSD's
    ``*_outcome_json`` columns hold their flags."""
    return ('{"' + key + '": "' + values + '"}').where(values.notna())


def _started(df: pd.DataFrame, column: str, on: pd.Timestamp) -> pd.DataFrame:
    return df[df[column] <= on].copy()


def _has_upn(dob: pd.Series, on: pd.Timestamp) -> pd.Series:
    """School age in the DfE's sense on ``on``: four by the 31 August before the
    academic year ending in the collection year (as the CIN census writer decides)."""
    year = on.year + (1 if on.month > 3 else 0)
    return dob + pd.DateOffset(years=4) <= pd.Timestamp(f"{year - 2}-08-31")


def ssd_frames(journeys: Journeys, extract_date) -> dict[str, pd.DataFrame]:
    """The SSD tables (see :mod:`.tables`) as the council's system shows them on
    ``extract_date``, one frame per table with exactly the table's columns."""
    on = pd.Timestamp(extract_date).normalize()
    if not journeys.window_start <= on <= journeys.window_end:
        raise DataError("The extract date is outside the simulated years.",
                        column="extract_date",
                        expected=f"a date from {journeys.window_start.date()} to "
                        f"{journeys.window_end.date()}",
                        found=str(on.date()),
                        fix="Pick an extract date inside the simulation, or simulate more years.")
    j = journeys
    contacts = _started(j.contacts, "contact_date", on)
    early = _started(j.early_help, "start_date", on)
    early["end_date"] = known(early["end_date"], on)
    ref = referrals_as_at(j, on)
    periods = _started(j.care_periods, "start_date", on)
    people = pd.Index(pd.concat([contacts["child_id"], early["child_id"], ref["child_id"],
                                 periods["child_id"]]).unique())
    out = {"ssd_person": _person(j.children[j.children["child_id"].isin(people)], on)}
    children = j.children[j.children["child_id"].isin(people)]
    out["ssd_linked_identifiers"] = _upns(children, on)
    out["ssd_disability"] = _disability(children)
    out["ssd_contacts"] = pd.DataFrame({
        "cont_contact_id": contacts["contact_id"], "cont_person_id": contacts["child_id"],
        "cont_contact_date": contacts["contact_date"],
        "cont_contact_source_code": contacts["source"],
        "cont_contact_outcome_json": _json_flag("NEW_REFERRAL_FLAG",
                                                _yn(contacts["referral_id"].notna()))})
    out["ssd_early_help_episodes"] = pd.DataFrame({
        "earl_episode_id": early["early_help_id"], "earl_person_id": early["child_id"],
        "earl_episode_start_date": early["start_date"],
        "earl_episode_end_date": early["end_date"],
        "earl_episode_organisation": early["organisation"]})
    out["ssd_cin_episodes"] = pd.DataFrame({
        "cine_referral_id": ref["referral_id"], "cine_person_id": ref["child_id"],
        "cine_referral_date": ref["referral_date"],
        "cine_cin_primary_need_code": ref["primary_need"],
        "cine_referral_source_code": ref["source"], "cine_referral_nfa": _yn(ref["nfa"]),
        "cine_close_reason": ref["closure_reason"], "cine_close_date": ref["closure_date"]})
    out.update(_assessments(j, on))
    plans = _started(j.cin_plans, "start_date", on)
    out["ssd_cin_plans"] = pd.DataFrame({
        "cinp_cin_plan_id": plans["cin_plan_id"], "cinp_referral_id": plans["referral_id"],
        "cinp_person_id": plans["child_id"], "cinp_cin_plan_start_date": plans["start_date"],
        "cinp_cin_plan_end_date": known(plans["end_date"], on)})
    out.update(_protection(j, on))
    out.update(_care(j, periods, on))
    sw = _started(j.social_workers, "start_date", on)
    out["ssd_involvements"] = pd.DataFrame({
        "invo_involvements_id": "INV" + pd.Series(range(1, len(sw) + 1), index=sw.index
                                                  ).astype(str).str.zfill(7),
        "invo_professional_id": sw["sw_id"], "invo_involvement_start_date": sw["start_date"],
        "invo_involvement_end_date": known(sw["end_date"], on),
        "invo_worker_change_reason": sw["reason"], "invo_person_id": sw["child_id"],
        "invo_referral_id": sw["referral_id"]})
    out["ssd_pre_proceedings"] = _pre_proceedings(j, on)
    out.update(_ehcp(j, people, on))
    return {name: _shape(name, out[name]) for name in TABLES}


def _shape(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """The frame with exactly the table's columns (missing ones empty), in order."""
    return df.reset_index(drop=True).reindex(columns=TABLES[name].column_names)


def _person(children: pd.DataFrame, on: pd.Timestamp) -> pd.DataFrame:
    return pd.DataFrame({
        "pers_person_id": children["child_id"], "pers_sex": children["sex"],
        "pers_gender": children["sex"].map(_GENDER).fillna("00"),
        "pers_ethnicity": children["ethnicity"], "pers_dob": children["dob"],
        "pers_upn_unknown": _has_upn(children["dob"], on).map({True: None, False: "UN1"}),
        "pers_is_mother": _yn(children["first_child_dob"].notna()
                              & (children["first_child_dob"] <= on))})


def _upns(children: pd.DataFrame, on: pd.Timestamp) -> pd.DataFrame:
    c = children[_has_upn(children["dob"], on) & children["upn"].notna()]
    return pd.DataFrame({"link_table_id": "UPN-" + c["child_id"], "link_person_id": c["child_id"],
                         "link_identifier_type": UPN_TYPE, "link_identifier_value": c["upn"]})


def _disability(children: pd.DataFrame) -> pd.DataFrame:
    codes = children[["child_id", "disabilities"]].assign(
        code=children["disabilities"].astype(str).str.split(",")).explode("code")
    codes["n"] = codes.groupby("child_id").cumcount() + 1
    return pd.DataFrame({"disa_table_id": codes["child_id"] + "-D" + codes["n"].astype(str),
                         "disa_person_id": codes["child_id"], "disa_disability_code": codes["code"]})


def _assessments(j: Journeys, on: pd.Timestamp) -> dict[str, pd.DataFrame]:
    a = _started(j.assessments, "start_date", on)
    a["authorisation_date"] = known(a["authorisation_date"], on)
    done = a["authorisation_date"].notna()
    nfa = _yn(~a["needs_support"].astype(bool)).where(done)
    assessments = pd.DataFrame({
        "cina_assessment_id": a["assessment_id"], "cina_person_id": a["child_id"],
        "cina_referral_id": a["referral_id"], "cina_assessment_start_date": a["start_date"],
        "cina_assessment_child_seen": _yn(a["child_seen"].astype(bool)),
        "cina_assessment_auth_date": a["authorisation_date"],
        "cina_assessment_outcome_nfa": nfa,
        "cina_assessment_outcome_json": _json_flag("NFA_FLAG", nfa)})
    f = a[done & a["factors"].notna()]
    factors = pd.DataFrame({
        "cinf_table_id": "F-" + f["assessment_id"], "cinf_assessment_id": f["assessment_id"],
        "cinf_assessment_factors_json": '["' + f["factors"].str.replace(",", '", "') + '"]'})
    return {"ssd_cin_assessments": assessments, "ssd_assessment_factors": factors}


def _protection(j: Journeys, on: pd.Timestamp) -> dict[str, pd.DataFrame]:
    s47 = s47_as_at(j, on)
    cpp = _started(j.cp_plans, "start_date", on)
    cpp["end_date"] = known(cpp["end_date"], on)
    held = s47[s47["icpc_date"].notna()]
    # the plan an ICPC made: the child's plan on that referral starting on the ICPC's day
    made = held.merge(cpp[["referral_id", "start_date", "cp_plan_id"]],
                      left_on=["referral_id", "icpc_date"],
                      right_on=["referral_id", "start_date"], how="left")
    icpc_ids = "ICPC-" + made["s47_id"]
    return {
        "ssd_s47_enquiry": pd.DataFrame({
            "s47e_s47_enquiry_id": s47["s47_id"], "s47e_referral_id": s47["referral_id"],
            "s47e_person_id": s47["child_id"], "s47e_s47_start_date": s47["start_date"],
            "s47e_s47_end_date": s47["end_date"],
            "s47e_s47_nfa": _yn(s47["icpc_not_required"])}),
        "ssd_initial_cp_conference": pd.DataFrame({
            "icpc_icpc_id": icpc_ids, "icpc_s47_enquiry_id": made["s47_id"],
            "icpc_person_id": made["child_id"], "icpc_cp_plan_id": made["cp_plan_id"],
            "icpc_referral_id": made["referral_id"], "icpc_icpc_transfer_in": "N",
            "icpc_icpc_target_date": made["icpc_target_date"], "icpc_icpc_date": made["icpc_date"],
            "icpc_icpc_outcome_cp_flag": _yn(made["cp_plan"].astype(bool))}),
        "ssd_cp_plans": pd.DataFrame({
            "cppl_cp_plan_id": cpp["cp_plan_id"], "cppl_referral_id": cpp["referral_id"],
            "cppl_icpc_id": cpp["cp_plan_id"].map(
                pd.Series(icpc_ids.to_numpy(), index=made["cp_plan_id"]).dropna()
                .pipe(lambda s: s[~s.index.duplicated()])),
            "cppl_person_id": cpp["child_id"], "cppl_cp_plan_start_date": cpp["start_date"],
            "cppl_cp_plan_end_date": cpp["end_date"],
            "cppl_cp_plan_initial_category": cpp["initial_category"],
            "cppl_cp_plan_latest_category": cpp["latest_category"], "cppl_cp_plan_ola": "N"}),
        "ssd_cp_reviews": _cp_reviews(j, cpp, on),
    }


def _cp_reviews(j: Journeys, cpp: pd.DataFrame, on: pd.Timestamp) -> pd.DataFrame:
    """Review conferences held by the extract date, of the plans in the extract."""
    rev = j.cp_reviews[(j.cp_reviews["review_date"] <= on)
                       & j.cp_reviews["cp_plan_id"].isin(cpp["cp_plan_id"])]
    if rev.empty:  # a council with no reviews: an empty table (its id columns untyped)
        return pd.DataFrame()
    rev = rev.sort_values(["cp_plan_id", "review_date"], kind="stable")
    n = rev.groupby("cp_plan_id").cumcount() + 1
    return pd.DataFrame({
        "cppr_cp_review_id": rev["cp_plan_id"] + "-R" + n.astype(str),
        "cppr_person_id": rev["child_id"], "cppr_cp_plan_id": rev["cp_plan_id"],
        "cppr_cp_review_date": rev["review_date"]})


def _care(j: Journeys, periods: pd.DataFrame, on: pd.Timestamp) -> dict[str, pd.DataFrame]:
    ep = j.episodes[j.episodes["decom"] <= on].sort_values(
        ["period_id", "decom", "episode_number"], kind="stable").copy()
    ended = ep["dec"] <= on
    ep["rec"] = ep["rec"].where(ended)
    ep["dec"] = ep["dec"].where(ended)
    ep["episode_id"] = ep["period_id"] + "-" + ep["episode_number"].astype(str)
    ep["placement_n"] = (ep["rne"] != "L").groupby(ep["period_id"]).cumsum()
    ep["placement_id"] = ep["period_id"] + "-P" + ep["placement_n"].astype(str)
    per = periods.set_index("period_id")
    episodes = pd.DataFrame({
        "clae_cla_episode_id": ep["episode_id"], "clae_person_id": ep["child_id"],
        "clae_cla_episode_start_date": ep["decom"], "clae_cla_episode_start_reason": ep["rne"],
        "clae_cla_primary_need_code": ep["cin"], "clae_cla_episode_ceased_date": ep["dec"],
        "clae_cla_episode_ceased_reason": ep["rec"], "clae_cla_id": ep["period_id"],
        "clae_referral_id": ep["period_id"].map(per["referral_id"]),
        "clae_cla_placement_id": ep["placement_id"],
        "clae_entered_care_date": ep["period_id"].map(per["start_date"])})
    # a legal status lasts from its first episode to the end of the last one before it changes
    ep["ls_run"] = (ep["ls"] != ep.groupby("period_id")["ls"].shift()).groupby(
        ep["period_id"]).cumsum()
    runs = ep.groupby(["period_id", "ls_run"], sort=False)
    ls_first, ls_last = runs.head(1), runs.tail(1)
    legal = pd.DataFrame({
        "lega_legal_status_id": ls_first["period_id"] + "-L" + ls_first["ls_run"].astype(str),
        "lega_person_id": ls_first["child_id"], "lega_legal_status": ls_first["ls"],
        "lega_legal_status_start_date": ls_first["decom"],
        "lega_legal_status_end_date": ls_last["dec"].to_numpy()})
    groups = ep.groupby("placement_id", sort=False)
    first, last = groups.head(1).set_index("placement_id"), groups.tail(1).set_index("placement_id")
    placements = pd.DataFrame({
        "clap_cla_placement_id": first.index, "clap_cla_placement_start_date": first["decom"],
        "clap_cla_placement_type": first["place"], "clap_cla_placement_urn": first["urn"],
        "clap_cla_id": first["period_id"], "clap_cla_placement_provider": first["place_provider"],
        "clap_cla_placement_postcode": first["pl_post"],
        "clap_cla_placement_end_date": last["dec"].reindex(first.index),
        "clap_cla_placement_change_reason": last["reason_place_change"].reindex(first.index)
        .where(last["dec"].reindex(first.index).notna()),
        "clap_person_id": first["child_id"]})
    ad = j.adoption[j.adoption["decision_date"] <= on]
    permanence = pd.DataFrame({  # astype(str): a council with no adoptions has no text here
        "perm_table_id": "ADM-" + ad["period_id"].astype(str), "perm_person_id": ad["child_id"],
        "perm_cla_id": ad["period_id"], "perm_adm_decision_date": ad["decision_date"],
        "perm_placement_order_date": known(ad["placement_order_date"], on),
        "perm_matched_date": known(ad["match_date"], on),
        "perm_placed_for_adoption_date": known(ad["placed_date"], on),
        "perm_decision_reversed_date": known(ad["decision_ceased_date"], on),
        "perm_decision_reversed_reason": ad["decision_ceased_reason"].where(
            ad["decision_ceased_date"] <= on),
        "perm_permanence_order_date": known(ad["adoption_date"], on)})
    permanence["perm_permanence_order_type"] = permanence["perm_permanence_order_date"].map(
        lambda day: None if pd.isna(day) else "Adoption Order").astype(object)
    cl = j.care_leavers[j.care_leavers["birthday"] <= on].sort_values(
        ["child_id", "birthday"], kind="stable").drop_duplicates("child_id", keep="last")
    accommodation = cl["accommodation"].where(~cl["accommodation"].isin(["0"]))  # 0: not known
    leavers = pd.DataFrame({
        "clea_table_id": "CL-" + cl["child_id"], "clea_person_id": cl["child_id"],
        "clea_care_leaver_eligibility": cl["eligibility"].map(_ELIGIBILITY),
        "clea_care_leaver_in_touch": cl["in_touch"], "clea_care_leaver_latest_contact": cl["birthday"],
        "clea_care_leaver_accommodation": accommodation.str[0],
        "clea_care_leaver_accom_suitable": accommodation.str[1],
        "clea_care_leaver_activity": cl["activity"].where(~cl["activity"].isin(["0"]))})
    oc = j.cla_outcomes.assign(date=pd.to_datetime(j.cla_outcomes["collection_year"].astype(str)
                                                   + "-03-31"))
    oc = oc[(oc["date"] <= on) & oc["sdq_score"].notna()]
    sdq = pd.DataFrame({
        "csdq_table_id": "SDQ-" + oc["child_id"] + "-" + oc["collection_year"].astype(str),
        "csdq_person_id": oc["child_id"], "csdq_sdq_completed_date": oc["date"],
        "csdq_sdq_reason": oc["sdq_reason"],
        "csdq_sdq_score": oc["sdq_score"].map(lambda v: str(int(float(v))))})
    return {"ssd_cla_episodes": episodes, "ssd_legal_status": legal,
            "ssd_cla_reviews": _cla_reviews(j, ep, on),
            "ssd_cla_placement": placements,
            "ssd_permanence": permanence, "ssd_care_leavers": leavers, "ssd_sdq_scores": sdq}


def _cla_reviews(j: Journeys, ep: pd.DataFrame, on: pd.Timestamp) -> pd.DataFrame:
    """Reviews held by the extract date, each on the CLA episode open that day (the
    period's latest episode to start by then)."""
    rev = j.cla_reviews[(j.cla_reviews["review_date"] <= on)
                        & j.cla_reviews["period_id"].isin(ep["period_id"])]
    if rev.empty:  # a council with no reviews: an empty table (its id columns untyped)
        return pd.DataFrame()
    rev = rev.sort_values("review_date", kind="stable")
    on_episode = pd.merge_asof(rev, ep[["period_id", "decom", "episode_id"]].sort_values(
        "decom", kind="stable"), left_on="review_date", right_on="decom", by="period_id")
    n = on_episode.groupby("period_id").cumcount() + 1
    return pd.DataFrame({
        "clar_cla_review_id": on_episode["period_id"] + "-R" + n.astype(str),
        "clar_cla_episode_id": on_episode["episode_id"], "clar_cla_id": on_episode["period_id"],
        "clar_cla_review_date": on_episode["review_date"],
        "clar_cla_review_participation": on_episode["review_code"]})


def _pre_proceedings(j: Journeys, on: pd.Timestamp) -> pd.DataFrame:
    """The periods of pre-proceedings started by the extract date (see the module)."""
    last = min(on.year + (on.month > 3), j.end_year)
    frames = []
    for year in range(FIRST_YEAR["PreProceedings"], last + 1):
        ref = census_referrals(j, year)
        frames.append(pre_proceedings(j, ref, year).merge(
            ref[["referral_id", "child_id"]], on="referral_id"))
    pp = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if pp.empty:  # before 2026/27, or none yet: an empty table
        return pd.DataFrame()
    pp = pp[pp["PPStartDate"] <= on].sort_values(["child_id", "PPStartDate"], kind="stable")
    if pp.empty:
        return pd.DataFrame()
    step = known(pp["StepDecisionDate"], on)
    n = pp.groupby("child_id").cumcount() + 1
    ids = "PP-" + pp["child_id"] + "-" + n.astype(str)
    cpp = j.cp_plans[j.cp_plans["start_date"] <= on]
    return pd.DataFrame({
        "prep_table_id": ids, "prep_person_id": pp["child_id"], "prep_plo_family_id": "F" + ids,
        "prep_pre_pro_decision_date": pp["PPStartDate"],
        "prep_initial_pre_pro_meeting_date": known(pp["InitialPPMeetingDate"], on),
        "prep_pre_pro_outcome": pp["PPOutcome"].map(_PP_OUTCOME).where(step.notna()),
        "prep_agree_stepdown_issue_date": step,
        "prep_cp_plans_referral_period": pp["referral_id"].map(
            cpp["referral_id"].value_counts()).fillna(0).astype(int),
        "prep_pre_pro_letter_date": known(pp["LBPSentDate"], on),
        "prep_care_pro_letter_date": known(pp["LetterInitCPDate"], on),
        "prep_pre_pro_meetings_num": pp["ReviewMeetingsCount"].astype(int).where(step.notna())})


def _ehcp(j: Journeys, people: pd.Index, on: pd.Timestamp) -> dict[str, pd.DataFrame]:
    """``ssd_send`` and the EHCP tables of the children in the extract (see the module)."""
    send = simulate_send(j)
    who = send.people[send.people["child_id"].isin(people)]
    req = send.requests[send.requests["person_id"].isin(who["person_id"])
                        & (send.requests["received_date"] <= on)].copy()
    if req.empty:  # no child in the extract has asked for an assessment
        return {name: pd.DataFrame() for name in ("ssd_send", "ssd_ehcp_requests",
                "ssd_ehcp_assessment", "ssd_ehcp_named_plan", "ssd_ehcp_active_plans")}
    who = who[who["person_id"].isin(req["person_id"])]
    upn = _has_upn(who["dob"], on)
    for col in ("decision_date", "assessment_date"):
        req[col] = known(req[col], on)
    decided = req["decision_date"].notna()
    ass = req[decided & req["outcome"].eq("A")]
    plans = send.plans[send.plans["request_id"].isin(req["request_id"])
                       & (send.plans["start_date"] <= on)].copy()
    plans["cease_date"] = known(plans["cease_date"], on)
    active = plans[plans["cease_date"].isna()]
    return {
        "ssd_send": pd.DataFrame({
            "send_table_id": who["person_id"], "send_upn": who["upn"].where(upn),
            "send_upn_unknown": upn.map({True: None, False: "UN1"}),
            "send_person_id": who["child_id"]}),
        "ssd_ehcp_requests": pd.DataFrame({
            "ehcr_ehcp_request_id": req["request_id"], "ehcr_send_table_id": req["person_id"],
            "ehcr_ehcp_req_date": req["received_date"],
            "ehcr_ehcp_req_outcome_date": req["decision_date"],
            "ehcr_ehcp_req_outcome": req["outcome"].where(decided)}),
        "ssd_ehcp_assessment": pd.DataFrame({
            "ehca_ehcp_assessment_id": ass["request_id"] + "-A",
            "ehca_ehcp_request_id": ass["request_id"],
            "ehca_ehcp_assessment_outcome_date": ass["assessment_date"],
            "ehca_ehcp_assessment_outcome": ass["assessment_outcome"].where(
                ass["assessment_date"].notna()),
            "ehca_ehcp_assessment_exceptions": ass["exception"].map({True: "1", False: "0"})}),
        "ssd_ehcp_named_plan": pd.DataFrame({
            "ehcn_named_plan_id": plans["request_id"] + "-P",
            "ehcn_ehcp_asmt_id": plans["request_id"] + "-A",
            "ehcn_named_plan_start_date": plans["start_date"],
            "ehcn_named_plan_ceased_date": plans["cease_date"],
            "ehcn_named_plan_ceased_reason": plans["cease_reason"].where(
                plans["cease_date"].notna())}),
        "ssd_ehcp_active_plans": pd.DataFrame({
            "ehcp_active_ehcp_id": active["request_id"] + "-P",
            "ehcp_ehcp_request_id": active["request_id"],
            "ehcp_active_ehcp_last_review_date": pd.to_datetime(pd.Series(
                [annual_review(start, on)[1] for start in active["start_date"]],
                index=active.index, dtype=object))}),
    }


def write_ssd(journeys: Journeys, extract_date, database: str | Path = ":memory:"):
    """Create the SSD tables in the DuckDB ``database`` (a file path, created or replaced,
    or ``":memory:"``) and fill them from ``journeys`` as on ``extract_date``; return the
    open connection."""
    import duckdb

    frames = ssd_frames(journeys, extract_date)
    if str(database) != ":memory:":
        path = Path(database)
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in (path, path.with_name(path.name + ".wal")):
            if stale.exists():
                stale.unlink()
    con = duckdb.connect(str(database))
    for name, df in frames.items():
        table = TABLES[name]
        con.execute(table.ddl())
        con.register("_frame", df)
        cols = ", ".join(table.column_names)
        casts = ", ".join(f"CAST({c} AS {t})" for c, t in table.columns)
        con.execute(f"INSERT INTO {name} ({cols}) SELECT {casts} FROM _frame")
        con.unregister("_frame")
    return con
