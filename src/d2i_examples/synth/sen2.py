"""Write the SEN2 return (special educational needs person level survey) as XML.

Definition (``spec.sen2``): the SEN2 for collection year ``Y`` is taken on a census date in
January ``Y`` and counts the activity of calendar year ``Y-1``. It holds every person
with, on the census date, an EHC plan the authority maintains, or work on a request
still open; and every person whose plan ceased, or whose request or assessment was
decided, in calendar year ``Y-1``. Each of those requests is a ``Requests`` block with its
``Assessment`` (if the authority decided to assess), the ``NamedPlan`` issued from it and,
while the plan is active, ``ActivePlans`` with the current placement and SEN needs.

Everything is as the authority's records stand on the census date: a decision, plan or
cessation dated after it is not known yet. A plan issued before the activity year is
recorded with assessment outcome ``H`` (historical).

Placements are invented: schools get made-up URNs (``99xxxx``: mainstream 9901xx,
special 9902xx, alternative provision 9903xx) and colleges made-up UKPRNs (``1099xxxx``);
settings without an establishment use the SEN2 setting codes (early years provider,
elective home education...). Which kind of setting a child is in depends on their age
(assumed shares, ``SETTINGS``). The header's ``DateTime`` is 09:00 on the day after the
census date, not the time of writing, so the output is deterministic. The file is
compact (one line per person, no indentation) to keep the sample data small.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd

from d2i_examples.spec.sen2 import COLLECTION, activity_period, census_date
from d2i_examples.synth.send import SendJourneys

SOFTWARE_CODE = "d2i-examples synthetic data"

# assumed: kind of setting by age band at the time, as cumulative cut points of the
# child's fixed uniform draw (so a child in a special school stays in one)
SETTINGS: dict[str, list[tuple[float, str]]] = {
    "under5": [(0.55, "EYP"), (1.0, "mainstream")],
    "school": [(0.36, "special"), (0.90, "mainstream"), (0.93, "ap"), (0.96, "OLA"),
               (1.0, "EHE")],
    "post16": [(0.22, "special"), (0.38, "mainstream"), (0.86, "college"), (0.93, "NEET"),
               (1.0, "OPA")],
}
_POOLS = {"mainstream": ("URN", 990100, 60), "special": ("URN", 990200, 8),
          "ap": ("URN", 990300, 2), "college": ("UKPRN", 10990000, 4)}


def _iso(value) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _add(parent: ET.Element, tag: str, value) -> None:
    if value is not None and not (isinstance(value, float) and np.isnan(value)):
        ET.SubElement(parent, tag).text = str(value)


def _block(parent: ET.Element, tag: str, items) -> ET.Element:
    el = ET.SubElement(parent, tag)
    for name, value in items:
        _add(el, name, value)
    return el


def _band(age: int) -> str:
    return "under5" if age < 5 else ("school" if age < 16 else "post16")


def _age(dob: pd.Timestamp, on: pd.Timestamp) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def placement(setting_u: float, person_number: int, age: int) -> dict[str, str | None]:
    """The placement of a child of ``age`` whose fixed draw is ``setting_u``: URN or
    UKPRN or SEN setting code (the other two None)."""
    kind = next(k for cut, k in SETTINGS[_band(age)] if setting_u <= cut)
    out = {"URN": None, "UKPRN": None, "SENSetting": None}
    if kind in _POOLS:
        key, first, size = _POOLS[kind]
        out[key] = str(first + 1 + person_number % size)
    else:
        out["SENSetting"] = kind
    return out


def annual_review(start: pd.Timestamp, on: pd.Timestamp
                  ) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """An active plan's latest annual review meeting by ``on`` (the plan's last
    anniversary; None in its first year) and the date the parents were told its decision,
    21 days later (None if after ``on``)."""
    years = _age(start, on)
    review = (start + pd.DateOffset(years=years)) if years >= 1 else None
    decision = review + pd.Timedelta(days=21) if review is not None else None
    return review, (decision if decision is not None and decision <= on else None)


def sen2_tables(send: SendJourneys, collection_year: int) -> dict[str, pd.DataFrame]:
    """Who and what the SEN2 for ``collection_year`` holds, as known on its census date:
    ``requests`` (with their plans' columns) and ``people``."""
    census = pd.Timestamp(census_date(collection_year))
    first, last = (pd.Timestamp(d) for d in activity_period(collection_year))
    req = send.requests.merge(send.plans.drop(columns=["person_id"]), on="request_id",
                              how="left")
    req = req[req["received_date"] <= census].copy()

    def known(col: str) -> pd.Series:
        return req[col].where(req[col] <= census)

    for col in ("decision_date", "assessment_date", "plan_date", "start_date", "cease_date"):
        req[col] = known(col)
    active = req["start_date"].notna() & req["cease_date"].isna()
    ceased = req["cease_date"].between(first, last)
    decided = (req["decision_date"].between(first, last)
               | req["assessment_date"].between(first, last)
               | req["plan_date"].between(first, last))
    received = req["received_date"].between(first, last)
    ongoing = req["received_date"].le(census) & (
        req["decision_date"].isna()
        | (req["outcome"].eq("A") & req["assessment_date"].isna())
        | (req["assessment_outcome"].eq("A") & req["plan_date"].isna()))
    req = req[active | ceased | decided | received | ongoing].copy()
    req["active"] = active[req.index]
    req = req.sort_values(["person_id", "received_date"], kind="stable")
    people = send.people[send.people["person_id"].isin(req["person_id"])]
    return {"people": people.reset_index(drop=True), "requests": req.reset_index(drop=True)}


def _header(root: ET.Element, year: int, la_code: str) -> None:
    census = pd.Timestamp(census_date(year))
    header = ET.SubElement(root, "Header")
    _block(header, "CollectionDetails", [
        ("Collection", COLLECTION), ("Year", str(year)), ("ReferenceDate", _iso(census))])
    _block(header, "Source", [
        ("SourceLevel", "L"), ("LEA", str(la_code)), ("SoftwareCode", SOFTWARE_CODE),
        ("Release", "1"), ("SerialNo", "001"),
        ("DateTime", (census + pd.Timedelta(days=1, hours=9)).strftime("%Y-%m-%dT%H:%M:%S"))])


def _has_upn(dob: pd.Timestamp, year: int) -> bool:
    """Of school age in the DfE's sense (four by 31 August two years before the census
    year ends), as the CIN census and SSDA903 writers record UPNs; younger: UN1."""
    return dob + pd.DateOffset(years=4) <= pd.Timestamp(f"{year - 2}-08-31")


def sen2_xml(send: SendJourneys, collection_year: int, la_code: str) -> bytes:
    """The SEN2 XML (UTF-8 bytes) for ``collection_year`` (census in January of it)."""
    year = int(collection_year)
    census = pd.Timestamp(census_date(year))
    first, _ = (pd.Timestamp(d) for d in activity_period(year))
    data = sen2_tables(send, year)
    by_person: dict[str, list] = {}
    for r in data["requests"].itertuples(index=False):
        by_person.setdefault(r.person_id, []).append(r)

    root = ET.Element("Message")
    _header(root, year, la_code)
    persons = ET.SubElement(root, "Persons")
    for number, p in enumerate(data["people"].itertuples(index=False), start=1):
        upn = _has_upn(p.dob, year)
        person = _block(persons, "Person", [
            ("Surname", p.surname), ("Forename", p.forename),
            ("PersonBirthDate", _iso(p.dob)), ("Sex", p.sex), ("Ethnicity", p.ethnicity),
            ("UPN", p.upn if upn else None), ("UPNunknown", None if upn else "UN1")])
        pnum = int(p.person_id[3:])
        for r in by_person[p.person_id]:
            _request(person, r, p.dob, pnum, first, census)
    # compact (one line per person, no indentation): the sample must stay small
    text = ET.tostring(root, encoding="unicode").replace("<Person>", "\n<Person>")
    text = text.replace("</Persons>", "\n</Persons>")
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n' + text.encode("utf-8") + b"\n")


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _request(person: ET.Element, r, dob: pd.Timestamp, pnum: int, first: pd.Timestamp,
             census: pd.Timestamp) -> None:
    decided = pd.notna(r.decision_date)
    refused = decided and r.outcome == "B"
    historical = pd.notna(r.start_date) and r.start_date < first
    if historical:  # decided before the period: only the plan is reported
        req = ET.SubElement(person, "Requests")
        ass = _block(req, "Assessment", [("AssessmentOutcome", "H")])
        _plan(ass, req, r, dob, pnum, census)
        return
    req = _block(person, "Requests", [
        ("ReceivedDate", _iso(r.received_date)), ("RequestSource", r.source),
        ("RequestOutcomeDate", _iso(r.decision_date) if decided else None),
        ("RequestOutcome", r.outcome if decided else None),
        ("RequestMediation", _flag(r.mediation) if refused else None),
        ("RequestTribunal", _flag(r.tribunal) if refused else None)])
    if not (decided and r.outcome == "A"):
        return
    outcome = r.assessment_outcome if pd.notna(r.assessment_date) else None
    ass = _block(req, "Assessment", [
        ("AssessmentOutcome", outcome),
        ("AssessmentOutcomeDate", _iso(r.assessment_date) if outcome else None),
        ("Week20", _flag(r.exception))])
    if pd.notna(r.start_date):
        _plan(ass, req, r, dob, pnum, census)


def _plan(ass: ET.Element, req: ET.Element, r, dob: pd.Timestamp, pnum: int,
          census: pd.Timestamp) -> None:
    """The NamedPlan of an issued plan and, while it is active, its ActivePlans."""
    start_age = _age(dob, r.start_date)
    plan = _block(ass, "NamedPlan", [
        ("StartDate", _iso(r.start_date)),
        ("CeaseDate", _iso(r.cease_date)),
        ("CeaseReason", r.cease_reason if pd.notna(r.cease_date) else None)])
    at_start = placement(r.setting_u, pnum, start_age)
    _block(plan, "PlanDetail", [
        ("URN", at_start["URN"]), ("UKPRN", at_start["UKPRN"]),
        ("SENSetting", at_start["SENSetting"]), ("PlacementRank", "1")])
    if not r.active:
        return
    review, decision = annual_review(r.start_date, census)
    active = _block(req, "ActivePlans", [
        ("ReviewMeeting", _iso(review)),
        ("ReviewOutcome", ("A" if pnum % 6 == 0 else "M") if decision is not None else None),
        ("LastReview", _iso(decision))])
    age_now = _age(dob, census)
    now = placement(r.setting_u, pnum, age_now)
    entry = r.start_date
    if _band(age_now) != _band(start_age):
        moved = dob + pd.DateOffset(years=5 if _band(age_now) == "school" else 16)
        entry = max(r.start_date, pd.Timestamp(f"{moved.year + (moved.month > 8)}-09-01"))
    _block(active, "PlacementDetail", [
        ("URN", now["URN"]), ("UKPRN", now["UKPRN"]), ("SENSetting", now["SENSetting"]),
        ("PlacementRank", "1"), ("EntryDate", _iso(min(entry, census)))])
    needs = [(r.primary_need, "1")] + ([(r.secondary_need, "2")]
                                       if isinstance(r.secondary_need, str) else [])
    for need, rank in needs:
        _block(active, "SENneed", [("SENtype", need), ("SENtypeRank", rank)])


def sen2_file_name(collection_year: int) -> str:
    """The file's name: ``sen2_<collection_year>.xml``."""
    return f"sen2_{int(collection_year)}.xml"


def write_sen2(send: SendJourneys, collection_year: int, folder: str | Path,
               la_code: str) -> Path:
    """Write ``sen2_<collection_year>.xml`` into ``folder`` (created if needed)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / sen2_file_name(collection_year)
    path.write_bytes(sen2_xml(send, collection_year, la_code))
    return path
