"""The Standard Safeguarding Dataset in DuckDB: build, query, and the DfE API payloads.

For councils of a given child population aged 0-17 (the sample's, and one whose payload
cohort is about 10,000 children), simulated once (not timed), then timed:

- build: the SSD tables written into a DuckDB file (``write_ssd``);
- query: the CIN census and Annex A lists 1-10 rebuilt with the SQL in ``ssd/sql``;
- payloads: each cohort child's payload built from the SSD, then validated against the
  project's JSON Schema (and checked for dates out of order).

    python -m bench ssd
    BENCH_SSD_POPULATION=36000 python -m bench ssd
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
import time
from pathlib import Path

from d2i_examples.ssd import payload, returns
from d2i_examples.ssd.build import write_ssd
from d2i_examples.synth import DEFAULT_PROFILE, simulate

YEAR = 2026
POPULATIONS = [int(n) for n in os.environ.get("BENCH_SSD_POPULATION", "36000,125000").split(",")]


def timed(what, *args):
    start = time.perf_counter()
    out = what(*args)
    return out, time.perf_counter() - start


def main() -> None:
    print(f"{'population':>10} {'persons':>8} {'cohort':>7} {'build s':>8} {'query s':>8} "
          f"{'payload s':>9} {'validate s':>10} {'problems':>8}")
    for population in POPULATIONS:
        profile = dataclasses.replace(DEFAULT_PROFILE, population_0_17=population)
        journeys = simulate(profile, seed=11, start_year=YEAR - 1, end_year=YEAR)
        end = f"{YEAR}-03-31"
        with tempfile.TemporaryDirectory() as tmp:
            con, build = timed(write_ssd, journeys, end, Path(tmp) / "ssd.duckdb")
            persons = con.execute("SELECT COUNT(*) FROM ssd_person").fetchone()[0]
            start = time.perf_counter()
            returns.cin_census(con, YEAR)
            returns.annex_a(con, end)
            query = time.perf_counter() - start
            built, make = timed(payload.payloads, con, profile.la_code, end)
            con.close()
        start = time.perf_counter()
        problems = payload.validate(built) + payload.quality(built)
        check = time.perf_counter() - start
        print(f"{population:>10} {persons:>8} {len(built):>7} {build:>8.1f} {query:>8.1f} "
              f"{make:>9.1f} {check:>10.1f} {len(problems):>8}", flush=True)


if __name__ == "__main__":
    main()
