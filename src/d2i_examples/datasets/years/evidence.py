"""Each return's dated evidence of its year, and the rule that reads it (``RULES``).

One entry of ``RULES`` a return: a reader of the dates its files hold
(``read``), the collection year holding such a date (``year_of``) and whether
the files were made before that year was over (``in_year``). Each reader
states its rule in its docstring:

- SSDA903: the latest episode start or end date, a typing slip aside
  (``ssda903_evidence_from_episodes``); codes of another year's specification.
- CIN census: the header's ReferenceDate, else its Year; <GenderCurrent> or
  <Sex> against the year's specification (``CIN_SEX_FROM``).
- SEN2: the header's Year (``sen2_year``), the census being in January of it.

Annex A holds no collection year. Adding a return is one more entry.
"""

from __future__ import annotations

import re
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd

from d2i_examples.datasets.ssda903 import read_ssda903
from d2i_examples.datasets.year_notation import year_ending_31_march, year_label
from d2i_examples.errors import DataError
from d2i_examples.spec import ssda903 as spec


@dataclass(frozen=True)
class Evidence:
    """A date a file holds that tells its year, and what it is (for messages)."""

    date: pd.Timestamp
    what: str  # "the header's ReferenceDate", "the latest episode date"
    # given a collection year, what in the files belongs to another year's
    # specification, naming that year (None: nothing)
    other_spec: Callable[[int], str | None] = lambda year: None

    def said(self) -> str:
        """'the header's ReferenceDate (15/07/2025)': ``what`` with the date."""
        date = f"{self.date:%d/%m/%Y}"
        return self.what.format(date=date) if "{date}" in self.what else f"{self.what} ({date})"


@dataclass(frozen=True)
class YearRule:
    """How one return's own content tells its collection year.

    ``read(path, mapping)`` finds the dated evidence in the files (None:
    they say nothing; ``mapping`` is the settings' column mapping, if any); ``year_of(date)`` is the collection year holding that date;
    ``in_year(date, year)`` is True when the files were made before the
    year was over (an in-year extract).
    """

    read: Callable[..., Evidence | None]
    year_of: Callable[[pd.Timestamp], int] = year_ending_31_march
    in_year: Callable[[pd.Timestamp, int], bool] = lambda date, year: False


def _cin_census_evidence(path: Path, mapping=None) -> Evidence | None:
    """CIN census: the header's ReferenceDate, else its Year element (as 31 March).

    The census year runs 1 April to 31 March; D2I's CIN validator takes the
    ReferenceDate as the last day of the period it checks and the year before
    it as the period (cin_validator.utils.make_census_period). So the census
    year is the one whose 31 March is on or after the ReferenceDate: 31/03/2026
    and an extract made on 15/07/2025 are both 2025/26 (collection year 2026).
    """
    values: dict[str, str] = {}
    files = [path] if path.is_file() else sorted(path.glob("*.xml"))
    if len(files) != 1:
        return None
    try:
        for _, el in ET.iterparse(files[0], events=("end",)):
            tag = el.tag.split("}", 1)[-1]
            if tag in ("ReferenceDate", "Year") and el.text and el.text.strip():
                values[tag] = el.text.strip()
            if tag in ("GenderCurrent", "Sex"):
                values.setdefault("sex element", tag)
            if tag == "Children" or (tag == "ChildIdentifiers" and "sex element" in values):
                break
    except (ET.ParseError, OSError, UnicodeDecodeError):
        return None
    other_spec = partial(_cin_census_spec, values.get("sex element"))
    date = pd.to_datetime(values.get("ReferenceDate", ""), format="%Y-%m-%d", errors="coerce")
    if pd.notna(date):
        return Evidence(date, "the header's ReferenceDate", other_spec)
    if re.fullmatch(r"20\d\d", values.get("Year", "")):
        return Evidence(pd.Timestamp(int(values["Year"]), 3, 31), "the header's Year",
                        other_spec)
    return None


#: The CIN census element for a child's sex: GenderCurrent up to the 2023/24
#: specification, Sex from 2024/25 (the CIN validator's rules read GenderCurrent
#: in cin2022_23 and cin2023_24, Sex from cin2024_25).
CIN_SEX_FROM = 2025


def _cin_census_spec(element: str | None, year: int) -> str | None:
    """What in a census belongs to another year's specification, given ``year``."""
    if element == "GenderCurrent" and year >= CIN_SEX_FROM:
        return (f"This census records sex as <GenderCurrent>, the element of the CIN census "
                f"specification up to {year_label(CIN_SEX_FROM - 1)}; <Sex> replaced it "
                f"from {year_label(CIN_SEX_FROM)}. The {year_label(year)} rules read <Sex>, "
                "so they will count every child's sex as not recorded (rule 2886Q and "
                f"others). Export the census again to the {year_label(year)} specification "
                "from your case management system (or ask its supplier) before you submit.")
    if element == "Sex" and year < CIN_SEX_FROM:
        return (f"This census records sex as <Sex>, the element of the CIN census "
                f"specification from {year_label(CIN_SEX_FROM)}; the {year_label(year)} "
                "rules read <GenderCurrent>, so they will count every child's sex as not "
                "recorded.")
    return None


def ssda903_evidence_from_episodes(episodes: pd.DataFrame) -> Evidence | None:
    """SSDA903: the latest episode start or end date (DECOM, DEC), a typing slip aside.

    Episodes start and cease on or before 31 March of the collection year, so
    the year is that of the first 31 March on or after the latest of them. So
    that one mistyped date (2027 for 2025) does not move the year, the latest
    1% of the dates are left out when they fall in a later year than the rest
    (the date used is then the latest of the other 99%). Dates are read as
    day/month/year (or ISO); None when the table has no dates, or when some can
    only be month/day/year (a file re-saved in US format: the loader names them).
    """
    dates = pd.concat([episodes[c] for c in ("DECOM", "DEC") if c in episodes],
                      ignore_index=True)
    if not pd.api.types.is_datetime64_any_dtype(dates):
        # day/month/year only (a US month/day date is no evidence: the loader names it),
        # else ISO year-month-day
        text = dates.astype("string").str.strip().str.split(" ").str[0]
        uk = pd.to_datetime(text, format="%d/%m/%Y", errors="coerce")
        if (uk.isna() & pd.to_datetime(text, format="%m/%d/%Y", errors="coerce").notna()).any():
            return None  # month/day dates: none of them can be trusted to tell the year
        dates = uk.fillna(pd.to_datetime(text, format="%Y-%m-%d", errors="coerce"))
    dates = dates.dropna().sort_values(ignore_index=True)
    if dates.empty:
        return None
    latest = pd.Timestamp(dates.iloc[-1])
    typical = pd.Timestamp(dates.iloc[int(0.99 * (len(dates) - 1))])
    if year_ending_31_march(latest) == year_ending_31_march(typical):
        return Evidence(latest, "the latest episode date")
    return Evidence(typical, "the latest episode date ({date}; " + f"{latest:%d/%m/%Y} is "
                    "left out as a likely typing mistake)")


def _ssda903_spec(tables: dict[str, pd.DataFrame], year: int) -> str | None:
    """903 codes that ``year`` does not accept but another year's specification does."""
    if year not in spec.SUPPORTED_YEARS:
        return None
    wrong: dict[str, list[str]] = {}
    fits = set(spec.SUPPORTED_YEARS)
    for frame in (tables.get("header"), tables.get("episodes")):
        for column in spec.CODE_COLUMNS:
            if frame is None or column not in frame:
                continue
            used = set(frame[column].dropna().astype(str).str.strip().str.upper()) - {""}
            known = used & set(spec.codes_any_year(column))
            bad = sorted(known - set(spec.codes(column, year)))
            if bad:
                wrong[column] = bad
                fits &= {y for y in spec.SUPPORTED_YEARS if set(bad) <= set(spec.codes(column, y))}
    if not wrong:
        return None
    found = ", ".join(f"{column} {', '.join(codes)}" for column, codes in wrong.items())
    advice = (f"Map them to the {year_label(year)} codes (in the export, or with a settings "
              "file's mapping) before you submit; the validator flags each one.")
    if fits:
        nearest = min(fits, key=lambda y: abs(y - year))
        advice = (f"They are the codes of the {year_label(nearest)} specification, so the "
                  f"export may not have been updated for {year_label(year)}. " + advice)
    return (f"Your 903 files use codes the {year_label(year)} specification does not accept "
            f"({found}). {advice}")


def _ssda903_evidence(path: Path, mapping=None) -> Evidence | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tables = read_ssda903(path, parse_values=False, mapping=mapping)
    except DataError:
        return None  # the loader explains what is wrong with the files
    found = ssda903_evidence_from_episodes(tables["episodes"])
    return None if found is None else Evidence(found.date, found.what,
                                               partial(_ssda903_spec, tables))


def sen2_year(path: Path) -> int | None:
    """The collection year of a SEN2 XML file: its header's Year (the census is in January
    of it). None when the header does not say (or the file cannot be parsed: the loader
    explains why)."""
    try:
        for _, el in ET.iterparse(path, events=("end",)):
            tag = el.tag.split("}", 1)[-1]
            if tag == "Year" and el.text and el.text.strip().isdigit():
                return int(el.text.strip())
            if tag in ("CollectionDetails", "Header", "Persons"):
                break
    except (ET.ParseError, OSError, UnicodeDecodeError):
        return None
    return None


def _sen2_evidence(path: Path, mapping=None) -> Evidence | None:
    """SEN2: the header's Year, the collection year whose census day is in January of it
    (read as that year's 31 March)."""
    files = [path] if path.is_file() else sorted(path.glob("*.xml"))
    year = sen2_year(files[0]) if len(files) == 1 else None
    return None if year is None else Evidence(pd.Timestamp(year, 3, 31), "the header's Year")


RULES: dict[str, YearRule] = {
    "ssda903": YearRule(
        read=_ssda903_evidence,
        # a whole year's return has episodes starting or ending in its last month
        in_year=lambda date, year: date < pd.Timestamp(year, 3, 1),
    ),
    "cin_census": YearRule(
        read=_cin_census_evidence,
        in_year=lambda date, year: date < pd.Timestamp(year, 3, 31),
    ),
    "sen2": YearRule(read=_sen2_evidence),
    # Annex A holds no collection year: its lists cover the months before an
    # inspection, and the examples take a date window instead (names only).
}
