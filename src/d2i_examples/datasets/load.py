"""The one call a worked example uses to read a return: the sample, or the reader's own files.

Contract for every worked example (the book page "For contributors: the notebook
contract" repeats it; `d2i-examples run NOTEBOOK --data DIR` relies on it):

1. The cell tagged ``parameters`` holds, besides the notebook's own settings
   (``collection_year = 2026  # ...`` and the like), exactly these two lines::

       data_dir = None  # your own folder; None uses the synthetic sample
       settings_file = None  # settings YAML (parameters + column mapping); None for none

2. Every return is read with one call, the return's name written out as text
   (the check step finds the returns a notebook needs by these calls)::

       from d2i_examples.datasets import load
       tables = load("ssda903", data_dir, year=collection_year, settings=settings_file)
       census = load("cin_census", data_dir, year=collection_year, settings=settings_file)
       lists = load("annex_a", data_dir, settings=settings_file)
       send = load("sen2", data_dir, year=collection_year, settings=settings_file)

   ``year="all"`` gives every year, ``{2025: tables, 2026: tables}`` (e.g. for
   the demand model); ``year=collection_year - 1`` the previous year (e.g. for
   the 903 validator's previous-year rules). ``sample_set="with_errors"``
   picks the sample with planted errors (ignored for a reader's own data) and
   ``check_codes=False`` leaves wrong codes for a validator to report.
   A tool that must read a file itself (the CIN validator reads the XML) gets
   its path from ``data_path("cin_census", data_dir, year=collection_year)``;
   no column mapping applies to files read that way, so hand a tool the frames
   from ``load`` wherever it accepts frames (the 903 validator and the demand
   model do).

3. The notebook reads nothing else and writes no files: outputs are tables and
   charts in the notebook. ``d2i-examples run NOTEBOOK --data DIR`` sets
   ``data_dir`` (and ``settings_file`` from ``--params settings.yaml``), checks
   the folder before the notebook runs, and writes the executed notebook and an
   HTML report outside the repository.

With ``data_dir=None`` the synthetic sample is read (datasets.samples knows its
layout) and any mapping is ignored: the sample uses the returns' own names.
Otherwise the reader's folder is read (layout: datasets.layout), with the
settings file's column mapping applied in memory; no mapped copy is written.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

from d2i_examples import paths
from d2i_examples.datasets.annex_a import read_annex_a
from d2i_examples.datasets.cin_census import read_cin_census
from d2i_examples.datasets.layout import RETURNS, locate, return_root
from d2i_examples.datasets.sample_cache import read_sample
from d2i_examples.datasets.samples import sample_path, sample_years
from d2i_examples.datasets.sen2 import read_sen2
from d2i_examples.datasets.ssda903 import read_ssda903
from d2i_examples.datasets.years import decide, return_years, stated_year, year_label
from d2i_examples.errors import DataError
from d2i_examples.outputs import RUNNER_ENV


class LocalDataWarning(UserWarning):
    """A reader's own data is being read where outputs could be saved into the project."""


def _check_name(return_name: str) -> None:
    if return_name not in RETURNS:
        raise DataError("Unknown return name.", column="return_name",
                        expected=" or ".join(repr(r) for r in RETURNS),
                        found=repr(return_name), fix="Use one of the expected names.")


def data_path(
    return_name: str,
    data_dir: str | Path | None = None,
    *,
    year: int | str | None = None,
    sample_set: str = "clean",
    missing_ok: bool = False,
) -> Path | None:
    """Where one return's files are: the sample's, or those in the reader's ``data_dir``.

    For tools that read files themselves. ssda903: the year's folder; cin_census:
    the XML file; annex_a: the workbook (or the folder of per-list files).
    ``year`` None takes the latest year. With ``missing_ok`` an optional input
    (e.g. last year's 903 files) that is not there gives None instead of a
    DataError: no folder or file of that year by name, nor one whose own
    dates say that year (datasets.years).
    """
    _check_name(return_name)
    wanted = None if year is None else stated_year(year)
    if data_dir is None:
        return sample_path(return_name, sample_set=sample_set, year=wanted)
    _warn_if_saved_in_repo()
    if missing_ok and wanted is not None:
        root = return_root(data_dir, return_name)
        if root is None:
            return None
        found = return_years(return_name, root)
        if wanted in found:
            return found[wanted]
        matching = [p for p in found.values() if decide(return_name, p).year == wanted]
        return matching[0] if len(matching) == 1 else None
    return locate(return_name, data_dir, wanted)[0]


def load(
    return_name: str,
    data_dir: str | Path | None = None,
    *,
    year: int | str | None = None,
    settings: Any = None,
    sample_set: str = "clean",
    check_codes: bool = True,
    optional: bool = False,
) -> dict[Any, Any] | None:
    """Read one return, from the synthetic sample (``data_dir=None``) or the reader's folder.

    ``return_name``: "ssda903" -> {table: frame} (read_ssda903), "cin_census"
    -> {table: frame} (read_cin_census), "annex_a" -> {"list_1": frame, ...}
    (read_annex_a). ``year``: the collection year (2026 = 2025/26), None for
    the latest, "all" for ``{year: tables}`` of every year. ``settings``: a
    settings file's path (or d2i_examples.settings.model.Settings) whose
    ``mapping`` renames the reader's headings and codes in memory; ignored for
    the sample. Every problem with the files raises one DataError.
    ``optional=True``: the example runs without this return, so a reader's folder
    that does not hold it gives None (a folder that holds it but cannot be read
    still raises); `d2i-examples check` reads the same keyword from the notebook.
    """
    _check_name(return_name)
    if optional and data_dir is not None and Path(data_dir).expanduser().exists() \
            and return_root(data_dir, return_name) is None:
        return None
    mapping = None
    if data_dir is not None:
        from d2i_examples.settings.model import mapping_for

        _warn_if_saved_in_repo()
        mapping = mapping_for(settings, return_name)
    codes = check_codes and not (data_dir is None and sample_set == "with_errors")
    if isinstance(year, str) and year.strip().lower() == "all":
        if data_dir is None:
            found = sample_years(return_name, sample_set=sample_set)
        else:
            root = return_root(data_dir, return_name)
            if root is None:
                locate(return_name, data_dir)  # raises: the return is not there
            found = return_years(return_name, root)
        out = {}
        for y, path in found.items():
            if data_dir is None:
                frames = _read_sample(return_name, path, y, codes)
            else:
                frames = read_return(return_name, path, y, mapping, codes)
            out[y if y is not None else _year_from_data(return_name, path, mapping)] = frames
        return dict(sorted(out.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)))
    wanted = None if year is None else stated_year(year)
    if data_dir is None:
        path = sample_path(return_name, sample_set=sample_set, year=wanted)
        return _read_sample(return_name, path, wanted, codes)
    path, found_year = locate(return_name, data_dir, wanted)
    if wanted is None and return_name != "annex_a":  # the year the check names (years.decide)
        found_year = decide(return_name, path, named=found_year, mapping=mapping).year
    return read_return(return_name, path, wanted or found_year, mapping, codes)


def _read_sample(return_name: str, path: Path, year: int | None, codes: bool) -> dict:
    """A return of the synthetic sample, parsed once (datasets.sample_cache)."""
    return read_sample(path, (return_name, year, codes),
                       lambda: read_return(return_name, path, year, None, codes))


def read_return(return_name: str, path: Path, year: int | None, mapping, codes: bool,
                values: bool = True, problems: list[DataError] | None = None) -> dict:
    """One return's frames from ``path``. ``values=False`` reads the 903's structure only
    (read_ssda903's ``parse_values``); the CIN census and Annex A readers always parse.
    ``problems``: a list to gather every problem in, instead of stopping at the first
    (each reader's ``problems``)."""
    if return_name == "ssda903":
        return read_ssda903(path, collection_year=year if codes else None, check_codes=codes,
                            mapping=mapping, parse_values=values, problems=problems)
    if return_name == "cin_census":
        return read_cin_census(path, problems=problems)
    if return_name == "sen2":
        return read_sen2(path, collection_year=year, check_codes=codes, mapping=mapping,
                         problems=problems)
    return read_annex_a(path, mapping=mapping, problems=problems)


def _year_from_data(return_name: str, path: Path, mapping) -> int:
    year = decide(return_name, path, mapping=mapping).year
    if year is None:
        raise DataError(
            "The collection year of these files could not be told.",
            file=path,
            expected="a folder named by the year the return ends (e.g. 2026 for 2025/26)",
            found=f"{path.name} ({year_label(None)})",
            fix="Put the files in a folder named by their collection year.",
        )
    return year


def _warn_if_saved_in_repo() -> None:
    """Warn when own data is read in an interactive notebook inside the project folder."""
    if os.environ.get(RUNNER_ENV) == "1":
        return
    try:
        Path.cwd().resolve().relative_to(paths.ROOT.resolve())
    except ValueError:
        return
    warnings.warn(
        "You are running on your own data inside the d2i-examples project folder: if you "
        "save this notebook, its outputs (figures about real children) are saved into the "
        "project, where they could be committed and shared. Run it with "
        "`d2i-examples run NOTEBOOK --data YOUR_FOLDER` instead (outputs go to your "
        "d2i-reports folder), or save a copy outside the project first.",
        LocalDataWarning,
        stacklevel=3,
    )
