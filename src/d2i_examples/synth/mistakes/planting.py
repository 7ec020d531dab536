"""Plant realistic, documented mistakes in a synthetic authority's returns.

The synthetic returns are clean: D2I's validators find nothing wrong with them (bar the
validator defects listed in ``d2i_examples.tools.known_faults``). To show what the
validators catch, :func:`inject_errors` plants mistakes that council analysts meet every
year (a legal status code that does not exist, a placement end date typed before its start,
a UPN with the wrong check letter, ...) and returns a log of what it changed, so a notebook
can ask "here is what we planted: did the validator find it?".

Each mistake in :data:`CATALOGUE` is aimed at one validation rule of the DfE's 2025/26
rules, as D2I's validators implement them (csc-validator-be-903 ``lac_validator`` and
csc-validator-be-cin ``cin_validator``, ruleset ``get_year_ruleset("2026")``). A mistake
is planted on one child chosen (reproducibly from the seed) among the children for whom the
change breaks that rule and no other: for example a wrong sex code goes to a boy who is new
this year (a child already in last year's return would also break rule 202, "sex differs
from last year"), and a legal status code goes to a child with a single episode (a child
with a later episode would also break rule 435, "placement changed but legal status did
not").

The mistakes fall on children as they do in real returns:

- most are scattered: each mistake of the catalogue is planted once, on a child of its own;
- a few are extract-level faults (:data:`EXTRACT_FAULTS`, such as a placement code list not
  updated for the year): the same mistake on several children, so one rule flags many;
- a few children have muddled records (:data:`MUDDLED_RECORDS`): two to four different
  mistakes each, every one in a different table, so one child fails several rules.

A child's mistakes never share a table, so they do not interact: each planted row is caught
by exactly the rule it was aimed at.

This module is the entry point and the plan: which mistakes, how many times, on which
children. The mistakes themselves, each beside its catalogue entry, are in
``ssda903_header``, ``ssda903_care`` and ``cin_census`` (see ``registry``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import NamedTuple

import pandas as pd

from d2i_examples.errors import DataError

# the modules of mistakes enter their mistakes in CATALOGUE when imported
from d2i_examples.synth.mistakes import cin_census, ssda903_care, ssda903_header  # noqa: F401
from d2i_examples.synth.mistakes.cin_census import CinCensus, cin_year
from d2i_examples.synth.mistakes.registry import (
    CATALOGUE,
    CIN,
    SSDA903,
    Mistake,
    Planting,
    Targets,
)
from d2i_examples.synth.mistakes.ssda903_tables import Ssda903Tables, checked_tables
from d2i_examples.synth.short_breaks import split_short_breaks

LOG_COLUMNS = [
    "error",
    "return",
    "rule",
    "child",
    "table",
    "row",
    "CINdetailsID",
    "column",
    "old_value",
    "new_value",
    "mistake",
    "also_changed",
]


class Planted(NamedTuple):
    """What :func:`inject_errors` returns: the returns with the mistakes, and their log."""

    ssda903: dict[str, pd.DataFrame] | None
    cin_xml: bytes | None
    log: pd.DataFrame


#: Extract-level faults: mistakes a real extract makes for every child it touches (a code
#: list not updated for the year, a code mapping that drops a letter), so a few rules flag
#: many children, as in real returns. Rule -> how many children get the mistake (each a
#: child of its own, so every planted row is still caught by exactly its rule); every
#: other mistake is planted once.
EXTRACT_FAULTS: dict[str, int] = {"146": 6, "8640": 5}

#: Muddled records: children whose case record was keyed badly in several places, so one
#: child fails several rules, as in real returns. Each entry is the rules of one such
#: child's mistakes (all in one return), planted after every other mistake on a child with
#: no mistake yet who suits all of them. Each mistake of an entry changes a different
#: table, so they cannot interact: every planted row is still caught by exactly its rule.
MUDDLED_RECORDS: list[tuple[str, ...]] = [
    # in care since before last year: ethnicity changed since last year's return, reason
    # for a placement move left blank, a review dated the 31st of a 30-day month, health
    # assessment 'Y'
    ("204", "225", "166", "181"),
    # new this year: ethnicity as the system's label, provider 'P4', review code 'P5'
    ("103", "178", "167"),
    # a care leaver: UPN digits transposed, accommodation code without its digit
    ("208", "133"),
    # CIN census, a child on a protection plan: ethnicity left empty, primary need 'N01',
    # category of abuse in words, assessment dates the wrong way round
    ("4220", "8650", "8905", "8608"),
    # CIN census: UPN with a wrong check letter, referral source 'POL', assessment factors
    # left out
    ("1510", "8866", "8897Q"),
]


def _selected(rules, ssda903, cin_xml) -> list[Mistake]:
    if rules is None:
        return [
            m
            for m in CATALOGUE
            if (m.ret == SSDA903 and ssda903 is not None) or (m.ret == CIN and cin_xml is not None)
        ]
    codes = [str(r) for r in ([rules] if isinstance(rules, str | int) else rules)]
    known = {m.rule: m for m in CATALOGUE}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise DataError(
            "No mistake in the catalogue breaks these rules.",
            found=", ".join(unknown),
            expected="rule codes from catalogue()['rule'], e.g. '144' or '1510'",
            fix="Leave rules=None to plant every mistake of the catalogue.",
        )
    chosen = [known[c] for c in dict.fromkeys(codes)]
    for m in chosen:
        if (ssda903 if m.ret == SSDA903 else cin_xml) is None:
            raise DataError(
                f"Rule {m.rule} belongs to the {m.ret}, which was not given.",
                fix=f"Pass the {m.ret} or leave rule {m.rule} out.",
            )
    return chosen


def _log_row(m: Mistake, planted: Planting) -> dict:
    return {
        "return": m.ret,
        "rule": m.rule,
        "child": planted.child,
        "table": planted.table,
        "row": planted.row,
        "CINdetailsID": planted.cin_details,
        "column": planted.column,
        "old_value": planted.old,
        "new_value": planted.new,
        "mistake": m.mistake,
        "also_changed": planted.also,
    }


def _muddled(group: list[Mistake], ctx, targets: Targets) -> list[tuple[Mistake, Planting]]:
    """Plant every mistake of ``group`` on one child (chosen with the seed among the
    children with no mistake yet whom each of them suits); none if no child suits all."""
    suits = None
    for m in group:
        targets.survey = set()
        m.plant(ctx)
        suits = targets.survey if suits is None else suits & targets.survey
    targets.survey = None
    child = targets.pick(sorted(suits or ()))
    if child is None:
        return []
    targets.only = child
    try:
        planted = [(m, m.plant(ctx)) for m in group]
    finally:
        targets.only = None
    missed = [m.rule for m, p in planted if p is None]
    if missed:  # each mistake of a muddled record must change a table of its own
        raise RuntimeError(f"Rules {missed} no longer suit {child} after its other mistakes.")
    return planted


def inject_errors(
    ssda903: Mapping[str, pd.DataFrame] | None,
    cin_xml: bytes | None,
    *,
    previous_ssda903: Mapping[str, pd.DataFrame] | None = None,
    seed: int = 0,
    rules: list[str] | None = None,
    collection_year: int = 2026,
) -> Planted:
    """Plant the catalogue's mistakes in the year's SSDA903 tables and CIN census XML.

    Args:
        ssda903: the year's SSDA903 tables as written by ``synth.ssda903_tables`` (frames of
            strings keyed by our table names, dates dd/mm/YYYY), or None.
        cin_xml: the year's CIN census XML bytes (``synth.cin_census.cin_census_xml``), or
            None.
        previous_ssda903: last year's SSDA903 tables. Give them whenever the validator will
            see them: rules 202-208 compare the years, so mistakes meant for other rules are
            kept away from children in last year's return where that matters. Without them,
            the cross-year mistakes (202, 203, 204, 208) find no child and are left out.
        seed: chooses the children, reproducibly.
        rules: rule codes of the mistakes to plant (default: every mistake of the catalogue
            that finds a suitable child in the data given). Extract faults go to several
            children; a muddled record (:data:`MUDDLED_RECORDS`) is added when all its
            rules are asked for.
        collection_year: the year the returns end (2026 for 2025/26); the catalogue is aimed
            at the 2025/26 rules.

    Children looked after only under short breaks (``synth.short_breaks``) get no
    mistake: their SSDA903 rows are set aside and put back at the end of each table, so
    the planting is the same with or without them.

    Returns:
        ``Planted(ssda903, cin_xml, log)``: copies of the returns with the mistakes (the
        inputs are not changed; SSDA903 frames get a fresh 0-based index) and a log with one
        row per mistake: ``error`` (1, 2, ...), ``return``, ``rule``, ``child``, ``table``
        (our SSDA903 table name, or the CIN validator's table), ``row`` (SSDA903: the
        table's 0-based row, as ``validate_ssda903`` reports it), ``CINdetailsID`` (CIN:
        the child's CINdetails block, from 1, as ``validate_cin_census`` reports it; empty
        for identifiers and characteristics), ``column``, ``old_value``, ``new_value``,
        ``mistake`` (in plain words) and ``also_changed`` (other cells changed with it).

    Raises:
        DataError: unknown rule codes; a rule asked for whose return was not given or in
            which no child suits the mistake; a CIN census of another collection year.
    """
    held = None
    if ssda903 is not None:
        checked_tables(ssda903, "SSDA903 return")
        ssda903, held = split_short_breaks(ssda903)
    if previous_ssda903 is not None:
        checked_tables(previous_ssda903, "previous year's SSDA903 return")
        previous_ssda903 = split_short_breaks(previous_ssda903)[0]
    chosen = _selected(rules, ssda903, cin_xml)
    targets = Targets(seed)
    ctx903 = None
    if ssda903 is not None:
        ctx903 = Ssda903Tables(ssda903, previous_ssda903, collection_year, targets)
    root = None
    if cin_xml is not None:
        try:
            root = ET.fromstring(cin_xml)
        except ET.ParseError as err:
            raise DataError("The CIN census is not well-formed XML.", found=str(err)) from None
        if cin_year(root) != int(collection_year):
            raise DataError(
                "The CIN census is not for the collection year asked for.",
                column="Header/CollectionDetails/ReferenceDate",
                expected=f"a date in {collection_year}",
                found=str(root.findtext("Header/CollectionDetails/ReferenceDate")),
                fix="Pass the census of the same year as the SSDA903 tables, or "
                "set collection_year.",
            )
    ctxcin = None if root is None else CinCensus(root, int(collection_year), targets)

    rows = []
    for m in chosen:
        for repeat in range(EXTRACT_FAULTS.get(m.rule, 1)):
            planted = m.plant(ctx903 if m.ret == SSDA903 else ctxcin)
            if planted is None:
                if rules is not None and repeat == 0:
                    raise DataError(
                        f"No child in the {m.ret} suits the mistake for rule {m.rule}.",
                        found=m.mistake,
                        fix="Leave the rule out, or try a larger return or another seed.",
                    )
                break
            rows.append(_log_row(m, planted))
    known = {m.rule: m for m in chosen}
    for record in MUDDLED_RECORDS:
        if set(record) <= set(known):
            group = [known[rule] for rule in record]
            ctx = ctx903 if group[0].ret == SSDA903 else ctxcin
            rows += [_log_row(m, planted) for m, planted in _muddled(group, ctx, targets)]
    log = pd.DataFrame(rows, columns=LOG_COLUMNS[1:])
    log.insert(0, "error", range(1, len(log) + 1))
    log = log.astype({"row": "Int64", "CINdetailsID": "Int64"})

    out903 = None if ctx903 is None else {
        name: pd.concat([ctx903.t[name], held[name]], ignore_index=True) for name in ssda903}
    out_xml = None
    if root is not None:
        out_xml = (
            b'<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(root, encoding="unicode").encode("utf-8")
            + b"\n"
        )
    return Planted(out903, out_xml, log)
