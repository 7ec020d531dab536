"""The core tables of the Standard Safeguarding Dataset (SSD), as the SSD specifies them.

Source: D2I's ssd-data-model repository, the object specifications
``data/objects/ssd_*.yml`` (read at commit 0855a2b) and the repository's generated table
previews for the DfE dashboard domain (which name the CLA episode's end
``clae_cla_episode_ceased_date``; the object file at that commit calls it
``clae_cla_episode_ceased``).
Column names, types (``nvarchar``, ``nchar``, ``datetime``, ``float``, ``int``), primary
keys and the person foreign keys are the specification's; identifiers are ``NVARCHAR(48)``
as in D2I's SQL Server deployment scripts, other text widths are the project's. Only the tables the
worked examples need are declared, with pre-proceedings and the EHCP tables (and
``ssd_send``, through which those reach the person): the SSD has about fifty (health,
visits... are not here). ``ssd_legal_status`` was read at the same commit,
``ssd_cp_reviews`` at commit 51d65e1 (the first that gives it a person column) and
``ssd_cla_reviews`` at commit 197926d.

The DDL is written in the subset of SQL that both DuckDB and SQL Server accept
(``NVARCHAR(n)``, ``NCHAR(1)``, ``DATETIME``, ``FLOAT``, ``INT``, ``PRIMARY KEY``).
"""

from __future__ import annotations

from dataclasses import dataclass

ID = "NVARCHAR(48)"
CODE = "NVARCHAR(48)"
TEXT = "NVARCHAR(255)"
JSON = "NVARCHAR(4000)"
FLAG = "NCHAR(1)"
DATE = "DATETIME"


@dataclass(frozen=True)
class Table:
    """One SSD table: name, (column, SQL type) pairs, its primary key and person column."""

    name: str
    columns: tuple[tuple[str, str], ...]
    key: str
    person: str | None

    @property
    def column_names(self) -> list[str]:
        return [c for c, _ in self.columns]

    def ddl(self, temporary: bool = False) -> str:
        """``CREATE TABLE`` in the portable subset (DuckDB and SQL Server); ``temporary``
        makes a DuckDB ``TEMP`` table (one a read-only connection may create)."""
        cols = ",\n".join(f"    {c} {t}{' NOT NULL PRIMARY KEY' if c == self.key else ''}"
                          for c, t in self.columns)
        return f"CREATE {'TEMP ' if temporary else ''}TABLE {self.name} (\n{cols}\n)"


def _t(name: str, key: str, person: str | None, *columns: tuple[str, str]) -> Table:
    return Table(name, tuple(columns), key, person)


TABLES: dict[str, Table] = {t.name: t for t in [
    _t("ssd_person", "pers_person_id", "pers_person_id",
       ("pers_person_id", ID), ("pers_sex", "NVARCHAR(20)"), ("pers_gender", "NVARCHAR(10)"),
       ("pers_ethnicity", "NVARCHAR(48)"), ("pers_dob", DATE),
       ("pers_common_child_id", ID), ("pers_legacy_id", ID), ("pers_upn_unknown", "NVARCHAR(6)"),
       ("pers_send_flag", FLAG), ("pers_expected_dob", DATE), ("pers_death_date", DATE),
       ("pers_is_mother", FLAG), ("pers_nationality", CODE)),
    _t("ssd_linked_identifiers", "link_table_id", "link_person_id",
       ("link_table_id", ID), ("link_person_id", ID), ("link_identifier_type", "NVARCHAR(100)"),
       ("link_identifier_value", "NVARCHAR(100)"), ("link_valid_from_date", DATE),
       ("link_valid_to_date", DATE)),
    _t("ssd_disability", "disa_table_id", "disa_person_id",
       ("disa_table_id", ID), ("disa_person_id", ID), ("disa_disability_code", "NVARCHAR(48)")),
    _t("ssd_contacts", "cont_contact_id", "cont_person_id",
       ("cont_contact_id", ID), ("cont_person_id", ID), ("cont_contact_date", DATE),
       ("cont_contact_source_code", CODE), ("cont_contact_source_desc", TEXT),
       ("cont_contact_outcome_json", JSON)),
    _t("ssd_early_help_episodes", "earl_episode_id", "earl_person_id",
       ("earl_episode_id", ID), ("earl_person_id", ID), ("earl_episode_start_date", DATE),
       ("earl_episode_end_date", DATE), ("earl_episode_reason", TEXT),
       ("earl_episode_end_reason", TEXT), ("earl_episode_organisation", TEXT),
       ("earl_episode_worker_id", ID)),
    _t("ssd_cin_episodes", "cine_referral_id", "cine_person_id",
       ("cine_referral_id", ID), ("cine_person_id", ID), ("cine_referral_date", DATE),
       ("cine_cin_primary_need_code", "NVARCHAR(3)"), ("cine_referral_source_code", CODE),
       ("cine_referral_source_desc", TEXT), ("cine_referral_outcome_json", JSON),
       ("cine_referral_nfa", FLAG), ("cine_close_reason", "NVARCHAR(100)"),
       ("cine_close_date", DATE), ("cine_referral_team", ID),
       ("cine_referral_worker_id", "NVARCHAR(100)")),
    _t("ssd_cin_assessments", "cina_assessment_id", "cina_person_id",
       ("cina_assessment_id", ID), ("cina_person_id", ID), ("cina_referral_id", ID),
       ("cina_assessment_start_date", DATE), ("cina_assessment_child_seen", FLAG),
       ("cina_assessment_auth_date", DATE), ("cina_assessment_outcome_json", JSON),
       ("cina_assessment_outcome_nfa", FLAG), ("cina_assessment_team", ID),
       ("cina_assessment_worker_id", ID)),
    _t("ssd_assessment_factors", "cinf_table_id", None,
       ("cinf_table_id", ID), ("cinf_assessment_id", ID), ("cinf_assessment_factors_json", JSON)),
    _t("ssd_cin_plans", "cinp_cin_plan_id", "cinp_person_id",
       ("cinp_cin_plan_id", ID), ("cinp_referral_id", ID), ("cinp_person_id", ID),
       ("cinp_cin_plan_start_date", DATE), ("cinp_cin_plan_end_date", DATE),
       ("cinp_cin_plan_team", ID), ("cinp_cin_plan_worker_id", ID)),
    _t("ssd_s47_enquiry", "s47e_s47_enquiry_id", "s47e_person_id",
       ("s47e_s47_enquiry_id", ID), ("s47e_referral_id", ID), ("s47e_person_id", ID),
       ("s47e_s47_start_date", DATE), ("s47e_s47_end_date", DATE), ("s47e_s47_nfa", FLAG),
       ("s47e_s47_outcome_json", JSON), ("s47e_s47_completed_by_worker_id", ID),
       ("s47e_s47_completed_by_team", ID)),
    _t("ssd_initial_cp_conference", "icpc_icpc_id", "icpc_person_id",
       ("icpc_icpc_id", ID), ("icpc_icpc_meeting_id", ID), ("icpc_s47_enquiry_id", ID),
       ("icpc_person_id", ID), ("icpc_cp_plan_id", ID), ("icpc_referral_id", ID),
       ("icpc_icpc_transfer_in", FLAG), ("icpc_icpc_target_date", DATE), ("icpc_icpc_date", DATE),
       ("icpc_icpc_outcome_cp_flag", FLAG), ("icpc_icpc_outcome_json", JSON),
       ("icpc_icpc_team", ID), ("icpc_icpc_worker_id", ID)),
    _t("ssd_cp_plans", "cppl_cp_plan_id", "cppl_person_id",
       ("cppl_cp_plan_id", ID), ("cppl_referral_id", ID), ("cppl_icpc_id", ID),
       ("cppl_person_id", ID), ("cppl_cp_plan_start_date", DATE), ("cppl_cp_plan_end_date", DATE),
       ("cppl_cp_plan_initial_category", "NVARCHAR(100)"), ("cppl_cp_plan_ola", FLAG),
       ("cppl_cp_plan_latest_category", "NVARCHAR(100)")),
    _t("ssd_cp_reviews", "cppr_cp_review_id", "cppr_person_id",  # ssd_cp_reviews.yml, 51d65e1
       ("cppr_cp_review_id", ID), ("cppr_person_id", ID), ("cppr_cp_plan_id", ID),
       ("cppr_cp_review_due", DATE), ("cppr_cp_review_date", DATE),
       ("cppr_cp_review_meeting_id", ID), ("cppr_cp_review_outcome_continue_cp", FLAG),
       ("cppr_cp_review_quorate", FLAG), ("cppr_cp_review_participation", "NVARCHAR(3)")),
    _t("ssd_cla_episodes", "clae_cla_episode_id", "clae_person_id",
       ("clae_cla_episode_id", ID), ("clae_person_id", ID), ("clae_cla_episode_start_date", DATE),
       ("clae_cla_episode_start_reason", "NVARCHAR(100)"), ("clae_cla_primary_need_code", "NVARCHAR(3)"),
       ("clae_cla_episode_ceased_date", DATE), ("clae_cla_episode_ceased_reason", "NVARCHAR(255)"),
       ("clae_cla_id", ID), ("clae_referral_id", ID), ("clae_cla_placement_id", ID),
       ("clae_entered_care_date", DATE), ("clae_cla_last_iro_contact_date", DATE)),
    _t("ssd_legal_status", "lega_legal_status_id", "lega_person_id",  # ssd_legal_status.yml
       ("lega_legal_status_id", ID), ("lega_person_id", ID), ("lega_legal_status", "NVARCHAR(100)"),
       ("lega_legal_status_start_date", DATE), ("lega_legal_status_end_date", DATE)),
    _t("ssd_cla_reviews", "clar_cla_review_id", None,  # ssd_cla_reviews.yml, 197926d
       ("clar_cla_review_id", ID), ("clar_cla_episode_id", ID), ("clar_cla_id", ID),
       ("clar_cla_review_due_date", DATE), ("clar_cla_review_date", DATE),
       ("clar_cla_review_participation", "NVARCHAR(3)"),
       ("clar_cla_review_last_iro_contact_date", DATE)),
    _t("ssd_cla_placement", "clap_cla_placement_id", "clap_person_id",
       ("clap_cla_placement_id", ID), ("clap_cla_placement_start_date", DATE),
       ("clap_cla_placement_type", "NVARCHAR(100)"), ("clap_cla_placement_urn", ID),
       ("clap_cla_placement_distance", "FLOAT"), ("clap_cla_id", ID),
       ("clap_cla_placement_provider", ID), ("clap_cla_placement_postcode", "NVARCHAR(8)"),
       ("clap_cla_placement_end_date", DATE), ("clap_cla_placement_change_reason", "NVARCHAR(100)"),
       ("clap_person_id", ID)),
    _t("ssd_permanence", "perm_table_id", "perm_person_id",
       ("perm_table_id", ID), ("perm_person_id", ID), ("perm_cla_id", ID),
       ("perm_adm_decision_date", DATE), ("perm_placement_order_date", DATE),
       ("perm_matched_date", DATE), ("perm_placed_for_adoption_date", DATE),
       ("perm_decision_reversed_date", DATE), ("perm_decision_reversed_reason", CODE),
       ("perm_permanence_order_date", DATE), ("perm_permanence_order_type", "NVARCHAR(255)"),
       ("perm_adopted_by_carer_flag", FLAG), ("perm_number_of_adopters", "NVARCHAR(3)"),
       ("perm_adopter_sex", CODE), ("perm_adopter_legal_status", CODE)),
    _t("ssd_care_leavers", "clea_table_id", "clea_person_id",
       ("clea_table_id", ID), ("clea_person_id", ID), ("clea_care_leaver_eligibility", "NVARCHAR(100)"),
       ("clea_care_leaver_in_touch", "NVARCHAR(100)"), ("clea_care_leaver_latest_contact", DATE),
       ("clea_care_leaver_accommodation", "NVARCHAR(100)"),
       ("clea_care_leaver_accom_suitable", "NVARCHAR(100)"), ("clea_care_leaver_activity", "NVARCHAR(100)"),
       ("clea_pathway_plan_review_date", DATE), ("clea_care_leaver_personal_advisor", ID),
       ("clea_care_leaver_allocated_team", ID), ("clea_care_leaver_worker_id", ID)),
    _t("ssd_sdq_scores", "csdq_table_id", "csdq_person_id",
       ("csdq_table_id", ID), ("csdq_person_id", ID), ("csdq_sdq_completed_date", DATE),
       ("csdq_sdq_reason", CODE), ("csdq_sdq_score", "NVARCHAR(3)")),
    _t("ssd_involvements", "invo_involvements_id", "invo_person_id",
       ("invo_involvements_id", ID), ("invo_professional_id", ID),
       ("invo_professional_role_id", CODE), ("invo_professional_team", ID),
       ("invo_involvement_start_date", DATE), ("invo_involvement_end_date", DATE),
       ("invo_worker_change_reason", CODE), ("invo_person_id", ID), ("invo_referral_id", ID)),
    # ssd_pre_proceedings.yml, 272a798 (PREP020A's name as its cms_field spells it, the
    # object file has a stray space); widths as D2I's deployment scripts
    _t("ssd_pre_proceedings", "prep_table_id", "prep_person_id",
       ("prep_table_id", ID), ("prep_person_id", ID), ("prep_plo_family_id", ID),
       ("prep_pre_pro_decision_date", DATE), ("prep_initial_pre_pro_meeting_date", DATE),
       ("prep_pre_pro_outcome", "NVARCHAR(100)"), ("prep_agree_stepdown_issue_date", DATE),
       ("prep_cp_plans_referral_period", "INT"), ("prep_legal_gateway_outcome", "NVARCHAR(100)"),
       ("prep_prev_pre_proc_child", "INT"), ("prep_prev_care_proc_child", "INT"),
       ("prep_pre_pro_letter_date", DATE), ("prep_care_pro_letter_date", DATE),
       ("prep_pre_pro_meetings_num", "INT"), ("prep_pre_pro_parents_legal_rep", FLAG),
       ("prep_parents_legal_rep_point_of_issue", "NCHAR(2)"), ("prep_court_reference", ID),
       ("prep_care_proc_court_hearings", "INT"), ("prep_care_proc_short_notice", FLAG),
       ("prep_proc_short_notice_reason", "NVARCHAR(100)"), ("prep_la_inital_plan_approved", FLAG),
       ("prep_la_initial_care_plan", "NVARCHAR(100)"), ("prep_la_final_plan_approved", FLAG),
       ("prep_la_final_care_plan", "NVARCHAR(100)")),
    # the EHCP tables reach the person through ssd_send (ssd_send.yml, ssd_ehcp_requests.yml
    # and ssd_ehcp_assessment.yml at 0855a2b, ssd_ehcp_named_plan.yml at 51d65e1,
    # ssd_ehcp_active_plans.yml at 197926d)
    _t("ssd_send", "send_table_id", "send_person_id",
       ("send_table_id", ID), ("send_upn", ID), ("send_uln", ID), ("send_upn_unknown", ID),
       ("send_person_id", ID)),
    _t("ssd_ehcp_requests", "ehcr_ehcp_request_id", None,
       ("ehcr_ehcp_request_id", ID), ("ehcr_send_table_id", ID), ("ehcr_ehcp_req_date", DATE),
       ("ehcr_ehcp_req_outcome_date", DATE), ("ehcr_ehcp_req_outcome", "NVARCHAR(100)")),
    _t("ssd_ehcp_assessment", "ehca_ehcp_assessment_id", None,
       ("ehca_ehcp_assessment_id", ID), ("ehca_ehcp_request_id", ID),
       ("ehca_ehcp_assessment_outcome_date", DATE),
       ("ehca_ehcp_assessment_outcome", "NVARCHAR(100)"),
       ("ehca_ehcp_assessment_exceptions", "NVARCHAR(100)")),
    _t("ssd_ehcp_named_plan", "ehcn_named_plan_id", None,
       ("ehcn_named_plan_id", ID), ("ehcn_ehcp_asmt_id", ID), ("ehcn_named_plan_start_date", DATE),
       ("ehcn_named_plan_ceased_date", DATE), ("ehcn_named_plan_ceased_reason", "NVARCHAR(100)")),
    _t("ssd_ehcp_active_plans", "ehcp_active_ehcp_id", None,
       ("ehcp_active_ehcp_id", ID), ("ehcp_ehcp_request_id", ID),
       ("ehcp_active_ehcp_last_review_date", DATE)),
]}

# Tables a council's SSD may lack (added to the specification later than the rest, or not
# extracted everywhere yet), with what leaves out without them: the queries read them
# as empty (returns.connect) and check says so.
OPTIONAL: dict[str, str] = {
    "ssd_cp_reviews": "Annex A List 7's latest review conference date",
    "ssd_legal_status": "Annex A List 8's legal status",
    "ssd_cla_reviews": "Annex A List 8's latest review date",
    "ssd_pre_proceedings": "pre-proceedings (PLO) periods, which no example reads yet",
    "ssd_send": "SEND identifiers linking the EHCP tables to children, which no example reads yet",
    "ssd_ehcp_requests": "EHC needs assessment requests, which no example reads yet",
    "ssd_ehcp_assessment": "EHC needs assessments, which no example reads yet",
    "ssd_ehcp_named_plan": "EHC plans, which no example reads yet",
    "ssd_ehcp_active_plans": "active EHC plans' reviews, which no example reads yet",
}


def ddl() -> list[str]:
    """Every declared table's ``CREATE TABLE`` statement, ``ssd_person`` first."""
    return [t.ddl() for t in TABLES.values()]
