"""The synthetic sample council's SSD, built once and kept in build/; or a reader's own.

The worked examples read the SSD of the same simulation as ``sample_data/`` (Synthshire,
seed and year of :mod:`d2i_examples.synth.samples`), so what the SQL rebuilds can be
compared child by child with the returns written there. Simulating and writing it takes
about 20 seconds, so :func:`sample_ssd` keeps the DuckDB file in ``build/sample-ssd/``
(and the simulation, for another extract date), named by the extract date and a digest of the code that makes it (``synth/``, ``ssd/``)
and DuckDB's version: a later notebook, or a later run, opens it instead. A reader's own
SSD (:func:`open_ssd` with a path) is opened read-only and never copied anywhere.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import lru_cache
from pathlib import Path

import pandas as pd

from d2i_examples import paths
from d2i_examples.ssd import returns

CACHE = paths.BUILD / "sample-ssd"


@lru_cache(maxsize=1)
def _journeys():
    """The sample's simulation: kept in build/ too, as another extract date needs it."""
    from d2i_examples.synth import DEFAULT_PROFILE, simulate
    from d2i_examples.synth.samples import SAMPLE_SEED, SAMPLE_YEAR

    kept = CACHE / f"journeys-{_code()}.pkl"
    try:
        return pickle.loads(kept.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    journeys = simulate(DEFAULT_PROFILE, seed=SAMPLE_SEED, start_year=SAMPLE_YEAR - 1,
                        end_year=SAMPLE_YEAR)
    _replace(kept, lambda tmp: tmp.write_bytes(pickle.dumps(journeys, pickle.HIGHEST_PROTOCOL)))
    return journeys


def _replace(target: Path, write) -> None:
    """``write(tmp)`` then move it to ``target``: whole or not at all, even with
    notebooks running in parallel."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    write(tmp)
    os.replace(tmp, target)


@lru_cache(maxsize=1)
def _code() -> str:
    import duckdb

    digest = hashlib.sha256(duckdb.__version__.encode())
    root = Path(__file__).resolve().parents[1]
    for folder in ("synth", "ssd"):
        for file in sorted((root / folder).rglob("*")):
            if file.suffix in (".py", ".sql", ".json"):
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def sample_ssd(extract_date=None) -> Path:
    """The DuckDB file of the sample council's SSD as extracted on ``extract_date``
    (default: 31 March of the sample's year), built the first time it is asked for."""
    from d2i_examples.ssd.build import write_ssd
    from d2i_examples.synth.samples import SAMPLE_YEAR

    on = pd.Timestamp(extract_date or f"{SAMPLE_YEAR}-03-31").normalize()
    kept = CACHE / f"ssd-{on.date()}-{_code()}.duckdb"
    if kept.is_file():
        return kept
    _replace(kept, lambda tmp: write_ssd(_journeys(), on, tmp).close())
    for stale in CACHE.glob("*"):  # made by older code: never read again
        if _code() not in stale.name and stale.suffix != ".tmp":
            stale.unlink(missing_ok=True)
    return kept


def open_ssd(ssd_database=None, extract_date=None, sample: bool = True):
    """A read-only DuckDB connection to the SSD: the reader's file ``ssd_database``, or
    (None) the sample council's as on ``extract_date``; None instead when ``sample`` is
    False (the other SSDs are the reader's own: the sample's children are not theirs)."""
    if ssd_database is None and not sample:
        return None
    return returns.connect(ssd_database if ssd_database is not None
                           else sample_ssd(extract_date))


def table_sizes(con) -> pd.DataFrame:
    """Each SSD table the examples read, with its number of rows."""
    from d2i_examples.ssd.tables import TABLES

    counts = [con.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0] for name in TABLES]
    return pd.DataFrame({"table": list(TABLES), "rows": counts})
