"""Execute the worked-example notebooks with nbclient.

``run_notebooks`` runs notebooks in parallel worker processes, injects
papermill-style parameters, writes executed copies to a build folder (never
touching the originals), skips notebooks whose inputs have not changed since
their last successful run, and returns one :class:`Outcome` per notebook.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from d2i_examples import paths
from d2i_examples.outputs import UnsafeOutputError, check_output_dir
from d2i_examples.runner.cache import RunCache, notebook_key, shared_inputs_key
from d2i_examples.runner.execute import (
    METADATA_KEY,
    Failure,
    Outcome,
    data_kind,
    execute_notebook,
    run_metadata,
)
from d2i_examples.settings.parameters import ParameterError, parse_assignment, read_params_file

__all__ = [
    "DEFAULT_TIMEOUT",
    "METADATA_KEY",
    "Failure",
    "Outcome",
    "ParameterError",
    "UnsafeOutputError",
    "data_kind",
    "execute_notebook",
    "find_notebooks",
    "format_failures",
    "format_summary",
    "parse_assignment",
    "read_params_file",
    "run_metadata",
    "run_notebooks",
]

#: Seconds one cell may run before it is stopped. Examples run in seconds on the
#: sample data; a reader's own county may need more (--timeout).
DEFAULT_TIMEOUT = 600


def find_notebooks(names: Iterable[str | Path] = (), folder: Path | None = None) -> list[Path]:
    """The notebooks to run: those named (paths, or names in ``folder``), else all in ``folder``."""
    folder = paths.NOTEBOOKS if folder is None else folder
    names = list(names)
    if not names:
        return sorted(folder.glob("*.ipynb"))
    found = []
    for name in names:
        path = Path(name)
        candidates = [path, folder / path, folder / f"{path}.ipynb"]
        match = next((c for c in candidates if c.is_file() and c.suffix == ".ipynb"), None)
        if match is None:
            available = ", ".join(p.stem for p in sorted(folder.glob("*.ipynb"))) or "none"
            raise FileNotFoundError(f"No notebook {name!s}. Notebooks in {folder}: {available}")
        found.append(match.resolve())
    return found


def run_notebooks(
    notebooks: Iterable[Path],
    out_dir: Path = paths.EXECUTED,
    params: dict[str, Any] | None = None,
    *,
    timeout: int = DEFAULT_TIMEOUT,
    workers: int | None = None,
    retries: int = 1,
    force: bool = False,
    run_info: dict[str, Any] | None = None,
    progress: Callable[[str], None] | None = print,
    inputs_root: Path = paths.ROOT,
) -> list[Outcome]:
    """Execute ``notebooks`` into ``out_dir`` and return their outcomes, in input order.

    ``workers`` defaults to the number of cores. A notebook is skipped when its
    executed copy exists and its key (content, parameters, sample data, uv.lock,
    library source, all under ``inputs_root``) matches the last successful run,
    unless ``force``. With a reader's own data (a ``data_dir`` parameter) an
    ``out_dir`` inside the project raises UnsafeOutputError.
    """
    notebooks = [Path(nb).resolve() for nb in notebooks]
    params = dict(params or {})
    out_dir = Path(out_dir)
    if data_kind(params, run_info) == "local":
        check_output_dir(out_dir)  # a reader's data: never into the project
    say = progress or (lambda _message: None)
    cache = RunCache(out_dir)
    shared = shared_inputs_key(inputs_root)
    outcomes: dict[Path, Outcome] = {}
    todo = []
    for nb in notebooks:
        key = notebook_key(nb, params, shared)
        output = out_dir / nb.name
        if not force and cache.is_fresh(nb.name, key, output):
            outcomes[nb] = Outcome(nb, "skipped", output=output)
            say(f"  unchanged  {nb.stem}")
        else:
            todo.append((nb, key, output))

    workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
    if todo:
        say(f"Running {len(todo)} notebook(s) with {workers} worker(s)...")
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {
            pool.submit(
                execute_notebook, nb, output, params,
                timeout=timeout, retries=retries, run_info=run_info,
            ): (nb, key)
            for nb, key, output in todo
        }
        for done, future in enumerate(as_completed(futures), start=1):
            nb, key = futures[future]
            outcome = future.result()
            outcome.key = key if outcome.status == "ok" else None
            outcomes[nb] = outcome
            cache.record(nb.name, outcome.key)
            cache.save()
            say(f"  [{done}/{len(todo)}] {outcome.status:<7} {nb.stem} ({outcome.seconds:.1f} s)")
    return [outcomes[nb] for nb in notebooks]


def format_summary(outcomes: list[Outcome]) -> str:
    """A plain-text table: notebook, status, seconds."""
    rows = [(o.notebook.stem, o.status, f"{o.seconds:.1f}") for o in outcomes]
    width = max([len("notebook"), *(len(r[0]) for r in rows)])
    lines = [f"{'notebook':<{width}}  status   seconds", f"{'-' * width}  -------  -------"]
    lines += [f"{name:<{width}}  {status:<7}  {secs:>7}" for name, status, secs in rows]
    counts = {s: sum(o.status == s for o in outcomes) for s in ("ok", "skipped", "failed")}
    lines.append(", ".join(f"{n} {s}" for s, n in counts.items()))
    return "\n".join(lines)


def format_failures(outcomes: list[Outcome]) -> str:
    """A report of every failure: notebook, cell index and source, error name and message."""
    parts = []
    for o in outcomes:
        if o.failure is None:
            continue
        where = f" (executed copy: {o.output})" if o.output else ""
        parts.append(f"FAILED {o.notebook.name}{where}\n{_indent(o.failure.describe())}")
    return "\n\n".join(parts)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
