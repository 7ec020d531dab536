"""The disproportionality, placement distance and data sharing notebooks, run by the
runner on the synthetic sample with non-default parameters; expected figures come from
the library on the same data."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

from d2i_examples import paths
from d2i_examples.datasets import load, load_population
from d2i_examples.indicators import disproportionality as dp
from d2i_examples.indicators import placements as pl
from d2i_examples.indicators import sharing
from d2i_examples.indicators.periods import age_in_years
from d2i_examples.runner import format_failures, run_notebooks

# every test here executes worked examples end to end
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def annex_a():
    return load("annex_a", None)


@pytest.fixture(scope="module")
def ssda903():
    return load("ssda903", None, year=2026)


def execute(name: str, params: dict, tmp_path) -> nbformat.NotebookNode:
    outcomes = run_notebooks([paths.NOTEBOOKS / f"{name}.ipynb"], tmp_path / "out", params,
                             progress=None, inputs_root=tmp_path, workers=1, timeout=300)
    assert outcomes[0].status == "ok", format_failures(outcomes)
    return nbformat.read(outcomes[0].output, as_version=4)


def cell_text(nb: nbformat.NotebookNode, marker: str) -> str:
    """The output text of the one code cell whose source contains `marker`."""
    [cell] = [c for c in nb.cells if c.cell_type == "code" and marker in c.source]
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def all_text(nb: nbformat.NotebookNode) -> str:
    """The output text of every code cell."""
    return "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "")
                   for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def has_chart(nb: nbformat.NotebookNode) -> bool:
    return any("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
               for o in c.get("outputs", []))


# --- disproportionality --------------------------------------------------------------


@pytest.fixture(scope="module")
def disproportionality_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("disproportionality")
    # Twice as many White British children as the sample says: every ratio changes.
    population = load_population()
    population.loc[population["ethnicity"] == "WBRI", "population"] *= 2
    population_file = tmp / "my-population.csv"
    population.to_csv(population_file, index=False)
    params = {"threshold": 10, "confidence": 0.9, "population_file": str(population_file)}
    return execute("disproportionality", params, tmp), population, params


def test_disproportionality_uses_the_given_population(disproportionality_run):
    nb, population, _ = disproportionality_run
    total = int(dp.population_by_group(population)["population"].sum())
    assert f"Child population: {total:,} children aged 0 to 17" in all_text(nb)


def test_disproportionality_threshold_and_confidence_reach_the_tables(
        disproportionality_run, annex_a):
    nb, population, _ = disproportionality_run
    lists = annex_a
    detailed = dp.disproportionality(
        dp.stage_children(lists, "31/03/2026", 12, level="detailed"),
        dp.population_by_group(population, level="detailed"), confidence=0.9, threshold=10)
    hidden = int(detailed["suppressed"].sum())
    assert 0 < hidden < len(detailed)
    assert (f"{hidden} of {len(detailed)} cells have fewer than 10 children"
            in cell_text(nb, 'level="detailed"'))
    # The main table: the ratio interval of each group at 90%, with the doubled population.
    table = dp.disproportionality(dp.stage_children(lists, "31/03/2026", 12),
                                  dp.population_by_group(population),
                                  confidence=0.9, threshold=10)
    shown = cell_text(nb, "dp.readable_table(table, comparison)")
    row = table[(table["stage"] == "Referral") & (table["ethnic_group"] == "Mixed")].iloc[0]
    assert f"{row['ratio_lower']:.2f} to {row['ratio_upper']:.2f}" in shown
    above = table[(table["ratio_lower"] > 1) & (table["stage"] == "Looked after")]
    named = ", ".join(above["ethnic_group"]) or "none"
    assert f"Looked after: clearly above White British: {named};" in cell_text(
        nb, "clearly below")
    assert has_chart(nb)


# --- placement distance --------------------------------------------------------------


@pytest.fixture(scope="module")
def placement_run(tmp_path_factory):
    params = {"far_miles": 30, "band_edges_km": [2, 10, 50], "la_code": "E06000014",
              "show_rows": 3}
    return execute("placement-distance", params, tmp_path_factory.mktemp("placements"))


def test_placement_distance_lists_children_beyond_the_chosen_distance(placement_run, ssda903):
    episodes = ssda903["episodes"]
    current = pl.current_placements(episodes, "31/03/2026")
    placed = pl.placement_distances(current, "E06000014")
    far = placed[placed["distance_km"] > 30 * pl.KM_PER_MILE].sort_values(
        "distance_km", ascending=False)
    text = cell_text(placement_run, "far_list = ")
    assert f"{len(far)} children placed more than 30 miles from home" in text
    listed = [word for word in text.split() if word.startswith("SYN")]
    assert listed == far["CHILD"].head(3).tolist()


def test_placement_distance_uses_the_given_council_and_dfe_miles(placement_run, ssda903):
    assert "Council: York, E06000014\n" in cell_text(placement_run, "council = ")
    episodes = ssda903["episodes"]
    placed = pl.placement_distances(pl.current_placements(episodes, "31/03/2026"), "E06000014")
    over = int((placed["distance_km"] > 20 * pl.KM_PER_MILE).sum())
    dfe = cell_text(placement_run, "dfe_distance_group")
    assert "20 miles = 32.2 km" in dfe
    assert any(line.split()[:4] == ["Over", "20", "miles", str(over)]
               for line in dfe.splitlines())
    assert has_chart(placement_run)


# --- preparing data to share -----------------------------------------------------------


@pytest.fixture(scope="module")
def sharing_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sharing")
    salt = "test-only-salt-9f8e7d6c5b4a3210"
    salt_file = tmp / "salt.txt"
    salt_file.write_text(salt + "\n", encoding="utf-8")
    params = {"salt_file": str(salt_file), "threshold": 3, "secondary": "rows"}
    return execute("preparing-data-to-share", params, tmp), salt


def test_sharing_pseudonymises_with_the_salt_from_the_file(sharing_run, ssda903):
    nb, salt = sharing_run
    text = all_text(nb)
    header = ssda903["header"]
    first = header["CHILD"].iloc[0]
    ours = sharing.pseudonymise(pd.Series([first]), salt).iloc[0]
    example = sharing.pseudonymise(pd.Series([first]), sharing.EXAMPLE_SALT).iloc[0]
    assert ours in cell_text(nb, "shared_header = sharing.prepare_for_sharing")
    assert example not in text
    assert "Using your own salt (not shown)." in text
    assert salt not in nbformat.writes(nb)  # the salt is in no cell, input or output
    assert first not in cell_text(nb, "shared_header = sharing.prepare_for_sharing")
    assert "header: nothing left\nepisodes: nothing left" in cell_text(nb, "checks = {")


def test_sharing_suppression_follows_the_parameters(sharing_run, ssda903):
    nb, _ = sharing_run
    tables = ssda903
    header, episodes = tables["header"], tables["episodes"]
    current = pl.current_placements(episodes, "31/03/2026").merge(
        header[["CHILD", "DOB"]], on="CHILD", how="left")
    age = age_in_years(current["DOB"], "31/03/2026").astype(float)
    counts = pd.crosstab(pl.placement_group(current["PLACE"]),
                         pd.cut(age, [0, 1, 5, 10, 16, 100], right=False))
    safe = sharing.suppress_counts(counts, threshold=3, secondary="rows", keep_zeros=True,
                                   marker="c")
    primary = int(((counts < 3) & (counts > 0)).to_numpy().sum())  # true zeros stay shown
    hidden = int((safe == "c").to_numpy().sum())
    assert primary > 0
    assert (f"{primary} cells below 3 hidden, and {hidden - primary} more to protect them: "
            f"{hidden} of {counts.size} cells hidden") in cell_text(nb, "suppress_counts")


def test_placement_distance_shows_moves_counted_both_ways(placement_run, ssda903):
    moves = pl.placement_moves(ssda903["episodes"], "31/03/2026")
    both = pl.three_or_more_placements(moves).set_index("count")
    text = cell_text(placement_run, "changes_in_window")
    for count in ("moves (DfE's rules)", "every episode change"):
        row = both.loc[count]
        assert (f"{count}: {int(row['with_3_or_more'])} of {int(row['children'])} children "
                f"looked after "
                f"on 31/03/2026 ({row['percent']:.1f}%)") in text
    # the sample holds changes that are not moves, so the two counts differ
    assert both.loc["every episode change", "with_3_or_more"] > both.loc[
        "moves (DfE's rules)", "with_3_or_more"]
    assert "into a temporary placement" in text and "same carer" in text


def test_placement_distance_shows_the_short_breaks_left_out(placement_run, ssda903):
    """The sample's short-break children (LS V3, V4) are named on the page, and none is in
    the 31 March count or the moves table."""
    episodes = ssda903["episodes"]
    table = pl.short_breaks_left_out(episodes, "31/03/2026")
    only = table.loc["of them only under short breaks", "every episode"]
    stays = table.loc["their short-break episodes in the year", "every episode"]
    assert only > 0 and stays > only
    text = cell_text(placement_run, "short_breaks_left_out")
    assert (f"{only} children were looked after in the year only under short breaks, in "
            f"{stays} short-break episodes") in text
    short = set(episodes.loc[episodes["LS"].isin(["V3", "V4"]), "CHILD"])
    assert not short & set(pl.current_placements(episodes, "31/03/2026")["CHILD"])
    assert not short & set(pl.placement_moves(episodes, "31/03/2026")["child"])
