"""SSDA903 validation end to end: our ``validate_ssda903`` against the validator's own.

Synthetic councils of about 500, 2,500 and 10,000 children looked after (the simulation
of `d2i-examples synth --children N --errors`, which sets the child population aged 0-17:
the return holds the children looked after among them), this year's and last year's
return written as CSV files, with the catalogue's mistakes planted in this year's so
issues are many. On the same files, side by side in one run, each in a fresh process
(imports and the year's ruleset loaded before the clock starts):

- ours: ``validate_ssda903(this_year, previous_year, collection_year)`` on the folders,
  the project's whole path (reading and checking the files, the validator, its report,
  the tidy issues with line numbers, the summary);
- the validator's own: the files' bytes read, ``LacValidator`` run and its ``Report``
  built, down to ``report.child_report`` (its list of issues by child and row).

Reported: seconds, the ratio ours / the validator's own at each size, how each grows
(time ~ children^k, k between sizes, and the log-log slope over all sizes), and whether
the (rule, table, child, row) issues match at the smallest size.

The machine may be shared, so each side runs BENCH_903_REPEAT times (2 by default),
alternately, and the fastest run counts. BENCH_903_FILES names a folder that keeps the
councils' files for the next run (made afresh in a temporary folder by default).

    python -m bench ssda903
    BENCH_903_CHILDREN=500,2500 BENCH_903_REPEAT=1 python -m bench ssda903
"""

from __future__ import annotations

import itertools
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from d2i_examples.synth import DEFAULT_PROFILE, simulate, ssda903_tables
from d2i_examples.synth.mistakes import inject_errors
from d2i_examples.synth.ssda903 import write_ssda903_tables

YEAR = 2026
CHILDREN = [int(n) for n in os.environ.get("BENCH_903_CHILDREN", "500,2500,10000").split(",")]
# children looked after in the year's return per child aged 0-17 (refined as we go)
SHARE = 2356 / 190_000
REPEAT = int(os.environ.get("BENCH_903_REPEAT", "2"))
KEPT = os.environ.get("BENCH_903_FILES")
TARGET = 1.25

OURS = """
import json, sys, time
from d2i_examples.tools import validate_ssda903
from d2i_examples.tools.ssda903_validator import ruleset_registry, _tool
_tool(), ruleset_registry({year})  # imported and loaded, so not timed
start = time.perf_counter()
result = validate_ssda903(sys.argv[1], sys.argv[2], collection_year={year})
seconds = time.perf_counter() - start
issues = result.issues
keys = sorted({{(r, y + "|" + t, c, int(w)) for r, y, t, c, w in zip(
    issues["rule"], issues["year"], issues["table"], issues["CHILD"], issues["row"])}})
json.dump({{"seconds": seconds, "issues": keys}}, open(sys.argv[3], "w"))
"""

TOOL = """
import json, sys, time
from pathlib import Path
from d2i_examples.tools.ssda903_validator import OUR_NAMES, _tool
tool = _tool()
registry = tool["rules.ruleset_utils"].get_year_ruleset("{year}")  # loaded, so not timed
start = time.perf_counter()
files = [{{"name": p.name, "description": description, "file_content": p.read_bytes()}}
         for folder, description in ((sys.argv[1], "This year"), (sys.argv[2], "Prev year"))
         for p in sorted(Path(folder).glob("*.csv"))]
metadata = {{"collectionYear": "{year}", "localAuthority": ""}}
validator = tool["lac_validator"].LacValidator(metadata, files, registry, None)
report = tool["report"].Report(validator.ds_results, registry)
child_report = report.child_report
seconds = time.perf_counter() - start
def table(name):
    last = name.endswith("_last")
    base = name.removesuffix("_last")
    return ("previous" if last else "this") + "|" + OUR_NAMES.get(base, base)
keys = sorted({{(code, table(t), c, int(w)) for code, t, c, w in zip(
    child_report["Code"], child_report["Table"], child_report["CHILD"], child_report["RowID"])}})
json.dump({{"seconds": seconds, "issues": keys}}, open(sys.argv[3], "w"))
"""


def make_council(children: int, folder: Path) -> tuple[Path, Path, int]:
    """This year's and last year's SSDA903 folders of a council with about ``children``
    children looked after in the year (mistakes planted in this year's); and how many.
    A council already in ``folder`` (kept by BENCH_903_FILES) is used as it is."""
    this_dir, last_dir = folder / str(YEAR), folder / str(YEAR - 1)
    header = this_dir / f"ssda903_{YEAR}_header.csv"
    if header.is_file() and (last_dir / f"ssda903_{YEAR - 1}_header.csv").is_file():
        with header.open("rb") as lines:
            return this_dir, last_dir, sum(1 for line in lines if line.strip()) - 1
    population = round(children / SHARE)
    journeys = simulate(
        DEFAULT_PROFILE.scaled(population), seed=1, start_year=YEAR - 1, end_year=YEAR
    )
    last = ssda903_tables(journeys, YEAR - 1)
    this = inject_errors(
        ssda903_tables(journeys, YEAR), None, previous_ssda903=last, seed=1, collection_year=YEAR
    ).ssda903
    write_ssda903_tables(this, YEAR, this_dir)
    write_ssda903_tables(last, YEAR - 1, last_dir)
    return this_dir, last_dir, len(this["header"])


def run(code: str, this_dir: Path, last_dir: Path, out: Path) -> dict:
    """Run ``code`` in a fresh process on the two folders; its seconds and issue keys."""
    done = subprocess.run(
        [sys.executable, "-c", code.format(year=YEAR), str(this_dir), str(last_dir), str(out)],
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode:  # the validator is chatty: show what it said only on a failure
        sys.exit(f"the timed run failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    found = json.loads(out.read_text())
    found["issues"] = {tuple(key) for key in found["issues"]}
    return found


def growth(rows: list[dict], key: str) -> str:
    steps = [
        f"{math.log(b[key] / a[key]) / math.log(b['children'] / a['children']):.2f}"
        for a, b in itertools.pairwise(rows)
    ]
    return ", ".join(steps)


def slope(rows: list[dict], key: str) -> float:
    """The least-squares slope of log(seconds) on log(children)."""
    xs = [math.log(r["children"]) for r in rows]
    ys = [math.log(r[key]) for r in rows]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def main() -> None:
    global SHARE
    rows, matched = [], None
    with tempfile.TemporaryDirectory() as tmp:
        for n, wanted in enumerate(CHILDREN):
            start = time.perf_counter()
            folder = Path(KEPT or tmp) / str(wanted)
            this_dir, last_dir, children = make_council(wanted, folder)
            SHARE = SHARE * children / wanted if children else SHARE
            made = time.perf_counter() - start
            print(
                f"council of {children} children looked after (files made in {made:.0f} s)",
                flush=True,
            )
            runs = [
                (
                    run(OURS, this_dir, last_dir, Path(tmp) / "ours.json"),
                    run(TOOL, this_dir, last_dir, Path(tmp) / "tool.json"),
                )
                for _ in range(max(REPEAT, 1))
            ]
            ours = min((o for o, _ in runs), key=lambda found: found["seconds"])
            tool = min((t for _, t in runs), key=lambda found: found["seconds"])
            if REPEAT > 1:
                print(
                    "  runs: ours "
                    + ", ".join(f"{o['seconds']:.1f}" for o, _ in runs)
                    + " s; the validator's own "
                    + ", ".join(f"{t['seconds']:.1f}" for _, t in runs)
                    + " s (the fastest of each counts)",
                    flush=True,
                )
            ratio = ours["seconds"] / tool["seconds"]
            rows.append(
                {
                    "children": children,
                    "ours": ours["seconds"],
                    "tool": tool["seconds"],
                    "ratio": ratio,
                }
            )
            print(
                f"  ours {ours['seconds']:.1f} s, the validator's own {tool['seconds']:.1f} s, "
                f"ratio {ratio:.2f}x; {len(tool['issues'])} (rule, table, child, row) issues",
                flush=True,
            )
            if n == 0:
                matched = ours["issues"] == tool["issues"]
                print(
                    f"  same (rule, table, child, row) issues as the validator's own report: "
                    f"{'yes' if matched else 'NO'}",
                    flush=True,
                )
                if not matched:
                    print(f"    only ours: {sorted(ours['issues'] - tool['issues'])[:10]}")
                    print(
                        f"    only the validator's: {sorted(tool['issues'] - ours['issues'])[:10]}"
                    )
    sizes = [r["children"] for r in rows]
    print(
        f"\nRatio ours / the validator's own at {sizes} children looked after: "
        + ", ".join(f"{r['ratio']:.2f}" for r in rows)
    )
    if len(rows) > 1:
        print(f"Growth exponent k (time ~ children^k) between sizes {sizes}:")
        print(
            f"  ours:              {growth(rows, 'ours')} (log-log slope {slope(rows, 'ours'):.2f})"
        )
        print(
            f"  the validator's:   {growth(rows, 'tool')} (log-log slope {slope(rows, 'tool'):.2f})"
        )
    print(f"Issues match at the smallest size: {'yes' if matched else 'NO'}")
    print(
        f"Target: ratio {TARGET} or less at every size: "
        f"{'met' if all(r['ratio'] <= TARGET for r in rows) else 'NOT met'}."
    )


if __name__ == "__main__":
    main()
