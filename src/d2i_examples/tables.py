"""Tables for the worked examples: codes shown with their meanings, text shown whole.

Readers meet codes (K3, U6, E17, PR1, RC7, 2A) in every return. :func:`with_labels`
writes each code with its meaning ("K3: supported accommodation"), from the code
lists in :mod:`d2i_examples.spec` (one home for what a code means). :func:`whole`
shows a table without cutting its text at 50 characters and without the row
numbers, limited to the columns given, so it fits the page. :func:`preview` shows
the first rows of a return's table in the columns a page talks about, codes with
their meanings, its caption naming the columns left out.
"""

from __future__ import annotations

import re

import pandas as pd

from d2i_examples.spec import cin_census, sen2, ssda903

MISSING = "(blank)"
EMPTY_HEADER = re.compile(r"<th(\s[^>]*)?>\s*(?:&nbsp;)?\s*</th>")


def without_empty_headers(html: str) -> str:
    """``html`` with every empty <th> (or one holding only &nbsp;) made an empty <td>.

    pandas writes the corner above a DataFrame's index as an empty header cell,
    which a screen reader announces as a header with no name (axe:
    empty-table-header). The book's pages (book/_ext/tables.py) and the HTML
    reports (d2i_examples.own_data.report) both pass their tables through this.
    """
    return EMPTY_HEADER.sub(lambda m: f"<td{m.group(1) or ''}></td>", html)


def code_lists(collection_year: int = ssda903.LATEST_YEAR) -> dict[str, dict[str, str]]:
    """Column name -> {code: meaning} for the coded columns of the SSDA903, the CIN census,
    Annex A's referral source and the SEN2 requests table (``indicators.ehcp``)."""
    lists = {column: ssda903.codes(column, collection_year)
             for column in ssda903.CODE_COLUMNS if column != "SEX"}
    sources = {code: label for code, (label, _) in cin_census.REFERRAL_SOURCES.items()}
    lists.update({
        "ReferralSource": sources,
        "Referral Source": sources,  # Annex A List 3
        "request_outcome": sen2.REQUEST_OUTCOME,
        "assessment_outcome": sen2.ASSESSMENT_OUTCOME,
        "primary_need": sen2.SEN_TYPE,
        "cease_reason": sen2.CEASE_REASON,
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

    def __init__(self, frame: pd.DataFrame, percent=(), caption: str | None = None):
        self.frame = frame
        self.percent = list(percent)
        self.caption = caption

    def styled(self):
        """The pandas Styler: text whole, no row numbers, shares as whole percentages."""
        styler = (self.frame.style
                  .format({column: "{:.0%}" for column in self.percent}, na_rep=MISSING,
                          escape="html")
                  .hide(axis="index"))
        return styler.set_caption(self.caption) if self.caption else styler

    def _repr_html_(self) -> str:
        return self.styled().to_html()

    def __repr__(self) -> str:
        text = self.frame.copy()
        for column in self.percent:
            text[column] = text[column].map("{:.0%}".format)
        body = text.to_string(index=False)
        return f"{self.caption}\n{body}" if self.caption else body


def whole(frame: pd.DataFrame, columns=None, percent=(), rows: int | None = None) -> Table:
    """``frame`` (its ``columns`` only, its first ``rows``) as a :class:`Table`: text
    whole, no row numbers, ``percent`` columns as whole percentages ("51%")."""
    shown = frame if columns is None else frame[list(columns)]
    shown = shown if rows is None else shown.head(rows)
    return Table(shown, percent)


def preview(frame: pd.DataFrame, columns, rows: int = 5,
            collection_year: int = ssda903.LATEST_YEAR) -> Table:
    """The first ``rows`` of a return's table in ``columns`` only, codes with their
    meanings (:func:`with_labels`); the caption says how much is shown and names
    every column left out, so a reader knows what the file holds beyond the page."""
    columns = list(columns)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"No column {', '.join(missing)} in this table; "
                       f"its columns: {', '.join(map(str, frame.columns))}")
    left_out = [str(c) for c in frame.columns if c not in columns]
    caption = (f"The first {min(rows, len(frame))} of {len(frame):,} rows, "
               f"{len(columns)} of {len(frame.columns)} columns")
    caption += f" (not shown: {', '.join(left_out)})." if left_out else "."
    return Table(with_labels(frame[columns].head(rows), collection_year), caption=caption)
