"""Check a reader's data folder before any notebook runs, and say what is wrong in plain words.

The check finds which returns the folder holds (SSDA903, CIN census, Annex A),
which years, and reads each return the notebook needs with the same loaders
the notebook will use (d2i_examples.datasets), applying the settings file's
column mapping. A return the notebook only hands to a validator as files
(``data_path``) gets its structure checked (tables and columns), not its
values: wrong codes and dates are what the validator reports. Every problem the
readers can find is listed at once (they gather them when given a list: each file,
table and column, see read_return), and each is
explained (file, column, what was expected, what was found, what to do) and has
an exit status of its own, so a script can tell them apart. Near-miss headings
("Date of birth" for DOB, "Child ID" for "Child Unique ID") come with a
ready-to-save settings file that maps them, tried on the files before it is
suggested.

An SSD (a DuckDB file given as the data, or in the folder or a sub-folder) is described
too: its tables and how to give it to the SSD examples, or what is wrong with it
(:mod:`d2i_examples.ssd.check`).

Exit statuses of `d2i-examples check` and `d2i-examples run` (EXIT_CODES)::

     0  all good                         7  a column missing or named differently
     1  a notebook failed while running  8  a value that cannot be read (US dates, codes)
     2  command-line mistake             9  an empty file
     3  settings file cannot be used    10  a damaged or password-protected file
     4  data folder missing or empty    11  a file open in Excel
     5  files of another return         12  two years (or copies) mixed in one folder,
     6  a table missing                     or the year (or Annex A window) asked for
                                            is not in the files
                                        13  output folder inside the project: refused
                                        14  another problem with the files
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from d2i_examples.datasets.identify import folder_return
from d2i_examples.datasets.layout import (
    FOLDERS,
    LABELS,
    RETURNS,
    locate,
    return_root,
    returns_found,
)
from d2i_examples.datasets.load import read_return
from d2i_examples.datasets.population import population_path, read_population
from d2i_examples.datasets.published import published_files
from d2i_examples.datasets.years import (
    decide,
    misnamed,
    return_years,
    stated_year,
    year_label,
)
from d2i_examples.errors import DataError
from d2i_examples.own_data.benchmarkable import describe_published
from d2i_examples.settings.mapping import (
    ColumnMapping,
    codes_by_meaning,
    with_codes,
    with_renames,
)
from d2i_examples.settings.model import Settings
from d2i_examples.spec import ssda903 as spec_903

EXIT_CODES = {
    "ok": 0,
    "notebook_failed": 1,
    "usage": 2,
    "settings": 3,
    "not_found": 4,
    "wrong_return": 5,
    "missing_table": 6,
    "columns": 7,
    "values": 8,
    "empty_file": 9,
    "unreadable": 10,
    "open_in_excel": 11,
    "years": 12,
    "unsafe_output": 13,
    "other": 14,
}
TITLES = {
    "not_found": "data folder missing or empty",
    "wrong_return": "files of another return",
    "missing_table": "a table is missing",
    "columns": "a column is missing or named differently",
    "values": "a value cannot be read",
    "empty_file": "an empty file",
    "unreadable": "a file cannot be opened",
    "open_in_excel": "a file is open in Excel",
    "years": "years mixed, or the year or date window asked for is not in the files",
    "other": "a problem with the files",
}
_MAX_ROUNDS = 20  # suggested renames tried, one table at a time
NOT_JUDGED = ("Values (codes, dates) not checked here: the notebook's validator reports "
              "them.")
VALIDATOR_ADVICE = ("Wrong codes or dates are what the validator notebooks (checking-ssda903, "
                    "checking-cin-census) report: to list them all, run e.g. `d2i-examples run "
                    "checking-ssda903 --data {data_dir}`.")


@dataclass
class Problem:
    """One thing wrong with the data, in plain words, with its exit status."""

    kind: str
    message: str
    suggestion: str = ""  # a settings file to save, when one would fix it
    covers: int = 1  # how many problems, this one and those just before, the file fixes

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.kind]


@dataclass
class ReturnReport:
    """What the check found for one return."""

    return_name: str
    where: Path | None = None
    year: int | None = None
    year_source: str = ""
    tables: dict[str, int] = field(default_factory=dict)  # table -> rows
    details: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    frames: dict | None = field(default=None, repr=False)  # as read, when values were read


@dataclass
class CheckResult:
    """Everything the check found; ``exit_code`` is the first problem's (0 when none)."""

    data_dir: Path
    returns: list[ReturnReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # about the folder as a whole
    needed_by: str | None = None
    details: list[str] = field(default_factory=list)  # files beside the returns (population)
    parameters: set[str] | None = None  # the example's parameters, when one is named

    @property
    def all_problems(self) -> list[Problem]:
        return self.problems + [p for r in self.returns for p in r.problems]

    @property
    def ok(self) -> bool:
        return not self.all_problems

    @property
    def exit_code(self) -> int:
        problems = self.all_problems
        return problems[0].exit_code if problems else 0

    @property
    def years(self) -> dict[str, int | None]:
        return {r.return_name: r.year for r in self.returns}

    def format(self) -> str:
        """The check's findings as a reader sees them in the terminal."""
        lines = [f"Checked your data folder: {self.data_dir}"]
        for rep in self.returns:
            lines.append("")
            lines.append(f"{LABELS[rep.return_name]}: {rep.where or 'not found'}")
            if rep.year is not None or rep.year_source:
                lines.append(f"  Year: {year_label(rep.year)}"
                             + (f" (collection year {rep.year})" if rep.year else "")
                             + (f", {rep.year_source}" if rep.year_source else ""))
            if rep.tables:
                lines.append("  Tables: " + ", ".join(
                    f"{t} ({n} row{'s' if n != 1 else ''})" for t, n in rep.tables.items()))
            lines += [f"  {d}" for d in rep.details]
            lines.append("  OK" if not rep.problems and rep.tables else "")
        if self.details:
            lines.append("")
            lines += self.details
        problems = self.all_problems
        for number, problem in enumerate(problems, start=1):
            lines.append("")
            lines.append(f"Problem {number} of {len(problems)} (exit status "
                         f"{problem.exit_code}: {TITLES.get(problem.kind, problem.kind)}):")
            lines += ["  " + line for line in problem.message.splitlines()]
            lines += ["  " + line for line in self._not_applicable(problem.message)]
            if problem.suggestion:
                lines.append("")
                if problem.covers > 1:
                    lines.append(f"  One settings file for problems {number - problem.covers + 1}"
                                 f" to {number}:")
                lines.append("  Suggested settings file (check every line before you use it):")
                lines.append("")
                lines += ["    " + line for line in problem.suggestion.splitlines()]
        if not self.needed_by and any(p.kind == "values" for p in problems):
            lines += ["", VALIDATOR_ADVICE.format(data_dir=self.data_dir)]
        lines.append("")
        if problems:
            lines.append("Nothing was run. Fix the problem(s) above, then run the same command "
                         "again.")
        else:
            lines.append("Everything " + (f"{self.needed_by} needs" if self.needed_by else
                                          "found") + " is there and readable.")
        return "\n".join(line.rstrip() for line in lines).replace("\n\n\n", "\n\n")


    def _not_applicable(self, message: str) -> list[str]:
        """A note for each parameter a fix names that the example checked does not have."""
        if self.parameters is None or not self.needed_by:
            return []
        named = dict.fromkeys(re.findall(r"\b([a-z]+(?:_[a-z]+)+)=", message))
        return [f"Note: {self.needed_by} has no {name} parameter, so that fix does not "
                f"apply to it. {INSTEAD.get(name, '')}".rstrip()
                for name in named if name not in self.parameters]


#: What to do instead, for an example without the parameter a loader's fix names.
INSTEAD = {
    "collection_year": "It reads each year's files from a folder named for the year the "
                       "return ends (e.g. ssda903/2018/ for 2017/18): put them there.",
}


def classify(err: DataError) -> str:
    """The kind of problem (a key of EXIT_CODES) a loader's DataError describes."""
    problem = err.problem.lower()
    fix = (err.fix or "").lower()
    found = (err.found or "").lower()
    if "permissionerror" in found:
        return "open_in_excel"
    if problem.startswith("the file is empty") or "empty (0 bytes" in problem:
        return "empty_file"
    if any(s in problem for s in (
        "could not be opened", "format these loaders do not read", "not well-formed xml",
        "could not be read as a table", "holds an excel workbook",
    )):
        return "unreadable"
    if any(s in problem for s in (
        "not a cin census return", "but not the cin census", "has no annex a list sheets",
    )) or ("no ssda903 tables were recognised" in problem
           and ("annex a" in fix or "cin census" in fix)) or found.startswith(
        "files of another return"
    ):
        return "wrong_return"
    if problem.endswith("is not a date."):  # a parameter given on the command line
        return "usage"
    if problem.startswith("column "):  # a date or code in a column (values.py)
        return "values"
    if any(s in problem for s in (
        "different collection years", "mixes year folders", "folders are for",
        "files are for", "collection year", "files have no", "two files hold",
        "two sheets hold", "more than one", "dated in the window", "years are not consecutive",
        "reference period must lie",
    )):
        return "years"
    if "table is missing" in problem:
        return "missing_table"
    if any(s in problem for s in (
        "looks like the ssda903", "heading", "two columns", "no ssda903 tables were recognised",
    )):
        return "columns"
    if any(s in problem for s in ("was not found", "is empty", "no csv or excel files",
                                  "files were found", "not a folder", "not one file")):
        return "not_found"
    return "other"


def problem_of(err: DataError) -> Problem:
    """``err`` as one of check's problems, of the kind ``classify`` gives it."""
    return Problem(classify(err), str(err))


# --- the folder as a whole ----------------------------------------------------------------


def _walk(root: Path, depth: int = 3):
    if depth < 0 or not root.is_dir():
        return
    try:
        entries = sorted(root.iterdir())
    except OSError:
        return
    for entry in entries:
        yield entry
        if entry.is_dir() and not entry.name.startswith("."):
            yield from _walk(entry, depth - 1)


def open_in_excel(root: Path, reads: Iterable[str] | None = None) -> list[Problem]:
    """A problem for each file Excel has open: its lock file '~$name' lies beside it. With
    ``reads`` (the returns an example reads), a lock in a folder named for another return
    (annex_a/ for an example reading the SSDA903 alone) is left alone."""
    problems = []
    for lock in _walk(root):
        if not (lock.is_file() and lock.name.startswith("~$")):
            continue
        if reads is not None and lock.parent != root and folder_return(
                lock.relative_to(root).parts[0]) not in (None, *reads):
            continue
        short = lock.name[2:]
        target = next((f for f in lock.parent.iterdir() if f.name == short), None) or next(
            (f for f in lock.parent.iterdir()
             if f != lock and not f.name.startswith("~$") and f.name.endswith(short)), None)
        name = target.name if target else short
        problems.append(Problem("open_in_excel", str(DataError(
            f"{name} is open in Excel (or another program): its lock file {lock.name} is "
            "beside it.",
            file=target or lock,
            fix="close it in Excel (save your changes first if you want them), then run the "
            "same command again. If Excel is not open, the lock file was left by a crash: "
            f"delete {lock}.",
        ))))
    return problems


_SSD_KINDS = {"lacks": "missing_table", "not a DuckDB": "unreadable", "empty": "empty_file"}


def _check_ssd(root: Path, result: CheckResult) -> None:
    """The SSDs (DuckDB files) at ``root``, described in ``result.details`` or as problems."""
    from d2i_examples.ssd.check import describe, ssd_files

    for path in ssd_files(root):
        try:
            result.details += describe(path)
        except DataError as err:
            kind = next((k for word, k in _SSD_KINDS.items() if word in str(err)), "other")
            result.problems.append(Problem(kind, str(err)))


# --- one return -------------------------------------------------------------------------


def _load_suggesting(
    return_name: str, path: Path, year: int | None, mapping: ColumnMapping | None,
    values: bool = True,
) -> tuple[dict | None, list[str], ColumnMapping | None, list[DataError], list[DataError]]:
    """Read a return, gathering every problem and trying suggested renames and codes:
    (frames, warnings, suggested mapping, the problems a suggestion answers, the problems
    left with it). ``values=False`` reads the structure only (no codes or dates judged).
    Each round reads with every rename and code the last round's problems suggest."""
    trial, suggested, answered = mapping, None, []
    for _ in range(_MAX_ROUNDS):
        problems: list[DataError] = []
        frames, caught = None, []
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                frames = read_return(return_name, path, year, trial, values, values, problems)
        except DataError as err:  # one that stops the reading (the folder, a file's format)
            problems.append(err)
        new = trial
        for err in problems:
            renames = getattr(err, "renames", None)
            codes = codes_by_meaning(getattr(err, "bad_codes", []), getattr(err, "allowed", {}))
            if renames:
                candidate = with_renames(new, return_name, getattr(err, "table", None), renames)
            elif codes and err.column:
                candidate = with_codes(new, return_name, err.column, codes)
            else:
                continue
            if candidate != new:
                new = candidate
                answered.append(err)
        if new == trial:
            return frames, [str(w.message) for w in caught], suggested, answered, problems
        trial = suggested = new
    return None, [], suggested, answered, problems


def _suggestion(settings: Settings | None, mapping: ColumnMapping, data_dir: Path,
                missing: dict[str, list[str]], works: bool) -> str:
    base = settings or Settings()
    text = base.with_mapping(mapping).to_yaml()
    name = settings.source.name if settings and settings.source else "my-settings.yaml"
    head = [
        "# d2i-examples settings: column mapping suggested by the check",
        f"# Save as {name}, check each line, then run:",
        f"#   d2i-examples check --data {data_dir} --params {name}",
    ]
    if works:
        head.append("# (tried on your files: with this mapping they load)")
    tail = []
    for table, cols in missing.items():
        tail.append(f"# No look-alike was found for {', '.join(cols)} ({table}). If your file "
                    "calls it something else, add it under")
        tail.append(f"# mapping > {mapping.return_name} > columns, e.g.   \"Your heading\": "
                    f"{cols[0]}")
    return "\n".join(head + [text.rstrip()] + tail)


def check_return(
    return_name: str,
    data_dir: Path,
    year: int | None = None,
    settings: Settings | None = None,
    found: Mapping[str, Path] | None = None,
    values: bool = True,
    window: tuple | None = None,
) -> ReturnReport:
    """Check one return in a reader's folder: where, which year, and that it reads.

    With ``values=False`` (files a notebook hands to a validator, which reports
    wrong values itself) only the structure is checked: folder, year, tables and
    columns; codes and dates are not judged.
    """
    rep = ReturnReport(return_name)
    try:
        where = return_root(data_dir, return_name)
    except DataError as err:
        rep.problems.append(problem_of(err))
        return rep
    if where is None:
        try:
            locate(return_name, data_dir, year)
        except DataError as err:
            rep.problems.append(problem_of(err))
        return rep
    rep.where = where
    try:
        years = return_years(return_name, where)
        path, chosen = locate(return_name, data_dir, year)
    except DataError as err:
        rep.problems.append(problem_of(err))
        return rep
    rep.where = path
    mapping = settings.mapping_for(return_name) if settings is not None else None
    if return_name == "annex_a":
        rep.year = chosen
    else:
        found_year = decide(return_name, path, asked=year, named=chosen, mapping=mapping)
        rep.year, rep.year_source = found_year.year, found_year.reason
        if found_year.note:
            rep.details.append(f"Note: {found_year.note}")
    others = sorted(y for y in years if y is not None and y != rep.year)
    if return_name == "ssda903" and len(years) > 1:
        rep.details += [f"Note: {note}" for note in misnamed(
            return_name, {y: p for y, p in years.items() if p != path}, mapping)]
    if others:
        rep.details.append("Other years there: " + ", ".join(year_label(y) for y in others))
    if return_name == "ssda903" and rep.year is not None and rep.year - 1 not in years:
        rep.details.append(
            f"Last year's files ({year_label(rep.year - 1)}) are not there. They are "
            "optional: add them (in a folder named "
            f"{rep.year - 1}) and checking-ssda903 also runs the rules that compare this "
            "year's return with last year's, and forecasting-demand learns from a longer "
            "history.")
    if mapping:
        parts = []
        renamed = len(mapping.columns) + sum(len(m) for m in mapping.tables.values())
        if renamed:
            parts.append(f"{renamed} heading(s) renamed")
        if mapping.codes:
            parts.append("codes for " + ", ".join(mapping.codes))
        rep.details.append("Column mapping from your settings: " + "; ".join(parts))

    frames, notes, suggested, answered, left = _load_suggesting(return_name, path, rep.year,
                                                                mapping, values)
    if not values and any(classify(e) == "values" for e in left):
        left = [e for e in left if classify(e) != "values"]  # the validator's to report
        rep.details.append(NOT_JUDGED)  # a reader that always parses (CIN census, Annex A)
        if not left and not answered:
            rep.tables = {t: len(f) for t, f in (frames or {}).items()}
            return rep
    if answered or left:
        _add_problems(rep, settings, mapping, data_dir, suggested, answered, left)
        return rep
    rep.details += [f"Note: {n}" for n in notes]
    if not values:
        rep.tables = {t: len(f) for t, f in frames.items()}
        rep.details.append(NOT_JUDGED)
        return rep
    _describe(rep, frames)
    rep.frames = frames
    if window is not None:
        from d2i_examples.indicators.periods import annex_a_window

        try:
            rep.details += annex_a_window(frames, *window).splitlines()
        except DataError as err:
            rep.problems.append(Problem("years", str(err)))
    return rep


def _add_problems(rep: ReturnReport, settings: Settings | None, mapping: ColumnMapping | None,
                  data_dir: Path, suggested: ColumnMapping | None, answered: list[DataError],
                  left: list[DataError]) -> None:
    """Every problem of a return, each with its own fix, then one settings file mapping
    every renamed heading and code (``suggested``) and naming every column without a
    look-alike: after the last problem it covers."""
    unmapped = [e for e in left if classify(e) == "columns" and getattr(e, "missing", None)]
    missing = {getattr(e, "table", rep.return_name): list(e.missing) for e in unmapped}
    covered = answered + unmapped
    problems = [problem_of(err) for err in covered]
    for err in [e for e in left if e not in covered]:
        problem = problem_of(err)
        if suggested is not None:
            problem.message = "The settings file above does not answer this one:\n" + \
                problem.message
        problems.append(problem)
    if covered:
        last = problems[len(covered) - 1]
        last.suggestion = _suggestion(settings, suggested or mapping or ColumnMapping(
            rep.return_name), data_dir, missing, not left)
        last.covers = len(covered)
    rep.problems += problems


def _describe(rep: ReturnReport, frames: dict) -> None:
    """Fill in tables and rows from the frames (the year is datasets.years's answer)."""
    if rep.return_name == "cin_census":
        header = frames["Header"]
        if len(header):
            lea = header["LEA"].iloc[0]
            if isinstance(lea, str):
                rep.details.append(f"Local authority code in the header (LEA): {lea}")
        rep.tables = {"children": len(frames["ChildIdentifiers"]),
                      "CINdetails": len(frames["CINdetails"])}
        if len(frames.get("PreProceedings", ())):  # 2026/27 on
            rep.tables["PreProceedings"] = len(frames["PreProceedings"])
        return
    if rep.return_name == "sen2":
        _describe_sen2(rep, frames)
        return
    rep.tables = {t: len(f) for t, f in frames.items()}
    if rep.return_name == "annex_a":
        return
    absent = [t for t in spec_903.tables(rep.year) if t not in frames]
    if absent:
        rep.details.append("Optional tables not there: " + ", ".join(absent))


def _check_period(rep: ReturnReport, period: tuple, root: Path,
                  settings: Settings | None) -> None:
    """The demand model's inputs, read as the example reads them (every 903 year, with the
    settings' mapping) and checked by the model's own input rules (years that follow on,
    episodes with header rows, ...), and its reference period inside the days they cover
    (tools.demand_model: the same rules and messages as the run). The model's note on
    children absent from the next year's files is passed on."""
    from d2i_examples.datasets.load import load
    from d2i_examples.tools.demand_model import (
        AbsentNextYear,
        data_span,
        model_years,
        reference_period,
    )

    if rep.problems or rep.year is None:
        return
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", AbsentNextYear)
            years = model_years(load("ssda903", root, year="all", settings=settings))
        reference_period(*period, data_span(years))
    except DataError as err:
        rep.problems.append(problem_of(err))
        return
    rep.details += [f"Note: {w.message}" for w in caught
                    if issubclass(w.category, AbsentNextYear)]


def _describe_sen2(rep: ReturnReport, frames: dict) -> None:
    """Persons, requests and plans of a SEN2 file, and its header's LA code."""
    lea = frames["header"]["LEA"].iloc[0] if len(frames["header"]) else None
    if isinstance(lea, str):
        rep.details.append(f"Local authority code in the header (LEA): {lea}")
    rep.tables = {"persons": len(frames["person"]), "requests": len(frames["requests"]),
                  "plans": len(frames["plans"]), "active plans": len(frames["active_plans"])}


def check_data(
    data_dir: str | Path,
    needs: Mapping[str, int | None] | None = None,
    settings: Settings | None = None,
    needed_by: str | None = None,
    structure_only: Iterable[str] = (),
    window: tuple | None = None,
    period: tuple | None = None,
    population: tuple | None = None,
    validated: Mapping[str, object] | None = None,
    parameters: Iterable[str] | None = None,
    published: bool = False,
    optional: Iterable[str] = (),
) -> CheckResult:
    """Check a reader's data folder.

    ``needs`` maps each return to check to its collection year (None: the
    latest, or the only one); without it every return found is checked.
    ``settings`` supplies the column mapping. Returns in ``structure_only``
    (those a notebook hands to a validator as files) get check_return's
    structure check, values not judged. ``window`` (reference_date, months):
    the Annex A must hold records dated in it (indicators.periods.annex_a_window).
    ``period`` (reference_start, reference_end): it must end by the end of the
    latest SSDA903 year (the demand model's reference period). ``population``
    ((path or None),): the notebook reads a child population file, from that path
    or population.csv in the folder (datasets.population); it must be there and read.
    ``validated`` (return -> rules_year or None): returns handed to D2I's validators,
    which must have rules for the files' year, or be asked for another year's.
    ``parameters``: the example's own, so a fix naming one it lacks gets a note
    saying what to do instead. ``published``: the example compares with the DfE's
    published tables, which must be in the folder (own_data.benchmarkable says which
    measures they let it benchmark). ``optional``: returns in ``needs`` the example
    runs without (its ``load(..., optional=True)``): one not in the folder is named
    as left out, not a problem, unless none of ``needs`` is there.
    Never writes anything.
    """
    root = Path(data_dir).expanduser()
    result = CheckResult(root.resolve() if root.exists() else root, needed_by=needed_by,
                         parameters=None if parameters is None else set(parameters))
    if not root.exists():
        result.problems.append(Problem("not_found", str(DataError(
            "Your data folder was not found.",
            file=root,
            fix="check the spelling, and that the drive or network share is connected. Give "
            "the full path (e.g. C:/Users/you/Documents/my-data).",
        ))))
        return result
    lock_problems = open_in_excel(root, None if needs is None else list(needs))
    if lock_problems:
        result.problems += lock_problems
        return result
    try:
        found = returns_found(root)
    except DataError as err:
        result.problems.append(problem_of(err))
        return result
    generic = needs is None
    if needs is None:
        _check_ssd(root, result)
        if not found and (result.details or result.problems):
            return result
        if not found:
            listing = ", ".join(p.name for p in sorted(root.iterdir())[:12]) if root.is_dir() \
                else root.name
            result.problems.append(Problem("not_found", str(DataError(
                "No SSDA903, CIN census, Annex A or SEN2 files were recognised in your data "
                "folder.",
                file=root,
                found=listing or "an empty folder",
                fix="put each return's files in a folder of its own: ssda903/ (the 903 CSVs, "
                "one folder per year), cin_census/ (the XML), annex_a/ (the workbook), sen2/ "
                "(the SEN2 XML). See "
                "the book page 'Running the examples on your own data'.",
            ))))
            return result
        needs = {r: None for r in RETURNS if r in found}
    absent = [name for name in needs if name in set(optional) and name not in found]
    if absent and len(absent) == len(needs):
        result.problems.append(Problem("not_found", _none_found(root, needs, needed_by)))
        return result
    for name in absent:
        result.details.append(f"{LABELS[name]}: not in your folder; "
                              f"{needed_by or 'the example'} runs without it.")
    for name, year in needs.items():
        if name in absent:
            continue
        result.returns.append(check_return(name, root, year, settings, found,
                                           values=name not in structure_only,
                                           window=window if name == "annex_a" else None))
        if name == "ssda903" and period is not None:
            _check_period(result.returns[-1], period, root, settings)
        if validated and name in validated:
            _check_rules_year(result.returns[-1], validated[name])
    if population is not None:
        _check_population(result, root, population[0])
    if published:
        _check_published(result, root, absent)
    elif generic and published_files(root):
        result.details += describe_published(root)[0]
    return result


def _none_found(root: Path, needs: Mapping[str, object], needed_by: str | None) -> str:
    """The message when none of the returns an example can run on is in the folder."""
    return str(DataError(
        f"None of the returns {needed_by or 'the example'} reads is in your data folder.",
        file=root, expected="one or more of: " + ", ".join(LABELS[n] for n in needs),
        found=", ".join(p.name for p in sorted(root.iterdir())[:12]) if root.is_dir()
        else root.name,
        fix="put each return's files in a folder of its own ("
        + ", ".join(f"{FOLDERS[n]}/" for n in needs) + "). See "
        "the book page 'Running the examples on your own data'."))


def _check_published(result: CheckResult, root: Path, absent: Iterable[str] = ()) -> None:
    """The DfE's published tables the benchmarking example reads: which measures they
    let it benchmark, which need another download (or a problem when there are none),
    and which are left out for a return ``absent`` from the folder."""
    lines, problems = describe_published(root, absent)
    result.details += lines
    for err in problems:
        kind = classify(err)
        if kind == "other":
            kind = "columns" if err.column else "missing_table"
        result.problems.append(Problem(kind, str(err)))


def _check_rules_year(rep: ReturnReport, rules_year) -> None:
    """D2I's validator must have rules for the files' year, or be asked for another year's
    (``rules_year``): say which, and what running another year's rules means."""
    from d2i_examples.tools import cin_collection_years, ssda903_collection_years
    from d2i_examples.tools.validation_result import borrowed_rules_note

    if rep.problems or rep.year is None:
        return
    have = (ssda903_collection_years() if rep.return_name == "ssda903"
            else cin_collection_years())
    tool = "SSDA903" if rep.return_name == "ssda903" else "CIN"
    span = f"{year_label(have[0])} to {year_label(have[-1])}"
    if rules_year is not None:
        try:
            asked = stated_year(rules_year)
        except DataError:
            asked = None
        if asked not in have:
            rep.problems.append(Problem("years", str(DataError(
                f"D2I's {tool} validator has no rules for the rules_year asked for.",
                column="rules_year", expected=f"a year from {span}", found=repr(rules_year),
                fix=f"-p rules_year={min(have, key=lambda y: abs(y - rep.year))}, or leave "
                "rules_year out."))))
        elif asked != rep.year:
            rep.details.append("Note: " + borrowed_rules_note(tool, rep.year, asked))
        return
    if rep.year in have:
        return
    nearest = min(have, key=lambda y: abs(y - rep.year))
    rep.problems.append(Problem("years", str(DataError(
        f"D2I's {tool} validator has no rules for {year_label(rep.year)}, the year of your "
        "files.",
        expected=f"files of {span}",
        found=f"{year_label(rep.year)} ({rep.year_source or 'the year asked for'})",
        fix=f"to run the nearest year's ({year_label(nearest)}) rules on them anyway, add "
        f"-p rules_year={nearest} (the report then says which rules ran, and that codes and "
        "rules changed between the years may be flagged wrongly). The other examples read "
        f"{year_label(rep.year)} files without it."))))


def _check_population(result: CheckResult, root: Path, path) -> None:
    """The child population file a notebook reads: there, and readable (or a problem)."""
    try:
        where = population_path(root, path)
    except DataError as err:
        result.problems.append(Problem("missing_table", str(err)))
        return
    try:
        frame = read_population(where)
    except DataError as err:
        kind = classify(err)
        if kind == "other" and err.column:
            kind = "columns" if "missing" in err.problem else "values"
        result.problems.append(Problem(kind, str(err)))
        return
    result.details.append(f"Child population: {where} ({len(frame)} ethnic groups, "
                          f"{int(frame['population'].sum()):,} children)")
