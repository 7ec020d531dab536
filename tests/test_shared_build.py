"""tests/shared_build.py and the xdist scheduling in tests/conftest.py.

The executed notebooks and the built book are built once per run and shared by
every pytest-xdist worker: here two real processes race for a trivial build.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from filelock import FileLock

from tests import conftest, shared_build

ROOT = Path(__file__).resolve().parents[1]

# One worker's call of build_once: its builder counts its runs, sleeps, may fail.
WORKER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from tests import shared_build

    root, fail = Path(sys.argv[1]), sys.argv[2] == "fail"

    def builder(folder):
        with open(root / "runs.txt", "a") as runs:
            runs.write("1")
        time.sleep(1.5)
        if fail:
            raise ValueError("the notebook getting-started failed: cell 3")
        folder.mkdir()
        (folder / "index.html").write_text("built")
        return folder / "index.html"

    try:
        print("OK", shared_build.build_once(root, "book", builder))
    except shared_build.SharedBuildError as error:
        print("SHARED", error)
    except ValueError as error:
        print("OWN", error)
""")


def _race(root: Path, mode: str) -> list[str]:
    """Two worker processes calling build_once at the same time: their printed outcomes."""
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, str(root), mode], cwd=ROOT,
                                env={**os.environ, "PYTEST_XDIST_WORKER": f"gw{n}"},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for n in range(2)]
    outputs = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        outputs.append(out.strip())
    return sorted(outputs)


def test_two_workers_build_once_and_both_get_the_built_folder(tmp_path):
    outputs = _race(tmp_path, "ok")
    assert outputs == [f"OK {tmp_path / 'book' / 'index.html'}"] * 2
    assert (tmp_path / "runs.txt").read_text() == "1"
    assert json.loads((tmp_path / "book.json").read_text())["ok"] is True


def test_a_failed_build_fails_on_both_workers_with_its_message_and_is_not_rebuilt(tmp_path):
    own, shared = _race(tmp_path, "fail")
    assert own == "OWN the notebook getting-started failed: cell 3"
    assert shared.startswith("SHARED the shared build 'book' failed on worker gw")
    assert shared.endswith("ValueError: the notebook getting-started failed: cell 3")
    assert (tmp_path / "runs.txt").read_text() == "1"
    # a third caller, later, is told the same and builds nothing
    with pytest.raises(shared_build.SharedBuildError, match="getting-started failed: cell 3"):
        shared_build.build_once(tmp_path, "book", lambda folder: pytest.fail("built again"))


def test_a_pytest_failure_in_the_builder_is_shared_too(tmp_path):
    with pytest.raises(pytest.fail.Exception):
        shared_build.build_once(tmp_path, "executed",
                                lambda folder: pytest.fail("3 notebooks failed"))
    with pytest.raises(shared_build.SharedBuildError, match="Failed: 3 notebooks failed"):
        shared_build.build_once(tmp_path, "executed", lambda folder: folder)


def test_a_builder_that_died_unfinished_fails_the_others_rather_than_building_again(tmp_path):
    (tmp_path / "book.started").write_text("gw1")  # as a worker killed mid-build leaves it
    with pytest.raises(shared_build.SharedBuildError, match="started by worker gw1 which stopped"):
        shared_build.build_once(tmp_path, "book", lambda folder: pytest.fail("built again"))


def test_waiting_too_long_on_a_stuck_builder_fails_with_the_lock_named(tmp_path):
    with FileLock(tmp_path / "book.lock"):  # held by a stuck worker
        out = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(f"""
                from pathlib import Path
                from tests import shared_build
                try:
                    shared_build.build_once(Path({str(tmp_path)!r}), "book", print, wait=0.5)
                except shared_build.SharedBuildError as error:
                    print(error)
            """)], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True).stdout
    assert "waited 0 s for another worker to build 'book'" in out
    assert str(tmp_path / "book.lock") in out


def test_outside_xdist_there_is_no_shared_root(tmp_path_factory, monkeypatch):
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    assert shared_build.shared_root(tmp_path_factory) is None
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    assert shared_build.shared_root(tmp_path_factory) == tmp_path_factory.getbasetemp().parent


def _pytest_env(pythonpath) -> dict[str, str]:
    """A pytest of its own, outside this run's xdist, with no plugin but xdist (quicker)."""
    env = {**os.environ, "PYTHONPATH": str(pythonpath), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    env.pop("PYTEST_XDIST_WORKER", None)
    return env


# A run of pytest -n 2: two modules on two workers, each asking for one session fixture.
XDIST_CONFTEST = textwrap.dedent("""
    import os, time
    import pytest
    from tests import shared_build

    @pytest.fixture(scope="session")
    def thing(tmp_path_factory):
        def builder(folder):
            with open(tmp_path_factory.getbasetemp().parent / "runs.txt", "a") as runs:
                runs.write(os.environ["PYTEST_XDIST_WORKER"] + " ")
            time.sleep(2)
            if os.environ.get("FAIL_THE_BUILD"):
                raise AssertionError("2 notebooks failed: getting-started, chat-annex-a")
            folder.mkdir()
            return folder
        try:
            root = shared_build.shared_root(tmp_path_factory)
            return shared_build.build_once(root, "thing", builder)
        except shared_build.SharedBuildError as error:
            pytest.fail(str(error), pytrace=False)
""")


@pytest.mark.parametrize("fail", [False, True], ids=["built", "failed"])
def test_under_xdist_the_workers_share_one_build(tmp_path, fail):
    (tmp_path / "conftest.py").write_text(XDIST_CONFTEST)
    for name in "ab":
        (tmp_path / f"test_{name}.py").write_text(
            "def test_it(thing):\n    assert thing.is_dir()\n")
    env = _pytest_env(ROOT)
    if fail:
        env["FAIL_THE_BUILD"] = "1"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "xdist.plugin", "-n", "2", "--dist", "loadfile",
         "-p", "no:cacheprovider", "--basetemp", str(tmp_path / "base"), "-rA"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    runs = (tmp_path / "base" / "runs.txt").read_text().split()
    assert len(runs) == 1, run.stdout  # built by one worker only
    if not fail:
        assert run.returncode == 0 and "2 passed" in run.stdout, run.stdout
    else:
        assert "2 errors" in run.stdout or "2 failed" in run.stdout, run.stdout
        message = "2 notebooks failed: getting-started, chat-annex-a"
        assert run.stdout.count(message) >= 2, run.stdout
        assert f"failed on worker {runs[0]}" in run.stdout, run.stdout


# ---- the scheduling: the build first, the rest of the book once it is built ----

QUEUE = ["tests/test_book_in_browser.py::test_axe_finds_no_accessibility_violation",
         "tests/test_synth_cin_census.py", "tests/test_binder_rehearsal.py",
         "tests/test_book.py", "tests/test_agreement.py", "tests/test_links.py"]


def test_the_build_goes_out_first():
    assert conftest._next_scope(QUEUE, book_built=False) == "tests/test_book.py"


def test_until_the_book_is_built_a_worker_gets_a_module_that_does_not_need_it():
    rest = [s for s in QUEUE if s != "tests/test_book.py"]
    assert conftest._next_scope(rest, book_built=False) == "tests/test_synth_cin_census.py"
    # nothing else left: it takes a book module and waits for the build
    assert conftest._next_scope(rest[2:3] + rest[4:], book_built=False) == rest[2]


def test_once_the_book_is_built_its_modules_go_first():
    rest = ["tests/test_agreement.py", "tests/test_synth_cin_census.py", "tests/test_links.py"]
    assert conftest._next_scope(rest, book_built=True) == "tests/test_links.py"
    assert conftest._next_scope(rest[:2], book_built=True) == "tests/test_agreement.py"
    # the longest first, whatever its place in xdist's queue: the Binder rehearsal
    rest = [s for s in QUEUE if s != "tests/test_book.py"]
    assert conftest._next_scope(rest, book_built=True) == "tests/test_binder_rehearsal.py"


def test_the_browser_tests_of_the_book_split_by_test_the_others_by_module():
    assert conftest._scope("tests/test_book_in_browser.py::test_axe_finds[intro-dark]") == \
        "tests/test_book_in_browser.py::test_axe_finds"
    assert conftest._scope("tests/test_binder_rehearsal.py::test_each_notebook[intro]") == \
        "tests/test_binder_rehearsal.py"
    assert conftest._scope("tests/test_x.py::TestA::test_b") == "tests/test_x.py"


# A suite in miniature for conftest's scheduler: test_book.py builds "the book" (a sleep),
# test_links.py needs it, five other modules (more work than the build) do not. Each test
# logs when it ran, on which worker, and whether the book was built by then.
FAKE_SUITE = {
    "conftest.py": """
import json, os, time
import pytest
from tests import shared_build

def log(name, request):
    root = request.config._tmp_path_factory.getbasetemp().parent
    with open(root / "log.jsonl", "a") as out:
        out.write(json.dumps({"test": name, "worker": os.environ["PYTEST_XDIST_WORKER"],
                              "built": (root / "book.json").is_file(), "at": time.time()}) + "\\n")

@pytest.fixture(scope="session")
def fake_book(tmp_path_factory):
    def builder(folder):
        time.sleep(4)
        folder.mkdir()
        return folder
    return shared_build.build_once(shared_build.shared_root(tmp_path_factory), "book", builder)
""",
    "test_book.py": "from conftest import log\n"
                    "def test_build(fake_book, request): log('book', request)\n"
                    "def test_after(request): log('book', request)\n",
    "test_links.py": "from conftest import log\n"
                     "def test_links(request): log('links', request)\n",
    **{f"test_other{n}.py": "import time\nimport pytest\nfrom conftest import log\n"
                            "@pytest.mark.parametrize('i', range(4))\n"
                            f"def test_it(request, i): time.sleep(0.5); log('other{n}', request)\n"
       for n in range(5)},
}


def test_the_scheduler_builds_first_and_holds_the_book_modules_until_built(tmp_path):
    for name, text in FAKE_SUITE.items():
        (tmp_path / name).write_text(text)
    env = _pytest_env(f"{ROOT}:{tmp_path}")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "xdist.plugin", "-n", "2", "--dist", "loadscope",
         "-p", "no:cacheprovider", "-p", "tests.conftest", "--basetemp", str(tmp_path / "base")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = (tmp_path / "base" / "log.jsonl").read_text().splitlines()
    log = sorted((json.loads(line) for line in lines), key=lambda entry: entry["at"])
    builder = next(e["worker"] for e in log if e["test"] == "book")
    during = [e for e in log if not e["built"]]
    assert during and all(e["worker"] != builder for e in during), "the other works meanwhile"
    assert {e["test"] for e in during} <= {f"other{n}" for n in range(5)}
    assert [e["built"] for e in log if e["test"] == "links"] == [True], "links waits for the book"
