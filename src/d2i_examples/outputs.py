"""Where outputs from a reader's own data may go: anywhere but inside the project.

Executed notebooks and reports made from a reader's data hold figures about
real children. Inside the repository they could be committed, published with
the book, or uploaded to Binder, so they are refused there: the project
folder and, named so the message is plain, notebooks/, book/, sample_data/
and build/. The default is a ``d2i-reports`` folder in the reader's home.
"""

from __future__ import annotations

from pathlib import Path

from d2i_examples import paths

#: Folder in the reader's home that reports go to by default.
REPORTS_FOLDER = "d2i-reports"
#: Set in a kernel's environment by the runner, which then decides where outputs
#: go; d2i_examples.datasets.load warns when own data is read without it.
RUNNER_ENV = "D2I_EXAMPLES_RUNNER"


class UnsafeOutputError(ValueError):
    """An output folder for a reader's own data that lies inside the project."""


def default_reports_dir() -> Path:
    """``~/d2i-reports``: where outputs from a reader's own data go unless told otherwise."""
    return Path.home() / REPORTS_FOLDER


def protected_folders() -> dict[str, Path]:
    """Folders no output from a reader's data may land in, by how messages name them."""
    return {
        "notebooks/": paths.NOTEBOOKS,
        "book/": paths.BOOK_SOURCES,
        "sample_data/": paths.SAMPLE_DATA,
        "build/": paths.BUILD,
        "the project folder": paths.ROOT,
    }


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def check_output_dir(out: str | Path | None) -> Path:
    """The folder outputs from a reader's data go to: ``out`` or the default, resolved.

    Raises UnsafeOutputError when it lies inside the repository (symbolic links
    and '..' resolved first).
    """
    chosen = default_reports_dir() if out is None else Path(out).expanduser()
    resolved = chosen.resolve()
    for name, folder in protected_folders().items():
        if _inside(resolved, folder):
            where = "inside " + (f"{name} in the project" if name != "the project folder"
                                 else "the project folder")
            raise UnsafeOutputError(
                f"Refusing to write outputs from your own data to {chosen}: it is {where} "
                f"({paths.ROOT}). Anything there could be committed to git, published with "
                "the book or uploaded to Binder, and these outputs hold figures about real "
                f"children. Choose a folder outside the project, e.g. --out "
                f"{default_reports_dir()} (the default when --out is not given), ideally "
                "one where your council keeps personal data."
            )
    return resolved
