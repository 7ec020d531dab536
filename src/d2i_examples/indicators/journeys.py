"""Annex A journeys: which stages children reached in a year, for Sankey and bar charts.

Re-creates the flows of D2I's Annex A journey (Sankey) app. A child reaches a
stage when an Annex A list holds an event of that stage dated in the window
(the `months` ending on the reference date):

    Contact (List 1, Date of Contact)
    Referral (List 3, Date of referral)
    Assessment (List 4, Continuous Assessment Start Date)
    Section 47 (List 5, strategy discussion / S47 start)
    Child in need (List 4, Continuous Assessment Date of Authorisation, for
                   assessments that found the child needs children's social
                   care support: "Was the child assessed as requiring LA
                   children's social care support?" Y)
    Child protection plan (List 7, plan start)
    Looked after (List 8, Date Started to be Looked After)

Each stage is marked by the event that puts a child there. "Child in need"
is not List 6's CIN Start Date: in the CIN census (and so in List 6) that is
the referral date for most children, and List 6 also holds closed episodes
and open assessments, so it would mark nearly every referred child as in need
on the day of referral.

A child's journey is the stages they reached; each link joins stages that
follow each other *in the order their first events happened* (ties in process
order), so the flows show what happened, not the order of the list above (a
child referred and then on a plan, with no list 4-5 entry in the window, gives
Referral -> Child protection plan). With exits=True each journey also ends in
"Ended after <last stage>", so the flows into and out of a stage balance.

A conversion (``went_on``) counts a child at one stage who reached the next on or
after it: a referral dated before the contact did not come from it.

The lists cover different windows: Ofsted's Annex A asks for contacts (List 1) over
the six months before the inspection and the other lists over twelve. A child
referred, assessed or found in need in the first half of the year and contacted
again in the second (a new worry about a child already known) reaches Contact last,
so the flows run backward (Assessment -> Contact, Child in need -> Contact); the
contact that led to their referral is older than List 1 and not in the workbook.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from d2i_examples.errors import DataError
from d2i_examples.indicators import frames
from d2i_examples.indicators.periods import as_date, in_window, window_start

CHILD = "Child Unique ID"
# stage -> (Annex A list, the date that places the child at the stage)
STAGES: dict[str, tuple[str, str]] = {
    "Contact": ("list_1", "Date of Contact"),
    "Referral": ("list_3", "Date of referral"),
    "Assessment": ("list_4", "Continuous Assessment Start Date"),
    "Section 47": ("list_5", "Strategy discussion initiating Section 47 Enquiry Start Date"),
    "Child in need": ("list_4", "Continuous Assessment Date of Authorisation"),
    "Child protection plan": ("list_7", "Child Protection Plan Start Date"),
    "Looked after": ("list_8", "Date Started to be Looked After"),
}


ASSESSED_IN_NEED = "Was the child assessed as requiring LA children's social care support?"
# stage -> (column, values): only rows with one of these values mark the stage
STAGE_CONDITIONS: dict[str, tuple[str, set[str]]] = {
    "Child in need": (ASSESSED_IN_NEED, {"Y", "YES"}),
}


def stages_reached(annex_a: Mapping[str, pd.DataFrame], reference_date,
                   months: int = 12) -> pd.DataFrame:
    """One row per child and stage reached in the window: child, stage, first_date.

    Rows come child by child, each child's stages in process order. Lists
    absent from `annex_a` are skipped (their stage is never reached).
    """
    start, end = window_start(reference_date, months), as_date(reference_date)
    parts = []
    for stage, (key, column) in STAGES.items():
        if key not in annex_a:
            continue
        frame = annex_a[key]
        source = frames.annex_source(key)
        frames.require_columns(frame, [CHILD], source)
        when = frames.dates(frame, column, source)
        hit = in_window(when, start, end) & frame[CHILD].notna()
        if stage in STAGE_CONDITIONS:
            condition, values = STAGE_CONDITIONS[stage]
            answers = frames.codes(frame, condition, source)
            _warn_unknown_answers(answers[hit.to_numpy()], condition, source, values)
            hit &= answers.isin(values).to_numpy()
        parts.append(pd.DataFrame({"child": frame.loc[hit, CHILD].to_numpy(),
                                   "stage": list(STAGES).index(stage),
                                   "first_date": when[hit].to_numpy()}))
    if not parts:
        raise DataError("The Annex A data holds none of the lists a journey needs.",
                        file="Annex A",
                        expected="some of " + ", ".join(key for key, _ in STAGES.values()),
                        found=", ".join(map(repr, annex_a)) or "no lists")
    events = pd.concat(parts, ignore_index=True)
    # one integer key per child and stage, so grouping and sorting stay numeric
    child, children = pd.factorize(events["child"])
    key = child.astype("int64") * len(STAGES) + events["stage"].to_numpy()
    first = events["first_date"].groupby(key).min()
    codes = first.index.to_numpy()
    return pd.DataFrame({
        "child": children[codes // len(STAGES)],
        "stage": pd.Categorical.from_codes(codes % len(STAGES), categories=list(STAGES),
                                           ordered=True),
        "first_date": first.to_numpy(),
    })


_NO = {"N", "NO"}


def _warn_unknown_answers(answers: pd.Series, column: str, source: str,
                          yes: set[str]) -> None:
    """Warn, naming each, about answers that are neither yes nor no (a system's own
    wording, "Requires support"): they do not mark the stage, so the settings file's
    Annex A code mapping must say what they mean."""
    unknown = answers[answers.notna() & ~answers.isin(yes | _NO)].value_counts()
    if unknown.empty:
        return
    named = "; ".join(f"{n} row{'s' if n != 1 else ''} with {value!r}"
                      for value, n in unknown.items())
    warnings.warn(
        f"{column!r} ({source}) should be Y or N; {named}: not counted as child in need. If "
        "they mean yes, map them in your settings file: mapping > annex_a > codes > "
        f"\"{column}\" > \"{unknown.index[0]}\": \"Y\".", frames.UnplacedValues, stacklevel=3)


def stage_counts(annex_a: Mapping[str, pd.DataFrame], reference_date,
                 months: int = 12) -> pd.DataFrame:
    """Children reaching each stage in the window: columns stage, children (all stages listed)."""
    reached = stages_reached(annex_a, reference_date, months)
    counts = reached.groupby("stage", observed=False).size()
    return counts.rename("children").reset_index()


def in_order(reached: pd.DataFrame) -> pd.DataFrame:
    """``stages_reached`` rows sorted child by child, each child's stages in the order
    their first events happened (the same day: in process order)."""
    return reached.assign(_order=reached["stage"].cat.codes).sort_values(
        ["child", "first_date", "_order"], kind="stable").drop(columns="_order")


def went_on(reached: pd.DataFrame, first: str, then: str) -> tuple[int, int]:
    """Children at stage ``first`` in the window, and how many of them went on to stage
    ``then``: their first ``then`` event is dated on or after their first ``first`` event.

    The one definition of a conversion: a referral dated before the child's contact
    did not come from it, so it is not counted (the child's journey in
    ``journey_links`` runs from Referral back to Contact, not forward). ``reached`` is
    ``stages_reached``'s table.
    """
    dates = reached.pivot_table(index="child", columns="stage", values="first_date",
                                aggfunc="min", observed=False)
    if first not in dates:  # no child at the first stage in the window
        return 0, 0
    at_first = dates[first].notna()
    if then not in dates:
        return int(at_first.sum()), 0
    return int(at_first.sum()), int((at_first & dates[then].ge(dates[first])).sum())


def journey_links(annex_a: Mapping[str, pd.DataFrame], reference_date, months: int = 12,
                  exits: bool = False) -> pd.DataFrame:
    """Stage-to-stage flows for a Sankey: columns source, target, children."""
    reached = in_order(stages_reached(annex_a, reference_date, months))
    nxt = reached.groupby("child", sort=False)["stage"].shift(-1)
    links = pd.DataFrame({"source": reached["stage"].astype(str),
                          "target": nxt.astype(object)})
    if exits:
        ended = "Ended after " + links["source"]
        links["target"] = links["target"].where(nxt.notna(), ended)
    links = links.dropna(subset=["target"])
    table = links.groupby(["source", "target"], sort=False).size().rename("children")
    table = table.reset_index()
    order = {stage: i for i, stage in enumerate(STAGES)}
    rank = table["source"].map(order) * 100 + table["target"].map(order).fillna(99)
    return table.iloc[np.argsort(rank.to_numpy(), kind="stable")].reset_index(drop=True)


def journey_paths(annex_a: Mapping[str, pd.DataFrame], reference_date,
                  months: int = 12) -> pd.DataFrame:
    """Children per whole journey ("Contact > Referral > Assessment"), most common first."""
    reached = stages_reached(annex_a, reference_date, months)
    # each child's set of stages as a bit mask (stage i -> bit i), then one label per mask
    bits = np.left_shift(1, reached["stage"].cat.codes.to_numpy().astype("int64"))
    masks = pd.Series(bits).groupby(reached["child"].to_numpy(), sort=False).sum()
    counts = masks.value_counts()
    names = list(STAGES)
    labels = [" > ".join(n for i, n in enumerate(names) if mask >> i & 1) for mask in counts.index]
    table = pd.DataFrame({"path": labels, "children": counts.to_numpy()})
    return table.sort_values(["children", "path"], ascending=[False, True], ignore_index=True)


ICPC_DATE = "Date of Initial Child Protection Conference"
ICPC_PLAN = "Did the Initial Child Protection Conference Result in a Child Protection Plan"
_YES = {"Y", "YES"}


def conversion_rates(annex_a: Mapping[str, pd.DataFrame], reference_date,
                     months: int = 12) -> pd.DataFrame:
    """Four front-door conversion rates in the window: columns step, counted (what is
    counted), total, converted, rate (converted / total, NaN when total is 0).

    - Contacts to referrals: children with a contact (List 1) in the window, of
      whom referred (List 3) on or after their first contact, in the window.
    - Referrals to assessments: children referred in the window, of whom an
      assessment (List 4) started on or after their first referral, in the window.
    - S47 enquiries to ICPCs: enquiries (List 5 rows) whose strategy discussion
      was in the window, of which an initial child protection conference (ICPC)
      has a date.
    - ICPCs to CP plans: ICPCs dated in the window, of which "Did the ICPC
      result in a CP plan" is Y or Yes.
    The first two follow ``went_on``, the definition the flows of
    ``journey_links`` follow too. Each rate is only as long as the shorter of its two
    lists: Ofsted's Annex A asks for contacts (List 1) over the six months before the
    inspection and the other lists over twelve, so "contacts to referrals" covers the
    last six months, whatever ``months`` says. An event late in the window may not
    have reached its next step yet (a referral its assessment, an enquiry its
    conference).
    """
    start, end = window_start(reference_date, months), as_date(reference_date)
    reached = stages_reached(annex_a, reference_date, months)
    rows = [("Contacts to referrals", "children",
             *went_on(reached, "Contact", "Referral")),
            ("Referrals to assessments", "children",
             *went_on(reached, "Referral", "Assessment"))]
    if "list_5" in annex_a:
        list_5, source = annex_a["list_5"], frames.annex_source("list_5")
        s47 = frames.dates(list_5, STAGES["Section 47"][1], source)
        icpc = frames.dates(list_5, ICPC_DATE, source)
        plan = frames.codes(list_5, ICPC_PLAN, source).isin(_YES)
        enquiries = in_window(s47, start, end)
        conferences = in_window(icpc, start, end)
        rows += [("S47 enquiries to ICPCs", "enquiries", int(enquiries.sum()),
                  int((enquiries & icpc.notna()).sum())),
                 ("ICPCs to CP plans", "conferences", int(conferences.sum()),
                  int((conferences & plan).sum()))]
    table = pd.DataFrame(rows, columns=["step", "counted", "total", "converted"])
    table["rate"] = table["converted"] / table["total"].where(table["total"] > 0)
    return table
