"""Preparing children's data to share with other councils.

- Pseudonymise IDs with a keyed hash (HMAC-SHA256) and a secret salt: the same
  ID gives the same pseudonym in every table and every run with the same salt,
  and without the salt nobody can recompute it from a list of candidate IDs.
  Keep the salt out of shared files and notebooks (read it from a file or an
  environment variable): choose_salt reads it from a file and refuses the
  published EXAMPLE_SALT on a council's own data.
- Coarsen: dates of birth to the first of the month, postcodes to the postcode
  district (the outward code: "ME14 1XQ" -> "ME14").
- Suppress small counts in aggregate tables (default: below 5; zeros hidden
  unless keep_zeros=True, which is what DfE's children's social care releases
  do: they show a true zero as 0 and mark suppressed cells "c", per the
  methodology of "Children looked after: a focus on placement location"),
  then secondary suppression so that no suppressed cell can be worked out from
  the others and a row or column total: every row (and, with
  secondary="both", every column) that has a suppressed cell has at least two.
  The next-smallest shown cell is the one suppressed. This follows the ONS and
  GSS guidance on disclosure control for tables (primary and secondary
  suppression).
- Check: identifiers_left lists every cell of the tables to share that still
  holds one of the original identifiers (IDs, postcodes, dates of birth).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from d2i_examples.errors import DataError
from d2i_examples.indicators import frames

# Columns holding a child's ID in the returns (Annex A, SSDA903, CIN census).
# MOTHER in the SSDA903 header is a 0/1 flag, not an ID, so it is not here.
ID_COLUMNS = ("Child Unique ID", "CHILD", "LAchildID")
#: The salt the worked examples use on the synthetic sample. It is published, so
#: it protects nothing: never use it on real data.
EXAMPLE_SALT = "EXAMPLE-ONLY-not-secret-do-not-use"


def _check_salt(salt: str) -> bytes:
    if not isinstance(salt, str) or len(salt) < 16:
        raise DataError(
            "The salt for pseudonymising IDs is missing or too short.",
            expected="a secret text of 16 characters or more, the same for every table",
            found="nothing" if not salt else f"{len(salt)} characters",
            fix="Generate one with secrets.token_hex(16), keep it private, reuse it.",
        )
    return salt.encode("utf-8")


def read_salt(path) -> str:
    """The secret salt kept in a text file: its first line, surrounding spaces removed.

    DataError if the file is missing or the salt shorter than 16 characters.
    """
    from d2i_examples.datasets.files import decode_text, existing_path, read_bytes

    path = existing_path(path, "salt file")
    lines = decode_text(read_bytes(path)).splitlines()
    salt = lines[0].strip() if lines else ""
    if len(salt) < 16:
        raise DataError(
            "The salt file holds no salt, or one that is too short.",
            file=path,
            expected="a secret text of 16 characters or more on the first line",
            found=f"{len(salt)} characters",
            fix="Generate one with secrets.token_hex(16) and save it as the first line.",
        )
    return salt


def choose_salt(salt: str | None, salt_file=None, own_data: bool = False) -> str:
    """The salt to use: the first line of `salt_file` if given, else `salt`.

    Refuses (DataError) a missing or short salt, and EXAMPLE_SALT when
    own_data is True: a published salt lets anyone recompute the pseudonyms.
    """
    chosen = read_salt(salt_file) if salt_file is not None else salt
    _check_salt(chosen)
    if own_data and chosen == EXAMPLE_SALT:
        raise DataError(
            "The example salt cannot be used on your own data.",
            column="salt",
            expected="your council's own secret salt, kept in a file only you can read",
            found="the example salt published with this project",
            fix="Generate one with secrets.token_hex(16), save it in a file outside the "
            "project and set salt_file to that file's path.",
        )
    return chosen


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



_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(T?00:00:00)?$")


def _canonical(value) -> str | None:
    """A value as comparable text: dates as yyyy-mm-dd, text upper case without spaces."""
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date, np.datetime64)):
        stamp = pd.Timestamp(value)
        return None if pd.isna(stamp) else stamp.strftime("%Y-%m-%d")
    text = "".join(str(value).split()).upper()
    found = _UK_DATE.match(text)
    if found:
        day, month, year = found.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    iso = _ISO_DATE.match(text)
    return iso.group(1) if iso else text or None


def identifiers_left(shared: pd.DataFrame, original: pd.DataFrame,
                     identifiers: Sequence[str]) -> pd.DataFrame:
    """Where a row of the table to share still holds that row's original identifier.

    `shared` is `original` after preparation (prepare_for_sharing keeps the rows
    and their index); `identifiers` names columns of `original` (child ID, date
    of birth, postcode...). For each identifier and each column of `shared`,
    counts the rows whose value equals the row's original identifier, compared
    as text ignoring case and spaces, and dates as days whatever their form (a
    datetime, "2015-05-01", "01/05/2015"). This catches an identifier left in
    place, copied to another column, or given away by another value (care
    starting on the day a baby was born). Returns identifier, column, rows (one
    line per pair with a match; empty when none is left); the values
    themselves are never shown.
    """
    frames.require_columns(original, identifiers, "the original table")
    missing = shared.index.difference(original.index)
    if len(missing):
        raise DataError(
            "The table to share has rows that are not in the original table.",
            file="the table to share",
            expected="the rows of the original table (same index), as prepare_for_sharing "
            "keeps them",
            found=f"{len(missing)} rows whose index is not in the original",
            fix="Compare each shared table with the table it was prepared from.",
        )
    aligned = original.loc[shared.index]
    rows = []
    for identifier in identifiers:
        before = _canonical_values(aligned[identifier])
        for column in shared.columns:
            after = _canonical_values(shared[column])
            matches = int((before.notna() & before.eq(after)).sum())
            if matches:
                rows.append({"identifier": identifier, "column": column, "rows": matches})
    return pd.DataFrame(rows, columns=["identifier", "column", "rows"])


def _canonical_values(values: pd.Series) -> pd.Series:
    codes, distinct = pd.factorize(values)
    done = [_canonical(v) for v in distinct] + [None]
    return pd.Series(np.array(done, dtype=object)[codes], index=values.index)
