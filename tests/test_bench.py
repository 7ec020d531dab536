"""The benchmarks in bench/ stay runnable: each imports, and `python -m bench NAME` runs
only the benchmark named (their measurements are reported, never asserted)."""

from __future__ import annotations

import importlib

import pytest

from d2i_examples import paths

BENCHES = sorted(p.stem for p in (paths.ROOT / "bench").glob("bench_*.py"))


@pytest.mark.parametrize("name", BENCHES)
def test_each_benchmark_imports(name):
    module = importlib.import_module(f"bench.{name}")
    assert callable(getattr(module, "main", None)) or module.__doc__


def test_a_name_picks_that_benchmark_only():
    from bench.__main__ import chosen

    assert [p.stem for p in chosen(["ssd"])] == ["bench_ssd"]  # not bench_ssda903
    assert [p.stem for p in chosen([])] == BENCHES
