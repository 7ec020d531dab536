"""Write the children in need (CIN) census XML for one collection year from simulated journeys.

Definition (DfE, *Children in need census: guide* and its XML schema): the census for the
year ending 31 March ``Y`` holds every child with a CIN episode (a referral to children's
social care and the work that followed) open at any point from 1 April ``Y-1`` to 31 March
``Y``: referred in the year, open at its start, or closed during it. One ``CINdetails`` per
such episode, holding the modules that touch the year:

- ``Assessments`` completed (authorised) in the year, or open on 31 March;
- ``CINPlanDates`` and ``ChildProtectionPlans`` open at any point in the year, with the
  ``CPPreviewDate`` of review conferences held in the year;
- ``Section47`` enquiries running at some point of the year (until their initial child
  protection conference, ICPC, or the decision that none is needed);
- from 2026/27 only (``spec.cin_census.tables``), ``PreProceedings`` for the children whose
  case went through pre-proceedings before care proceedings in the year
  (:mod:`d2i_examples.synth.pre_proceedings`), last in their ``CINdetails``.

Everything is as the authority's records stand on 31 March ``Y``
(:mod:`d2i_examples.synth.as_at`): later dates are not known yet, so an episode, plan or
assessment still running then has no end date; an enquiry without a conference is recorded
as ICPC not required once it has ended (with its assessment's authorisation, or 20 days
after it started at the latest); a case with a section 47 enquiry never closes as RC8/RC9. A referral with no further action is closed on its
referral date (the simulation's ``nfa``). The ICPC is recorded on the ``Section47`` module
only, never also on ``CINdetails`` (rule 2884).

Element names and order follow the schema; from 2024/25 (collection year 2025) the child's
``Sex`` (M/F/U) replaces ``GenderCurrent`` (1 male, 2 female), which earlier years get.
Yes/no flags are written ``1``/``0``. Children of school age have their UPN; younger
children are ``UN1`` (not yet of school age). The output is deterministic: the header's
``DateTime`` is 09:00 on the day after the census date, not the time of writing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from d2i_examples.errors import DataError
from d2i_examples.spec.cin_census import TABLES
from d2i_examples.spec.cin_census import tables as tables_of_year
from d2i_examples.synth.as_at import active, referrals_as_at, s47_during
from d2i_examples.synth.pre_proceedings import pre_proceedings
from d2i_examples.synth.simulate import Journeys

# The census has a Sex element (M/F/U) from 2024/25; GenderCurrent (1/2) before that.
FIRST_YEAR_WITH_SEX = 2025
GENDER_CURRENT = {"M": "1", "F": "2"}

SOFTWARE_CODE = "d2i-examples synthetic data"
RELEASE = "1"
SERIAL_NO = "001"


def census_period(collection_year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the census year ending 31 March ``collection_year``."""
    return pd.Timestamp(f"{collection_year - 1}-04-01"), pd.Timestamp(f"{collection_year}-03-31")


def _check_year(journeys: Journeys, collection_year: int) -> int:
    year = int(collection_year)
    first = journeys.start_year - journeys.profile.history_years
    if not first <= year <= journeys.end_year:
        raise DataError(
            "The simulated journeys do not cover this census year.",
            column="collection_year",
            expected=f"a year from {first} to {journeys.end_year} (the simulation's span; "
            "2026 means the year ending 31 March 2026)",
            found=repr(collection_year),
            fix="Simulate the year first (simulate(..., end_year=...)) or pick a year inside it.",
        )
    return year


def census_referrals(journeys: Journeys, collection_year: int) -> pd.DataFrame:
    """The year's census episodes: referrals open at some time in it, as known on
    31 March, in the order written."""
    start, end = census_period(_check_year(journeys, collection_year))
    ref = active(referrals_as_at(journeys, end), "referral_date", "closure_date", start, end)
    return ref.sort_values(["child_id", "referral_date", "referral_id"], kind="stable")


def census_episodes(journeys: Journeys, collection_year: int) -> dict[str, pd.DataFrame]:
    """The census content as frames: the simulation's rows that belong in the year's census,
    as known on 31 March (see :mod:`d2i_examples.synth.as_at`). Keys: ``children``,
    ``referrals``, ``assessments``, ``cin_plans``, ``s47``, ``cp_plans``, ``cp_reviews``,
    and from 2026/27 ``pre_proceedings``; every frame keyed by ``child_id`` (and
    ``referral_id``), in the order written."""
    year = _check_year(journeys, collection_year)
    start, end = census_period(year)
    ref = census_referrals(journeys, year)

    def in_episodes(df: pd.DataFrame, start_col: str, end_col: str) -> pd.DataFrame:
        return active(df[df["referral_id"].isin(ref["referral_id"])], start_col, end_col,
                      start, end)

    ass = in_episodes(journeys.assessments, "start_date", "authorisation_date")
    ass.loc[ass["authorisation_date"].isna(), "factors"] = None
    cin = in_episodes(journeys.cin_plans, "start_date", "end_date")
    s47 = s47_during(journeys, start, end)
    s47 = s47[s47["referral_id"].isin(ref["referral_id"])]
    cpp = in_episodes(journeys.cp_plans, "start_date", "end_date")
    rev = journeys.cp_reviews
    rev = rev[rev["cp_plan_id"].isin(cpp["cp_plan_id"]) & rev["review_date"].between(start, end)]

    children = journeys.children[journeys.children["child_id"].isin(ref["child_id"])]

    def ordered(df: pd.DataFrame, *keys: str) -> pd.DataFrame:
        return df.sort_values(list(keys), kind="stable").reset_index(drop=True)

    out = {"children": ordered(children, "child_id"),
           "referrals": ref.reset_index(drop=True),
           "assessments": ordered(ass, "referral_id", "start_date"),
           "cin_plans": ordered(cin, "referral_id", "start_date"),
           "s47": ordered(s47, "referral_id", "start_date"),
           "cp_plans": ordered(cpp, "referral_id", "start_date"),
           "cp_reviews": ordered(rev, "cp_plan_id", "review_date")}
    if "PreProceedings" in tables_of_year(year):
        out["pre_proceedings"] = ordered(pre_proceedings(journeys, ref, year),
                                         "referral_id", "PPStartDate")
    return out


# --- XML ----------------------------------------------------------------------------------


def _iso(value) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _flag(value: bool) -> str:
    return "1" if bool(value) else "0"


def _add(parent: ET.Element, tag: str, text: str | None) -> None:
    """Append <tag>text</tag>, leaving optional elements out when there is no value."""
    if text is not None:
        ET.SubElement(parent, tag).text = text


def _block(parent: ET.Element, tag: str, fields: list[tuple[str, str | None]]) -> ET.Element:
    """Append <tag> holding one element per (name, text) field, in order."""
    el = ET.SubElement(parent, tag)
    for name, text in fields:
        _add(el, name, text)
    return el


def _has_upn(dob: pd.Series, collection_year: int) -> pd.Series:
    """Children recorded with their UPN: four by 31 August two years before the census ends,
    so of school age in the DfE's sense (rule 8770Q); younger children are recorded as UN1.
    The SSDA903 writer uses the same rule."""
    return dob + pd.DateOffset(years=4) <= pd.Timestamp(f"{collection_year - 2}-08-31")


def _header(root: ET.Element, year: int, la_code: str) -> None:
    _, end = census_period(year)
    header = ET.SubElement(root, "Header")
    _block(header, "CollectionDetails", [
        ("Collection", "CIN"), ("Year", str(year)), ("ReferenceDate", _iso(end))])
    _block(header, "Source", [
        ("SourceLevel", "L"), ("LEA", str(la_code)), ("SoftwareCode", SOFTWARE_CODE),
        ("Release", RELEASE), ("SerialNo", SERIAL_NO),
        ("DateTime", (end + pd.Timedelta(days=1, hours=9)).strftime("%Y-%m-%dT%H:%M:%S"))])


def _by(df: pd.DataFrame, key: str) -> dict[str, list]:
    """Rows (named tuples, in frame order) grouped by the value of ``key``."""
    groups: dict[str, list] = {}
    for row in df.itertuples(index=False):
        groups.setdefault(getattr(row, key), []).append(row)
    return groups


def cin_census_xml(journeys: Journeys, collection_year: int, la_code: str | None = None) -> bytes:
    """The CIN census XML (UTF-8 bytes) for the year ending 31 March ``collection_year``.

    ``la_code`` is the 3-digit DfE LA number of the header (default: the profile's). See the
    module docstring for who and what is included.
    """
    year = _check_year(journeys, collection_year)
    la_code = journeys.profile.la_code if la_code is None else la_code
    data = census_episodes(journeys, year)

    ass = _by(data["assessments"], "referral_id")
    cin = _by(data["cin_plans"], "referral_id")
    s47 = _by(data["s47"], "referral_id")
    cpp = _by(data["cp_plans"], "referral_id")
    rev = _by(data["cp_reviews"], "cp_plan_id")
    pre = _by(data.get("pre_proceedings", pd.DataFrame(columns=["referral_id"])), "referral_id")
    episodes = _by(data["referrals"], "child_id")

    root = ET.Element("Message")
    _header(root, year, la_code)
    children_el = ET.SubElement(root, "Children")
    children = data["children"].assign(has_upn=lambda c: _has_upn(c["dob"], year))
    for child in children.itertuples(index=False):
        child_el = ET.SubElement(children_el, "Child")
        sex = (("Sex", child.sex) if year >= FIRST_YEAR_WITH_SEX
               else ("GenderCurrent", GENDER_CURRENT[child.sex]))
        _block(child_el, "ChildIdentifiers", [
            ("LAchildID", child.child_id),
            ("UPN", child.upn if child.has_upn else None),
            ("UPNunknown", None if child.has_upn else "UN1"),
            ("PersonBirthDate", _iso(child.dob)), sex])
        chars = _block(child_el, "ChildCharacteristics", [("Ethnicity", child.ethnicity)])
        _block(chars, "Disabilities",
               [("Disability", code) for code in str(child.disabilities).split(",")])
        for ep in episodes[child.child_id]:
            el = _cin_details(child_el, ep, ass, cin, s47, cpp, rev)
            for block in pre.get(ep.referral_id, []):
                _block(el, "PreProceedings", [
                    (name, _iso(value) if isinstance(value, pd.Timestamp) else value)
                    for name, value in zip(_PRE_PROCEEDINGS, block[1:])])

    ET.indent(root, space="  ")
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n")


_PRE_PROCEEDINGS = TABLES["PreProceedings"][2:]  # the block's elements, in order


def _cin_details(child_el, ep, ass, cin, s47, cpp, rev) -> ET.Element:
    el = _block(child_el, "CINdetails", [
        ("CINreferralDate", _iso(ep.referral_date)), ("ReferralSource", ep.source),
        ("PrimaryNeedCode", ep.primary_need), ("CINclosureDate", _iso(ep.closure_date)),
        ("ReasonForClosure", ep.closure_reason)])
    for a in ass.get(ep.referral_id, []):
        a_el = _block(el, "Assessments", [
            ("AssessmentActualStartDate", _iso(a.start_date)),
            ("AssessmentAuthorisationDate", _iso(a.authorisation_date))])
        if a.factors is not None:
            _block(a_el, "FactorsIdentifiedAtAssessment",
                   [("AssessmentFactors", code) for code in a.factors.split(",")])
    for p in cin.get(ep.referral_id, []):
        _block(el, "CINPlanDates", [("CINPlanStartDate", _iso(p.start_date)),
                                    ("CINPlanEndDate", _iso(p.end_date))])
    for s in s47.get(ep.referral_id, []):
        _block(el, "Section47", [
            ("S47ActualStartDate", _iso(s.start_date)),
            ("InitialCPCtarget", _iso(s.icpc_target_date)),
            ("DateOfInitialCPC", _iso(s.icpc_date)),
            ("ICPCnotRequired", _flag(s.icpc_not_required))])
    _add(el, "ReferralNFA", _flag(ep.nfa))
    for p in cpp.get(ep.referral_id, []):
        p_el = _block(el, "ChildProtectionPlans", [
            ("CPPstartDate", _iso(p.start_date)), ("CPPendDate", _iso(p.end_date)),
            ("InitialCategoryOfAbuse", p.initial_category),
            ("LatestCategoryOfAbuse", p.latest_category),
            ("NumberOfPreviousCPP", str(int(p.previous_plans)))])
        reviews = rev.get(p.cp_plan_id, [])
        if reviews:
            _block(p_el, "Reviews", [("CPPreviewDate", _iso(r.review_date)) for r in reviews])
    return el


def cin_census_file_name(collection_year: int) -> str:
    """The census file's name: ``cin_census_<collection_year>.xml``."""
    return f"cin_census_{int(collection_year)}.xml"


def write_cin_census(journeys: Journeys, collection_year: int, folder: str | Path,
                     la_code: str | None = None) -> Path:
    """Write ``cin_census_<collection_year>.xml`` into ``folder`` (created if needed); returns
    its path. Content as :func:`cin_census_xml`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / cin_census_file_name(collection_year)
    path.write_bytes(cin_census_xml(journeys, collection_year, la_code))
    return path
