"""The answer: which collection year one return's files hold, how we know, and what to say.

``decide`` weighs the three sources in the order the package docstring gives
(the reader's ``collection_year``, the files' own dates by ``RULES``, then
names) and returns a ``Found``: the year, the reason, and one note when the
sources disagree, the files are an in-year extract or follow another year's
specification. ``common_year`` is the one year several returns share.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from d2i_examples.datasets.identify import data_files, return_files
from d2i_examples.datasets.year_notation import PARAMETER, stated_year, year_in_name, year_label
from d2i_examples.datasets.years.evidence import RULES, Evidence, ssda903_evidence_from_episodes

IN_YEAR_NOTE = ("Rules about the whole year (those that look at 31 March, or count a "
                "year's events) may flag what is simply not finished yet.")


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


def from_names(path: Path, return_name: str | None = None) -> Found | None:
    """The one year all its file names state, else the folder's name; with
    ``return_name`` only the files holding that return have a say (identify.return_files)."""
    path = Path(path)
    if path.is_dir():
        files = data_files(path)
        if return_name is not None:
            files = return_files(files, return_name)
        named = {year_in_name(f.name) for f in files} - {None}
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
    names = Found(named, "from the folder or file names") if named else from_names(
        path, return_name)
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


@dataclass(frozen=True)
class Span:
    """The days a run of 903 years tells the looked-after population for."""

    start: pd.Timestamp  # 1 April of the first year held
    end: pd.Timestamp  # 31 March of the last, or an in-year extract's latest episode date
    in_year: bool = False

    def said(self) -> str:
        """'01/04/2025 to 31/03/2026', with '(an in-year extract)' when it is one."""
        return (f"{self.start:%d/%m/%Y} to {self.end:%d/%m/%Y}"
                + (" (the last year is an in-year extract)" if self.in_year else ""))


def ssda903_span(last_episodes: pd.DataFrame, years_held: int = 1) -> Span | None:
    """The days ``years_held`` consecutive 903 years, the last with ``last_episodes``,
    cover. A year's episodes table holds the episodes open at some time in its year, so
    the population is known from 1 April of the first year (a child who came and left
    before then is in no file), to 31 March of the last year, or for an in-year extract
    (``RULES``'s rule) only to its latest episode date. None when the episodes hold no
    readable dates (the loader says why)."""
    evidence = ssda903_evidence_from_episodes(last_episodes)
    if evidence is None:
        return None
    rule = RULES["ssda903"]
    last = rule.year_of(evidence.date)
    start = pd.Timestamp(last - years_held, 4, 1)
    if rule.in_year(evidence.date, last):
        return Span(start, evidence.date.normalize(), in_year=True)
    return Span(start, pd.Timestamp(last, 3, 31))


def misnamed(return_name: str, folders: dict, mapping=None) -> list[str]:
    """A note for each of ``folders`` ({year its name states: path}, as return_years gives)
    whose own dates show another year: the demand model and the validators take the
    name, so a folder named 2019 holding 2017/18 files would be read as the wrong year."""
    notes = []
    for named, path in sorted(folders.items(), key=lambda item: item[0] or 0):
        content = from_content(return_name, path, mapping) if named is not None else None
        if content and content[0].year != named:
            notes.append(f"{Path(path).name} is named {year_label(named)}, but its files' own "
                         f"dates show {year_label(content[0].year)} ({content[0].reason}). "
                         "Rename the folder (or move the files) to the year they hold: the "
                         "examples that read several years take each folder's name.")
    return notes


def common_year(years: dict[str, int | None]) -> int | None:
    """The one collection year the returns found share (Annex A aside); None if not one."""
    found = {y for r, y in years.items() if y is not None and r != "annex_a"}
    return found.pop() if len(found) == 1 else None
