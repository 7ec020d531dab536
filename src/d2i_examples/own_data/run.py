"""`d2i-examples run NOTEBOOK --data DIR` and `d2i-examples check --data DIR`.

A run on a reader's own data (``--data DIR``, or a ``data_dir`` parameter
given any other way) goes:

1. settings: ``--params FILE`` may be a settings file (see local.settings): its
   ``parameters`` become notebook parameters (those a notebook does not
   declare are skipped, so one file serves every notebook) and its path is
   passed as ``settings_file`` so the notebook's ``load`` applies the mapping;
2. output folder: ``--out`` or ``~/d2i-reports``, refused inside the project
   (local.outputs), before anything else happens;
3. check: every notebook's returns (found from its ``load("...")`` and
   ``data_path("...")`` calls) are checked in the folder (local.check); a
   return read only through ``data_path`` (raw files for a validator) gets a
   structure check, its values left to the validator; on any problem nothing
   runs and the exit status says which problem it was;
4. run: each notebook executes in a temporary folder inside the output folder
   (its working directory, so any file it writes stays out of the project),
   always afresh (no cache: the cache does not know the reader's files);
5. outputs: the executed notebook and an HTML report with the code hidden,
   named for the notebook and the date (local.report); the temporary folder
   is removed whether the run worked or not, so a failure leaves nothing.
"""

from __future__ import annotations

import ast
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from d2i_examples.datasets.layout import LABELS, RETURNS, returns_found
from d2i_examples.datasets.published import published_files
from d2i_examples.datasets.years import PARAMETER as YEAR_PARAMETER
from d2i_examples.datasets.years import common_year, stated_year, year_label
from d2i_examples.errors import DataError
from d2i_examples.outputs import check_output_dir
from d2i_examples.own_data.check import EXIT_CODES, CheckResult, check_data, problem_of
from d2i_examples.own_data.foreseen import foreseen
from d2i_examples.own_data.report import PARTIAL_PREFIX, RunDetails, write_outputs
from d2i_examples.runner.execute import DATA_PARAMETER, SSD_PARAMETER, execute_notebook
from d2i_examples.settings.model import Settings, read_params
from d2i_examples.settings.parameters import (
    ParameterError,
    declared_parameters,
    parse_assignment,
    typed_parameters,
)

SETTINGS_PARAMETER = "settings_file"
WINDOW_PARAMETER = "reference_date"
_LOADERS = ("load", "data_path", "load_sample")
POPULATION_LOADER = "load_population"
PUBLISHED_LOADER = "load_published"
#: the validator wrappers a notebook calls, by the return each checks
VALIDATORS = {"validate_ssda903": "ssda903", "validate_cin_census": "cin_census"}
RULES_YEAR_PARAMETER = "rules_year"


class LocalRunError(Exception):
    """A run that cannot go ahead; ``exit_code`` says why (local.check.EXIT_CODES)."""

    def __init__(self, message: str, kind: str = "usage"):
        super().__init__(message)
        self.exit_code = EXIT_CODES[kind]


# --- what the command line asked for --------------------------------------------------


@dataclass
class Inputs:
    """Parameters from the command line, and the settings file if --params named one."""

    params: dict[str, Any] = field(default_factory=dict)  # -p, a plain --params file, --data
    settings: Settings | None = None

    @property
    def data_dir(self) -> Path | None:
        """The reader's folder, from --data, -p data_dir=, or the settings' parameters."""
        value = self.params.get(DATA_PARAMETER)
        if value is None and self.settings is not None:
            value = self.settings.parameters.get(DATA_PARAMETER)
        return None if value is None else Path(str(value)).expanduser().resolve()

    @property
    def local(self) -> bool:
        return self.data_dir is not None

    def for_notebook(self, declared: Iterable[str]) -> dict[str, Any]:
        """Parameters for one notebook: the settings' ones it declares, then the explicit ones."""
        declared = set(declared)
        params = {}
        if self.settings is not None:
            params.update({k: v for k, v in self.settings.parameters.items() if k in declared})
        params.update(self.params)
        if self.local:
            params[DATA_PARAMETER] = str(self.data_dir)
        return params


def read_inputs(
    params_file: str | None, assignments: Iterable[str], data: str | None
) -> Inputs:
    """Merge --params FILE (plain parameters or a settings file), -p NAME=VALUE and --data."""
    inputs = Inputs()
    if params_file:
        path = Path(params_file).expanduser()
        if not path.is_file():
            raise ParameterError(f"Parameters file not found: {path}")
        inputs.settings, plain = read_params(path)
        inputs.params.update(plain)
    inputs.params.update(parse_assignment(text) for text in assignments)
    if data is not None:
        given = inputs.params.get(DATA_PARAMETER)
        if given is not None and Path(str(given)).expanduser().resolve() != \
                Path(data).expanduser().resolve():
            raise ParameterError(
                f"--data {data} and data_dir={given} disagree: give the folder once")
        inputs.params[DATA_PARAMETER] = data
    return inputs


# --- which returns a notebook reads ----------------------------------------------------


def _calls(nb: nbformat.NotebookNode):
    """Every call in the notebook's code cells (magics left out), as ast.Call nodes."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(
            line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!"))
        )
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                yield name, node


def notebook_returns(nb: nbformat.NotebookNode) -> dict[str, bool]:
    """Returns a notebook reads (the names in its load("...") / data_path("...") calls),
    each with whether its values are checked: True when read through load(...); False
    when read only through data_path(...), i.e. raw files handed to a validator, which
    reports wrong codes and dates itself (the check then looks at structure only)."""
    found: dict[str, bool] = {}
    for name, node in _calls(nb):
        if not node.args:
            continue
        first = node.args[0]
        if name in _LOADERS and isinstance(first, ast.Constant) and first.value in RETURNS:
            found[first.value] = found.get(first.value, False) or name != "data_path"
    return found


def notebook_optional(nb: nbformat.NotebookNode) -> set[str]:
    """Returns the notebook runs without: every load("...") of them passes
    ``optional=True`` (datasets.load then gives None for a folder without them), so
    check names what the example leaves out instead of refusing. This keyword is the
    one declaration both check and the run read."""
    optional: dict[str, bool] = {}
    for name, node in _calls(nb):
        first = node.args[0] if node.args else None
        if name not in _LOADERS or not isinstance(first, ast.Constant) \
                or first.value not in RETURNS:
            continue
        flag = any(k.arg == "optional" and isinstance(k.value, ast.Constant)
                   and k.value.value is True for k in node.keywords)
        optional[first.value] = optional.get(first.value, True) and flag
    return {r for r, flag in optional.items() if flag}


def notebook_validators(nb: nbformat.NotebookNode) -> set[str]:
    """The returns a notebook hands to D2I's validators (its validate_... calls)."""
    return {VALIDATORS[name] for name, _ in _calls(nb) if name in VALIDATORS}


def notebook_population(nb: nbformat.NotebookNode) -> tuple[bool, str | None]:
    """Whether the notebook reads a child population file (a ``load_population(...)``
    call), and the parameter naming its path, if the call passes one
    (``load_population(data_dir, population_file)``)."""
    needed, parameter = False, None
    for name, node in _calls(nb):
        if name != POPULATION_LOADER:
            continue
        needed = True
        given = node.args[1] if len(node.args) > 1 else next(
            (k.value for k in node.keywords if k.arg == "path"), None)
        if isinstance(given, ast.Name):
            parameter = given.id
    return needed, parameter


def notebook_published(nb: nbformat.NotebookNode) -> bool:
    """Whether the notebook compares with the DfE's published tables (a
    ``load_published(...)`` call)."""
    return any(name == PUBLISHED_LOADER for name, _ in _calls(nb))


@dataclass
class Plan:
    """One notebook's run on the reader's data."""

    notebook: Path
    params: dict[str, Any]
    needs: dict[str, int | None] | None
    year_given: bool
    declared: set[str] = field(default_factory=set)
    structure_only: set[str] = field(default_factory=set)  # read via data_path only
    window: tuple[Any, int] | None = None  # (reference_date, months) for Annex A records
    period: tuple[Any, Any] | None = None  # (reference_start, reference_end) in the 903
    population: tuple[Any] | None = None  # (population file or None) when one is read
    validated: dict[str, Any] = field(default_factory=dict)  # return -> rules_year or None
    published: bool = False  # compares with the DfE's published tables
    optional: set[str] = field(default_factory=set)  # returns it runs without
    values: dict[str, Any] = field(default_factory=dict)  # every parameter's value as run


def plan_run(notebook: Path, inputs: Inputs) -> Plan:
    """Parameters and the returns (with years) to check for one notebook."""
    nb = nbformat.read(notebook, as_version=4)
    declared = declared_parameters(nb)
    if DATA_PARAMETER not in declared and SSD_PARAMETER in declared:
        raise LocalRunError(
            f"{notebook.stem} reads a Standard Safeguarding Dataset, not a data folder: give "
            f"it with -p {SSD_PARAMETER}=path/to/ssd.duckdb and --out FOLDER (outside the "
            "project), without --data. `d2i-examples check --data path/to/ssd.duckdb` checks "
            "the file.")
    if DATA_PARAMETER not in declared:
        raise LocalRunError(
            f"{notebook.stem} cannot run on your own data: it has no {DATA_PARAMETER} "
            "parameter (it does not read a data folder). Run it without --data, or pick a "
            "worked example that reads a return."
        )
    unknown = sorted(set(inputs.params) - set(declared))
    if unknown:
        raise LocalRunError(
            f"{notebook.stem} has no parameter named {', '.join(unknown)}. Its parameters "
            f"are: {', '.join(sorted(declared))}"
        )
    try:
        params = typed_parameters(inputs.for_notebook(declared), declared)
    except ParameterError as err:
        raise LocalRunError(f"{notebook.stem}: {err}") from None
    settings = inputs.settings
    if settings is not None and settings.source is not None:
        if SETTINGS_PARAMETER in declared:
            params[SETTINGS_PARAMETER] = str(settings.source)
        elif settings.mappings:
            raise LocalRunError(
                f"{notebook.stem} cannot apply the column mapping in {settings.source}: it has "
                f"no {SETTINGS_PARAMETER} parameter.", "settings")
    year_given = YEAR_PARAMETER in params
    year = None
    if year_given and params[YEAR_PARAMETER] is not None:  # None: any year's codes
        try:
            year = stated_year(params[YEAR_PARAMETER])
        except DataError as err:
            raise LocalRunError(str(err)) from None
    reads = notebook_returns(nb)
    needs = {r: (None if r == "annex_a" else year) for r in reads} or None
    _check_salt(notebook, params, declared)
    return Plan(notebook, params, needs, year_given, set(declared),
                {r for r, values in reads.items() if not values},
                _window(params, declared) if "annex_a" in reads else None,
                _period(params, declared) if "ssda903" in reads else None,
                _population(nb, params, declared),
                {r: _rules_year(params, declared) for r in notebook_validators(nb)},
                notebook_published(nb), notebook_optional(nb), _values(params, declared))


def _values(params: dict[str, Any], declared: dict[str, str]) -> dict[str, Any]:
    """Each parameter's value as the notebook will run with it (those whose default is
    not a plain value left out)."""
    values = {}
    for name in declared:
        try:
            values[name] = _default(params, declared, name)
        except (ValueError, SyntaxError):
            continue
    return values


def _rules_year(params: dict[str, Any], declared: dict[str, str]) -> Any:
    """The rules_year a validator notebook was given (None: its files' own year)."""
    if RULES_YEAR_PARAMETER not in declared:
        return None
    try:
        return _default(params, declared, RULES_YEAR_PARAMETER)
    except (ValueError, SyntaxError):
        return None


def _default(params: dict[str, Any], declared: dict[str, str], name: str) -> Any:
    return params[name] if name in params else ast.literal_eval(declared[name])


def _check_salt(notebook: Path, params: dict[str, Any], declared: dict[str, str]) -> None:
    """A notebook that pseudonymises refuses the example salt on own data: say so first."""
    if not {"salt", "salt_file"} <= set(declared):
        return
    from d2i_examples.indicators.sharing import choose_salt

    try:
        choose_salt(_default(params, declared, "salt"), _default(params, declared, "salt_file"),
                    own_data=True)
    except DataError as err:
        raise LocalRunError(f"{notebook.stem} needs your own salt on your own data.\n{err}\n"
                            "For example: -p salt_file=C:/Users/you/secret/salt.txt (or "
                            "salt_file in your settings file).", "settings") from None


def _population(nb, params: dict[str, Any], declared: dict[str, str]) -> tuple[Any] | None:
    """(path or None) of the population file a notebook reads, None when it reads none."""
    needed, parameter = notebook_population(nb)
    if not needed:
        return None
    if parameter in declared:
        try:
            return (_default(params, declared, parameter),)
        except (ValueError, SyntaxError):
            return (None,)
    return (None,)


def _period(params: dict[str, Any], declared: dict[str, str]) -> tuple[Any, Any] | None:
    """(reference_start, reference_end) of a notebook that models a period of the 903."""
    if not {"reference_start", "reference_end"} <= set(declared):
        return None
    try:
        return (_default(params, declared, "reference_start"),
                _default(params, declared, "reference_end"))
    except (ValueError, SyntaxError):
        return None


def _window(params: dict[str, Any], declared: dict[str, str]) -> tuple[Any, int] | None:
    """(reference_date, months) a notebook counts Annex A records in, if it has them."""
    if WINDOW_PARAMETER not in declared:
        return None
    try:
        end = params.get(WINDOW_PARAMETER, ast.literal_eval(declared[WINDOW_PARAMETER]))
        months = params.get("months", ast.literal_eval(declared.get("months", "12")))
        return end, int(months)
    except (ValueError, SyntaxError, TypeError):
        return None


# --- the commands ---------------------------------------------------------------------------


def _check_plan(data_dir, plan: Plan, inputs: Inputs) -> CheckResult:
    """check_data on everything one example's plan says it needs: the one call that
    `check` and `run` share, so the two cannot ask different questions."""
    result = check_data(data_dir, plan.needs, inputs.settings, plan.notebook.stem,
                        plan.structure_only, plan.window, plan.period, plan.population,
                        plan.validated, plan.declared, plan.published, plan.optional)
    if result.ok:
        try:
            result.details += foreseen(plan.notebook.stem, result.returns, plan.values)
        except DataError as err:  # the example would stop on it: check refuses
            result.problems.append(problem_of(err))
    return result


def check_command(
    notebooks: list[Path], inputs: Inputs, say: Callable[[str], None] = print
) -> int:
    """`d2i-examples check --data DIR`: check alone, print the findings, return the exit status."""
    data_dir = inputs.data_dir
    if data_dir is None:
        raise LocalRunError("check needs your data folder: --data DIR")
    if notebooks:
        status = 0
        for notebook in notebooks:
            plan = plan_run(notebook, inputs)
            result = _check_plan(data_dir, plan, inputs)
            say(result.format())
            status = status or result.exit_code
        return status
    unknown = sorted(set(inputs.params) - {YEAR_PARAMETER, DATA_PARAMETER})
    if unknown:
        raise LocalRunError(
            f"check without an example takes only the parameters {YEAR_PARAMETER} and "
            f"{DATA_PARAMETER}, not {', '.join(unknown)}. To check the folder for one "
            "example with its parameters, name it: d2i-examples check EXAMPLE --data DIR "
            "-p NAME=VALUE (an example lists its parameters when it does not have a name).")
    needs = None
    explicit = {**(inputs.settings.parameters if inputs.settings else {}), **inputs.params}
    explicit = typed_parameters(explicit, {YEAR_PARAMETER: "2026"})
    if explicit.get(YEAR_PARAMETER) is not None:
        try:
            year = stated_year(explicit[YEAR_PARAMETER])
        except DataError as err:
            raise LocalRunError(str(err)) from None
        try:
            found = returns_found(data_dir) if data_dir.exists() else {}
        except DataError:
            found = {}
        needs = {r: (None if r == "annex_a" else year) for r in RETURNS if r in found} or None
    result = check_data(data_dir, needs, inputs.settings)
    say(result.format())
    return result.exit_code


def run_on_own_data(
    notebooks: list[Path],
    inputs: Inputs,
    out: str | Path | None = None,
    *,
    timeout: int,
    retries: int = 1,
    only_data_notebooks: bool = False,
    say: Callable[[str], None] = print,
    warn: Callable[[str], None] = print,
) -> int:
    """Check, then run each notebook on the reader's data; return the exit status.

    With ``only_data_notebooks`` (no notebook was named), notebooks that read
    no data folder are skipped instead of refused.
    """
    from d2i_examples.runner import format_failures

    out_dir = check_output_dir(out)  # before anything: refused inside the project
    data_dir = inputs.data_dir
    if only_data_notebooks:
        reads = [nb for nb in notebooks
                 if DATA_PARAMETER in declared_parameters(nbformat.read(nb, as_version=4))]
        for nb in notebooks:
            if nb not in reads:
                say(f"Skipping {nb.stem}: it reads no data folder.")
        notebooks = reads
        if not notebooks:
            raise LocalRunError("None of the notebooks reads a data folder.")
    plans = [plan_run(nb, inputs) for nb in notebooks]
    if only_data_notebooks and data_dir is not None and any(p.published for p in plans) \
            and not published_files(data_dir):
        # benchmarking needs the DfE's tables, downloaded: without them it is left out of
        # a run of every example, not a refusal of them all
        for plan in [p for p in plans if p.published]:
            say(f"Skipping {plan.notebook.stem}: your folder holds none of the DfE's "
                f"published tables it compares with (d2i-examples check "
                f"{plan.notebook.stem} --data FOLDER says which to download).")
        plans = [p for p in plans if not p.published]
    details: dict[Path, list[str]] = {}
    for plan in plans:
        result = _check_plan(data_dir, plan, inputs)
        say(result.format())
        if not result.ok:
            return result.exit_code
        details[plan.notebook] = [
            f"{LABELS[r.return_name]}: {r.where}"
            + (f" ({year_label(r.year)})" if r.year else "") for r in result.returns
        ]
        if not plan.year_given and plan.needs and YEAR_PARAMETER in plan.declared:
            year = common_year(result.years)
            if year is not None:
                plan.params[YEAR_PARAMETER] = year
                say(f"Using collection_year={year} ({year_label(year)}), the year of your data.")

    out_dir.mkdir(parents=True, exist_ok=True)
    for plan in plans:
        say(f"\nRunning {plan.notebook.stem} on your data...")
        work = Path(tempfile.mkdtemp(prefix=PARTIAL_PREFIX, dir=out_dir))
        try:
            run = RunDetails(plan.notebook, data_dir, parameters=dict(plan.params),
                             settings=inputs.settings, checked=details[plan.notebook])
            outcome = execute_notebook(
                plan.notebook, work / plan.notebook.name, plan.params,
                timeout=timeout, retries=retries, cwd=work,
                run_info={"data": "local",
                          "settings": inputs.settings.to_dict() if inputs.settings else {}},
            )
            if outcome.status != "ok":
                outcome.output = None  # removed with the temporary folder
                warn(format_failures([outcome]))
                warn(f"\n{plan.notebook.stem} failed, so no report was written (nothing was "
                     f"left in {out_dir}).")
                return EXIT_CODES["notebook_failed"]
            executed = nbformat.read(work / plan.notebook.name, as_version=4)
            ipynb, html = write_outputs(executed, run, out_dir)
            extras = _keep_extra_files(work, plan.notebook.name, ipynb.with_suffix(""))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        say(f"  report:            {html}")
        say(f"  executed notebook: {ipynb}")
        if extras:
            say(f"  files it wrote:    {extras}")
    say(f"\nOutputs are in {out_dir}. They hold figures about real children: keep them "
        "where your council keeps personal data.")
    return 0


def _keep_extra_files(work: Path, executed_name: str, stem: Path) -> Path | None:
    """Move files the notebook wrote (into its working folder) beside the report."""
    extras = [p for p in work.iterdir()
              if p.name != executed_name and not re.match(r"\.(run-cache|ipynb_checkpoints)", p.name)]
    if not extras:
        return None
    dest = stem.parent / f"{stem.name}-files"
    dest.mkdir(exist_ok=True)
    for p in extras:
        shutil.move(str(p), str(dest / p.name))
    return dest
