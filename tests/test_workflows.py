"""The GitHub Actions workflows: actionlint passes, and the publishing workflow has
the shape that keeps a broken book off the site.

actionlint checks the workflows' shell steps with ShellCheck when it is on PATH;
CI (.ci/run) installs Debian's ShellCheck, so there a missing one is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from d2i_examples import paths

WORKFLOWS = paths.ROOT / ".github" / "workflows"
BOOK_HTML = "book/_build/html"


def _actionlint() -> str:
    found = Path(sys.executable).parent / "actionlint"
    assert found.is_file(), "actionlint is not installed: run `make setup` (dev group)"
    return str(found)


def _lint(*files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([_actionlint(), "-no-color", *map(str, files)],
                          capture_output=True, text=True, check=False, cwd=paths.ROOT)


def _load(name: str) -> dict:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads `on` as true
    return workflow


def _step(job: dict, *, run: str | None = None, uses: str | None = None) -> tuple[int, dict]:
    for index, step in enumerate(job["steps"]):
        if run is not None and step.get("run", "").strip() == run.strip():
            return index, step
        if uses is not None and step.get("uses", "").split("@")[0] == uses:
            return index, step
    raise AssertionError(f"no step runs {run or uses}")


def test_shellcheck_is_there_in_ci():
    if os.environ.get("CI") == "true":
        assert shutil.which("shellcheck"), "CI needs Debian's shellcheck (.ci/run installs it)"


def test_actionlint_passes_on_every_workflow():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {f.name for f in files} >= {"book.yml", "preview.yml", "upstream.yml"}
    result = _lint(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    text = (WORKFLOWS / "book.yml").read_text(encoding="utf-8")
    broken.write_text(text.replace("needs: build", "needs: no-such-job"), encoding="utf-8")
    result = _lint(broken)
    assert result.returncode != 0 and "no-such-job" in result.stdout


def test_build_runs_the_readme_commands_and_fails_when_a_notebook_fails():
    build = _load("book.yml")["jobs"]["build"]
    on = _load("book.yml")["on"]
    assert "pull_request" in on and on["push"]["branches"] == ["main"]
    test_index, _ = _step(build, run="make test")
    book_index, book_step = _step(build, run="make book")
    assert test_index < book_index
    # `make book` exits 1 when a notebook fails (tests/test_book.py); nothing may
    # swallow that status: no continue-on-error, no other shell, no `|| true`.
    for item in (build, book_step):
        assert not item.get("continue-on-error")
    assert "shell" not in book_step and "defaults" not in build
    # Steps after it run only on success (no `if: always()` or failure()).
    for step in build["steps"][book_index + 1:]:
        condition = str(step.get("if", ""))
        assert "always()" not in condition and "failure()" not in condition


def test_browser_tests_get_debian_chromium_in_ci():
    build = _load("book.yml")["jobs"]["build"]
    assert build["container"].endswith("bookworm")
    _, install = _step(build, run=next(s["run"] for s in build["steps"] if "apt-get" in s.get("run", "")))
    assert "chromium" in install["run"] and "shellcheck" in install["run"]
    assert "nodejs" in install["run"]  # tests/test_preview.py runs preview.js
    assert build["env"]["CI"] == "true"


def test_the_built_book_is_the_artifact_the_deploy_and_previews_publish():
    build = _load("book.yml")["jobs"]["build"]
    index, review = _step(build, uses="actions/upload-artifact")
    assert review["with"]["path"] == BOOK_HTML and review["with"]["name"] == "book-html"
    assert index > _step(build, run="make book")[0]
    deploy = _load("book.yml")["jobs"]["deploy"]
    _, download = _step(deploy, uses="actions/download-artifact")
    assert download["with"] == {"name": "book-html", "path": BOOK_HTML}


def test_deploy_needs_the_build_and_runs_on_main_only():
    workflow = _load("book.yml")
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" or deploy["needs"] == ["build"]
    assert deploy["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    _step(deploy, run=".github/scripts/publish-pages.sh book/_build/html .")
    # Least privilege: read-only by default; only the deploy may write (the gh-pages branch).
    assert workflow["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"contents": "write"}
    for name, job in workflow["jobs"].items():
        if name != "deploy":
            assert "permissions" not in job, name
    # Two deploys never race, and a running one is never cancelled.
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_pull_requests_get_a_preview_without_write_access_to_their_own_build():
    preview = _load("preview.yml")
    assert preview["on"]["workflow_run"]["workflows"] == ["Book"]
    job = preview["jobs"]["preview"]
    assert job["if"] == ("github.event_name == 'workflow_run' && "
                         "github.event.workflow_run.event == 'pull_request'")
    assert job["permissions"] == {"contents": "write", "pull-requests": "write",
                                  "actions": "read", "pages": "read"}
    # The pull request's own build (book.yml) never gets more than read access.
    assert "permissions" not in _load("book.yml")["jobs"]["build"]


def test_weekly_run_upgrades_d2i_tools_executes_every_notebook_and_reports():
    upstream = _load("upstream.yml")
    assert upstream["on"]["schedule"][0]["cron"].split()[-1] == "1"  # weekly
    job = upstream["jobs"]["notebooks"]
    _run_index, run = _step(job, run=next(s["run"] for s in job["steps"] if "make upstream" in s.get("run", "")))
    assert "set -o pipefail" in run["run"]  # tee must not hide the runner's exit status
    _, report = _step(job, uses="actions/github-script")
    assert "failure()" in report["if"]
    assert job["permissions"]["issues"] == "write"
    # what `make upstream` does: tests/test_upstream.py


def test_weekly_run_tests_every_case_of_the_rotating_matrices():
    """A push runs a rotating sample of the largest matrices (tests/fixtures/rotation.py);
    once a week the whole suite runs every case, in CI's conditions."""
    jobs = _load("upstream.yml")["jobs"]
    job = jobs["every-case"]
    assert job["env"] == {"CI": "true", "D2I_FULL_MATRIX": "1", "D2I_CORPUS_SAMPLE": "1"}
    _step(job, run="make test")
    _, install = _step(job, run=next(s["run"] for s in job["steps"] if "apt-get" in s.get("run", "")))
    assert "chromium" in install["run"]
    # the corpus's every (folder, example) pair: a job of its own, over both workers
    _step(jobs["corpus"], run="make test-corpus")
    assert jobs["corpus"]["env"] == {"CI": "true"}
    assert "D2I_FULL_MATRIX=1" in (paths.ROOT / "Makefile").read_text(encoding="utf-8").split(
        "test-corpus:", 1)[1].split("\n\n", 1)[0]


def test_links_are_checked_on_the_built_site_offline_and_only_that_fails():
    """The job checks the artifact the build uploaded, with the lychee `make test` runs
    (tests/test_links.py): links within the site fail the job; links to other sites,
    which need the internet, are listed but fail nothing."""
    links = _load("book.yml")["jobs"]["links"]
    assert links["needs"] == "build"
    _, download = _step(links, uses="actions/download-artifact")
    assert download["with"] == {"name": "book-html", "path": BOOK_HTML}
    _, offline = _step(links, run="make links")
    _, online = _step(links, run="make links-online")
    assert not offline.get("continue-on-error") and not links.get("continue-on-error")
    assert online["continue-on-error"] is True
    assert not any("lychee-action" in step.get("uses", "") for step in links["steps"])


@pytest.mark.parametrize("name", ["book.yml", "upstream.yml"])
def test_workflows_run_make_targets_not_their_own_recipes(name):
    for job in _load(name)["jobs"].values():
        for step in job.get("steps", []):
            command = step.get("run", "").strip()
            if command:
                first = next(line for line in command.splitlines() if not line.startswith("set "))
                # or the publication script, which needs no Python (tests/test_preview.py)
                assert first.split()[0] in {"make", "apt-get", ".github/scripts/publish-pages.sh"}, command
