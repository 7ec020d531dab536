"""Plant the mistakes real SEN2 returns hold, in the sample's ``with_errors`` set.

Each kind is planted a few times, on persons chosen reproducibly from the seed, and logged
(``LOG_COLUMNS``) in ``planted_errors_sen2.csv`` next to the other returns' log. What
finds each one:

- ``missing_upn``: a child known to children's social care recorded without a UPN (and
  no UPNunknown reason): the cross-return match cannot find them
  (``indicators.ehcp.match_diagnostics``: no UPN);
- ``upn_typo``: one digit of the UPN changed, so the check letter no longer fits and the
  child does not match the CIN census or SSDA903 (``match_diagnostics``: invalid UPN);
- ``bad_need_code``: ``AUT`` for autism where SEN2 says ``ASD``: the loader stops on it
  (``load("sen2", ..., check_codes=True)``);
- ``plan_before_request``: a final plan dated before its request was received:
  ``indicators.ehcp.date_problems`` lists it;
- ``missing_week20``: no ``Week20`` on an assessment that led to a plan: the plan cannot
  be counted in the timeliness excluding exceptions (``indicators.ehcp.timeliness``
  counts it as unknown);
- ``duplicate_person``: the same child twice (same UPN): ``match_diagnostics`` counts
  duplicate UPNs.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd

LOG_COLUMNS = ["return", "kind", "person", "element", "old_value", "new_value", "found_by"]
FILE_NAME = "planted_errors_sen2.csv"
_PER_KIND = 3


def _person_label(person: ET.Element) -> str:
    return f"{person.findtext('Forename')} {person.findtext('Surname')}"


def plant_sen2_errors(xml: bytes, seed: int, social_care_upns: set[str]
                      ) -> tuple[bytes, pd.DataFrame]:
    """``xml`` with the module docstring's mistakes planted, and their log."""
    rng = np.random.default_rng([int(seed), 512])
    root = ET.fromstring(xml)
    persons = root.find("Persons")
    people = list(persons)
    log: list[dict] = []

    def note(kind, person, element, old, new, found_by):
        log.append({"return": "SEN2", "kind": kind, "person": _person_label(person),
                    "element": element, "old_value": old, "new_value": new,
                    "found_by": found_by})

    known = [p for p in people if p.findtext("UPN") in social_care_upns]
    chosen = rng.choice(len(known), size=min(2 * _PER_KIND, len(known)), replace=False)
    for n, i in enumerate(sorted(chosen)):
        person = known[i]
        upn_el = person.find("UPN")
        old = upn_el.text
        if n < _PER_KIND:
            person.remove(upn_el)
            note("missing_upn", person, "UPN", old, "", "match_diagnostics: no UPN")
        else:
            digit = str((int(old[-1]) + 1) % 10)
            upn_el.text = old[:-1] + digit
            note("upn_typo", person, "UPN", old, upn_el.text,
                 "match_diagnostics: UPN check letter does not fit")

    needs = [p for p in people
             if p.findtext("Requests/ActivePlans/SENneed/SENtype") not in (None, "ASD")]
    for i in sorted(rng.choice(len(needs), size=min(_PER_KIND, len(needs)), replace=False)):
        el = needs[i].find("Requests/ActivePlans/SENneed/SENtype")
        note("bad_need_code", needs[i], "SENtype", el.text, "AUT", "the loader's code check")
        el.text = "AUT"

    recent = [p for p in people
              if p.find("Requests/ReceivedDate") is not None
              and p.find("Requests/Assessment/NamedPlan/StartDate") is not None]
    picks = rng.choice(len(recent), size=min(2 * _PER_KIND, len(recent)), replace=False)
    for n, i in enumerate(picks):
        person = recent[i]
        if n < _PER_KIND:
            start = person.find("Requests/Assessment/NamedPlan/StartDate")
            received = person.findtext("Requests/ReceivedDate")
            old = start.text
            start.text = (pd.Timestamp(received) - pd.Timedelta(days=30)).strftime("%Y-%m-%d")
            note("plan_before_request", person, "StartDate", old, start.text,
                 "date_problems")
        else:
            ass = person.find("Requests/Assessment")
            week20 = ass.find("Week20")
            ass.remove(week20)
            note("missing_week20", person, "Week20", week20.text, "",
                 "timeliness: exceptions unknown")

    with_upn = [p for p in people if p.find("UPN") is not None]
    if with_upn:
        twin = with_upn[int(rng.integers(len(with_upn)))]
        persons.append(ET.fromstring(ET.tostring(twin)))
        note("duplicate_person", twin, "Person", "", "a second Person with the same UPN",
             "match_diagnostics: duplicate UPN")

    text = ET.tostring(root, encoding="unicode")
    text = text.replace("\n<Person>", "<Person>").replace("<Person>", "\n<Person>")
    text = text.replace("\n</Persons>", "</Persons>").replace("</Persons>", "\n</Persons>")
    out = b'<?xml version="1.0" encoding="UTF-8"?>\n' + text.encode("utf-8") + b"\n"
    return out, pd.DataFrame(log, columns=LOG_COLUMNS)
