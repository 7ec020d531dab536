"""CIN census mistakes, planted in the census XML: :class:`CinCensus` (the parsed census
being changed) and one function per mistake, registered beside its code with its rule,
table (the validator's), column and description.

Left out because the installed cin_validator never reports them on a census XML: 8540
(invalid disability: its row frame is keyed ROW_ID_x, and the tool drops the whole report),
8869 (factor 21 with others: compares the list of factors with "21"), 8898 and 8614
(duplicate factor, factors on an open assessment: they crash grouping on the list of
factors), 8870Q (weekend ICPC target: parses the date as dd-mm-YYYY).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache

import pandas as pd

from d2i_examples.spec.upn import CHECK_LETTERS, WELL_FORMED_UPN, check_letter
from d2i_examples.synth.mistakes.registry import CIN, Planting, Targets, mistakes_of

mistake = mistakes_of(CIN)

_ISO = "%Y-%m-%d"


@cache
def _iso(text: str | None) -> pd.Timestamp:
    return pd.to_datetime(text, format=_ISO, errors="coerce") if text else pd.NaT


class CinChild:
    def __init__(self, el: ET.Element):
        self.el = el
        self.id = el.findtext("ChildIdentifiers/LAchildID")
        self.details = el.findall("CINdetails")


class CinCensus:
    """The CIN census being changed: its parsed XML and the children in it."""

    def __init__(self, root: ET.Element, year: int, targets: Targets):
        self.root = root
        self.start = pd.Timestamp(f"{year - 1}-04-01")
        self.end = pd.Timestamp(f"{year}-03-31")
        self.children = [CinChild(el) for el in root.iter("Child")]
        self.targets = targets

    def choose(self, candidates: list):
        """Pick one of ``candidates``: tuples starting with a CinChild (one the next mistake
        may go to: see Targets)."""
        ids = pd.Series([c[0].id for c in candidates], dtype=object)
        free = [c for c, ok in zip(candidates, self.targets.free(ids)) if ok]
        return self.targets.take(free, lambda c: c[0].id)

    def blocks(self, tag: str):
        """(child, CINdetails number from 1, CINdetails element, block) for every ``tag``
        block (Assessments, Section47, ...) of every child."""
        for ch in self.children:
            for n, det in enumerate(ch.details, start=1):
                for block in det.findall(tag):
                    yield ch, n, det, block


def _set_text(parent: ET.Element, tag: str, new: str | None) -> str | None:
    """Set (or remove, when ``new`` is None) the element ``tag`` of ``parent``; returns
    its old text."""
    el = parent.find(tag)
    old = None if el is None else el.text
    if new is None:
        if el is not None:
            parent.remove(el)
    else:
        el.text = new
    return old


def _cin_planting(
    ch: CinChild, table: str, column: str, old, new, n: int | None = None, also: str = ""
) -> Planting:
    return Planting(
        child=ch.id,
        table=table,
        column=column,
        old="" if old is None else old,
        new="" if new is None else new,
        cin_details=n,
        also=also,
    )


def _cin_details(c: CinCensus):
    """(child, CINdetails number from 1, CINdetails element) for every child."""
    return ((ch, n, det) for ch in c.children for n, det in enumerate(ch.details, 1))


def _cin_plans(c: CinCensus):
    """(child, CINdetails number from 1, ChildProtectionPlans element) for every plan."""
    return ((ch, n, p) for ch, n, _, p in c.blocks("ChildProtectionPlans"))


def _cin_rewrite(c: CinCensus, table: str, tag: str, blocks, wanted, new):
    """Plant one error: in one of ``blocks`` (of a child not yet used) whose ``tag``
    text passes ``wanted`` (None when absent), set that text to ``new(old)``
    (None removes the element)."""
    found = c.choose([(ch, n, el) for ch, n, el in blocks if wanted(el.findtext(tag))])
    if found is None:
        return None
    ch, n, el = found
    old = el.findtext(tag)
    value = new(old)
    _set_text(el, tag, value)
    return _cin_planting(ch, table, tag, old, value, n)


@mistake(rule="1510", table="ChildIdentifiers", column="UPN",
         text="UPN with a wrong check letter (first character).")
def _cin_upn_check_letter(c: CinCensus):
    cands = []
    for ch in c.children:
        upn = ch.el.findtext("ChildIdentifiers/UPN")
        if upn and WELL_FORMED_UPN.match(upn) and check_letter(upn[1:]) == upn[0]:
            cands.append((ch, upn))
    found = c.choose(cands)
    if found is None:
        return None
    ch, upn = found
    letters = CHECK_LETTERS
    new = letters[(letters.index(upn[0]) + 1) % len(letters)] + upn[1:]
    _set_text(ch.el.find("ChildIdentifiers"), "UPN", new)
    return _cin_planting(ch, "ChildIdentifiers", "UPN", upn, new)


@mistake(rule="4180", table="ChildIdentifiers", column="Sex",
         text="Sex given with the old GenderCurrent code '1' instead of M.")
def _cin_sex_numeric(c: CinCensus):
    found = c.choose([(ch,) for ch in c.children if ch.el.findtext("ChildIdentifiers/Sex") == "M"])
    if found is None:
        return None
    ch = found[0]
    old = _set_text(ch.el.find("ChildIdentifiers"), "Sex", "1")
    return _cin_planting(ch, "ChildIdentifiers", "Sex", old, "1")


@mistake(rule="4220", table="ChildCharacteristics", column="Ethnicity",
         text="Ethnicity left empty (NOBT or REFU record an unknown ethnicity).")
def _cin_ethnicity_blank(c: CinCensus):
    found = c.choose(
        [(ch,) for ch in c.children if ch.el.findtext("ChildCharacteristics/Ethnicity")]
    )
    if found is None:
        return None
    ch = found[0]
    el = ch.el.find("ChildCharacteristics/Ethnicity")
    old, el.text = el.text, None
    return _cin_planting(ch, "ChildCharacteristics", "Ethnicity", old, None)


def _disabilities(ch: CinChild) -> list[ET.Element]:
    return ch.el.findall("ChildCharacteristics/Disabilities/Disability")


def _cin_extra_disability(c: CinCensus, code: str | None, first_place: bool):
    """Give a child with one disability code a second Disability element: ``code``
    (None: the same code again), put first or last."""
    found = c.choose(
        [
            (ch,)
            for ch in c.children
            if len(_disabilities(ch)) == 1 and _disabilities(ch)[0].text not in ("NONE", None)
        ]
    )
    if found is None:
        return None
    ch = found[0]
    dis = ch.el.find("ChildCharacteristics/Disabilities")
    first = dis[0]
    new = ET.Element("Disability")
    new.text = code or first.text
    new.tail = first.tail
    first.tail = dis.text
    if first_place:
        dis.insert(0, new)
    else:
        dis.append(new)
    codes = [new.text, first.text] if first_place else [first.text, new.text]
    return _cin_planting(ch, "Disabilities", "Disability", first.text, ", ".join(codes))


@mistake(rule="8790", table="Disabilities", column="Disability",
         text="'NONE' left in the disabilities after a disability was added.")
def _cin_disability_none_left(c: CinCensus):
    return _cin_extra_disability(c, "NONE", first_place=True)


@mistake(rule="8794", table="Disabilities", column="Disability",
         text="The same disability entered twice.")
def _cin_disability_twice(c: CinCensus):
    return _cin_extra_disability(c, None, first_place=False)


@mistake(rule="8866", table="CINdetails", column="ReferralSource",
         text="Referral source recorded as 'POL' (a local code for police) instead of 6.")
def _cin_referral_source(c: CinCensus):
    return _cin_rewrite(
        c, "CINdetails", "ReferralSource", _cin_details(c), lambda t: t == "6", lambda _: "POL"
    )


@mistake(rule="8650", table="CINdetails", column="PrimaryNeedCode",
         text="Primary need code zero-padded (e.g. 'N01' for N1).")
def _cin_primary_need(c: CinCensus):
    return _cin_rewrite(
        c, "CINdetails", "PrimaryNeedCode", _cin_details(c),
        lambda t: re.fullmatch(r"N\d", t or ""), lambda old: "N0" + old[1:],
    )


@mistake(rule="8640", table="CINdetails", column="ReasonForClosure",
         text="Reason for closure typed without the C (e.g. 'R7' for RC7).")
def _cin_closure_reason(c: CinCensus):
    return _cin_rewrite(
        c, "CINdetails", "ReasonForClosure", _cin_details(c),
        lambda t: re.fullmatch(r"RC[1-7]", t or ""), lambda old: "R" + old[2:],
    )


@mistake(rule="8630", table="CINdetails", column="CINclosureDate",
         text="Case closure date typed one day before the referral date.")
def _cin_closed_before_referral(c: CinCensus):
    cands = []
    for ch in c.children:
        if len(ch.details) != 1:
            continue
        det = ch.details[0]
        ref, close = _iso(det.findtext("CINreferralDate")), _iso(det.findtext("CINclosureDate"))
        if (
            det.findtext("ReferralNFA") in ("1", "true")
            and ref == close
            and ref > c.start + pd.Timedelta(days=7)
        ):
            cands.append((ch, 1, det, close))
    found = c.choose(cands)
    if found is None:
        return None
    ch, n, det, close = found
    new = (close - pd.Timedelta(days=1)).strftime(_ISO)
    old = _set_text(det, "CINclosureDate", new)
    return _cin_planting(ch, "CINdetails", "CINclosureDate", old, new, n)


def _weekend_before(day: pd.Timestamp) -> pd.Timestamp:
    """The Sunday before ``day`` (or ``day`` itself if a Sunday)."""
    return day - pd.Timedelta(days=(day.dayofweek + 1) % 7)


@mistake(rule="8875", table="Section47", column="DateOfInitialCPC",
         text="Initial child protection conference dated on the Sunday before it was held.")
def _cin_icpc_weekend(c: CinCensus):
    cands = []
    for ch, n, det, s47 in c.blocks("Section47"):
        icpc = _iso(s47.findtext("DateOfInitialCPC"))
        start = _iso(s47.findtext("S47ActualStartDate"))
        if pd.isna(icpc) or pd.isna(start):
            continue
        sunday = _weekend_before(icpc)
        plans = [_iso(p.findtext("CPPstartDate")) for p in det.findall("ChildProtectionPlans")]
        if (
            sunday > start
            and sunday > c.start
            and icpc not in plans
            and len(det.findall("Section47")) == 1
        ):
            cands.append((ch, n, s47, sunday))
    found = c.choose(cands)
    if found is None:
        return None
    ch, n, s47, sunday = found
    new = sunday.strftime(_ISO)
    old = _set_text(s47, "DateOfInitialCPC", new)
    return _cin_planting(ch, "Section47", "DateOfInitialCPC", old, new, n)


_ABUSE_WORDS = {
    "NEG": "Neglect",
    "PHY": "Physical",
    "EMO": "Emotional",
    "SAB": "Sexual",
    "MUL": "Multiple",
}


@mistake(rule="8905", table="ChildProtectionPlans", column="InitialCategoryOfAbuse",
         text="Initial category of abuse written in words (e.g. 'Neglect') instead of the code "
              "NEG.")
def _cin_abuse_words(c: CinCensus):
    return _cin_rewrite(
        c, "ChildProtectionPlans", "InitialCategoryOfAbuse", _cin_plans(c),
        lambda t: t in _ABUSE_WORDS, _ABUSE_WORDS.get,
    )


@mistake(rule="8910", table="ChildProtectionPlans", column="LatestCategoryOfAbuse",
         text="Latest category of abuse left empty.")
def _cin_latest_abuse_blank(c: CinCensus):
    found = c.choose(
        [
            (ch, n, p)
            for ch, n, _, p in c.blocks("ChildProtectionPlans")
            if p.findtext("LatestCategoryOfAbuse")
        ]
    )
    if found is None:
        return None
    ch, n, p = found
    el = p.find("LatestCategoryOfAbuse")
    old, el.text = el.text, None
    return _cin_planting(ch, "ChildProtectionPlans", "LatestCategoryOfAbuse", old, None, n)


@mistake(rule="8730", table="ChildProtectionPlans", column="NumberOfPreviousCPP",
         text="Number of previous child protection plans left out.")
def _cin_previous_plans_missing(c: CinCensus):
    return _cin_rewrite(
        c, "ChildProtectionPlans", "NumberOfPreviousCPP", _cin_plans(c),
        lambda t: t is not None, lambda _: None,
    )


def _factors(block: ET.Element) -> list[ET.Element]:
    return block.findall("FactorsIdentifiedAtAssessment/AssessmentFactors")


@mistake(rule="8897Q", table="Assessments", column="AssessmentFactors",
         text="Factors identified at assessment left out of a completed assessment.")
def _cin_factors_missing(c: CinCensus):
    cands = []
    for ch, n, det, a in c.blocks("Assessments"):
        auth = _iso(a.findtext("AssessmentAuthorisationDate"))
        codes = [f.text for f in _factors(a)]
        if (
            len(ch.details) == 1
            and pd.notna(auth)
            and auth >= c.start
            and codes
            and "21" not in codes
        ):
            cands.append((ch, n, a))
    found = c.choose(cands)
    if found is None:
        return None
    ch, n, a = found
    holder = a.find("FactorsIdentifiedAtAssessment")
    old = ", ".join(f.text for f in _factors(a))
    a.remove(holder)
    return _cin_planting(ch, "Assessments", "AssessmentFactors", old, None, n)


@mistake(rule="8805", table="CINdetails", column="ReasonForClosure",
         text="Case closed (closure date) without a reason for closure.")
def _cin_closure_reason_missing(c: CinCensus):
    closed = ((ch, n, det) for ch, n, det in _cin_details(c) if det.findtext("CINclosureDate"))
    return _cin_rewrite(
        c, "CINdetails", "ReasonForClosure", closed,
        lambda t: t in ("RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7"), lambda _: None,
    )


@mistake(rule="4011", table="CINplanDates", column="CINPlanEndDate",
         text="CIN plan end date typed one day before its start.")
def _cin_plan_end_before_start(c: CinCensus):
    cands = []
    for ch, n, det, p in c.blocks("CINPlanDates"):
        start, end = _iso(p.findtext("CINPlanStartDate")), _iso(p.findtext("CINPlanEndDate"))
        if (
            pd.notna(end)
            and start > c.start + pd.Timedelta(days=1)
            and not det.findall("ChildProtectionPlans")
            and len(det.findall("CINPlanDates")) == 1
        ):
            cands.append((ch, n, p, start))
    found = c.choose(cands)
    if found is None:
        return None
    ch, n, p, start = found
    new = (start - pd.Timedelta(days=1)).strftime(_ISO)
    old = _set_text(p, "CINPlanEndDate", new)
    return _cin_planting(ch, "CINplanDates", "CINPlanEndDate", old, new, n)


@mistake(rule="8841", table="Reviews", column="CPPreviewDate",
         text="Child protection review dated on the day the plan started.")
def _cin_review_on_plan_start(c: CinCensus):
    found = c.choose(
        [
            (ch, n, p)
            for ch, n, _, p in c.blocks("ChildProtectionPlans")
            if p.find("Reviews/CPPreviewDate") is not None
        ]
    )
    if found is None:
        return None
    ch, n, p = found
    el = p.find("Reviews/CPPreviewDate")
    old, el.text = el.text, p.findtext("CPPstartDate")
    return _cin_planting(ch, "Reviews", "CPPreviewDate", old, el.text, n)


@mistake(rule="8608", table="Assessments", column="AssessmentAuthorisationDate",
         text="Assessment start and authorisation dates entered the wrong way round.")
def _cin_assessment_dates_swapped(c: CinCensus):
    cands = []
    for ch, n, det, a in c.blocks("Assessments"):
        start = _iso(a.findtext("AssessmentActualStartDate"))
        auth = _iso(a.findtext("AssessmentAuthorisationDate"))
        if (
            pd.notna(auth)
            and auth > start
            and start >= c.start
            and len(det.findall("Assessments")) == 1
        ):
            cands.append((ch, n, a))
    found = c.choose(cands)
    if found is None:
        return None
    ch, n, a = found
    start = a.findtext("AssessmentActualStartDate")
    auth = _set_text(a, "AssessmentAuthorisationDate", start)
    _set_text(a, "AssessmentActualStartDate", auth)
    return _cin_planting(
        ch,
        "Assessments",
        "AssessmentAuthorisationDate",
        auth,
        start,
        n,
        also=f"AssessmentActualStartDate changed to {auth!r}",
    )


@mistake(rule="8568", table="CINdetails", column="ReferralNFA",
         text="No-further-action flag written 'No' instead of 0.")
def _cin_nfa_flag(c: CinCensus):
    # referred in the year: rule 8569Q queries any flag but 0 on earlier referrals
    found = c.choose(
        [
            (ch, n, det)
            for ch in c.children
            for n, det in enumerate(ch.details, 1)
            if det.findtext("ReferralNFA") == "0"
            and det.findtext("CINclosureDate")
            and _iso(det.findtext("CINreferralDate")) > c.start + pd.Timedelta(days=7)
        ]
    )
    if found is None:
        return None
    ch, n, det = found
    old = _set_text(det, "ReferralNFA", "No")
    return _cin_planting(ch, "CINdetails", "ReferralNFA", old, "No", n)


def cin_year(root: ET.Element) -> int | None:
    """The year of the census's reference date (31 March of the collection year), or None."""
    ref = pd.to_datetime(
        root.findtext("Header/CollectionDetails/ReferenceDate"), format=_ISO, errors="coerce"
    )
    return None if pd.isna(ref) else ref.year
