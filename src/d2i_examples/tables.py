"""Tables for the worked examples: codes shown with their meanings, text shown whole.

Readers meet codes (K3, U6, E17, PR1, RC7, 2A) in every return. :func:`with_labels`
writes each code with its meaning ("K3: supported accommodation"), from the code
lists in :mod:`d2i_examples.spec` (one home for what a code means). :func:`whole`
shows a table without cutting its text at 50 characters and without the row
numbers, limited to the columns given, so it fits the page.
"""

from __future__ import annotations

import pandas as pd

from d2i_examples.indicators.chat_front_door import REFERRAL_SOURCES
from d2i_examples.spec import cin_census, ssda903

MISSING = "(blank)"


def code_lists(collection_year: int = ssda903.LATEST_YEAR) -> dict[str, dict[str, str]]:
    """Column name -> {code: meaning} for the coded columns of the SSDA903 and the CIN census."""
    lists = {column: ssda903.codes(column, collection_year)
             for column in ssda903.CODE_COLUMNS if column != "SEX"}
    lists.update({
        "ReferralSource": {code: label for code, (label, _) in REFERRAL_SOURCES.items()},
        "ReasonForClosure": cin_census.REASON_FOR_CLOSURE,
        "PrimaryNeedCode": ssda903.CIN,  # the same N1-N8 categories of need
    })
    return lists


def with_labels(frame: pd.DataFrame, collection_year: int = ssda903.LATEST_YEAR) -> pd.DataFrame:
    """A copy of ``frame`` with every coded column written "code: meaning", blanks as
    "(blank)" and dates as dd/mm/yyyy (blank dates too). A code with no meaning in
    the year's list is left as it is, so a wrong code stays visible."""
    out = frame.copy()
    lists = code_lists(collection_year)
    for column in out.columns:
        if column in lists:
            codes = out[column].astype("string").str.strip()
            meaning = codes.map(lists[column])
            out[column] = (codes + ": " + meaning).fillna(codes).fillna(MISSING)
        elif pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%d/%m/%Y").fillna(MISSING)
    return out


class Table:
    """A table shown whole: styled HTML in the notebook and the book, plain text elsewhere."""

    def __init__(self, frame: pd.DataFrame, percent=()):
        self.frame = frame
        self.percent = list(percent)

    def styled(self):
        """The pandas Styler: text whole, no row numbers, shares as whole percentages."""
        return (self.frame.style
                .format({column: "{:.0%}" for column in self.percent}, na_rep=MISSING,
                        escape="html")
                .hide(axis="index"))

    def _repr_html_(self) -> str:
        return self.styled().to_html()

    def __repr__(self) -> str:
        text = self.frame.copy()
        for column in self.percent:
            text[column] = text[column].map("{:.0%}".format)
        return text.to_string(index=False)


def whole(frame: pd.DataFrame, columns=None, percent=(), rows: int | None = None) -> Table:
    """``frame`` (its ``columns`` only, its first ``rows``) as a :class:`Table`: text
    whole, no row numbers, ``percent`` columns as whole percentages ("51%")."""
    shown = frame if columns is None else frame[list(columns)]
    shown = shown if rows is None else shown.head(rows)
    return Table(shown, percent)
