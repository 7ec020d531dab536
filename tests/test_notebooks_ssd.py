"""The two SSD worked examples run on a council's own SSD (a DuckDB file made from another
synthetic council), as a reader would run them; expected figures come from the library."""

from __future__ import annotations

import dataclasses

import nbformat
import pytest

from d2i_examples import paths
from d2i_examples.runner import format_failures, run_notebooks
from d2i_examples.ssd import payload, returns
from d2i_examples.ssd.build import write_ssd
from d2i_examples.synth import DEFAULT_PROFILE, simulate, write_dataset

pytestmark = pytest.mark.slow

COUNCIL = dataclasses.replace(DEFAULT_PROFILE, name="Northfield (synthetic)", la_code="383",
                              population_0_17=4000, history_years=3)
YEAR, SEED = 2026, 5


def execute(name: str, params: dict, tmp_path) -> str:
    outcomes = run_notebooks([paths.NOTEBOOKS / f"{name}.ipynb"], tmp_path / "out", params,
                             progress=None, inputs_root=tmp_path, workers=1, timeout=300)
    assert outcomes[0].status == "ok", format_failures(outcomes)
    nb = nbformat.read(outcomes[0].output, as_version=4)
    return "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "")
                   for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


@pytest.fixture(scope="module")
def council(tmp_path_factory):
    """The council's two SSD extracts, a month apart, and its returns as submitted."""
    root = tmp_path_factory.mktemp("council")
    journeys = simulate(COUNCIL, seed=SEED, start_year=YEAR - 1, end_year=YEAR)
    for day in ("2026-02-28", "2026-03-31"):
        write_ssd(journeys, day, root / f"ssd-{day}.duckdb").close()
    write_dataset(root / "returns", profile=COUNCIL, seed=SEED, collection_year=YEAR)
    return root


def test_returns_from_the_councils_ssd_agree_with_its_returns(council, tmp_path):
    text = execute("ssd-returns", {"ssd_database": str(council / "ssd-2026-03-31.duckdb"),
                                   "returns_dir": str(council / "returns")}, tmp_path)
    con = returns.connect(council / "ssd-2026-03-31.duckdb")
    episodes = len(returns.cin_census(con, YEAR)["episodes"])
    con.close()
    assert f"'episodes': {episodes}" in text
    assert "Parts that agree row for row: 15 of 17" in text


def test_without_the_councils_returns_the_comparison_is_skipped(council, tmp_path):
    text = execute("ssd-returns", {"ssd_database": str(council / "ssd-2026-03-31.duckdb")},
                   tmp_path)
    assert "Skipped: give returns_dir" in text and "Parts that agree" not in text


def test_payloads_from_the_councils_two_extracts(council, tmp_path):
    params = {"ssd_database": str(council / "ssd-2026-03-31.duckdb"),
              "previous_database": str(council / "ssd-2026-02-28.duckdb"), "la_code": 383}
    text = execute("api-payload", params, tmp_path)
    built = {}
    for day in ("2026-02-28", "2026-03-31"):
        con = returns.connect(council / f"ssd-{day}.duckdb")
        built[day] = payload.payloads(con, 383, day)
        con.close()
    now = built["2026-03-31"]
    changes = payload.partial(built["2026-02-28"], now)
    gone = sum(p["Children"].get("purge") is True for p in changes.values())
    assert f"{len(now):,} children's payloads" in text
    assert f"Problems in {len(now):,} payloads: 0" in text
    assert f"Purge stubs: {gone}." in text and '"la_code": 383' in text
    assert "Planted: 2; found: 2" in text


def test_an_own_extract_without_the_previous_one_skips_the_partial_payload(council, tmp_path):
    text = execute("api-payload", {"ssd_database": str(council / "ssd-2026-03-31.duckdb"),
                                   "la_code": 383}, tmp_path)
    assert "Skipped: give previous_database" in text and "Purge stubs: 0." in text
