"""The published tables of the benchmarking example's sample: the DfE's own figures for
England and the North East, and synthetic neighbours in the same open-data format.

England's and the North East's rows are the DfE's, copied from the data-set pages of
Explore Education Statistics (each page's preview of its first rows; the data set and
release are in DFE_ROWS and in sample_data/published/README.md). A figure the
previews did not show is left out. The neighbours are councils this project simulates
(synth) with other seeds, sizes and rates; their measures are computed with
indicators.benchmarks, exactly as a council's own are, and written as Local authority
rows with names "Synthetic neighbour A", ... and codes starting "SYN", which no real
council has. ``write_published_sample`` writes one CSV per data set.
"""

from __future__ import annotations

import tempfile
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from d2i_examples.datasets import LocalDataWarning, load
from d2i_examples.datasets.published import DATA_SETS, STANDARD_COLUMNS
from d2i_examples.indicators import benchmarks as bm
from d2i_examples.synth import DEFAULT_PROFILE, write_dataset
from d2i_examples.synth.profile import population_by_ethnicity

#: The year the sample's published tables are for: the DfE's latest release shown.
YEAR = 2025
NORTH_EAST = ("E12000001", "North East")
ENGLAND = ("E92000001", "England")

#: (name, new_la_code, old_la_code, seed, children aged 0-17, profile changes)
NEIGHBOURS = (
    ("Synthetic neighbour A", "SYN0001", "S01", 11, 30_000,
     {"entering_care_per_10k": 32.0, "placement_moves_per_year": 0.55}),
    ("Synthetic neighbour B", "SYN0002", "S02", 12, 42_000,
     {"entering_care_per_10k": 22.0, "assessment_median_working_days": 30.0}),
    ("Synthetic neighbour C", "SYN0003", "S03", 13, 25_000,
     {"referrals_per_10k": 600.0, "recontact_gap_years": 2.0}),
    ("Synthetic neighbour D", "SYN0004", "S04", 14, 38_000,
     {"entering_care_per_10k": 28.0, "assessment_median_working_days": 20.0}),
    ("Synthetic neighbour E", "SYN0005", "S05", 15, 33_000,
     {"referrals_per_10k": 470.0, "placement_moves_per_year": 0.35}),
)

#: The DfE's rows, as published: {data set key: (release, rows)}. Each row: level,
#: (code, name) of the region or None, filter values, indicator values.
_CLA = "Children looked after on 31 March each year"
_START = "Children starting to be looked after each year"
_CEASE = "Children ceasing to be looked after each year"
_CPP_ENDING = "Child Protection Plans ending by length of time"
_LONG_TERM = ("Children looked after continuously for at least 2.5 years on 31 March aged "
              "under 16 years")
_SAME_CARER = "Living with the same carer for at least 2 years"
DFE_ROWS: dict[str, tuple[str, list[tuple]]] = {
    "cla_rates": ("Children looked after in England including adoptions, reporting year 2025", [
        ("National", None, {"population_type": _CEASE}, (12183016, 34450, 28)),
        ("National", None, {"population_type": _CLA}, (12183016, 81770, 67)),
        ("National", None, {"population_type": _START}, (12183016, 32270, 26)),
        ("Regional", NORTH_EAST, {"population_type": _CEASE}, (542710, 2420, 45)),
        ("Regional", NORTH_EAST, {"population_type": _CLA}, (542710, 6040, 111)),
    ]),
    "cla_stability": ("Children looked after in England including adoptions, reporting year 2025", [
        ("National", None, {"cla_group": _LONG_TERM, "placement_stability": _SAME_CARER},
         (19680, 69)),
        ("National", None, {"cla_group": _LONG_TERM, "placement_stability": "Total children"},
         (28710, 100)),
    ]),
    "cin_referrals": ("Children in need, reporting year 2025", [
        ("National", None, {"category": "Referrals and Re-referrals"}, (632830, 142900, 22.6)),
        ("Regional", NORTH_EAST, {"category": "Referrals and Re-referrals"},
         (32490, 6730, 20.7)),
    ]),
    "cin_assessments": ("Children in need, reporting year 2025", [
        ("National", None, {"category": "Duration of assessment"},
         (648830, 11680, 75590, 112180, 102260, 131380, 122730, 37640, 27860, 27500,
          17, 33, 43)),
        ("Regional", NORTH_EAST, {"category": "Duration of assessment"},
         (37420, 340, 3720, 5860, 4560, 6620, 11270, 2160, 1420, 1470, 19, 38, 44)),
    ]),
    "cin_cpp_duration": ("Children in need, reporting year 2025", [
        ("National", None, {"category": _CPP_ENDING}, (62300, 2710, 4.4)),
        ("Regional", NORTH_EAST, {"category": _CPP_ENDING}, (4880, 110, 2.2)),
    ]),
}
INDICATORS = {
    "cla_rates": ["population_estimate", "children_count", "rate_per_10000"],
    "cla_stability": ["children_count", "children_percent"],
    "cin_referrals": ["referral_count", "rereferral_count", "rereferral_percent"],
    "cin_assessments": ["Assessments_completed", "Same_day", "1-10_days", "11-20_days",
                        "21-30_days", "31-40_days", "41-45_days", "46-50_days",
                        "51-60_days", "61+_days", "25th_Percentile_days", "Median_days",
                        "75th_Percentile_days"],
    "cin_cpp_duration": ["CPP_End", "2_years_or_more", "2_years_or_more_percent"],
    "ehc_timeliness": ["plans_issued_den", "plans_issued_den_ex",
                       "plans_issued_within_20_weeks", "plans_issued_20_weeks_ex",
                       "pc_plans_issued_within_20_weeks", "pc_plans_issued_20_weeks_ex"],
}
FILTERS = {"cla_rates": ["population_type"],
           "cla_stability": ["cla_group", "placement_stability"], "cin_referrals": ["category"],
           "cin_assessments": ["category"], "cin_cpp_duration": ["category"],
           "ehc_timeliness": ["breakdown_topic", "breakdown"]}
_BINS = [-1, 0, 10, 20, 30, 40, 45, 50, 60, np.inf]


def _place(level: str, region, la=None) -> dict:
    row = dict.fromkeys(STANDARD_COLUMNS[2:], "")
    row.update(geographic_level=level, country_code=ENGLAND[0], country_name=ENGLAND[1])
    if region:
        row.update(region_code=region[0], region_name=region[1])
    if la:
        row.update(la_name=la[0], new_la_code=la[1], old_la_code=la[2])
    return row


def _time(key: str, year: int) -> dict:
    calendar = key == "ehc_timeliness"
    return {"time_period": str(year),
            "time_identifier": "Calendar year" if calendar else "Reporting year"}


def dfe_rows(key: str) -> list[dict]:
    """The DfE's own rows of one data set (see DFE_ROWS), as CSV rows."""
    if key not in DFE_ROWS:
        return []
    return [{**_time(key, YEAR), **_place(level, region), **filters,
             **dict(zip(INDICATORS[key], values))}
            for level, region, filters, values in DFE_ROWS[key][1]]


def _measured(folder: Path, year: int, population: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    end = f"{year}-03-31"
    with warnings.catch_warnings():  # synthetic files, not a reader's own data
        warnings.simplefilter("ignore", LocalDataWarning)
        ssda903 = load("ssda903", folder, year=year)
        cin = load("cin_census", folder, year=year)
        sen2 = load("sen2", folder, year=year)
    table = bm.measures(end, population, ssda903, cin, sen2)
    return table.set_index("measure"), bm.assessment_records(cin, end)


def neighbour_rows(name: str, code: str, old_code: str, seed: int, children: int,
                   changes: dict, year: int = YEAR) -> dict[str, list[dict]]:
    """Simulate one neighbour and write its measures as published rows, by data set."""
    profile = replace(DEFAULT_PROFILE.scaled(children), name=name, **changes)
    with tempfile.TemporaryDirectory() as tmp:
        write_dataset(tmp, profile=profile, seed=seed, collection_year=year, years_of_903=1)
        population = int(population_by_ethnicity(profile)["population"].sum())
        m, records = _measured(Path(tmp), year, population)
    place = _place("Local authority", NORTH_EAST, (name, code, old_code))
    cla = [{**_time("cla_rates", year), **place, "population_type": kind,
            "population_estimate": population, "children_count": int(m.loc[measure, "numerator"]),
            "rate_per_10000": round(m.loc[measure, "value"])}
           for kind, measure in ((_CEASE, bm.CLA_CEASES), (_CLA, bm.CLA_RATE),
                                 (_START, bm.CLA_STARTS))]
    stable = m.loc[bm.LONG_TERM]
    stability = [{**_time("cla_stability", year), **place, "cla_group": _LONG_TERM,
                  "placement_stability": kind, "children_count": int(count),
                  "children_percent": percent}
                 for kind, count, percent in (
                     (_SAME_CARER, stable["numerator"], _pct(stable, 0)),
                     ("Total children", stable["denominator"], 100))]
    refs = m.loc[bm.REREFERRALS]
    referrals = [{**_time("cin_referrals", year), **place, "category": "Referrals and Re-referrals",
                  "referral_count": int(refs["denominator"]),
                  "rereferral_count": int(refs["numerator"]),
                  "rereferral_percent": round(refs["value"], 1)}]
    days = records["working_days"].astype(float)
    bins = pd.cut(days, _BINS).value_counts(sort=False).tolist()
    quartiles = [round(days.quantile(q)) for q in (0.25, 0.5, 0.75)]
    assessments = [{**_time("cin_assessments", year), **place,
                    "category": "Duration of assessment",
                    **dict(zip(INDICATORS["cin_assessments"], [len(days), *bins, *quartiles]))}]
    ended = m.loc[bm.CP_TWO_YEARS]
    durations = [{**_time("cin_cpp_duration", year), **place, "category": _CPP_ENDING,
                  "CPP_End": int(ended["denominator"]),
                  "2_years_or_more": int(ended["numerator"]),
                  "2_years_or_more_percent": _pct(ended)}]
    ex, inc = m.loc[bm.EHC_EXCLUDING], m.loc[bm.EHC_INCLUDING]
    ehc = [{**_time("ehc_timeliness", year - 1), **place, "breakdown_topic": "All EHC plans",
            "breakdown": "All EHC plans", "plans_issued_den": int(inc["denominator"]),
            "plans_issued_den_ex": int(ex["denominator"]),
            "plans_issued_within_20_weeks": int(inc["numerator"]),
            "plans_issued_20_weeks_ex": int(ex["numerator"]),
            "pc_plans_issued_within_20_weeks": _pct(inc),
            "pc_plans_issued_20_weeks_ex": _pct(ex)}]
    return {"cla_rates": cla, "cla_stability": stability, "cin_referrals": referrals, "cin_assessments": assessments,
            "cin_cpp_duration": durations, "ehc_timeliness": ehc}


def _pct(row: pd.Series, digits: int = 1) -> object:
    if pd.isna(row["value"]):
        return "z"
    return round(row["value"], digits) if digits else round(row["value"])


def write_published_sample(folder: str | Path, neighbours=NEIGHBOURS, year: int = YEAR
                           ) -> list[Path]:
    """Write one CSV per data set in DATA_SETS into ``folder``: the DfE's rows, then the
    synthetic neighbours'. Returns the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rows = {key: dfe_rows(key) for key in DATA_SETS}
    for neighbour in neighbours:
        for key, more in neighbour_rows(*neighbour, year=year).items():
            rows[key] += more
    written = []
    for key, table in rows.items():
        columns = [*STANDARD_COLUMNS, *FILTERS[key], *INDICATORS[key]]
        path = folder / f"{key}.csv"
        pd.DataFrame(table, columns=columns).to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written

