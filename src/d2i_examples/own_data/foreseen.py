"""What an example will leave out of its report, told by check before the example runs.

Each entry runs the library function that decides, in the example's notebook, what is
left out (a stage with too few events), on the frames check has already read and with
the parameters the example will run with: the rule has one home, the indicator's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from d2i_examples.own_data.check import ReturnReport


def _drift(returns: Mapping[str, ReturnReport], values: Mapping[str, Any]) -> list[str]:
    """The stages drift leaves out of its charts for the census year (drift.left_out)."""
    from d2i_examples.indicators.drift import census_year, drift_summary, drift_table, left_out

    census = returns.get("cin_census")
    if census is None or census.frames is None or census.year is None:
        return []
    looked_after = returns.get("ssda903")
    episodes = (looked_after.frames or {}).get("episodes") if looked_after else None
    # the notebook declares both parameters, so its own defaults are in values
    drift = drift_table(census.frames, episodes, first_only=values["first_only"],
                        collection_year=census.year)
    note = left_out(drift_summary(drift), values["min_stages"], census_year(census.year))
    return [note] if note else []


def _ehc_plans_timeliness(returns: Mapping[str, ReturnReport],
                          values: Mapping[str, Any]) -> list[str]:
    """The primary needs ehc-plans-timeliness leaves out of its comparison
    (ehcp.groups_left_out), for the activity year of the SEN2 census read."""
    from d2i_examples.indicators import ehcp
    from d2i_examples.spec.sen2 import activity_year

    sen2 = returns.get("sen2")
    if sen2 is None or sen2.frames is None or sen2.year is None:
        return []
    by_need = ehcp.timeliness(ehcp.requests_table(sen2.frames), by="primary_need")
    note = ehcp.groups_left_out(by_need[by_need["year"] == activity_year(sen2.year)],
                                "primary_need", "Primary need", values["min_plans"])
    return [note] if note else []


def _disproportionality(returns: Mapping[str, ReturnReport],
                        values: Mapping[str, Any]) -> list[str]:
    """The counts disproportionality hides (disproportionality.hidden_note), computed as the
    notebook computes its table; its DataErrors (a comparison group the population file
    lacks) are check's problems."""
    from d2i_examples.datasets import load_population
    from d2i_examples.indicators import disproportionality as dp

    annex_a = returns.get("annex_a")
    if annex_a is None or annex_a.frames is None:
        return []
    level, comparison = values["grouping"], values["comparison"]
    population = dp.population_by_group(
        load_population(values["data_dir"], values["population_file"]), level=level)
    counts = dp.stage_children(annex_a.frames, values["reference_date"], values["months"],
                               level=level, count=values["count"])
    table = dp.disproportionality(counts, population, comparison=comparison,
                                  confidence=values["confidence"],
                                  threshold=values["threshold"])
    note = dp.hidden_note(table, comparison, values["threshold"])
    return [note] if note else []


#: example (notebook name) -> what it will leave out, from its own library function
FORESEEN: dict[str, Callable[[Mapping[str, ReturnReport], Mapping[str, Any]], list[str]]] = {
    "disproportionality": _disproportionality,
    "drift": _drift,
    "ehc-plans-timeliness": _ehc_plans_timeliness,
}


def foreseen(example: str, returns: Sequence[ReturnReport],
             values: Mapping[str, Any]) -> list[str]:
    """Lines for check's report: what ``example`` will leave out of its report, and why,
    run with parameter ``values``; none when it leaves nothing out (or is not listed).
    DataError: what the example itself would stop on."""
    rule = FORESEEN.get(example)
    if rule is None:
        return []
    notes = rule({r.return_name: r for r in returns}, values)
    return [f"What {example} will leave out: {note}" for note in notes]
