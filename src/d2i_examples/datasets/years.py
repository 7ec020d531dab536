"""Which collection year a return's files hold, and how we know: the one home for that question.

A collection year is named by the day its return ends: 2026 is 2025/26, the
year 1 April 2025 to 31 March 2026. The check, the loaders, ``run``, the
validator wrappers and the notebooks all ask this module; none decides a
year on its own.

Where the year comes from (``decide``), strongest first:

1. ``collection_year`` as the reader sets it (notebook parameter,
   ``-p collection_year=...`` or the settings file): always used. When the
   files' own content says another year, the note says so, once.
2. The files' own content, by the return's rule in ``RULES`` (one entry per
   return; each entry's reader states its rule in its docstring). A file
   cannot hold dates after the end of its own year, so content beats names.
3. Names: a year folder's name, else a year in the file names
   (``year_in_name``: "2026", "2025-26", "903_2025_26", "2024 to 2025").
   Used when the content says nothing; when names and content disagree the
   content is used and the note says so.

In-year extracts (a census made in July, a 903 export in November) belong to
the collection year whose end is still ahead: they are checked against that
year's rules, and the note says that rules about the whole year may flag what
is simply not finished yet. A census is in-year when its ReferenceDate is
before 31 March; a 903 when its latest episode date is before 1 March (a
whole year's return has episodes starting or ending in its last month).

Files written for another year's specification (a census recording
GenderCurrent, 903 codes a year no longer accepts) get a note naming it.

Adding a return (SEN2, say, whose census day is in January) is one more entry
in ``RULES``: a reader of its dated evidence, with its own ``year_of`` and
``in_year`` where the 31 March ones do not fit.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd

from d2i_examples.errors import DataError

_YEAR = re.compile(r"(?<!\d)(20\d\d)(?:\s*(?:[-_]|to)\s*(?:20)?(\d\d))?(?!\d)")
PARAMETER = "collection_year"
IN_YEAR_NOTE = ("Rules about the whole year (those that look at 31 March, or count a "
                "year's events) may flag what is simply not finished yet.")


# --- how a year is written --------------------------------------------------------------


def year_label(year: int | None) -> str:
    """2026 -> '2025/26'; None -> 'year not stated'."""
    return "year not stated" if year is None else f"{year - 1}/{str(year)[2:]}"


def year_in_name(name: str) -> int | None:
    """The collection year a file or folder name holds: '2026', '2025-26', '903_2025_26'.

    A pair of years one apart ("2025-26", "2024 to 2025") gives the later; a
    lone year is the year the return ends. None when the name holds no year.
    """
    m = _YEAR.search(name)
    if m is None:
        return None
    start = int(m.group(1))
    if m.group(2) is not None and (int(m.group(2)) - start % 100) % 100 == 1:
        return start + 1
    return start


def stated_year(value: object, fix: str = "Set collection_year = 2026 for the 2025/26 return.",
                *, joined: bool = False) -> int:
    """The collection year ``value`` states, as the year the return ends.

    2026, "2026", "2025/26", "2025-26", "2025_26" or "2025 to 2026" give 2026;
    with ``joined`` also "202526". Anything else is a DataError with ``fix``.
    """
    text = str(value).strip()
    between = r"(?:[/_-]|to)" + ("?" if joined else "")
    m = re.fullmatch(rf"(20\d\d)\s*{between}\s*(?:20)?(\d\d)", text)
    if m and (int(m.group(2)) - int(m.group(1)) % 100) % 100 == 1:
        return int(m.group(1)) + 1
    if re.fullmatch(r"20\d\d", text):
        return int(text)
    raise DataError(
        "The collection year was not understood.",
        column=PARAMETER,
        expected="the year the return ends, e.g. 2026 or '2025/26'",
        found=repr(value),
        fix=fix,
    )


def year_ending_31_march(date: pd.Timestamp) -> int:
    """The collection year holding ``date``: that of the first 31 March on or after it."""
    return int(date.year) + (1 if date.month > 3 else 0)


def checked(collection_year: object, years: list[int], problem: str, fix: str) -> int:
    """``collection_year`` (2026, "2025/26"...) as an int if it is one of ``years``,
    else a DataError naming the years a tool can check."""
    try:
        year = stated_year(collection_year)
    except DataError:
        year = None
    if year not in years:
        raise DataError(
            problem,
            column=PARAMETER,
            expected="one of " + ", ".join(map(str, years)) + " (2026 means 2025/26)",
            found=repr(collection_year),
            fix=fix,
        )
    return year


# --- each return's own rule -------------------------------------------------------------


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
    (the date used is then the latest of the other 99%). None when the table
    has no dates.
    """
    dates = pd.concat([episodes[c] for c in ("DECOM", "DEC") if c in episodes],
                      ignore_index=True)
    if not pd.api.types.is_datetime64_any_dtype(dates):
        dates = pd.to_datetime(dates, dayfirst=True, errors="coerce")
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
    from d2i_examples.spec import ssda903 as spec

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
    from d2i_examples.datasets.ssda903 import read_ssda903

    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tables = read_ssda903(path, parse_values=False, mapping=mapping)
    except DataError:
        return None  # the loader explains what is wrong with the files
    found = ssda903_evidence_from_episodes(tables["episodes"])
    return None if found is None else Evidence(found.date, found.what,
                                               partial(_ssda903_spec, tables))


def _sen2_evidence(path: Path, mapping=None) -> Evidence | None:
    """SEN2: the header's Year, the collection year whose census day is in January of it
    (read as that year's 31 March)."""
    from d2i_examples.datasets.layout import sen2_year

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


# --- the answer -----------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """A collection year, how we know it, and anything the reader should be told once."""

    year: int | None
    reason: str = ""  # "from the header's ReferenceDate (15/07/2025)"
    note: str = ""  # sources that disagree, an in-year extract

    def describe(self) -> str:
        """One paragraph for the reader: the year, why, and the note."""
        if self.year is None:
            return "Collection year: not stated in the files' names or content."
        text = f"Collection year {self.year} ({year_label(self.year)}), {self.reason}."
        return text + (f" {self.note}" if self.note else "")


def from_names(path: Path) -> Found | None:
    """The year in a folder's name, else the one year all its file names state."""
    path = Path(path)
    if path.is_dir():
        named = {year_in_name(f.name) for f in path.iterdir() if f.is_file()} - {None}
        if len(named) == 1:
            return Found(named.pop(), "from the file names")
    year = year_in_name(path.name)
    if year is not None:
        return Found(year, f"from the {'folder' if path.is_dir() else 'file'} name "
                     f"'{path.name}'")
    return None


def from_content(return_name: str, path: Path, mapping=None) -> tuple[Found, Evidence] | None:
    """The year the files' own content states, by the return's rule; None if it says nothing."""
    rule = RULES.get(return_name)
    evidence = rule.read(Path(path), mapping) if rule else None
    if evidence is None:
        return None
    year = rule.year_of(evidence.date)
    return Found(year, f"from {evidence.said()}"), evidence


def decide(return_name: str, path: str | Path, asked: object = None,
           named: int | None = None, mapping=None, settings=None) -> Found:
    """The collection year of one return's files at ``path``, with the reason and a note.

    ``asked``: the reader's ``collection_year`` (None: not given); ``named``:
    the year the layout found the files under, if any (else ``from_names``);
    ``mapping``: the settings' column mapping, to read the files' own dates, or
    ``settings`` (a settings file's path, as the worked examples' ``settings_file``)
    to take it from. See the module docstring for the order; each disagreement and
    any in-year extract gives one note.
    """
    if mapping is None and settings is not None:
        from d2i_examples.settings.model import mapping_for

        mapping = mapping_for(settings, return_name)
    path = Path(path)
    names = Found(named, "from the folder or file names") if named else from_names(path)
    content = from_content(return_name, path, mapping)
    year_asked = None if asked is None else stated_year(asked)
    notes = []
    if year_asked is not None:
        found = Found(year_asked, f"as you set it ({PARAMETER}={year_asked})")
        if content and content[0].year == year_asked:
            found = Found(year_asked, f"{found.reason}; {content[0].reason.removeprefix('from ')}"
                          " agrees")
        elif content:
            notes.append(f"Your files look like {year_label(content[0].year)} "
                         f"({content[0].reason}); the {year_label(year_asked)} rules are used "
                         f"because you set {PARAMETER}={year_asked}. Set "
                         f"{PARAMETER}={content[0].year} to use the year the files show.")
    elif content:
        found = content[0]
        if names and names.year != found.year:
            notes.append(f"By {names.reason.removeprefix('from ')} these are "
                         f"{year_label(names.year)}, but the files' own dates show "
                         f"{year_label(found.year)}, so {year_label(found.year)} is used. If "
                         f"the files really are {year_label(names.year)}, set "
                         f"{PARAMETER}={names.year}.")
    elif names:
        found = names
    else:
        return Found(None)
    if content:
        evidence = content[1]
        rule = RULES[return_name]
        if rule.year_of(evidence.date) == found.year and rule.in_year(evidence.date, found.year):
            notes.append(f"These look like an in-year extract: {evidence.said()} comes "
                         f"before the year ends on 31/03/{found.year}. They are checked "
                         "against the "
                         f"{year_label(found.year)} rules. {IN_YEAR_NOTE}")
        other = evidence.other_spec(found.year)
        if other:
            notes.append(other)
    return Found(found.year, found.reason, " ".join(notes))


def common_year(years: dict[str, int | None]) -> int | None:
    """The one collection year the returns found share (Annex A aside); None if not one."""
    found = {y for r, y in years.items() if y is not None and r != "annex_a"}
    return found.pop() if len(found) == 1 else None
