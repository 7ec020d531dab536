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


def _iso(value) -> str | None:
    """A date as YYYY-MM-DD (dates from :func:`_plain` already are)."""
    if value is None or isinstance(value, str):
        return value
    return None if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Dates as YYYY-MM-DD text and every missing value None, so rows become plain dicts
    quickly."""
    df = df.copy()
    for col in df.columns:
        if pd.api.types.is_datetime64_any_dtype(df[col]):
            df[col] = df[col].dt.strftime("%Y-%m-%d")
    return df.astype(object).where(df.notna(), None)


def _clean(record: dict) -> dict:
    """The record without its missing items (the API takes absent, not null)."""
    return {k: v for k, v in record.items() if v is not None}


def _records(df: pd.DataFrame) -> list[dict]:
    """The rows as dicts (faster than ``to_dict("records")``, which boxes every value)."""
    cols = list(df.columns)
    return [dict(zip(cols, values)) for values in zip(*(df[c].tolist() for c in cols))]


def _by(df: pd.DataFrame, key: str) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {}
    for row in _records(df):
        groups.setdefault(row[key], []).append(row)
    return groups


def _frame(con, sql: str, on: str) -> pd.DataFrame:
    return con.execute(sql.replace("{on}", on)).df()


_COHORT = """
SELECT DISTINCT cine_person_id AS person_id FROM ssd_cin_episodes
WHERE CAST(cine_referral_date AS DATE) <= CAST('{on}' AS DATE)
  AND (cine_close_date IS NULL
       OR CAST(cine_close_date AS DATE) >= CAST('{on}' AS DATE) - INTERVAL 1 YEAR)
UNION
SELECT clea_person_id FROM ssd_care_leavers
WHERE CAST(clea_care_leaver_latest_contact AS DATE) > CAST('{on}' AS DATE) - INTERVAL 1 YEAR
"""


def payloads(con, la_code: int | str, extract_date) -> dict[str, dict]:
    """Each cohort child's payload (see the module docstring) from the DuckDB SSD ``con``,
    as on ``extract_date``, by child identifier."""
    on = pd.Timestamp(extract_date).strftime("%Y-%m-%d")
    con.execute("CREATE OR REPLACE TEMP TABLE api_cohort AS " + _COHORT.replace("{on}", on))

    def table(name: str, person: str, order: str) -> pd.DataFrame:
        return _plain(con.execute(f"SELECT t.* FROM {name} t JOIN api_cohort c "
                                  f"ON c.person_id = t.{person} ORDER BY {order}").df())

    people = table("ssd_person", "pers_person_id", "pers_person_id")
    upn = table("ssd_linked_identifiers", "link_person_id", "link_person_id")
    upn = upn[upn["link_identifier_type"] == "Unique Pupil Number"].set_index("link_person_id")
    dis = _by(table("ssd_disability", "disa_person_id", "disa_table_id"), "disa_person_id")
    sdq = _by(table("ssd_sdq_scores", "csdq_person_id", "csdq_sdq_completed_date"),
              "csdq_person_id")
    episodes = _by(table("ssd_cin_episodes", "cine_person_id", "cine_referral_date, cine_referral_id"),
                   "cine_person_id")
    parts = _episode_parts(con, table)
    leavers = table("ssd_care_leavers", "clea_person_id", "clea_person_id").set_index(
        "clea_person_id")
    out = {}
    for p in _records(people):
        pid = p["pers_person_id"]
        details = _clean({
            "unique_pupil_number": upn["link_identifier_value"].get(pid),
            "unique_pupil_number_unknown_reason": p["pers_upn_unknown"],
            "date_of_birth": _iso(p["pers_dob"]), "expected_date_of_birth": _iso(p["pers_expected_dob"]),
            "sex": p["pers_sex"], "ethnicity": p["pers_ethnicity"],
            "disabilities": [d["disa_disability_code"] for d in dis.get(pid, [])
                             if d["disa_disability_code"] != "NONE"],
            "purge": False})
        child = {"la_child_id": pid, "mis_child_id": pid, "purge": False,
                 "child_details": details}
        if pid in sdq:
            child["health_and_wellbeing"] = {"sdq_assessments": [
                {"date": _iso(s["csdq_sdq_completed_date"]), "score": int(s["csdq_sdq_score"])}
                for s in sdq[pid]], "purge": False}
        eps = [_episode(e, parts) for e in episodes.get(pid, [])]
        if pid in leavers.index and eps:
            cl = leavers.loc[pid]
            eps[-1]["care_leavers"] = _clean({
                "contact_date": _iso(cl["clea_care_leaver_latest_contact"]),
                "activity": cl["clea_care_leaver_activity"],
                "accommodation": cl["clea_care_leaver_accommodation"], "purge": False})
        if eps:
            child["social_care_episodes"] = eps
        out[pid] = {"la_code": int(la_code), "Children": child}
    return out


def _episode_parts(con, table) -> dict[str, dict[str, list[dict]]]:
    """The records of each kind, grouped by referral."""
    ass = table("ssd_cin_assessments", "cina_person_id", "cina_assessment_start_date")
    factors = con.execute("SELECT cinf_assessment_id, cinf_assessment_factors_json "
                          "FROM ssd_assessment_factors").df().set_index("cinf_assessment_id")
    ass["factors"] = ass["cina_assessment_id"].map(factors["cinf_assessment_factors_json"])
    s47 = table("ssd_s47_enquiry", "s47e_person_id", "s47e_s47_start_date")
    icpc = con.execute("SELECT icpc_s47_enquiry_id, icpc_icpc_date FROM ssd_initial_cp_conference"
                       ).df().drop_duplicates("icpc_s47_enquiry_id").set_index("icpc_s47_enquiry_id")
    s47["icpc_date"] = s47["s47e_s47_enquiry_id"].map(icpc["icpc_icpc_date"])
    eps = table("ssd_cla_episodes", "clae_person_id", "clae_cla_episode_start_date")
    place = table("ssd_cla_placement", "clap_person_id", "clap_cla_placement_start_date")
    first = eps.drop_duplicates("clae_cla_placement_id").set_index("clae_cla_placement_id")
    last = eps.drop_duplicates("clae_cla_placement_id", keep="last").set_index("clae_cla_placement_id")
    place["referral_id"] = place["clap_cla_placement_id"].map(first["clae_referral_id"])
    place["start_reason"] = place["clap_cla_placement_id"].map(first["clae_cla_episode_start_reason"])
    place["end_reason"] = place["clap_cla_placement_id"].map(last["clae_cla_episode_ceased_reason"])
    perm = table("ssd_permanence", "perm_person_id", "perm_table_id")
    periods = eps.drop_duplicates("clae_cla_id").set_index("clae_cla_id")["clae_referral_id"]
    perm["referral_id"] = perm["perm_cla_id"].map(periods)
    return {
        "workers": _by(table("ssd_involvements", "invo_person_id", "invo_involvement_start_date"),
                       "invo_referral_id"),
        "assessments": _by(_plain(ass), "cina_referral_id"),
        "cin_plans": _by(table("ssd_cin_plans", "cinp_person_id", "cinp_cin_plan_start_date"),
                         "cinp_referral_id"),
        "s47": _by(_plain(s47), "s47e_referral_id"),
        "cp_plans": _by(table("ssd_cp_plans", "cppl_person_id", "cppl_cp_plan_start_date"),
                        "cppl_referral_id"),
        "placements": _by(_plain(place), "referral_id"),
        "adoption": _by(_plain(perm), "referral_id"),
    }


def _episode(e: dict, parts: dict) -> dict:
    ref = e["cine_referral_id"]
    ep = _clean({
        "social_care_episode_id": ref, "referral_date": _iso(e["cine_referral_date"]),
        "referral_source": e["cine_referral_source_code"],
        "referral_no_further_action_flag": None if e["cine_referral_nfa"] is None
        else e["cine_referral_nfa"] == "Y",
        "closure_date": _iso(e["cine_close_date"]), "closure_reason": e["cine_close_reason"]})
    lists = {
        "care_worker_details": [_clean({
            "worker_id": w["invo_professional_id"], "start_date": _iso(w["invo_involvement_start_date"]),
            "end_date": _iso(w["invo_involvement_end_date"])}) for w in parts["workers"].get(ref, [])],
        "child_and_family_assessments": [_clean({
            "child_and_family_assessment_id": a["cina_assessment_id"],
            "start_date": _iso(a["cina_assessment_start_date"]),
            "authorisation_date": _iso(a["cina_assessment_auth_date"]),
            "factors": json.loads(a["factors"]) if isinstance(a["factors"], str) else None,
            "purge": False}) for a in parts["assessments"].get(ref, [])],
        "child_in_need_plans": [_clean({
            "child_in_need_plan_id": p["cinp_cin_plan_id"],
            "start_date": _iso(p["cinp_cin_plan_start_date"]),
            "end_date": _iso(p["cinp_cin_plan_end_date"]), "purge": False})
            for p in parts["cin_plans"].get(ref, [])],
        "section_47_assessments": [_clean({
            "section_47_assessment_id": s["s47e_s47_enquiry_id"],
            "start_date": _iso(s["s47e_s47_start_date"]),
            "icpc_required_flag": True if s["icpc_date"] is not None
            else (False if s["s47e_s47_nfa"] == "Y" else None),
            "icpc_date": _iso(s["icpc_date"]), "end_date": _iso(s["s47e_s47_end_date"]),
            "purge": False}) for s in parts["s47"].get(ref, [])],
        "child_protection_plans": [_clean({
            "child_protection_plan_id": p["cppl_cp_plan_id"],
            "start_date": _iso(p["cppl_cp_plan_start_date"]),
            "end_date": _iso(p["cppl_cp_plan_end_date"]), "purge": False})
            for p in parts["cp_plans"].get(ref, [])],
        "child_looked_after_placements": [_clean({
            "child_looked_after_placement_id": p["clap_cla_placement_id"],
            "start_date": _iso(p["clap_cla_placement_start_date"]),
            "start_reason": p["start_reason"], "placement_type": p["clap_cla_placement_type"],
            "postcode": p["clap_cla_placement_postcode"],
            "end_date": _iso(p["clap_cla_placement_end_date"]),
            "end_reason": p["end_reason"] if p["clap_cla_placement_end_date"] else None,
            "change_reason": p["clap_cla_placement_change_reason"], "purge": False})
            for p in parts["placements"].get(ref, [])],
    }
    ep.update({k: v for k, v in lists.items() if v})
    adoption = parts["adoption"].get(ref)
    if adoption:
        a = adoption[-1]
        ep["adoption"] = _clean({"initial_decision_date": _iso(a["perm_adm_decision_date"]),
                                 "matched_date": _iso(a["perm_matched_date"]),
                                 "placed_date": _iso(a["perm_placed_for_adoption_date"]),
                                 "purge": False})
    ep["purge"] = False
    return ep


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
    import fastjsonschema

    return fastjsonschema.compile(schema())


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
    validator = Draft202012Validator(schema())
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
