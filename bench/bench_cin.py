"""CIN census validation end to end: our reader (cin_tables) against the tool's own.

Synthetic censuses of about 1,000, 5,000 and 25,000 children (the same simulation as
`d2i-examples synth --children N`, which sets the child population aged 0-17: the census
holds the children in need among them), each validated with ``validate_cin_census``
both ways, side by side in one run, each in a fresh process (imports not counted). The
tool's reader is stopped after a time limit and reported as "more than N s". Reported:
seconds, the ratio tool / ours, and how each grows (time ~ children^k, k between sizes).

    python -m bench cin                         (BENCH_CIN_LIMIT=300 seconds by default)
    BENCH_CIN_CHILDREN=1000,5000 python -m bench cin
"""

from __future__ import annotations

import itertools
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from d2i_examples.synth import DEFAULT_PROFILE, simulate
from d2i_examples.synth.cin_census import cin_census_xml

YEAR = 2026
CHILDREN = [int(n) for n in os.environ.get("BENCH_CIN_CHILDREN", "1000,5000,25000").split(",")]
LIMIT = float(os.environ.get("BENCH_CIN_LIMIT", "300"))
# children in the census per child in the population, as in the sample (refined as we go)
SHARE = 2759 / 36000

TIMED = """
import sys, time
from d2i_examples.tools import validate_cin_census
from d2i_examples.tools.cin_tables import cin_tables  # imported, so not timed
start = time.perf_counter()
result = validate_cin_census(sys.argv[1], collection_year={year}, ingress=sys.argv[2])
print(time.perf_counter() - start, len(result.issues))
"""


def make_census(children: int, folder: Path) -> tuple[Path, int]:
    """A census of about ``children`` children; its path and how many it holds."""
    population = round(children / SHARE)
    journeys = simulate(DEFAULT_PROFILE.scaled(population), seed=1, start_year=YEAR,
                        end_year=YEAR)
    xml = cin_census_xml(journeys, YEAR)
    path = folder / f"cin_census_{children}.xml"
    path.write_bytes(xml)
    return path, xml.count(b"<Child>")


def validate(path: Path, ingress: str) -> float | None:
    """Seconds to validate ``path`` end to end, or None past the time limit."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", TIMED.format(year=YEAR), str(path), ingress],
            capture_output=True, text=True, timeout=LIMIT, check=True)
    except subprocess.TimeoutExpired:
        return None
    return float(done.stdout.split()[0])


def growth(rows: list[dict], key: str) -> str:
    out = []
    for a, b in itertools.pairwise(rows):
        if a[key] is None or b[key] is None:
            out.append("-")
        else:
            out.append(f"{math.log(b[key] / a[key]) / math.log(b['children'] / a['children']):.2f}")
    return ", ".join(out)


def main() -> None:
    global SHARE
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for wanted in CHILDREN:
            start = time.perf_counter()
            path, children = make_census(wanted, Path(tmp))
            SHARE = SHARE * children / wanted if children else SHARE
            made = time.perf_counter() - start
            print(f"census of {children} children ({path.stat().st_size / 1e6:.1f} MB) "
                  f"made in {made:.0f} s", flush=True)
            ours = validate(path, "fast")
            tool = validate(path, "tool")
            rows.append({"children": children, "ours": ours, "tool": tool})
            shown = f"more than {LIMIT:.0f}" if tool is None else f"{tool:.1f}"
            ratio = f">{LIMIT / ours:.0f}" if tool is None else f"{tool / ours:.1f}"
            print(f"  validate_cin_census: ours {ours:.1f} s, the tool's reader {shown} s, "
                  f"ratio {ratio}x", flush=True)
    print(f"\nGrowth exponent k (time ~ children^k) between sizes {CHILDREN}:")
    print(f"  ours:          {growth(rows, 'ours')}")
    print(f"  tool's reader: {growth(rows, 'tool')}")
    print("Targets: 25,000 children in 60 s or less, k close to 1.")


if __name__ == "__main__":
    main()
