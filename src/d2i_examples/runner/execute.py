"""Execute one notebook with nbclient, in a worker process, with retries."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from d2i_examples.outputs import RUNNER_ENV, check_output_dir
from d2i_examples.settings.parameters import ParameterError, inject_parameters

#: Metadata key under which an executed notebook records how it was run:
#: {"parameters": {...}, "data": "sample" | "local", ...}.
METADATA_KEY = "d2i_examples"
#: The parameter through which a worked example reads a reader's own folder.
DATA_PARAMETER = "data_dir"
#: The parameter through which the SSD examples read a reader's own SSD (a DuckDB file).
SSD_PARAMETER = "ssd_database"
#: Every parameter that points a worked example at a reader's own data: the folder, and
#: the SSD examples' databases and returns. Any of them set makes a run "local".
OWN_DATA_PARAMETERS = (DATA_PARAMETER, SSD_PARAMETER, "previous_database", "returns_dir")


def data_kind(params: dict[str, Any], run_info: dict[str, Any] | None = None) -> str:
    """"local" when the run reads a reader's own data (an OWN_DATA_PARAMETERS value, or
    run_info says so): its outputs then never go inside the project."""
    if (run_info or {}).get("data") == "local" or any(
            params.get(name) is not None for name in OWN_DATA_PARAMETERS):
        return "local"
    return "sample"


def run_metadata(params: dict[str, Any], run_info: dict[str, Any] | None = None) -> dict:
    """What an executed notebook records under METADATA_KEY; "data" is always set."""
    return {"parameters": params, **(run_info or {}), "data": data_kind(params, run_info)}


@dataclass
class Failure:
    """Where and how a notebook failed."""

    error: str
    message: str
    cell_index: int | None = None
    cell_source: str = ""

    def describe(self, lines: int = 3) -> str:
        """A few lines a reader can act on."""
        text = f"{self.error}: {self.message}".strip()
        if self.cell_index is not None:
            head = "\n".join(self.cell_source.splitlines()[:lines])
            body = "\n".join("    " + line for line in head.splitlines())
            text = f"cell {self.cell_index}:\n{body}\n{text}"
        return text


@dataclass
class Outcome:
    """The result of running one notebook."""

    notebook: Path
    status: str  # "ok", "failed", "skipped"
    seconds: float = 0.0
    attempts: int = 0
    output: Path | None = None
    failure: Failure | None = None
    key: str | None = field(default=None, repr=False)


class _KernelTrouble(Exception):
    """The kernel died or did not start: worth another try."""


def _execute_once(
    nb: nbformat.NotebookNode, cwd: Path, timeout: int, startup_timeout: int
) -> tuple[nbformat.NotebookNode, Failure | None]:
    current: dict[str, Any] = {}

    def remember(cell, cell_index, **_):
        current["cell"], current["index"] = cell, cell_index

    client = NotebookClient(
        nb,
        timeout=timeout,
        startup_timeout=startup_timeout,
        kernel_name="python3",
        # The kernel warns that loopback TCP is unencrypted on every start: noise here.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        resources={"metadata": {"path": str(cwd)}},
        on_cell_start=remember,
    )

    def failure(error: str, message: str) -> Failure:
        cell = current.get("cell")
        return Failure(
            error=error,
            message=message,
            cell_index=current.get("index"),
            cell_source=cell.source if cell is not None else "",
        )

    try:
        client.execute(env={**os.environ, RUNNER_ENV: "1"})
    except CellTimeoutError:
        return nb, failure("CellTimeoutError", f"cell ran longer than {timeout} s and was stopped")
    except CellExecutionError as err:
        return nb, failure(err.ename, err.evalue)
    except DeadKernelError as err:
        raise _KernelTrouble(failure("DeadKernelError", str(err) or "the kernel died")) from err
    except RuntimeError as err:
        # jupyter_client raises RuntimeError when a kernel fails to start or answer
        # (ports taken by a kernel started at the same moment, for example).
        raise _KernelTrouble(failure("KernelStartError", str(err))) from err
    except AssertionError as err:
        # nbclient and jupyter_client assert that the kernel's manager and channels are
        # there: on a heavily loaded machine a kernel that stopped answering trips them
        raise _KernelTrouble(failure("KernelError", "the notebook's kernel stopped answering"
                                     + (f" ({err})" if str(err) else ""))) from err
    return nb, None


def execute_notebook(
    notebook: Path,
    output: Path,
    params: dict[str, Any],
    *,
    timeout: int,
    retries: int = 1,
    startup_timeout: int = 60,
    run_info: dict[str, Any] | None = None,
    cwd: Path | None = None,
) -> Outcome:
    """Run ``notebook`` with ``params`` injected and write the executed copy to ``output``.

    The notebook runs with its own folder as the working directory, or ``cwd``
    (runs on a reader's own data use a folder outside the repository). The
    copy's metadata records the parameters and whether the data was the
    sample or the reader's own (run_metadata). A kernel that
    dies or fails to start is retried ``retries`` times; an error in a cell is not.
    The executed copy is written whether or not the run succeeded, so a failure
    can be inspected, and records the parameters it ran with.
    """
    started = time.perf_counter()
    if data_kind(params, run_info) == "local":
        check_output_dir(output.parent)  # a reader's data: never into the project
    try:
        nb = inject_parameters(nbformat.read(notebook, as_version=4), params, notebook.name)
    except ParameterError as err:
        return Outcome(notebook, "failed", failure=Failure("ParameterError", str(err)))
    except (OSError, ValueError) as err:  # unreadable or not a notebook
        return Outcome(notebook, "failed", failure=Failure(type(err).__name__, str(err)))

    attempts, failure = 0, None
    while attempts <= retries:
        attempts += 1
        try:
            executed, failure = _execute_once(
                nbformat.from_dict(nb), cwd or notebook.parent, timeout, startup_timeout
            )
            break
        except _KernelTrouble as trouble:
            executed, failure = nb, trouble.args[0]
    executed.metadata[METADATA_KEY] = run_metadata(params, run_info)
    output.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(executed, output)
    return Outcome(
        notebook,
        "failed" if failure else "ok",
        seconds=time.perf_counter() - started,
        attempts=attempts,
        output=output,
        failure=failure,
    )
