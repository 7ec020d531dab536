"""The book's help and reference pages, and what the build writes into the book:
glossary code tables from spec/, the version footer, the Downloads page's files.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import zipfile
from datetime import date
from importlib import metadata

import nbformat
import pandas as pd
import pytest
import yaml

from d2i_examples import paths
from d2i_examples.book import build as book
from d2i_examples.book import build_info, codes, downloads
from d2i_examples.spec import cin_census as cin_spec

REFERENCE_PAGES = ("setup", "glossary", "sources", "downloads", "help")
PROSE_PAGES = sorted(paths.BOOK_SOURCES.glob("*.md"))
_TERM_ROLE = re.compile(r"\{term\}`(?:[^`<]*<)?([^`<>]+?)>?`")
_DOWNLOAD_ROLE = re.compile(r"\{download\}`[^`<]*<downloads/([^>]+)>`")


def glossary_terms() -> set[str]:
    """Every term the glossary directive defines (unindented lines inside it)."""
    text = (paths.BOOK_SOURCES / "glossary.md").read_text(encoding="utf-8")
    block = text.split("```{glossary}", 1)[1].split("```", 1)[0]
    return {line.strip() for line in block.splitlines() if line and not line[0].isspace()}


def test_help_and_reference_pages_are_in_the_book():
    listed = book.toc_files()
    for page in REFERENCE_PAGES:
        assert page in listed, f"_toc.yml does not list {page}"
        assert (paths.BOOK_SOURCES / f"{page}.md").is_file()


def test_issues_button_is_the_help_route():
    config = yaml.safe_load((paths.BOOK_SOURCES / "_config.yml").read_text(encoding="utf-8"))
    assert config["html"]["use_issues_button"] is True
    assert config["repository"]["url"].startswith("https://github.com/")


def test_glossary_defines_the_terms_a_first_visit_needs():
    needed = {
        "Episode", "RNE", "LS", "PLACE", "REC", "N codes", "RC codes", "Referral source",
        "OC2", "OC3", "S47", "ICPC", "EET", "UASC", "Error", "Query", "CIN", "CLA",
        "CP plan", "Annex A", "SSDA903", "CIN census", "Care leaver",
    }
    assert needed <= glossary_terms(), needed - glossary_terms()


@pytest.mark.parametrize("page", PROSE_PAGES, ids=lambda p: p.name)
def test_every_term_a_page_links_is_defined(page):
    used = set(_TERM_ROLE.findall(page.read_text(encoding="utf-8")))
    assert used <= glossary_terms(), f"{page.name} links undefined terms {used - glossary_terms()}"


def test_code_tables_hold_every_code_of_the_library_lists_with_its_meaning():
    text = codes.code_tables_markdown(2026)
    for label, heading, _, listed in codes.glossary_code_tables(2026):
        section = text.split(f"({label})=", 1)[1].split("\n(codes-", 1)[0]
        assert heading in section
        for code, meaning in listed.items():
            assert f"| `{code}` | {meaning} |" in section, f"{label} lacks {code}"
    assert "| `RC8` | Case closed after assessment, no further action |" in text
    assert "| `Z11` |" in text and "| `Z1` |" not in text  # 2025/26 split Z1


def test_code_tables_follow_the_collection_year():
    assert "| `Z1` | Other placement |" in codes.code_tables_markdown(2024)
    assert "| `Z1` | Other placement |" in codes.code_tables_markdown(2019)  # 2022/23 lists
    with pytest.raises(ValueError, match="collection_year"):
        codes.code_tables_markdown(2017)


def test_glossary_covers_every_code_the_sample_uses():
    """Each code in the synthetic returns is explained on the glossary page."""
    from d2i_examples.datasets import load_sample

    text = codes.code_tables_markdown(build_info.sample_collection_year())
    episodes = load_sample("ssda903")["episodes"]
    census = load_sample("cin_census")
    used = {
        column: set(episodes[column].dropna()) for column in ("RNE", "LS", "PLACE", "REC", "CIN")
    }
    details = census["CINdetails"]
    used["ReferralSource"] = set(details["ReferralSource"].dropna())
    used["PrimaryNeedCode"] = set(details["PrimaryNeedCode"].dropna())
    used["ReasonForClosure"] = set(details["ReasonForClosure"].dropna())
    plans = census["ChildProtectionPlans"]
    used["abuse"] = set(plans["InitialCategoryOfAbuse"].dropna())
    assert all(used.values()), "the sample should use codes of every list"
    for column, found in used.items():
        missing = {code for code in found if f"| `{code}` |" not in text}
        assert not missing, f"{column} codes missing from the glossary: {missing}"


def test_footer_states_year_rulesets_versions_and_build_date():
    info = build_info.BuildInfo(2026, build_info.tool_versions(), date(2026, 11, 30))
    footer = build_info.footer_html(info)
    assert "Collection year 2025 to 2026" in footer
    assert "2025 to 2026 rulesets" in footer
    assert "Built 30 November 2026" in footer
    for name, _ in build_info.TOOLS:
        assert f"<code>{name}</code> {metadata.version(name)}" in footer


def test_footer_year_is_the_sample_s_and_both_validators_have_its_rules():
    from d2i_examples.tools import cin_collection_years, ssda903_collection_years

    year = build_info.build_info().collection_year
    folders = (paths.SAMPLE_DATA / "clean" / "ssda903").iterdir()
    assert year == max(int(p.name) for p in folders if p.is_dir())
    assert year in ssda903_collection_years() and year in cin_collection_years()


def test_a_tool_that_is_not_installed_is_named_as_such(monkeypatch):
    monkeypatch.setattr(build_info, "TOOLS", (("no-such-distribution-d2i", "missing"),))
    assert build_info.tool_versions() == {"no-such-distribution-d2i": "not installed"}


def test_downloads_page_offers_exactly_the_files_the_build_makes():
    text = (paths.BOOK_SOURCES / "downloads.md").read_text(encoding="utf-8")
    assert _DOWNLOAD_ROLE.findall(text) == list(downloads.DOWNLOAD_NAMES)


def test_example_settings_hold_the_forecasting_notebook_s_weekly_costs(tmp_path):
    from d2i_examples.settings.model import read_settings
    from d2i_examples.settings.parameters import declared_parameters

    path = tmp_path / "example-settings.yaml"
    path.write_text(downloads.example_settings(), encoding="utf-8")
    settings = read_settings(path)
    nb = nbformat.read(paths.NOTEBOOKS / "forecasting-demand.ipynb", as_version=4)
    assert settings.parameters["weekly_costs"] == ast.literal_eval(
        declared_parameters(nb)["weekly_costs"])
    assert settings.mappings, "the example's column mappings are kept"


def test_population_template_once_filled_in_reads_as_a_population_file(tmp_path):
    from d2i_examples.datasets import read_population

    template = downloads.population_template()
    assert template["population"].isna().all()
    template["population"] = range(100, 100 + len(template))
    template.to_csv(tmp_path / "population.csv", index=False)
    read = read_population(tmp_path / "population.csv")
    assert len(read) == len(template)


def _staged_book(tmp_path):
    """The book sources staged as assemble() does, with one executed notebook."""
    staging = tmp_path / "staging"
    shutil.copytree(paths.BOOK_SOURCES, staging, ignore=shutil.ignore_patterns("_build"))
    executed = tmp_path / "executed"
    executed.mkdir()
    nb = nbformat.read(paths.NOTEBOOKS / "checking-ssda903.ipynb", as_version=4)
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    first_code.outputs = [nbformat.v4.new_output("stream", text="42 issues\n")]
    nbformat.write(nb, executed / "checking-ssda903.ipynb")
    return staging, executed


@pytest.mark.slow
def test_build_writes_footer_code_tables_and_every_download(tmp_path):
    staging, executed = _staged_book(tmp_path)
    info = build_info.BuildInfo(2026, build_info.tool_versions(), date(2026, 11, 30))
    book.add_generated(staging, executed, book.toc_files(), info)

    config = yaml.safe_load((staging / "_config.yml").read_text(encoding="utf-8"))
    assert config["html"]["extra_footer"] == build_info.footer_html(info)
    assert config["parse"]["myst_substitutions"]["collection_year"] == "2025 to 2026"
    glossary = (staging / "glossary.md").read_text(encoding="utf-8")
    assert book.CODE_TABLES_MARKER not in glossary and "(codes-rc)=" in glossary

    folder = staging / "downloads"
    assert sorted(p.name for p in folder.iterdir()) == sorted(downloads.DOWNLOAD_NAMES)
    with zipfile.ZipFile(folder / downloads.SAMPLE_ZIP) as archive:
        names = archive.namelist()
    assert "synthshire/ssda903/2026/ssda903_2026_episodes.csv" in names
    assert "synthshire/README.md" in names  # says the records are synthetic
    assert any(n.endswith(".xml") for n in names) and any(n.endswith(".xlsx") for n in names)
    ssda903 = pd.read_excel(folder / "synthshire-ssda903.xlsx", sheet_name=None)
    assert {"header", "episodes"} <= set(ssda903) and len(ssda903["episodes"]) > 0
    census = pd.read_excel(folder / "synthshire-cin-census.xlsx", sheet_name=None)
    assert set(cin_spec.TABLES) == set(census)
    assert census["Assessments"]["AssessmentFactors"].dropna().str.len().gt(0).all()
    issues = pd.read_excel(folder / downloads.ISSUES_WORKBOOK, sheet_name=None)
    planted = pd.read_csv(paths.SAMPLE_DATA / "with_errors" / "planted_errors.csv", dtype=str)
    flagged = set(issues["Issues by child"]["rule"].astype(str))
    assert set(planted.loc[planted["return"] == "SSDA903", "rule"]) <= flagged
    report = (folder / downloads.HTML_REPORT).read_text(encoding="utf-8")
    assert "42 issues" in report and "last_folder = data_path" not in report  # code hidden


def test_build_refuses_a_glossary_without_the_code_tables_line(tmp_path):
    staging = tmp_path / "staging"
    staging.mkdir()
    shutil.copy(paths.BOOK_SOURCES / "_config.yml", staging)
    (staging / "glossary.md").write_text("# Glossary\n", encoding="utf-8")
    info = build_info.BuildInfo(2026, {}, date(2026, 11, 30))
    with pytest.raises(book.BookError, match="code-tables"):
        book.add_generated(staging, tmp_path, ["glossary"], info)


# --- Commands work on Windows too -------------------------------------------

_FENCE = re.compile(r"```[^\n]*\n(.*?)```", re.DOTALL)


def _fenced_lines(markdown: str) -> list[str]:
    return [line.strip() for block in _FENCE.findall(markdown) for line in block.splitlines()]


def _command_pages():
    pages = {p.name: p.read_text(encoding="utf-8") for p in PROSE_PAGES}
    for path in sorted(paths.NOTEBOOKS.glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        pages[path.name] = "\n".join(
            "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return pages


@pytest.mark.parametrize("name", sorted(_command_pages()))
def test_every_command_shown_runs_on_windows_too(name):
    """No POSIX-only .venv/bin/ path, and d2i-examples always through uv run."""
    text = _command_pages()[name]
    for line in _fenced_lines(text):
        assert not line.startswith(".venv/bin/"), f"{name}: {line}"
        if re.match(r"d2i-examples\b", line):
            pytest.fail(f"{name}: '{line}' needs `uv run` in front to work on Windows")


def test_readme_commands_run_on_windows_too():
    text = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    for line in _fenced_lines(text):
        command = line.split("#")[0].strip()
        assert not command.startswith(".venv/bin/"), line
        if command.startswith("make "):
            assert "without make" in line or command in ("make book", "make test"), line
    assert "uv run d2i-examples book" in text and "uv run python -m pytest" in text


def test_setup_page_uses_only_flags_this_uv_accepts():
    """The uv options the setup page names exist in the uv the project installs."""
    import subprocess

    uv = paths.ROOT / ".tools" / "bin" / "uv"
    if not uv.is_file():
        pytest.fail("run `make setup` first: the project's uv is not in .tools/")
    text = (paths.BOOK_SOURCES / "setup.md").read_text(encoding="utf-8")
    for flag in ("--locked", "--system-certs", "--native-tls"):
        assert flag in text
        run = subprocess.run([str(uv), "sync", flag, "--help"], check=False,
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
    assert "UV_SYSTEM_CERTS" in text and "UV_NATIVE_TLS" in text
    bogus = subprocess.run([str(uv), "sync", "--no-such-flag", "--help"], check=False,
                           capture_output=True)
    assert bogus.returncode != 0, "uv must reject a flag it does not know"
