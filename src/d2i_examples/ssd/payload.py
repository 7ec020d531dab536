"""Each child's payload for the DfE's children's social care API, built from an SSD.

The payload's structure is specification v0.7's, as D2I's dfe-csc-api-data-flows
repository documents it (docs/payload_structure.md, commit 0428fdf): ``la_code`` and ``Children`` at the
top, ``Children`` holding one child: ``child_details``, ``health_and_wellbeing`` (SDQ
assessments) and ``social_care_episodes`` (one per referral: assessments, CIN plans,
section 47 enquiries, CP plans, looked-after placements, adoption, care leaver details),
each record with a ``purge`` flag. ``payload.schema.json`` is the project's own JSON
Schema for it (see its description for what it makes mandatory).

- :func:`payloads` builds the payloads of the cohort from a DuckDB SSD: children with a
  referral open at some point of the 12 months up to the extract date, or a care leaver
  contact in them (the project's choice of cohort; the DfE's early adopters agree theirs).
- :func:`validate` checks payloads against the schema and :func:`quality` looks for what a
  schema cannot see (dates out of order); both name the child and the field.
- :func:`partial` builds the payloads to send after a new extract: by difference with the
  previous one, new and changed children only, with ``purge: true`` stubs for children and
  records that have gone.

Nothing is sent anywhere: a council's real submission runs D2I's pipeline (its
``api_pipeline`` package) inside the council's network, with the DfE's credentials.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

SCHEMA_PATH = Path(__file__).with_name("payload.schema.json")

_EPISODE_PARTS = {  # list in an episode -> its records' identifier
    "child_and_family_assessments": "child_and_family_assessment_id",
    "child_in_need_plans": "child_in_need_plan_id",
    "section_47_assessments": "section_47_assessment_id",
    "child_protection_plans": "child_protection_plan_id",
    "child_looked_after_placements": "child_looked_after_placement_id",
}


@lru_cache(maxsize=1)
def schema() -> dict:
    """The project's JSON Schema for one child's payload."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


# --- building ---------------------------------------------------------------------------



_COHORT = """
SELECT DISTINCT cine_person_id AS person_id FROM ssd_cin_episodes
WHERE CAST(cine_referral_date AS DATE) <= CAST('{on}' AS DATE)
  AND (cine_close_date IS NULL
       OR CAST(cine_close_date AS DATE) >= CAST('{on}' AS DATE) - INTERVAL 1 YEAR)
UNION
SELECT clea_person_id FROM ssd_care_leavers
WHERE CAST(clea_care_leaver_latest_contact AS DATE) > CAST('{on}' AS DATE) - INTERVAL 1 YEAR
"""

# A date as YYYY-MM-DD; a value that is not a date is passed on as text, for the schema
# to name.
_DAY = ("CREATE OR REPLACE TEMP MACRO api_day(x) AS "
        "coalesce(strftime(TRY_CAST(x AS DATE), '%Y-%m-%d'), CAST(x AS VARCHAR))")

# A CLA episode's place: first and last of its placement, first of its period of care.
_CLA = """
SELECT clae_cla_placement_id AS place_id, clae_cla_id AS cla_id, clae_referral_id,
       clae_cla_episode_start_reason, clae_cla_episode_ceased_reason,
       row_number() OVER (PARTITION BY clae_cla_placement_id
         ORDER BY clae_cla_episode_start_date, clae_cla_episode_id) AS first_in_placement,
       row_number() OVER (PARTITION BY clae_cla_placement_id
         ORDER BY clae_cla_episode_start_date DESC, clae_cla_episode_id DESC) AS last_in_placement,
       row_number() OVER (PARTITION BY clae_cla_id
         ORDER BY clae_cla_episode_start_date, clae_cla_episode_id) AS first_in_period
FROM ssd_cla_episodes JOIN api_cohort ON person_id = clae_person_id
"""

# The cohort's records, one query per kind: the first column is what they are grouped by
# (the child, or the referral), the others are named as in the payload; rows come in the
# payload's order (by date, then identifier). Set-based: no query per child.
_QUERIES = {
    "children": """
SELECT pers_person_id, pers_person_id AS la_child_id,
       upn AS unique_pupil_number, pers_upn_unknown AS unique_pupil_number_unknown_reason,
       api_day(pers_dob) AS date_of_birth, api_day(pers_expected_dob) AS expected_date_of_birth,
       pers_sex AS sex, pers_ethnicity AS ethnicity
FROM ssd_person JOIN api_cohort ON person_id = pers_person_id
LEFT JOIN (SELECT link_person_id, MAX(link_identifier_value) AS upn FROM ssd_linked_identifiers
           WHERE link_identifier_type = 'Unique Pupil Number' GROUP BY link_person_id) u
  ON link_person_id = pers_person_id
ORDER BY pers_person_id""",
    "disabilities": """
SELECT disa_person_id, disa_disability_code AS code
FROM ssd_disability JOIN api_cohort ON person_id = disa_person_id
WHERE disa_disability_code <> 'NONE' ORDER BY disa_person_id, disa_table_id""",
    "sdq_assessments": """
SELECT csdq_person_id, api_day(csdq_sdq_completed_date) AS date,
       TRY_CAST(csdq_sdq_score AS INTEGER) AS score
FROM ssd_sdq_scores JOIN api_cohort ON person_id = csdq_person_id
ORDER BY csdq_person_id, csdq_sdq_completed_date, csdq_table_id""",
    "social_care_episodes": """
SELECT cine_person_id, cine_referral_id AS social_care_episode_id,
       api_day(cine_referral_date) AS referral_date,
       cine_referral_source_code AS referral_source,
       cine_referral_nfa = 'Y' AS referral_no_further_action_flag,
       api_day(cine_close_date) AS closure_date, cine_close_reason AS closure_reason
FROM ssd_cin_episodes JOIN api_cohort ON person_id = cine_person_id
ORDER BY cine_person_id, cine_referral_date, cine_referral_id""",
    "care_worker_details": """
SELECT invo_referral_id, invo_professional_id AS worker_id,
       api_day(invo_involvement_start_date) AS start_date,
       api_day(invo_involvement_end_date) AS end_date
FROM ssd_involvements JOIN api_cohort ON person_id = invo_person_id
ORDER BY invo_referral_id, invo_involvement_start_date, invo_involvements_id""",
    "child_and_family_assessments": """
SELECT cina_referral_id, cina_assessment_id AS child_and_family_assessment_id,
       api_day(cina_assessment_start_date) AS start_date,
       api_day(cina_assessment_auth_date) AS authorisation_date,
       CASE WHEN json_valid(factors) THEN factors END AS factors, false AS purge
FROM ssd_cin_assessments JOIN api_cohort ON person_id = cina_person_id
LEFT JOIN (SELECT cinf_assessment_id, MIN(cinf_assessment_factors_json) AS factors
           FROM ssd_assessment_factors GROUP BY cinf_assessment_id) f
  ON cinf_assessment_id = cina_assessment_id
ORDER BY cina_referral_id, cina_assessment_start_date, cina_assessment_id""",
    "child_in_need_plans": """
SELECT cinp_referral_id, cinp_cin_plan_id AS child_in_need_plan_id,
       api_day(cinp_cin_plan_start_date) AS start_date,
       api_day(cinp_cin_plan_end_date) AS end_date, false AS purge
FROM ssd_cin_plans JOIN api_cohort ON person_id = cinp_person_id
ORDER BY cinp_referral_id, cinp_cin_plan_start_date, cinp_cin_plan_id""",
    "section_47_assessments": """
SELECT s47e_referral_id, s47e_s47_enquiry_id AS section_47_assessment_id,
       api_day(s47e_s47_start_date) AS start_date,
       CASE WHEN icpc_date IS NOT NULL THEN true WHEN s47e_s47_nfa = 'Y' THEN false END
         AS icpc_required_flag,
       api_day(icpc_date) AS icpc_date, api_day(s47e_s47_end_date) AS end_date, false AS purge
FROM ssd_s47_enquiry JOIN api_cohort ON person_id = s47e_person_id
LEFT JOIN (SELECT icpc_s47_enquiry_id, MIN(icpc_icpc_date) AS icpc_date
           FROM ssd_initial_cp_conference GROUP BY icpc_s47_enquiry_id) c
  ON icpc_s47_enquiry_id = s47e_s47_enquiry_id
ORDER BY s47e_referral_id, s47e_s47_start_date, s47e_s47_enquiry_id""",
    "child_protection_plans": """
SELECT cppl_referral_id, cppl_cp_plan_id AS child_protection_plan_id,
       api_day(cppl_cp_plan_start_date) AS start_date,
       api_day(cppl_cp_plan_end_date) AS end_date, false AS purge
FROM ssd_cp_plans JOIN api_cohort ON person_id = cppl_person_id
ORDER BY cppl_referral_id, cppl_cp_plan_start_date, cppl_cp_plan_id""",
    "child_looked_after_placements": """
SELECT f.clae_referral_id, clap_cla_placement_id AS child_looked_after_placement_id,
       api_day(clap_cla_placement_start_date) AS start_date,
       f.clae_cla_episode_start_reason AS start_reason,
       clap_cla_placement_type AS placement_type, clap_cla_placement_postcode AS postcode,
       api_day(clap_cla_placement_end_date) AS end_date,
       CASE WHEN clap_cla_placement_end_date IS NOT NULL
            THEN l.clae_cla_episode_ceased_reason END AS end_reason,
       clap_cla_placement_change_reason AS change_reason, false AS purge
FROM ssd_cla_placement JOIN api_cohort ON person_id = clap_person_id
JOIN api_cla f ON f.place_id = clap_cla_placement_id AND f.first_in_placement = 1
LEFT JOIN api_cla l ON l.place_id = clap_cla_placement_id AND l.last_in_placement = 1
ORDER BY f.clae_referral_id, clap_cla_placement_start_date, clap_cla_placement_id""",
    "adoption": """
SELECT clae_referral_id, api_day(perm_adm_decision_date) AS initial_decision_date,
       api_day(perm_matched_date) AS matched_date,
       api_day(perm_placed_for_adoption_date) AS placed_date, false AS purge
FROM ssd_permanence JOIN api_cohort ON person_id = perm_person_id
JOIN api_cla ON cla_id = perm_cla_id AND first_in_period = 1
ORDER BY clae_referral_id, perm_table_id""",
    "care_leavers": """
SELECT clea_person_id, api_day(clea_care_leaver_latest_contact) AS contact_date,
       clea_care_leaver_activity AS activity,
       clea_care_leaver_accommodation AS accommodation, false AS purge
FROM ssd_care_leavers JOIN api_cohort ON person_id = clea_person_id
ORDER BY clea_person_id, clea_care_leaver_latest_contact, clea_table_id""",
}
_LISTS = ["care_worker_details", "child_and_family_assessments", "child_in_need_plans",
          "section_47_assessments", "child_protection_plans", "child_looked_after_placements"]


def _grouped(con, sql: str) -> dict[str, list[dict]]:
    """The query's rows as records (missing items left out), grouped by its first column."""
    cur = con.execute(sql)
    names = [d[0] for d in cur.description][1:]
    groups: dict[str, list[dict]] = {}
    for key, *values in cur.fetchall():
        groups.setdefault(key, []).append(
            {k: v for k, v in zip(names, values) if v is not None})
    return groups


def payloads(con, la_code: int | str, extract_date) -> dict[str, dict]:
    """Each cohort child's payload (see the module docstring) from the DuckDB SSD ``con``,
    as on ``extract_date``, by child identifier."""
    on = pd.Timestamp(extract_date).strftime("%Y-%m-%d")
    con.execute("CREATE OR REPLACE TEMP TABLE api_cohort AS " + _COHORT.replace("{on}", on))
    con.execute(_DAY)
    con.execute("CREATE OR REPLACE TEMP TABLE api_cla AS " + _CLA)
    got = {name: _grouped(con, sql) for name, sql in _QUERIES.items()}
    for assessments in got["child_and_family_assessments"].values():
        for a in assessments:
            if "factors" in a:
                a["factors"] = json.loads(a["factors"])
    la, out = int(la_code), {}
    for pid, (person, *_) in got["children"].items():
        details = {k: v for k, v in person.items() if k != "la_child_id"}
        details["disabilities"] = [d["code"] for d in got["disabilities"].get(pid, [])]
        details["purge"] = False
        child = {"la_child_id": pid, "mis_child_id": pid, "purge": False,
                 "child_details": details}
        if pid in got["sdq_assessments"]:
            child["health_and_wellbeing"] = {"sdq_assessments": got["sdq_assessments"][pid],
                                             "purge": False}
        episodes = got["social_care_episodes"].get(pid, [])
        for ep in episodes:
            ref = ep["social_care_episode_id"]
            for part in _LISTS:
                if ref in got[part]:
                    ep[part] = got[part][ref]
            if ref in got["adoption"]:
                ep["adoption"] = got["adoption"][ref][-1]
            ep["purge"] = False
        if episodes:
            if pid in got["care_leavers"]:
                episodes[-1]["care_leavers"] = got["care_leavers"][pid][-1]
            child["social_care_episodes"] = episodes
        out[pid] = {"la_code": la, "Children": child}
    return out


# --- checking ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem in one child's payload: the child, the field (a path such as
    ``social_care_episodes[0].referral_date``) and what is wrong, in plain words."""

    child: str
    field: str
    problem: str

    def __str__(self) -> str:
        return f"child {self.child}, {self.field}: {self.problem}"


def _path(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(the payload)"


def _child_id(payload) -> str:
    child = payload.get("Children") if isinstance(payload, dict) else None
    return str(child.get("la_child_id", "(no la_child_id)")) if isinstance(child, dict) \
        else "(no Children)"


@lru_cache(maxsize=1)
def _screen():
    """The schema compiled to Python by fastjsonschema, with its ``$ref``s written out in
    place (the compiled code then calls no function per record: about 1.5 times faster)."""
    import fastjsonschema

    whole = schema()
    return fastjsonschema.compile(_inline(whole, whole["$defs"]))


def _inline(node, defs: dict):
    """``node`` with every ``{"$ref": "#/$defs/NAME"}`` replaced by that definition (the
    schema's definitions do not refer to themselves) and ``$defs`` left out."""
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        rest = {k: v for k, v in node.items() if k != "$ref"}
        return _inline({**defs[node["$ref"].removeprefix("#/$defs/")], **rest}, defs)
    return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}


def validate(payloads_by_child: dict[str, dict]) -> list[Problem]:
    """Every payload checked against the project's JSON Schema: one :class:`Problem` per
    error, naming the child and the field (empty when all are valid). A compiled validator
    (fastjsonschema) screens the payloads; jsonschema then lists every error of those that
    fail it."""
    import fastjsonschema
    from jsonschema import Draft202012Validator

    screen = _screen()
    failing = []
    for payload in payloads_by_child.values():
        try:
            screen(payload)
        except fastjsonschema.JsonSchemaException:
            failing.append(payload)
    validator = Draft202012Validator(schema(),
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    problems = []
    for payload in failing:
        for err in sorted(validator.iter_errors(payload), key=lambda e: list(e.absolute_path)):
            path = list(err.absolute_path)
            if err.validator == "required":
                missing = err.message.split("'")[1] if "'" in err.message else err.message
                path, message = path + [missing], "is missing (mandatory)"
            else:
                message = err.message
            if path[:1] == ["Children"]:
                path = path[1:]
            problems.append(Problem(_child_id(payload), _path(path), message))
    return problems


_ORDER = [  # (list in an episode or None for the episode itself, start, end)
    (None, "referral_date", "closure_date"),
    ("child_and_family_assessments", "start_date", "authorisation_date"),
    ("child_in_need_plans", "start_date", "end_date"),
    ("section_47_assessments", "start_date", "end_date"),
    ("section_47_assessments", "start_date", "icpc_date"),
    ("child_protection_plans", "start_date", "end_date"),
    ("child_looked_after_placements", "start_date", "end_date"),
]


def quality(payloads_by_child: dict[str, dict]) -> list[Problem]:
    """What a schema cannot see: dates out of order (an end before its start, an event
    before the child's birth), one :class:`Problem` each."""
    problems = []
    for payload in payloads_by_child.values():
        child = payload["Children"]
        cid = child["la_child_id"]
        born = child.get("child_details", {}).get("date_of_birth")
        for i, ep in enumerate(child.get("social_care_episodes", [])):
            for part, start, end in _ORDER:
                records = [(f"social_care_episodes[{i}]", ep)] if part is None else [
                    (f"social_care_episodes[{i}].{part}[{k}]", r)
                    for k, r in enumerate(ep.get(part, []))]
                for where, r in records:
                    if r.get(start) and r.get(end) and r[end] < r[start]:
                        problems.append(Problem(cid, f"{where}.{end}",
                                                f"{r[end]} is before its {start} {r[start]}"))
            if born and ep.get("referral_date") and ep["referral_date"] < born:
                problems.append(Problem(cid, f"social_care_episodes[{i}].referral_date",
                                        f"{ep['referral_date']} is before the date of birth {born}"))
    return problems


def problems_table(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a table: child, field, problem."""
    return pd.DataFrame([vars(p) for p in problems], columns=["child", "field", "problem"])


# --- partial payloads -------------------------------------------------------------------


def _purged(id_name: str, record_id: str) -> dict:
    return {id_name: record_id, "purge": True}


def _episode_difference(old: dict, new: dict) -> dict:
    """The new episode, with purge stubs for the records the old one had and the new lacks."""
    out = dict(new)
    for part, id_name in _EPISODE_PARTS.items():
        kept = {r[id_name] for r in new.get(part, [])}
        gone = [_purged(id_name, r[id_name]) for r in old.get(part, []) if r[id_name] not in kept]
        if gone:
            out[part] = list(new.get(part, [])) + gone
    return out


def partial(previous: dict[str, dict], current: dict[str, dict]) -> dict[str, dict]:
    """The payloads to send after ``current`` when ``previous`` was sent: a new child's
    full payload; for a changed child, its details and only its new or changed episodes
    (with purge stubs for the episodes and records that have gone); a ``purge: true`` stub
    for a child no longer in the extract. Unchanged children are left out."""
    out = {}
    for cid, payload in current.items():
        old = previous.get(cid)
        if old == payload:
            continue
        if old is None:
            out[cid] = payload
            continue
        new_child, old_child = payload["Children"], old["Children"]
        old_eps = {e["social_care_episode_id"]: e for e in old_child.get("social_care_episodes", [])}
        new_eps = {e["social_care_episode_id"]: e for e in new_child.get("social_care_episodes", [])}
        episodes = [e if eid not in old_eps else _episode_difference(old_eps[eid], e)
                    for eid, e in new_eps.items() if old_eps.get(eid) != e]
        episodes += [_purged("social_care_episode_id", eid) for eid in old_eps if eid not in new_eps]
        child = {k: v for k, v in new_child.items() if k != "social_care_episodes"}
        if child.get("health_and_wellbeing") == old_child.get("health_and_wellbeing"):
            child.pop("health_and_wellbeing", None)
        if episodes:
            child["social_care_episodes"] = episodes
        out[cid] = {"la_code": payload["la_code"], "Children": child}
    for cid, old in previous.items():
        if cid not in current:
            out[cid] = {"la_code": old["la_code"], "Children": {"la_child_id": cid, "purge": True}}
    return out
