""""Check your return in five minutes": its commands, run exactly as the page prints them.

Only the data folder is replaced (by a copy of the synthetic sample with planted
errors), and the home folder (so the report lands in a temporary d2i-reports,
not the tester's).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import time

import pytest

from d2i_examples import paths

PAGE = paths.BOOK_SOURCES / "check-your-return.md"
PLACEHOLDER = "path/to/your/d2i-data"


def page_commands() -> list[str]:
    """The command lines of the page's ```bash blocks, in order."""
    text = PAGE.read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_the_page_prints_a_check_then_a_run_on_the_placeholder_folder():
    commands = page_commands()
    assert [shlex.split(c)[:4] for c in commands] == [
        ["uv", "run", "d2i-examples", "check"], ["uv", "run", "d2i-examples", "run"],
    ]
    assert all(PLACEHOLDER in c and "checking-ssda903" in c for c in commands)


@pytest.mark.slow
def test_the_commands_run_as_printed_and_leave_the_report_outside_the_project(tmp_path):
    data = tmp_path / "d2i-data"
    shutil.copytree(paths.SAMPLE_DATA / "with_errors" / "ssda903", data / "ssda903")
    home = tmp_path / "home"
    home.mkdir()
    uv = paths.ROOT / ".tools" / "bin"
    env = {**os.environ, "HOME": str(home), "USERPROFILE": str(home),
           "PATH": f"{uv}{os.pathsep}{os.environ['PATH']}"}
    before = subprocess.run(["git", "status", "--porcelain"], cwd=paths.ROOT,
                            capture_output=True, text=True, check=True).stdout
    seconds = []
    for command in page_commands():
        start = time.monotonic()
        result = subprocess.run(shlex.split(command.replace(PLACEHOLDER, str(data))),
                                cwd=paths.ROOT, env=env, capture_output=True, text=True,
                                timeout=900, check=False)
        seconds.append(time.monotonic() - start)
        assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    reports = sorted((home / "d2i-reports").glob("checking-ssda903-*.html"))
    assert len(reports) == 1, "the run wrote no report where the page says"
    html = reports[0].read_text(encoding="utf-8")
    for section in ("What ran", "Errors by rule", "The children affected"):
        assert section in html, f"the report has no '{section}'"
    assert str(data) in html, "the report does not name the data folder it ran on"
    after = subprocess.run(["git", "status", "--porcelain"], cwd=paths.ROOT,
                           capture_output=True, text=True, check=True).stdout
    assert after == before, "running the page's commands changed the project folder"
    print(f"check: {seconds[0]:.0f} s, run: {seconds[1]:.0f} s")
