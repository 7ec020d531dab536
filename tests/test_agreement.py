"""The agreement test: whatever `check` accepts, `run --data` runs to a report; whatever it
refuses, it refuses with a fix that, once applied, is accepted (no loop between messages).

Every worked example that reads a return is tried on council-style folders
(tests/fixtures/council_folders.py) where the situation changes a return it
reads: this year's SSDA903 alone, two years in year folders, a CIN census
extract made mid-year, an Annex A with the template's drop-down values and
another year's dates. Fixes are applied as a reader would: a `-p name=value`
the message gives (a salt file of their own where it asks for one), or the
settings file it suggests, saved.
"""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest

from d2i_examples import cli, paths
from d2i_examples.own_data.run import notebook_returns
from d2i_examples.runner import find_notebooks
from tests.fixtures.council_folders import SITUATIONS

EXAMPLES = {nb.stem: set(notebook_returns(nbformat.read(nb, as_version=4)))
            for nb in find_notebooks()}
CASES = [(name, situation) for name, reads in EXAMPLES.items()
         for situation, (_, changes) in SITUATIONS.items() if reads & changes]
_PARAMETER_FIX = re.compile(r"-p (\w+)=([^\s,;)]+)")
_SUGGESTION = "Suggested settings file (check every line before you use it):"


def _fixes(text: str, root, round_: int) -> list[str]:
    """The fixes a refusal gives, as command-line arguments: -p name=value, --params FILE."""
    args = []
    for name, value in _PARAMETER_FIX.findall(text):
        if name == "salt_file":  # the reader makes their own secret salt, as the fix says
            value = root / f"salt-{round_}.txt"
            value.write_text("a-long-secret-salt-kept-by-the-council\n", encoding="utf-8")
        args += ["-p", f"{name}={str(value).rstrip('.')}"]
    if _SUGGESTION in text:
        lines = text.split(_SUGGESTION, 1)[1].splitlines()[2:]
        block = []
        for line in lines:
            if line and not line.startswith("    "):
                break
            block.append(line[4:])
        settings = root / f"suggested-{round_}.yaml"
        settings.write_text("\n".join(block).strip() + "\n", encoding="utf-8")
        args += ["--params", str(settings)]
    return args


def _check(capsys, notebook: str, data, args: list[str]) -> tuple[int, str]:
    status = cli.main(["check", notebook, "--data", str(data), *args])
    said = capsys.readouterr()
    return status, said.out + said.err


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """Each situation's folder, built once."""
    built = {}
    for situation, (build, _) in SITUATIONS.items():
        built[situation] = build(tmp_path_factory.mktemp(situation))
        # the DfE's published tables, as a council downloads them, for benchmarking
        shutil.copytree(paths.ROOT / "sample_data" / "published",
                        built[situation] / "published")
    return built


def test_every_worked_example_meets_at_least_one_situation():
    readers = {name for name, reads in EXAMPLES.items() if reads}
    assert len(readers) >= 9
    assert readers == {name for name, _ in CASES}


@pytest.mark.slow
@pytest.mark.parametrize("notebook, situation", CASES)
def test_check_and_run_agree(notebook, situation, folders, tmp_path, capsys):
    data = folders[situation]
    args: list[str] = []
    seen = []
    status, text = _check(capsys, notebook, data, args)
    while status != 0:
        fix = _fixes(text, tmp_path, len(seen))
        assert fix, f"{notebook} on {situation}: refused without a fix to apply:\n{text}"
        assert fix not in seen, f"{notebook} on {situation}: the same fix again (a loop):\n{text}"
        assert len(seen) < 3, f"{notebook} on {situation}: still refused after 3 fixes:\n{text}"
        seen.append(fix)
        # a later -p replaces an earlier one of the same name
        args = args + fix
        status, text = _check(capsys, notebook, data, args)
    out = tmp_path / "reports"
    status = cli.main(["run", notebook, "--data", str(data), "--out", str(out),
                       "--timeout", "600", *args])
    said = capsys.readouterr()
    assert status == 0, f"{notebook} on {situation}: check accepted, run failed:\n" + said.out \
        + said.err
    assert sorted(p.suffix for p in out.glob(f"{notebook}-*")) == [".html", ".ipynb"]
