"""Our runner + a no-execute book build, against Jupyter Book's own sequential execution.

Both build the same book from the same notebooks (the project's notebooks, each
copied COPIES times so the book is big enough for parallel workers to matter),
side by side in one run. Reported as a ratio, and the no-change rebuild time.

    python -m bench runner            (COPIES=3 by default; set BENCH_COPIES to change)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import yaml

from d2i_examples import paths
from d2i_examples.book import build as book
from d2i_examples.runner import run_notebooks

COPIES = int(os.environ.get("BENCH_COPIES", "3"))


def make_sources(root: Path, execute: str) -> list[Path]:
    """A book folder with every notebook copied COPIES times; return the notebooks."""
    shutil.copytree(paths.BOOK_SOURCES, root, ignore=shutil.ignore_patterns("_build"))
    (root / "notebooks").mkdir()
    notebooks = []
    for source in sorted(paths.NOTEBOOKS.glob("*.ipynb")):
        for n in range(COPIES):
            target = root / "notebooks" / f"{source.stem}-{n}.ipynb"
            shutil.copy(source, target)
            notebooks.append(target)
    config = yaml.safe_load((root / "_config.yml").read_text())
    config["execute"] = {"execute_notebooks": execute, "timeout": 600}
    (root / "_config.yml").write_text(yaml.safe_dump(config))
    toc = {"format": "jb-book", "root": "intro",
           "chapters": [{"file": f"notebooks/{nb.stem}"} for nb in notebooks]}
    (root / "_toc.yml").write_text(yaml.safe_dump(toc))
    return notebooks


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        jb_src = tmp / "jb"
        make_sources(jb_src, "force")
        ours_src = tmp / "ours"
        staged = make_sources(ours_src, "off")
        # The runner reads its own copies of the inputs (the book folder gets the executed
        # ones), so the second run sees unchanged inputs, as `make book` does.
        inputs = tmp / "inputs"
        inputs.mkdir()
        notebooks = [Path(shutil.copy(nb, inputs / nb.name)) for nb in staged]
        executed = tmp / "executed"

        def jupyter_book(source, out):
            # The same build command for both, so only who executes differs. (Renamed
            # copies break the pages' cross-links, so warnings are not errors here.)
            subprocess.run([book._jupyter_book(), "build", str(source), "--path-output",
                            str(out), "--all", "--quiet"], check=True, capture_output=True)

        def jupyter_book_force():
            jupyter_book(jb_src, tmp / "jb-out")

        def execute():
            outcomes = run_notebooks(notebooks, executed, progress=None)
            assert all(o.status in ("ok", "skipped") for o in outcomes), outcomes
            for nb in staged:
                shutil.copy(executed / nb.name, nb)

        def build():
            jupyter_book(ours_src, tmp / "ours-out")

        jb = timed(jupyter_book_force)
        run_first, build_first = timed(execute), timed(build)
        run_again, build_again = timed(execute), timed(build)
        first, again = run_first + build_first, run_again + build_again

    cores = os.cpu_count()
    sources = len(notebooks) // COPIES
    print(f"{sources} notebooks x {COPIES} copies = {len(notebooks)} executed, {cores} cores")
    print(f"{'build':<48} {'seconds':>8}")
    print(f"{'Jupyter Book, execute_notebooks: force':<48} {jb:>8.1f}")
    print(f"{'d2i-examples runner + book build, first run':<48} {first:>8.1f}"
          f"  (execute {run_first:.1f} + build {build_first:.1f})")
    print(f"{'d2i-examples runner + book build, no change':<48} {again:>8.1f}"
          f"  (execute {run_again:.1f} + build {build_again:.1f})")
    print(f"speed-up, first run: {jb / first:.2f}x; no-change rebuild: {jb / again:.2f}x")


if __name__ == "__main__":
    main()
