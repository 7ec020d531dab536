"""The committed sample data: how sample_data/ is made, in one place.

`make sample` (or `d2i-examples synth --sample`) rewrites sample_data/ from
these settings; a test regenerates it and checks the files are byte-identical.
"""

from __future__ import annotations

from pathlib import Path

from d2i_examples import paths
from d2i_examples.datasets.samples import SAMPLE_SETS

SAMPLE_SEED = 1
SAMPLE_YEAR = 2026
#: sample set -> write_dataset options
SAMPLE_OPTIONS: dict[str, dict] = {
    "clean": {"errors": False},
    "with_errors": {"errors": True},
}
assert set(SAMPLE_OPTIONS) == set(SAMPLE_SETS)


def write_samples(root: Path = paths.SAMPLE_DATA, progress=None) -> dict[str, dict]:
    """Write every sample set under ``root`` (default: the repository's sample_data/)."""
    from d2i_examples.synth import write_dataset

    return {
        name: write_dataset(
            root / name, seed=SAMPLE_SEED, collection_year=SAMPLE_YEAR, progress=progress,
            **options,
        )
        for name, options in SAMPLE_OPTIONS.items()
    }
