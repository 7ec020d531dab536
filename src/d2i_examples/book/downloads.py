"""The files on the book's Downloads page, made from the synthetic sample by the
library's own functions each time the book is built (never by hand).

The sample as an analyst opens it in Excel (the files, and each return as one
workbook with a sheet per table, the CIN census XML flattened), an example
issues workbook and HTML report, a settings file with weekly costs, and a
population template.
"""

from __future__ import annotations

import ast
import shutil
import zipfile
from pathlib import Path

import nbformat
import pandas as pd

from d2i_examples import paths
from d2i_examples.spec import ssda903 as s903

SAMPLE_ZIP = "synthshire-sample-data.zip"
ISSUES_WORKBOOK = "example-ssda903-issues.xlsx"
HTML_REPORT = "example-report-checking-ssda903.html"
SETTINGS = "example-settings.yaml"
POPULATION_TEMPLATE = "population-template.csv"


#: The files write_downloads makes, in the Downloads page's order. The page
#: states the collection year they hold, so the names stay the same each year.
DOWNLOAD_NAMES: tuple[str, ...] = (
    SAMPLE_ZIP,
    "synthshire-ssda903.xlsx",
    "synthshire-cin-census.xlsx",
    "synthshire-annex-a.xlsx",
    ISSUES_WORKBOOK,
    HTML_REPORT,
    SETTINGS,
    POPULATION_TEMPLATE,
)


def write_downloads(out: Path, executed: Path, collection_year: int,
                    sample_root: Path | None = None) -> list[Path]:
    """Write every download into ``out`` and return their paths (see DOWNLOAD_NAMES).

    ``executed`` holds the runner's executed notebooks (the HTML report is the
    executed checking-ssda903 notebook); ``sample_root`` is the sample_data
    folder (default: the one in this checkout).
    """
    from d2i_examples.datasets import load_sample, sample_path

    out.mkdir(parents=True, exist_ok=True)
    root = sample_root
    names = DOWNLOAD_NAMES
    clean = sample_path("ssda903", year=collection_year, root=root).parents[1]
    _zip_folder(clean, out / names[0])
    _workbook(load_sample("ssda903", year=collection_year, root=root), out / names[1])
    _workbook(load_sample("cin_census", year=collection_year, root=root), out / names[2])
    shutil.copyfile(sample_path("annex_a", year=collection_year, root=root), out / names[3])
    (out / names[4]).write_bytes(example_issues_workbook(collection_year, root))
    (out / names[5]).write_text(example_report(executed / "checking-ssda903.ipynb"),
                                encoding="utf-8")
    (out / names[6]).write_text(example_settings(), encoding="utf-8")
    population_template().to_csv(out / names[7], index=False)
    return [out / name for name in names]


def _zip_folder(folder: Path, target: Path) -> None:
    """The folder's files under synthshire/, with the sample's README (it says the
    data is synthetic and how it was made) when there is one beside the folder."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        readme = folder.parent / "README.md"
        if readme.is_file():
            archive.write(readme, Path("synthshire") / "README.md")
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, Path("synthshire") / path.relative_to(folder))


def _for_excel(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists (CIN assessment factors) joined with commas; everything else as read."""
    out = frame.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, list)).any():
            out[column] = out[column].map(lambda v: ", ".join(v) if isinstance(v, list) else v)
    return out


def _workbook(tables: dict[str, pd.DataFrame], target: Path) -> None:
    """One sheet per table, header row frozen."""
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for name, frame in tables.items():
            _for_excel(frame).to_excel(writer, sheet_name=name[:31], index=False,
                                       freeze_panes=(1, 0))


def example_issues_workbook(collection_year: int, sample_root: Path | None = None) -> bytes:
    """The issues workbook of the sample with planted errors, as checking-ssda903 makes it."""
    from d2i_examples.datasets import sample_path
    from d2i_examples.synth.profile import DEFAULT_PROFILE
    from d2i_examples.tools import SSDA903_FIXES, issues_workbook, validate_ssda903
    from d2i_examples.tools.known_faults import EXCUSED_903_RULES

    def folder(year):
        return sample_path("ssda903", sample_set="with_errors", year=year, root=sample_root)

    result = validate_ssda903(folder(collection_year), folder(collection_year - 1),
                              collection_year=collection_year, la_code=DEFAULT_PROFILE.gss_code)
    return issues_workbook(result, SSDA903_FIXES, known_faults=EXCUSED_903_RULES)


def example_report(executed_notebook: Path) -> str:
    """The HTML report (code hidden) that ``d2i-examples run --data`` writes, for one
    executed notebook of the book."""
    from d2i_examples.own_data.report import html_report

    nb = nbformat.read(executed_notebook, as_version=4)
    return html_report(nb, f"Example report: {executed_notebook.stem} on synthetic data")


def example_settings(settings_file: Path | None = None,
                     forecasting: Path | None = None) -> str:
    """The example settings file with the forecasting notebook's weekly costs added.

    The costs are the notebook's own defaults (its parameters cell), so the file
    and the page never disagree.
    """
    from d2i_examples.settings.model import Settings, read_settings
    from d2i_examples.settings.parameters import declared_parameters

    settings = read_settings(settings_file or paths.ROOT / "settings" / "example-council.yaml")
    nb = nbformat.read(forecasting or paths.NOTEBOOKS / "forecasting-demand.ipynb", as_version=4)
    costs = ast.literal_eval(declared_parameters(nb)["weekly_costs"])
    merged = Settings(settings.source, settings.description,
                      {**settings.parameters, "weekly_costs": costs}, settings.mappings)
    header = (
        "# d2i-examples settings file (example): parameters and column mappings, no data\n"
        "# about children. weekly_costs are the forecasting example's illustrative £ per\n"
        "# child per week: replace them with your council's own costs.\n"
        "# Use it with:  uv run d2i-examples run NOTEBOOK --data YOUR_FOLDER "
        "--params example-settings.yaml\n"
    )
    return header + merged.to_yaml()


def population_template(collection_year: int = s903.LATEST_YEAR) -> pd.DataFrame:
    """One row per DfE ethnicity code with its meaning and a blank population to fill in
    (the columns read_population reads: ethnicity, population)."""
    codes = s903.codes("ETHNIC", collection_year)
    return pd.DataFrame({
        "ethnicity": list(codes),
        "description": list(codes.values()),
        "population": [pd.NA] * len(codes),
    })
