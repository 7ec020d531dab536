"""One build per test session, shared by every pytest-xdist worker.

Under ``pytest -n N`` each worker is its own process with its own session-scoped
fixtures, so a fixture that executes every notebook would run N times. ``build_once``
runs a builder once in a folder every worker can see (the run's shared temporary
root) and lets the other workers reuse it:

- the first worker to ask takes a file lock (``NAME.lock``), builds into ``NAME/``
  and writes the outcome to ``NAME.json`` before releasing the lock;
- a worker that asks later (or waits on the lock meanwhile) reads that outcome:
  the built folder, or the builder's error, which fails it with the same message,
  so a failed build fails on every worker at once and is never rebuilt;
- a builder that died without writing an outcome (its worker crashed) fails the
  others too, rather than starting a second build.
"""

from __future__ import annotations

import json
import os
import traceback
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock, Timeout

# Long enough for the slowest build (every notebook executed) on a loaded machine.
DEFAULT_WAIT = 3 * 60 * 60


class SharedBuildError(Exception):
    """A shared build failed (on this worker or another) or could not be waited for."""


def worker_id() -> str | None:
    """This process's pytest-xdist worker ("gw0", ...), or None outside xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER")


def shared_root(tmp_path_factory) -> Path | None:
    """The temporary folder every worker of this run shares, or None outside xdist.

    Each worker's base temporary folder is ``<the controller's>/popen-gwN``, so the
    controller's is the parent: new for each run, so no outcome outlives its run.
    """
    if worker_id() is None:
        return None
    return tmp_path_factory.getbasetemp().parent


def outcome_path(root: Path, name: str) -> Path:
    """Where the outcome of build ``name`` is written (its existence means: finished)."""
    return root / f"{name}.json"


def is_finished(root: Path, name: str) -> bool:
    """Whether build ``name`` has finished (succeeded or failed) in ``root``."""
    return outcome_path(root, name).is_file()


def build_once(root: Path, name: str, builder: Callable[[Path], Path], *,
               wait: float = DEFAULT_WAIT) -> Path:
    """``builder(root / name)``'s result, built by the first caller, reused by the rest.

    ``builder`` makes its output in (or under) the folder it is given and returns the
    path the callers use. Raises SharedBuildError with the builder's message when the
    build failed, on whichever worker it ran; the worker that ran it sees the
    builder's own exception.
    """
    root.mkdir(parents=True, exist_ok=True)
    outcome = outcome_path(root, name)
    started = root / f"{name}.started"
    try:
        with FileLock(root / f"{name}.lock", timeout=wait):
            if outcome.is_file():
                return _reuse(outcome, name)
            if started.exists():
                raise SharedBuildError(
                    f"the shared build {name!r} was started by worker {started.read_text()} "
                    "which stopped before it finished (see that worker's error above); "
                    "it is not built again")
            started.write_text(worker_id() or "main", encoding="utf-8")
            try:
                result = builder(root / name)
            except BaseException as error:  # pytest.fail and skip are BaseExceptions too
                _write(outcome, {"ok": False, "worker": worker_id(), "error": _describe(error)})
                raise
            _write(outcome, {"ok": True, "worker": worker_id(), "path": str(result)})
            return result
    except Timeout:
        raise SharedBuildError(
            f"waited {wait:.0f} s for another worker to build {name!r} (lock file "
            f"{root / (name + '.lock')}); that worker is stuck: see its output") from None


def _reuse(outcome: Path, name: str) -> Path:
    found = json.loads(outcome.read_text(encoding="utf-8"))
    if found["ok"]:
        return Path(found["path"])
    raise SharedBuildError(
        f"the shared build {name!r} failed on worker {found['worker']}, so it fails here too "
        f"(it is built once per run):\n{found['error']}")


def _describe(error: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(error), error)).strip()


def _write(path: Path, data: dict) -> None:
    """Write ``data`` as JSON whole: to a side file, then renamed over ``path``."""
    side = path.with_suffix(".part")
    side.write_text(json.dumps(data), encoding="utf-8")
    side.replace(path)
