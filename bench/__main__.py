"""Run every benchmark in this folder: `make bench` or `python -m bench [NAME...]`."""

import runpy
import sys
from pathlib import Path

here = Path(__file__).parent
wanted = sys.argv[1:]
for script in sorted(here.glob("bench_*.py")):
    if wanted and not any(w in script.stem for w in wanted):
        continue
    print(f"\n=== {script.stem} ===", flush=True)
    runpy.run_path(str(script), run_name="__main__")
