"""Write one synthetic authority's whole dataset: every return from one simulation.

Layout (the folders are :data:`d2i_examples.datasets.samples.SAMPLE_LAYOUT`'s, the
population file name :data:`d2i_examples.datasets.population.POPULATION_FILE`)::

    <folder>/ssda903/<year>/ssda903_<year>_<table>.csv   SSDA903, collection_year and the
                                                         years_of_903 - 1 years before it
    <folder>/cin_census/cin_census_<year>.xml            CIN census, collection_year
    <folder>/annex_a/annex_a_<year>-03-31.xlsx           Annex A, the 12 months to 31 March
    <folder>/sen2/sen2_<year>.xml                        SEN2, census in January <year>
    <folder>/population.csv                              children aged 0-17 by ethnicity
    <folder>/planted_errors.csv                          with errors=True: what was planted
    <folder>/planted_errors_sen2.csv                     with errors=True: the SEN2's mistakes

``population.csv`` has two columns: ``ethnicity`` (the DfE code used by all three returns:
WBRI, WIRI, ..., OOTH) and ``population`` (the number of children aged 0-17 of that group
living in the authority), from the profile (:func:`synth.profile.population_by_ethnicity`);
it is the denominator of rates per 10,000 children such as disproportionality's.

With ``errors=True``, :func:`d2i_examples.synth.mistakes.inject_errors` plants its catalogue
of mistakes in the collection year's SSDA903 and CIN census (last year's SSDA903 and the
Annex A stay clean), and ``planted_errors.csv`` logs each one (its columns are
``synth.mistakes.LOG_COLUMNS``). The SEN2 gets mistakes of its own
(``synth.mistakes.sen2``), logged apart in ``planted_errors_sen2.csv``.

The SEN2 comes from the same simulation (``synth.send.simulate_send`` adds the children's
SEND history on a random stream of its own, so the other returns are as they were).

The same profile, seed and options give byte-identical files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from d2i_examples.datasets.population import POPULATION_FILE
from d2i_examples.datasets.samples import SAMPLE_LAYOUT
from d2i_examples.errors import DataError
from d2i_examples.synth.annex_a import write_annex_a
from d2i_examples.synth.cin_census import cin_census_file_name, cin_census_xml
from d2i_examples.synth.mistakes import SEN2_ERRORS_FILE, inject_errors, plant_sen2_errors
from d2i_examples.synth.profile import DEFAULT_PROFILE, LAProfile, population_by_ethnicity
from d2i_examples.synth.sen2 import sen2_file_name, sen2_xml
from d2i_examples.synth.send import simulate_send
from d2i_examples.synth.simulate import Journeys, simulate
from d2i_examples.synth.ssda903 import ssda903_tables, write_ssda903_tables

PLANTED_ERRORS_FILE = "planted_errors.csv"


def _csv(df: pd.DataFrame, path: Path) -> Path:
    df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path


def write_dataset(folder: str | Path, profile: LAProfile = DEFAULT_PROFILE, seed: int = 1,
                  collection_year: int = 2026, years_of_903: int = 2, errors: bool = False,
                  progress: Callable[[str], object] | None = None,
                  journeys: Journeys | None = None) -> dict[str, list[Path]]:
    """Simulate ``profile`` once (reproducibly from ``seed``) and write its returns into
    ``folder`` (created if needed) as laid out in the module docstring.

    ``collection_year`` names the year by the 31 March it ends (2026 is 2025/26);
    ``years_of_903`` SSDA903 years are written, ending with it (two by default: D2I's
    validator also reads last year's return). ``progress``, if given, is called with the
    name of each step before it starts (for a progress bar). ``journeys``, if given, is a
    simulation of ``profile`` already made (covering the years written), used instead of
    simulating again. Returns the paths written,
    by kind: ``ssda903``, ``cin_census``, ``annex_a``, ``sen2``, ``population`` (and
    ``planted_errors`` with ``errors=True``, holding both logs). Files already in the folder under other
    names are left alone, except a stale ``planted_errors.csv`` when ``errors`` is False.
    """
    if isinstance(years_of_903, bool) or not isinstance(years_of_903, int) or years_of_903 < 1:
        raise DataError("The number of SSDA903 years to write must be a whole number, 1 or more.",
                        column="years_of_903", expected="1, 2, ...",
                        found=repr(years_of_903), fix="Use years_of_903=2 (the default).")
    year = int(collection_year)
    step = progress if progress is not None else (lambda name: None)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    years = list(range(year - years_of_903 + 1, year + 1))

    step("simulating the authority's children")
    if journeys is None:
        journeys = simulate(profile, seed=seed, start_year=years[0], end_year=year)

    tables = {}
    for y in years:
        step(f"SSDA903 {y - 1}/{str(y)[2:]}")
        tables[y] = ssda903_tables(journeys, y)
    step(f"CIN census {year - 1}/{str(year)[2:]}")
    xml = cin_census_xml(journeys, year)
    step(f"SEN2 {year}")
    sen2 = sen2_xml(simulate_send(journeys), year, profile.la_code)

    written: dict[str, list[Path]] = {}
    log_path = folder / PLANTED_ERRORS_FILE
    sen2_log_path = folder / SEN2_ERRORS_FILE
    if errors:
        step("planting errors")
        planted = inject_errors(tables[year], xml, previous_ssda903=tables.get(year - 1),
                                seed=seed, collection_year=year)
        tables[year], xml = planted.ssda903, planted.cin_xml
        sen2, sen2_log = plant_sen2_errors(sen2, seed, set(journeys.children["upn"]))
        written["planted_errors"] = [_csv(planted.log, log_path),
                                     _csv(sen2_log, sen2_log_path)]
    else:
        for stale in (log_path, sen2_log_path):
            if stale.is_file():
                stale.unlink()

    step("writing the SSDA903 files")
    ssda903_dir = folder / SAMPLE_LAYOUT["ssda903"][0]
    written["ssda903"] = [path for y in years
                          for path in write_ssda903_tables(tables[y], y, ssda903_dir / str(y))]
    cin_dir = folder / SAMPLE_LAYOUT["cin_census"][0]
    cin_dir.mkdir(parents=True, exist_ok=True)
    cin_path = cin_dir / cin_census_file_name(year)
    cin_path.write_bytes(xml)
    written["cin_census"] = [cin_path]

    step("Annex A")
    written["annex_a"] = [write_annex_a(journeys, pd.Timestamp(f"{year}-03-31"),
                                        folder / SAMPLE_LAYOUT["annex_a"][0])]
    sen2_dir = folder / SAMPLE_LAYOUT["sen2"][0]
    sen2_dir.mkdir(parents=True, exist_ok=True)
    sen2_path = sen2_dir / sen2_file_name(year)
    sen2_path.write_bytes(sen2)
    written["sen2"] = [sen2_path]
    written["population"] = [_csv(population_by_ethnicity(profile), folder / POPULATION_FILE)]
    order = ["ssda903", "cin_census", "annex_a", "sen2", "population", "planted_errors"]
    return {k: written[k] for k in order if k in written}
