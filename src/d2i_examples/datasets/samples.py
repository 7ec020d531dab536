"""Find and load the project's synthetic sample data (sample_data/).

Layout, written by `d2i-examples synth` and defined here in one place:

    sample_data/<set>/ssda903/<year>/*.csv    one folder per collection year
    sample_data/<set>/cin_census/*.xml
    sample_data/<set>/annex_a/*.xlsx
    sample_data/<set>/sen2/*.xml

<set> is "clean" (no deliberate errors) or "with_errors" (errors planted for
the validators to find). <year> is the collection year named by the year the
return ends, as the DfE 903 validator does: 2026 is 2025/26.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from d2i_examples import paths
from d2i_examples.datasets.annex_a import read_annex_a
from d2i_examples.datasets.cin_census import read_cin_census
from d2i_examples.datasets.sen2 import read_sen2
from d2i_examples.datasets.ssda903 import read_ssda903
from d2i_examples.errors import DataError

SAMPLE_DIR_NAME = "sample_data"
SAMPLE_SETS = ("clean", "with_errors")
# return -> (folder under sample_data/<set>/, file pattern or None for a year folder)
SAMPLE_LAYOUT: dict[str, tuple[str, str | None]] = {
    "ssda903": ("ssda903", None),
    "cin_census": ("cin_census", "*.xml"),
    "annex_a": ("annex_a", "*.xlsx"),
    "sen2": ("sen2", "*.xml"),
}
_READERS = {"ssda903": read_ssda903, "cin_census": read_cin_census, "annex_a": read_annex_a,
            "sen2": read_sen2}


def sample_root(root: str | Path | None = None) -> Path:
    """The sample_data folder: `root` if given, else found from the package or cwd.

    Looks in the repository holding this package (src layout), then in the
    current folder and each folder above it (notebooks run in notebooks/).
    """
    if root is not None:
        p = Path(root)
        if not p.is_dir():
            raise DataError("The sample data folder was not found.", file=p,
                            expected="an existing folder", found="nothing at that path",
                            fix="Pass the sample_data folder of the d2i-examples repository.")
        return p
    candidates = [paths.SAMPLE_DATA]
    cwd = Path.cwd().resolve()
    candidates += [d / SAMPLE_DIR_NAME for d in (cwd, *cwd.parents)]
    for c in candidates:
        if c.is_dir():
            return c
    raise DataError(
        "The project's sample_data folder was not found.",
        file=cwd,
        expected=f"a '{SAMPLE_DIR_NAME}' folder in the d2i-examples repository",
        found="none in this folder or any folder above it",
        fix="Run the notebook from inside the repository, or create the sample data with "
        "`d2i-examples synth`.",
    )


def _year_key(name: str) -> tuple[int, str]:
    m = re.search(r"20\d\d", name)
    return (int(m.group()) if m else -1, name)


def sample_path(
    return_name: str,
    *,
    sample_set: str = "clean",
    year: int | str | None = None,
    root: str | Path | None = None,
) -> Path:
    """Where one return's sample lives (see SAMPLE_LAYOUT).

    ssda903: the year folder (`year`, else the latest); cin_census and annex_a:
    the file (the one whose name contains `year`, else the last by name).
    """
    if return_name not in SAMPLE_LAYOUT:
        raise DataError("Unknown return name.", column="return_name",
                        expected=" or ".join(repr(r) for r in SAMPLE_LAYOUT),
                        found=repr(return_name), fix="Use one of the expected names.")
    if sample_set not in SAMPLE_SETS:
        raise DataError("Unknown sample set.", column="sample_set",
                        expected=" or ".join(repr(s) for s in SAMPLE_SETS),
                        found=repr(sample_set), fix="Use one of the expected names.")
    sub, pattern = SAMPLE_LAYOUT[return_name]
    folder = sample_root(root) / sample_set / sub
    if not folder.is_dir():
        raise DataError(
            f"There is no {return_name} sample data yet.",
            file=folder,
            expected="the folder written by `d2i-examples synth`",
            found="nothing at that path",
            fix="Run `d2i-examples synth` to create the sample data.",
        )
    if pattern is None:
        items = sorted((d for d in folder.iterdir() if d.is_dir()), key=lambda d: _year_key(d.name))
    else:
        items = sorted((f for f in folder.glob(pattern) if not f.name.startswith(("~$", "."))),
                       key=lambda f: _year_key(f.name))
    if year is not None:
        items = [i for i in items if str(year) in i.name]
    if not items:
        raise DataError(
            f"No {return_name} sample was found" + (f" for year {year}." if year else "."),
            file=folder,
            expected=("a year folder such as 2026/" if pattern is None else f"a {pattern} file")
            + (f" whose name contains {year}" if year else ""),
            found=", ".join(sorted(x.name for x in folder.iterdir())) or "an empty folder",
            fix="Pick a year that exists, or run `d2i-examples synth` again.",
        )
    return items[-1]


def sample_years(
    return_name: str,
    *,
    sample_set: str = "clean",
    root: str | Path | None = None,
) -> dict[int, Path]:
    """{collection year: path} for every year of one return's sample (see sample_path)."""
    years = {}
    folder = sample_path(return_name, sample_set=sample_set, root=root).parent
    pattern = SAMPLE_LAYOUT[return_name][1]
    items = (d for d in folder.iterdir() if d.is_dir()) if pattern is None else (
        f for f in folder.glob(pattern) if not f.name.startswith(("~$", ".")))
    for item in items:
        year = _year_key(item.name)[0]
        if year > 0:
            years[year] = item
    return dict(sorted(years.items()))


def load_sample(
    return_name: str,
    *,
    sample_set: str = "clean",
    year: int | str | None = None,
    root: str | Path | None = None,
) -> dict[str, pd.DataFrame]:
    """Load one return of the synthetic sample with the matching read_* loader.

    `return_name` is "ssda903", "cin_census" or "annex_a"; `sample_set` is
    "clean" or "with_errors"; `year` picks a collection year (default: the
    latest). 903 codes are checked against any supported year's lists, except
    in the "with_errors" set, whose planted errors are left for the validator.
    """
    path = sample_path(return_name, sample_set=sample_set, year=year, root=root)
    if return_name == "ssda903":
        return read_ssda903(path, check_codes=(sample_set != "with_errors"))
    return _READERS[return_name](path)
