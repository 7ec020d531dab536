"""Scale of the synthetic data generator: a county of 250,000 children over ten years.

For each population size, a fresh process simulates ten collection years
(2016/17 to 2025/26) and writes all three returns for the last year (SSDA903 for
the last two years, CIN census, Annex A) into a temporary folder. Reported: wall
time per step, peak memory, and the cost per simulated child-year, whose ratio to
the smallest run shows whether cost grows linearly.

    python -m bench synth            (BENCH_SYNTH_SIZES=25000,50000,100000,250000)
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import tempfile
import time
from pathlib import Path

import pandas as pd

SIZES = [int(n) for n in os.environ.get("BENCH_SYNTH_SIZES", "25000,50000,100000,250000").split(",")]
FIRST_YEAR, LAST_YEAR = 2017, 2026
SEED = 7


def _one_size(population: int) -> dict:
    from d2i_examples.synth import DEFAULT_PROFILE, simulate, write_ssda903
    from d2i_examples.synth.annex_a import write_annex_a
    from d2i_examples.synth.cin_census import write_cin_census

    times = {}
    start = time.perf_counter()
    journeys = simulate(DEFAULT_PROFILE.scaled(population), SEED, FIRST_YEAR, LAST_YEAR)
    times["simulate"] = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        steps = {
            "ssda903": lambda: [write_ssda903(journeys, y, tmp / "903" / str(y))
                                for y in (LAST_YEAR - 1, LAST_YEAR)],
            "cin_census": lambda: write_cin_census(journeys, LAST_YEAR, tmp / "cin"),
            "annex_a": lambda: write_annex_a(journeys, pd.Timestamp(f"{LAST_YEAR}-03-31"),
                                             tmp / "annex_a"),
        }
        for name, step in steps.items():
            start = time.perf_counter()
            step()
            times[name] = time.perf_counter() - start
    times["children"] = len(journeys.children)
    times["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return times


def main() -> None:
    context = multiprocessing.get_context("spawn")
    rows = []
    for population in SIZES:
        with context.Pool(1) as pool:  # a fresh process, so peak memory is this size's own
            result = pool.apply(_one_size, (population,))
        total = sum(result[k] for k in ("simulate", "ssda903", "cin_census", "annex_a"))
        child_years = population * (LAST_YEAR - FIRST_YEAR + 1)
        rows.append({"population 0-17": population, **result, "total_s": total,
                     "us_per_child_year": 1e6 * total / child_years})
        print(f"  {population:>9,} children: {total:6.1f} s, peak {result['peak_mb']:,.0f} MB",
              flush=True)
    table = pd.DataFrame(rows)
    base = table["us_per_child_year"].iloc[0]
    table["cost_ratio_to_smallest"] = table["us_per_child_year"] / base
    columns = ["population 0-17", "children", "simulate", "ssda903", "cin_census", "annex_a",
               "total_s", "peak_mb", "us_per_child_year", "cost_ratio_to_smallest"]
    print(f"\nTen collection years ({FIRST_YEAR - 1}/{str(FIRST_YEAR)[2:]} to "
          f"{LAST_YEAR - 1}/{str(LAST_YEAR)[2:]}), seed {SEED}; seconds per step")
    print(table[columns].round(2).to_string(index=False))


if __name__ == "__main__":
    main()
