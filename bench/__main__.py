"""Run every benchmark in this folder: `make bench`, or `python -m bench [NAME...]` for
the named ones (NAME is the file name without `bench_`: `python -m bench ssd workbook`)."""

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).parent


def chosen(wanted: list[str]) -> list[Path]:
    """The benchmark scripts named in `wanted` (every one when it is empty)."""
    scripts = sorted(HERE.glob("bench_*.py"))
    return [s for s in scripts if not wanted or s.stem.removeprefix("bench_") in wanted]


if __name__ == "__main__":
    for script in chosen(sys.argv[1:]):
        print(f"\n=== {script.stem} ===", flush=True)
        runpy.run_path(str(script), run_name="__main__")
