"""The synthetic sample, read once: its frames kept in build/, keyed by the files' content.

Several worked examples read the same sample files, and some take seconds to parse (the
Annex A workbook above all). The first read of a sample return pickles its frames into
``build/sample-cache/``; a later read of the same bytes, by the same reading code and
pandas, loads the pickle instead. A read that warns is not kept, so its warnings are
shown every time. Only files inside the project's ``sample_data/`` are ever kept: frames
made from a reader's own files are never written anywhere.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import warnings
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from d2i_examples import paths

CACHE = paths.BUILD / "sample-cache"


def read_sample(path: Path, how: tuple, read: Callable[[], dict]) -> dict:
    """``read()``, or the frames it gave before for the same sample files and ``how``.

    ``path`` is the sample file or folder read; ``how`` whatever else changes the result
    (the return, the year, options). Outside ``sample_data/`` this is just ``read()``.
    """
    path = Path(path)
    if not path.resolve().is_relative_to(paths.SAMPLE_DATA.resolve()):
        return read()
    kept = CACHE / f"{_key(path, how)}.pkl"
    try:
        return pickle.loads(kept.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        frames = read()
    for warning in said:
        warnings.warn_explicit(warning.message, warning.category, warning.filename,
                               warning.lineno)
    if not said:
        _keep(kept, frames)
    return frames


def _key(path: Path, how: tuple) -> str:
    digest = hashlib.sha256(repr((how, pd.__version__, _code())).encode())
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:32]


@lru_cache(maxsize=1)
def _code() -> str:
    """A digest of the code that reads returns (datasets/ and spec/)."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for folder in ("datasets", "spec"):
        for file in sorted((root / folder).rglob("*.py")):
            digest.update(file.read_bytes())
    return digest.hexdigest()


def _keep(target: Path, frames: dict) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
            tmp.write(pickle.dumps(frames, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp.name, target)  # whole or not at all, even with notebooks in parallel
    except OSError:
        pass  # a read-only checkout: read again next time
