"""Pull-request previews and the site's publication (.github/scripts/).

preview.js is run with Node on made-up GitHub API replies: it must find a fork's
pull request (workflow_run.pull_requests is empty for one) and report the build
job's own result, not the workflow's conclusion. publish-pages.sh is run against a
local bare repository standing in for GitHub: the book at the root, previews in
pr-N/, each kept when the other is published. What needs GitHub itself (the token's
push, Pages serving the branch) is not rehearsed here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from d2i_examples import paths

SCRIPTS = paths.ROOT / ".github" / "scripts"
WORKFLOWS = paths.ROOT / ".github" / "workflows"

# Runs one of preview.js's steps with a fake `github` that answers from SCENARIO
# and records every call; prints {result, outputs, calls}.
DRIVER = r"""
const preview = require(process.argv[1]);
const scenario = JSON.parse(process.argv[2]);
const calls = [];
const outputs = {};
const reply = (name) => async (params) => {
  calls.push({ name, params });
  const data = scenario.replies[name];
  if (data === undefined) throw Object.assign(new Error(`${name}: 404`), { status: 404 });
  return { data };
};
const github = {
  rest: {
    pulls: { list: reply('pulls.list') },
    actions: { listJobsForWorkflowRun: reply('actions.listJobsForWorkflowRun') },
    repos: { getPages: reply('repos.getPages') },
    issues: { listComments: reply('issues.listComments'), createComment: reply('issues.createComment'),
              updateComment: reply('issues.updateComment') },
  },
  paginate: async (fn, params) => { const { data } = await fn(params); return data.jobs || data; },
};
const context = { repo: { owner: 'Council', repo: 'd2i-examples' }, payload: { workflow_run: scenario.run } };
const core = { info: () => {}, setOutput: (k, v) => { outputs[k] = v; } };
preview[scenario.step]({ github, context, core, ...scenario.args })
  .then(result => console.log(JSON.stringify({ result, outputs, calls })))
  .catch(error => { console.error(error.stack); process.exit(1); });
"""


def _node() -> str:
    node = shutil.which("node") or shutil.which("nodejs")
    if not node:
        pytest.skip("needs Node.js (Debian's nodejs; CI installs it)")
    return node


def _preview(step: str, run: dict, replies: dict, **args) -> dict:
    scenario = {"step": step, "run": run, "replies": replies, "args": args}
    result = subprocess.run([_node(), "-e", DRIVER, str(SCRIPTS / "preview.js"), json.dumps(scenario)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _run(*, fork: bool, conclusion: str = "failure") -> dict:
    owner = "someone" if fork else "Council"
    return {
        "id": 42, "html_url": "https://github.com/Council/d2i-examples/actions/runs/42",
        "head_sha": "abc1234def", "head_branch": "fix-chart", "conclusion": conclusion,
        "head_repository": {"owner": {"login": owner}, "full_name": f"{owner}/d2i-examples"},
        "pull_requests": [] if fork else [{"number": 7, "head": {"sha": "abc1234def"}}],
    }


def _jobs(build: str, links: str = "failure") -> dict:
    return {"jobs": [
        {"name": "Check the built book's links", "conclusion": links, "html_url": "L"},
        {"name": "Test, execute every notebook, build the book", "conclusion": build, "html_url": "B"},
    ]}


def _pull(number: int, owner: str, sha: str) -> dict:
    return {"number": number, "head": {"sha": sha, "repo": {"full_name": f"{owner}/d2i-examples"}}}


def test_a_forks_pull_request_is_found_by_its_owner_branch_and_commit():
    replies = {"pulls.list": [_pull(8, "someone", "0ld5ha"), _pull(9, "someone", "abc1234def")],
               "actions.listJobsForWorkflowRun": _jobs("success")}
    found = _preview("find", _run(fork=True), replies)
    assert found["outputs"]["pr"] == "9"
    listed = next(c for c in found["calls"] if c["name"] == "pulls.list")["params"]
    assert listed["head"] == "someone:fix-chart" and listed["state"] == "open"


def test_a_run_with_no_open_pull_request_comments_nowhere():
    found = _preview("find", _run(fork=True), {"pulls.list": [], "actions.listJobsForWorkflowRun": _jobs("success")})
    assert found["outputs"]["pr"] == ""


def test_the_build_jobs_result_counts_not_the_workflows_conclusion():
    """The links job failed, so the workflow did; the book built, so there is a preview."""
    found = _preview("find", _run(fork=False, conclusion="failure"),
                     {"actions.listJobsForWorkflowRun": _jobs("success", links="failure")})
    assert found["outputs"] == {"pr": "7", "build": "success", "build-url": "B"}
    failed = _preview("find", _run(fork=False, conclusion="success"),
                      {"actions.listJobsForWorkflowRun": _jobs("cancelled")})
    assert failed["outputs"]["build"] == "cancelled"


def test_the_build_job_name_is_book_ymls():
    """preview.js finds the build job by name: renaming it in book.yml must fail here."""
    build = yaml.safe_load((WORKFLOWS / "book.yml").read_text(encoding="utf-8"))["jobs"]["build"]
    assert f"const BUILD_JOB = '{build['name']}';" in (SCRIPTS / "preview.js").read_text(encoding="utf-8")


def test_the_comment_links_the_preview_page_and_replaces_the_old_one():
    replies = {"repos.getPages": {"html_url": "https://council.github.io/d2i-examples/"},
               "issues.listComments": [{"id": 5, "body": "<!-- book-preview -->\nold"}],
               "issues.updateComment": {}}
    done = _preview("comment", _run(fork=True), replies, pr="9", build="success", buildUrl="B",
                    published="success")
    assert "https://council.github.io/d2i-examples/pr-9/" in done["result"]
    assert "abc1234" in done["result"] and "No book preview" not in done["result"]
    update = next(c for c in done["calls"] if c["name"] == "issues.updateComment")["params"]
    assert update["comment_id"] == 5 and not any(c["name"] == "issues.createComment" for c in done["calls"])


def test_the_comment_says_the_build_failed_with_its_log_and_no_link():
    replies = {"issues.listComments": [], "issues.createComment": {}}  # getPages: 404, computed
    done = _preview("comment", _run(fork=False), replies, pr="7", build="failure",
                    buildUrl="https://github.com/Council/d2i-examples/actions/runs/42/job/1",
                    published="skipped")
    assert "No book preview" in done["result"] and "**failure**" in done["result"]
    assert "runs/42/job/1" in done["result"] and "pr-7/" not in done["result"]
    created = next(c for c in done["calls"] if c["name"] == "issues.createComment")["params"]
    assert created["issue_number"] == 7


def _load(name: str) -> dict:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def test_the_preview_workflow_publishes_only_a_successful_build_and_always_comments():
    preview = _load("preview.yml")
    assert preview["on"]["workflow_run"]["workflows"] == ["Book"]
    job = preview["jobs"]["preview"]
    steps = {s.get("id") or s.get("name") or s["uses"]: s for s in job["steps"]}
    assert "preview.find(" in steps["find"]["with"]["script"]
    download = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/download-artifact"))
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    assert download["with"]["name"] == "book-html"
    success = "steps.find.outputs.build == 'success'"
    assert success in download["if"] and success in steps["publish"]["if"]
    assert steps["publish"]["run"].startswith(".github/scripts/publish-pages.sh preview-site ")
    comment = job["steps"][-1]
    assert "always()" in comment["if"] and "preview.comment(" in comment["with"]["script"]
    # No step runs the pull request's code: only main's checkout, never the head ref.
    for step in job["steps"]:
        assert "head" not in json.dumps(step.get("with", {})), step
    remove = preview["jobs"]["remove"]
    assert preview["on"]["pull_request_target"]["types"] == ["closed"]
    assert remove["steps"][-1]["run"] == '.github/scripts/publish-pages.sh --remove "pr-$PR"'


def test_no_preview_can_drop_a_waiting_deploy():
    """GitHub keeps one waiting job per concurrency group: a preview sharing the deploy's
    group would cancel a deploy waiting there. Races are publish-pages.sh's to retry."""
    deploy = _load("book.yml")["jobs"]["deploy"]
    assert deploy["steps"][-1]["run"] == ".github/scripts/publish-pages.sh book/_build/html ."
    jobs = _load("preview.yml")["jobs"]
    groups = {name: job["concurrency"]["group"] for name, job in jobs.items()}
    assert deploy["concurrency"]["group"] not in groups.values()
    assert groups["preview"].startswith("preview-") and groups["remove"].startswith("preview-")
    assert "head_branch" in groups["preview"] and "head.ref" in groups["remove"]


# ---- publish-pages.sh against a local bare repository ----


def _git(*args, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def clone(tmp_path):
    """A clone of the project whose origin is an empty bare repository."""
    _git("init", "-q", "--bare", "remote.git", cwd=tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    _git("init", "-q", cwd=work)
    _git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "--allow-empty", "-m", "main",
         cwd=work)
    _git("remote", "add", "origin", str(tmp_path / "remote.git"), cwd=work)
    return work


def _publish(clone: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return subprocess.run([str(SCRIPTS / "publish-pages.sh"), *args], cwd=clone, env=env,
                          capture_output=True, text=True, check=False)


def _site(clone: Path, name: str, text: str) -> str:
    site = clone / name
    (site / "_static").mkdir(parents=True, exist_ok=True)
    (site / "index.html").write_text(text, encoding="utf-8")
    (site / "_static" / "book.css").write_text(text, encoding="utf-8")
    return name


def _published(clone: Path) -> dict[str, str]:
    remote = clone.parent / "remote.git"
    names = _git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split()
    return {n: _git("show", f"gh-pages:{n}", cwd=remote) for n in names}


def test_the_book_and_a_preview_live_side_by_side(clone):
    assert _publish(clone, _site(clone, "book", "main v1"), ".").returncode == 0
    assert _publish(clone, _site(clone, "pr", "pull request 3"), "pr-3").returncode == 0
    (clone / "book" / "_static" / "book.css").unlink()  # a file the new book no longer has
    assert _publish(clone, _site(clone, "book2", "main v2"), ".").returncode == 0
    assert _published(clone) == {
        ".nojekyll": "", "index.html": "main v2", "_static/book.css": "main v2",
        "pr-3/index.html": "pull request 3", "pr-3/_static/book.css": "pull request 3"}
    assert _publish(clone, "--remove", "pr-3").returncode == 0
    assert set(_published(clone)) == {".nojekyll", "index.html", "_static/book.css"}
    assert "gh-pages" not in _git("branch", "--list", cwd=clone)  # nothing left behind locally


def test_publishing_refuses_a_folder_that_is_neither_the_book_nor_a_preview(clone):
    site = _site(clone, "book", "x")
    for args, says in [((site, "pr-x"), "must be . (the book) or pr-N"),
                       ((site, "../elsewhere"), "must be . (the book) or pr-N"),
                       (("empty", "."), "holds no index.html"),
                       (("--remove", "."), "never the book")]:
        result = _publish(clone, *args)
        assert result.returncode == 2 and says in result.stderr, (args, result.stderr)


def test_removing_a_preview_before_anything_is_published_does_nothing(clone):
    result = _publish(clone, "--remove", "pr-4")
    assert result.returncode == 0 and "no gh-pages branch" in result.stdout
    assert not _git("ls-remote", "origin", cwd=clone).strip()


def test_a_push_that_loses_a_race_is_tried_again(clone):
    """The remote refuses the first push (as when another publication got there first)."""
    hook = clone.parent / "remote.git" / "hooks" / "pre-receive"
    hook.write_text(f"#!/bin/sh\nif [ ! -f '{clone.parent}/refused' ]; then touch '{clone.parent}/refused'; "
                    "exit 1; fi\n", encoding="utf-8")
    hook.chmod(0o755)
    result = _publish(clone, _site(clone, "book", "main"), ".")
    assert result.returncode == 0, result.stderr
    assert "refused (attempt 1)" in result.stderr
    assert _published(clone)["index.html"] == "main"
