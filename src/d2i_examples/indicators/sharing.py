"""Preparing children's data to share with other councils.

- Pseudonymise IDs with a keyed hash (HMAC-SHA256) and a secret salt: the same
  ID gives the same pseudonym in every table and every run with the same salt,
  and without the salt nobody can recompute it from a list of candidate IDs.
  Keep the salt out of shared files and notebooks (read it from a file or an
  environment variable).
- Coarsen: dates of birth to the first of the month, postcodes to the postcode
  district (the outward code: "ME14 1XQ" -> "ME14").
- Suppress small counts in aggregate tables (default: below 5, zeros included),
  then secondary suppression so that no suppressed cell can be worked out from
  the others and a row or column total: every row (and, with
  secondary="both", every column) that has a suppressed cell has at least two.
  The next-smallest shown cell is the one suppressed. This follows the ONS and
  GSS guidance on disclosure control for tables (primary and secondary
  suppression).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from d2i_examples.errors import DataError
from d2i_examples.indicators import frames

# Columns holding a child's ID in the returns (Annex A, SSDA903, CIN census).
ID_COLUMNS = ("Child Unique ID", "CHILD", "LAchildID", "MOTHER")


def _check_salt(salt: str) -> bytes:
    if not isinstance(salt, str) or len(salt) < 16:
        raise DataError(
            "The salt for pseudonymising IDs is missing or too short.",
            expected="a secret text of 16 characters or more, the same for every table",
            found="nothing" if not salt else f"{len(salt)} characters",
            fix="Generate one with secrets.token_hex(16), keep it private, reuse it.",
        )
    return salt.encode("utf-8")


def pseudonymise(ids: pd.Series, salt: str, length: int = 16, prefix: str = "PSN") -> pd.Series:
    """Keyed-hash pseudonyms: prefix + the first `length` hex digits of HMAC-SHA256(salt, id).

    IDs are compared as text with surrounding spaces removed; blanks stay blank.
    Each distinct ID is hashed once.
    """
    base = hmac.new(_check_salt(salt), digestmod=hashlib.sha256)

    def one(value) -> str | None:
        text = str(value).strip()
        if not text:
            return None
        mac = base.copy()
        mac.update(text.encode("utf-8"))
        return prefix + mac.hexdigest()[:length]

    # IDs differing only by surrounding spaces get the same pseudonym.
    return frames.per_distinct(ids, one)


def pseudonymise_tables(tables: Mapping[str, pd.DataFrame], salt: str,
                        id_columns: Iterable[str] = ID_COLUMNS) -> dict[str, pd.DataFrame]:
    """Copies of every table with every ID column present pseudonymised with the same salt."""
    id_columns = list(id_columns)
    out = {}
    for name, frame in tables.items():
        present = [c for c in id_columns if c in frame.columns]
        out[name] = frame.assign(**{c: pseudonymise(frame[c], salt) for c in present})
    return out


def month_of_birth(dates: pd.Series) -> pd.Series:
    """Dates moved to the first day of their month (NaT stays NaT)."""
    return dates.dt.to_period("M").dt.to_timestamp()


def postcode_district(postcodes: pd.Series) -> pd.Series:
    """The outward code of each postcode ("me14 1xq", "ME141XQ" -> "ME14").

    With a space, the part before it; without, all but the last three
    characters of a full postcode (5 to 7 characters); shorter values are taken
    to be districts already.
    """
    return frames.per_distinct(postcodes, _outward_code)


def _outward_code(value) -> str | None:
    parts = str(value).upper().split()
    if len(parts) > 1:
        return parts[0]
    text = "".join(parts)
    return text[:-3] if 5 <= len(text) <= 7 else text or None


def prepare_for_sharing(frame: pd.DataFrame, salt: str, *, ids: Sequence[str] = (),
                        dates_of_birth: Sequence[str] = (), postcodes: Sequence[str] = (),
                        drop: Sequence[str] = ()) -> pd.DataFrame:
    """A copy of a child-level table with IDs pseudonymised, dates of birth reduced to the
    month, postcodes reduced to the district and the `drop` columns removed."""
    frames.require_columns(frame, [*ids, *dates_of_birth, *postcodes, *drop], "the table to share")
    out = frame.drop(columns=list(drop))
    for column in ids:
        out[column] = pseudonymise(out[column], salt)
    for column in dates_of_birth:
        out[column] = month_of_birth(frames.dates(out, column, "the table to share"))
    for column in postcodes:
        out[column] = postcode_district(out[column])
    return out


def _secondary(hidden: np.ndarray, values: np.ndarray) -> int:
    """Hide the smallest shown cell in each row with exactly one hidden cell; cells hidden."""
    lone = (hidden.sum(axis=1) == 1) & ((~hidden).sum(axis=1) >= 1)
    if not lone.any():
        return 0
    candidates = np.where(hidden, np.inf, values)
    rows = np.flatnonzero(lone)
    hidden[rows, candidates[rows].argmin(axis=1)] = True
    return rows.size


def suppress_counts(table: pd.DataFrame, columns: Sequence[str] | None = None,
                    threshold: int = 5, keep_zeros: bool = False,
                    secondary: str | None = "rows", marker: str | None = None) -> pd.DataFrame:
    """Hide small counts: cells below `threshold`, then secondary cells (see the module).

    `columns`: the count columns (default: every numeric column); totals you
    publish should not be among them. keep_zeros=True shows zeros (a zero
    reveals nothing about an individual in some tables, but everything in
    others, so the default hides them). secondary: "rows", "both" (rows and
    columns) or None. Hidden cells become <NA> (or `marker`, such as "c").
    """
    if secondary not in ("rows", "both", None):
        raise DataError("Unknown secondary suppression.", expected="'rows', 'both' or None",
                        found=repr(secondary))
    columns = list(columns) if columns is not None else list(
        table.select_dtypes("number").columns)
    frames.require_columns(table, columns, "the table to suppress")
    values = table[columns].apply(pd.to_numeric).to_numpy(dtype=float)
    hidden = values < threshold
    if keep_zeros:
        hidden &= values != 0
    while secondary:
        changed = _secondary(hidden, values)
        if secondary == "both":
            changed += _secondary(hidden.T, values.T)
        if not changed:
            break
    out = table.copy()
    for i, column in enumerate(columns):
        shown = out[column].astype("Int64") if _whole(out[column]) else out[column].astype(float)
        if marker is None:
            out[column] = shown.mask(hidden[:, i])
        else:
            out[column] = shown.astype(object).where(~hidden[:, i], marker)
    return out


def _whole(values: pd.Series) -> bool:
    numbers = pd.to_numeric(values).dropna()
    return bool(((numbers % 1) == 0).all())
