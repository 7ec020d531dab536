"""Forecast children looked after with Social Finance's demand model, and cost it.

The model is the package ``cs_demand_model`` (Social Finance, shared through
D2I). It reads SSDA903 header and episodes tables for several years, counts
children looked after on each day by age band and placement type, measures
daily rates of moving between placement types and of leaving care, and daily
numbers of children entering care, over a *reference period*. It then rolls
the population on from the end of that period with those rates. Placement
types group SSDA903 placement codes (the model's configuration,
``standard-v1.yaml``): FOSTERING U1-U6, RESIDENTIAL K2 and R1, SUPPORTED H5
and P2, OTHER everything else; age bands Birth to 1, 1 to 5, 5 to 10,
10 to 16, 16 to 18+.

Inputs. ``fs_datastore`` (the tool's own reader) walks every ``*.csv`` below
a folder, takes ``YEAR/name.csv`` as a year folder (a non-numeric folder name
crashes it, deeper folders too), recognises header and episodes tables by
their columns, and then names each episodes file by the latest DECOM year in
it, ignoring the folder. Two files ending in the same DECOM year, or a gap in
the years, crash it later ("Could not find table for year"). Here we read the
same layout ourselves (year folders, or files whose names hold the year, or
one header + episodes pair), check the tables, and hand the exact bytes to the
tool through an in-memory DataStore with each file's year stated, so the
tool's own container, statistics and predictor do the modelling.

Scenarios. ``ModelPredictor.from_model`` takes ``rate_adjustment`` and
``number_adjustment`` series that are *added* to the daily transition rates
and entry numbers. In cs-demand-model 0.5.1 it aligns them with an outer join
and no fill value, so an adjustment that does not list every transition turns
all the other rates into NaN and freezes the population. We always pass
adjustments over the full index (zeros elsewhere).

Uncertainty. ``demand_model.MultinomialPredictor`` (the newer engine) accepts
the same rates and reproduces the forecast (to 1e-12 with daily steps). Its
``variance`` is the variance of a single day's moves given the expected
population the day before: it is not carried forward, so it stays about as
wide at two years as at one day and cannot give a forecast range by itself.
We carry it forward with the predictor's own transition matrix M and daily
entries l: with mean m and covariance S (S = 0 at the start, the observed
population), each day

    S' = M S M^T + diag(M m) - M diag(m) M^T + diag(l),    m' = M m + l

which is the exact covariance when each child moves independently with the
model's rates and entries are Poisson. The first day's diagonal equals the
package's variance. ``lower``/``upper`` are a normal-approximation range
around the forecast. They cover chance variation only: not error in the rates
themselves (short reference periods make them noisy), nor changes in policy
or demand, so real outcomes can fall well outside them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from io import BytesIO
from numbers import Integral
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

from d2i_examples.datasets.years import year_in_name
from d2i_examples.errors import DataError
from d2i_examples.spec.ssda903 import DATE_FORMAT
from d2i_examples.tools._csv_input import (
    CsvInput,
    csv_files,
    folder_path,
    frame_csv_bytes,
    missing_columns,
    read_csv_input,
)
from d2i_examples.tools._quiet import import_quietly, quiet

PLACEMENT_TYPES = ("FOSTERING", "RESIDENTIAL", "SUPPORTED", "OTHER")
# The SSDA903 PLACE codes of each placement type in the model's standard-v1.yaml;
# every other code is OTHER.
PLACEMENT_CODES: dict[str, tuple[str, ...]] = {
    "FOSTERING": ("U1", "U2", "U3", "U4", "U5", "U6"),
    "RESIDENTIAL": ("K2", "R1"),
    "SUPPORTED": ("H5", "P2"),
}


def model_placement_type(place: pd.Series) -> pd.Series:
    """The model's placement type of each SSDA903 PLACE code (OTHER for any code not listed)."""
    types = {code: kind for kind, codes in PLACEMENT_CODES.items() for code in codes}
    return place.astype("string").str.strip().map(types).fillna("OTHER").rename("placement_type")
WEEKS_PER_YEAR = 365.25 / 7
GROUPINGS = ("placement_type", "age_band")
YearFrames = Mapping[str, pd.DataFrame]
Source = str | Path | YearFrames | Mapping[int, YearFrames]
DateLike = str | date | datetime | pd.Timestamp


@lru_cache(maxsize=1)
def _tool():
    names = (
        "cs_demand_model",
        "cs_demand_model.data.ssda903",
        "cs_demand_model.datastore",
        "demand_model",
    )
    return {name: import_quietly(name) for name in names}


def forecast_demand(
    data: Source,
    reference_start: DateLike,
    reference_end: DateLike,
    forecast_days: int = 730,
    step_days: int = 7,
    by: str | Sequence[str] | None = GROUPINGS,
    interval: float | None = 0.95,
    scale_moves_into: Mapping[str, float] | None = None,
    include_history: bool = False,
) -> pd.DataFrame:
    """Forecast the number of children looked after, by placement type and age band.

    Runs cs-demand-model: rates measured over ``reference_start`` to
    ``reference_end`` roll the population on from ``reference_end`` for
    ``forecast_days``, in steps of ``step_days`` (the model compounds daily
    rates over a step; 1 is exact and slowest).

    Args:
        data: SSDA903 tables for several years: a folder of year folders
            (``2023/header.csv``, ``2023/episodes.csv``, ...; any folder name
            holding a 4-digit year, any file names: tables are recognised by
            their columns, other 903 tables are ignored), a folder of files
            whose names hold the year (``2023-header.csv``), a folder with one
            header and episodes pair; or frames: ``{2023: {"header": df,
            "episodes": df}, ...}`` or one ``{"header": df, "episodes": df}``.
            Dates in files must be dd/mm/YYYY.
        reference_start, reference_end: the period whose rates are used;
            dates or strings (dd/mm/YYYY or YYYY-MM-DD) inside the data.
        forecast_days: how far ahead to forecast.
        step_days: days between forecast dates (1 to 180, as in the tool).
        by: columns to break the forecast down by: ``"placement_type"``,
            ``"age_band"``, both (default) or None for the total.
        interval: width of the ``lower``/``upper`` range (0.95 = 95%), or
            None to skip it. Chance variation only: see the module notes.
        scale_moves_into: scenario: multiply the daily rates of moving into a
            placement type from any other type, and the daily numbers entering
            care straight into it, e.g. ``{"RESIDENTIAL": 0.8}`` for 20% fewer
            moves into residential care. Applied through the model's own
            ``rate_adjustment``/``number_adjustment`` hook.
        include_history: also return the observed population on the same
            step grid back to the start of the data (``kind == "observed"``).

    Returns:
        A frame with ``date``, the ``by`` columns, ``children`` (expected
        number looked after; the first row is the observed population on
        ``reference_end``), ``lower`` and ``upper`` (if ``interval``) and
        ``kind`` ("observed" or "forecast"). Children who leave care are not
        counted.

    Raises:
        DataError: a folder or table that cannot be read, missing columns,
            dates not in dd/mm/YYYY, episodes for children with no header row,
            years repeated or missing, a reference period outside the data, or
            settings out of range.
    """
    groups = _groupings(by)
    _check_settings(forecast_days, step_days, interval)
    factors = _scenario(scale_moves_into)
    tool = _tool()
    cdm = tool["cs_demand_model"]
    store = _datastore(_year_files(data))
    config = cdm.Config()
    with quiet("cs_demand_model", "demand_model"):
        container = cdm.DemandModellingDataContainer(store, config)
        stats = cdm.PopulationStats(container.enriched_view, config)
        start, end = _reference_period(reference_start, reference_end, container)
        predictor = cdm.ModelPredictor.from_model(stats, start, end)
        if factors:
            rates, numbers = _moves_into(predictor, factors)
            predictor = cdm.ModelPredictor.from_model(
                stats, start, end, rate_adjustment=rates, number_adjustment=numbers
            )
            if predictor.transition_rates.isna().any():  # the from_model trap, see module notes
                raise RuntimeError("scenario adjustment produced missing transition rates")
        steps = math.ceil(forecast_days / step_days)
        predicted = predictor.predict(steps, step_days)
        rows = [(end, predictor.initial_population), *predicted.iterrows()]
        forecast = _tidy(rows, config, groups).assign(kind="forecast")
        if interval is not None:
            sd = _forecast_sd(predictor, steps, step_days, config, groups)
            z = NormalDist().inv_cdf(0.5 + interval / 2)
            forecast = forecast.merge(sd, on=["date", *groups], how="left")
            forecast["sd"] = forecast["sd"].fillna(0.0)
            forecast["lower"] = (forecast["children"] - z * forecast["sd"]).clip(lower=0)
            forecast["upper"] = forecast["children"] + z * forecast["sd"]
            forecast = forecast.drop(columns="sd")
        if include_history:
            history = _history(stats.stock, end, step_days, config, groups)
            forecast = pd.concat([history, forecast], ignore_index=True)
    columns = ["date", *groups, "children"] + (["lower", "upper"] if interval else []) + ["kind"]
    return forecast[columns].reset_index(drop=True)


def forecast_length(reference_end: DateLike, years: int) -> int:
    """Days from ``reference_end`` to the same day ``years`` years on (31 March to 31 March)."""
    end = _as_timestamp(reference_end, "reference_end")
    return int((end + pd.DateOffset(years=years) - end).days)


def by_date(forecast: pd.DataFrame, column: str, value: str = "children",
            until: DateLike | None = None) -> pd.DataFrame:
    """Children by date (rows) and ``column`` (one column per placement type or age band).

    Observed history and forecast together (the forecast wins on the day they
    share); dates after ``until`` left out; a column with no children on any
    date (SUPPORTED, when no child is in H5 or P2) left out, so a chart does not
    show an empty series; the same columns whichever ``value`` is asked for.
    """
    frame = forecast
    if until is not None:
        frame = frame[frame["date"] <= _as_timestamp(until, "until")]
    groups = [c for c in GROUPINGS if c in frame.columns]
    if "kind" in frame.columns:
        frame = frame.sort_values("kind").drop_duplicates(["date", *groups])

    def pivot(values: str) -> pd.DataFrame:
        return frame.pivot_table(index="date", columns=column, values=values, aggfunc="sum",
                                 sort=False).sort_index()

    # Which columns stay depends on the children alone, so a band's lower edge (often
    # zero for a small placement type) keeps the same columns as the line it surrounds.
    wide = pivot(value)
    children = wide if value == "children" else pivot("children")
    return wide.loc[:, children.sum() > 0]


def cost_projection(forecast: pd.DataFrame, weekly_costs: Mapping[str, float]) -> pd.DataFrame:
    """Weekly and annual cost of the forecast population, by placement type.

    ``weekly_cost = children x weekly cost of one placement`` of that type;
    ``annual_cost = weekly_cost x 365.25 / 7`` (the yearly cost if the
    population stayed as on that date). The cost of a financial year is the
    sum of weekly costs over the year's dates when the step is 7 days.

    Args:
        forecast: a frame from ``forecast_demand`` (any ``by`` that keeps
            ``placement_type``): ``date``, ``placement_type``, ``children``,
            and optionally ``lower``/``upper`` and ``kind``.
        weekly_costs: pounds per child per week, keyed by placement type
            (FOSTERING, RESIDENTIAL, SUPPORTED, OTHER); every type in the
            forecast needs a cost.

    Returns:
        ``date``, ``placement_type``, ``children``, ``weekly_cost_per_child``,
        ``weekly_cost``, ``annual_cost`` (plus ``kind``, and lower/upper costs
        when the forecast has one row per date and placement type with a range).
    """
    missing_columns(forecast, ["date", "placement_type", "children"], "forecast", "forecast")
    costs = {str(k).upper(): v for k, v in weekly_costs.items()}
    unknown = sorted(set(costs) - set(PLACEMENT_TYPES))
    needed = sorted(set(forecast["placement_type"]) - set(costs))
    if unknown or needed:
        raise DataError(
            "The weekly costs do not match the forecast's placement types.",
            expected="a cost for each of " + ", ".join(sorted(set(forecast["placement_type"]))),
            found=("unknown: " + ", ".join(unknown) if unknown else "")
            + ("; " if unknown and needed else "")
            + ("no cost for: " + ", ".join(needed) if needed else ""),
            fix="Key weekly_costs by FOSTERING, RESIDENTIAL, SUPPORTED and OTHER.",
        )
    bad = {k: v for k, v in costs.items() if not _is_number(v) or v < 0}
    if bad:
        raise DataError(
            "Weekly costs must be numbers of pounds, zero or more.",
            found=", ".join(f"{k}={v!r}" for k, v in bad.items()),
            expected="e.g. {'FOSTERING': 450, 'RESIDENTIAL': 5200, ...}",
        )
    keys = ["date", "placement_type"] + (["kind"] if "kind" in forecast else [])
    bands = [c for c in ("lower", "upper") if c in forecast]
    one_row_each = not forecast.duplicated(keys).any()
    value_columns = ["children"] + (bands if one_row_each else [])
    out = forecast.groupby(keys, sort=False, as_index=False)[value_columns].sum(min_count=1)
    out["weekly_cost_per_child"] = out["placement_type"].map(costs).astype(float)
    out["weekly_cost"] = out["children"] * out["weekly_cost_per_child"]
    out["annual_cost"] = out["weekly_cost"] * WEEKS_PER_YEAR
    for band in value_columns[1:]:
        out[f"weekly_cost_{band}"] = out[band] * out["weekly_cost_per_child"]
        out[f"annual_cost_{band}"] = out[f"weekly_cost_{band}"] * WEEKS_PER_YEAR
    out = out.drop(columns=value_columns[1:])
    order = {p: i for i, p in enumerate(PLACEMENT_TYPES)}
    out = out.sort_values(
        ["date", "placement_type"],
        key=lambda c: c.map(order) if c.name == "placement_type" else c,
        ignore_index=True,
    )
    front = [
        "date",
        "placement_type",
        "children",
        "weekly_cost_per_child",
        "weekly_cost",
        "annual_cost",
    ]
    return out[front + [c for c in out.columns if c not in front]]


def cost_by_financial_year(costs: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """The cost of each complete financial year (1 April to 31 March) of a cost projection.

    ``cost = mean weekly_cost over the year's forecast dates x days in the
    year / 7``: the weekly cost averaged over the year, for the whole year.
    Only years the forecast dates cover are kept: the first date within one
    step of 1 April and the last within one step of 31 March (so the first
    row, the observed day, and a short last year are left out).

    Args:
        costs: a frame from ``cost_projection``: ``date``, ``weekly_cost``
            and, to break down by it, ``placement_type``. Observed rows
            (``kind == "observed"``) are left out.
        by: ``"placement_type"`` for a row per type, or None for the total.

    Returns:
        ``financial_year`` (e.g. "2026/27"), ``by`` if given, ``dates`` (how
        many forecast dates the year holds) and ``cost`` (pounds).
    """
    missing_columns(costs, ["date", "weekly_cost"], "costs", "cost projection")
    if by not in (None, "placement_type"):
        raise DataError("Unknown breakdown for the costs.", found=repr(by),
                        expected='"placement_type" or None for the total')
    frame = costs[costs["kind"] != "observed"] if "kind" in costs else costs
    groups = [by] if by else []
    weekly = frame.groupby(["date", *groups], as_index=False)["weekly_cost"].sum()
    dates = pd.Series(sorted(weekly["date"].unique()))
    step = dates.diff().median() if len(dates) > 1 else pd.Timedelta(days=7)
    ends = dates.dt.year + (dates.dt.month > 3).astype(int)
    complete = []
    for end_year, in_year in dates.groupby(ends):
        first = pd.Timestamp(year=end_year - 1, month=4, day=1)
        last = pd.Timestamp(year=end_year, month=3, day=31)
        if in_year.min() - first < step and last - in_year.max() < step:
            complete.append(end_year)
    weekly["end_year"] = weekly["date"].dt.year + (weekly["date"].dt.month > 3).astype(int)
    weekly = weekly[weekly["end_year"].isin(complete)]
    out = weekly.groupby(["end_year", *groups], sort=True).agg(
        dates=("date", "nunique"), weekly_cost=("weekly_cost", "mean")
    ).reset_index()
    days = pd.to_datetime(out["end_year"].astype(str) + "-03-31") - pd.to_datetime(
        (out["end_year"] - 1).astype(str) + "-03-31"
    )
    out["cost"] = out["weekly_cost"] * days.dt.days / 7
    out["financial_year"] = (out["end_year"] - 1).astype(str) + "/" + (
        out["end_year"] % 100
    ).astype(str).str.zfill(2)
    if by:
        order = {p: i for i, p in enumerate(PLACEMENT_TYPES)}
        out = out.sort_values(["end_year", by], key=lambda c: c.map(order) if c.name == by else c)
    return out[["financial_year", *groups, "dates", "cost"]].reset_index(drop=True)


# --- reading the years ------------------------------------------------------------------


@dataclass
class _YearFiles:
    year: int | None  # None until _check_years names it by its latest DECOM, as the tool does
    header: CsvInput
    episodes: CsvInput


def _fields() -> dict[str, list[str]]:
    types = _tool()["cs_demand_model.data.ssda903"].SSDA903TableType
    return {
        "header": list(types.HEADER.value.fields),
        "episodes": list(types.EPISODES.value.fields),
    }


def _table_of(csv: CsvInput) -> str | None:
    """header/episodes if the file has the model's columns for it (the tool's own test)."""
    for table, fields in _fields().items():
        if set(fields) <= set(csv.columns):
            return table
    return None


def _year_files(data: Source) -> list[_YearFiles]:
    if isinstance(data, Mapping):
        years = _frame_years(data)
    else:
        years = _folder_years(folder_path(data, "SSDA903 folder"))
    _check_years(years)
    return years


def _folder_years(folder: Path) -> list[_YearFiles]:
    year_dirs = sorted(d for d in folder.iterdir() if d.is_dir() and year_in_name(d.name))
    if year_dirs:
        return [_pair(*_tables_in(d), year_in_name(d.name), d) for d in year_dirs]
    found, unreadable = _tables_in(folder)
    years = {year_in_name(csv.label) for csv, _ in found}
    if len(found) <= 2 or None in years:
        return [_pair(found, unreadable, None, folder)]
    return [
        _pair([(csv, t) for csv, t in found if year_in_name(csv.label) == year], [], year, folder)
        for year in sorted(years)
    ]


def _tables_in(folder: Path) -> tuple[list[tuple[CsvInput, str]], list[str]]:
    """The header and episodes CSVs directly in ``folder``; other tables are ignored.

    Files that cannot be read are listed (with why) in case one was meant to
    be the header or episodes table.
    """
    found, unreadable = [], []
    for path in csv_files(folder):
        try:
            csv = read_csv_input(path)
        except DataError as err:
            unreadable.append(f"{path.name} ({err.problem})")
            continue
        table = _table_of(csv)
        if table:
            found.append((csv, table))
    return found, unreadable


def _pair(
    tables: list[tuple[CsvInput, str]], unreadable: list[str], year: int | None, where: Path
) -> _YearFiles:
    found: dict[str, CsvInput] = {}
    for csv, table in tables:
        if table in found:
            raise DataError(
                f"Two files hold the {table} table for the same year.",
                file=csv.path,
                found=f"{found[table].label} and {csv.label}",
                expected=f"one {table} file per year",
                fix="Put each year's files in a folder named by the year, e.g. 2024/.",
            )
        found[table] = csv
    for table, fields in _fields().items():
        if table not in found:
            seen = [f"{csv.label} ({t})" for csv, t in tables] + unreadable
            raise DataError(
                f"No SSDA903 {table} table found"
                + (f" for {year}" if year else "")
                + "; the demand model needs header and episodes for every year.",
                file=where,
                expected=f"a CSV with columns including {', '.join(fields)}",
                found=", ".join(seen) or "no header or episodes CSV files",
                fix="Add the table, or put each year's files in a folder named by the year.",
            )
    return _YearFiles(year, found["header"], found["episodes"])


def _frame_years(data: Mapping) -> list[_YearFiles]:
    if set(map(str, data)) <= {"header", "episodes"} or any(
        isinstance(v, pd.DataFrame) for v in data.values()
    ):
        items = [(None, data)]
    else:
        items = []
        for key, tables in data.items():
            year = year_in_name(str(key))
            if year is None or not isinstance(tables, Mapping):
                raise DataError(
                    "Frames for the demand model must be keyed by year.",
                    found=repr(key),
                    expected='{2024: {"header": df, "episodes": df}, ...}',
                )
            items.append((year, tables))
    years = []
    for year, tables in items:
        inputs = {}
        for table, fields in _fields().items():
            label = f"{table} frame" + (f" for {year}" if year else "")
            frame = tables.get(table)
            if not isinstance(frame, pd.DataFrame):
                raise DataError(
                    f"No {table} frame" + (f" for {year}" if year else "") + ".",
                    expected='frames keyed "header" and "episodes"',
                    found=", ".join(map(repr, tables)) or "nothing",
                )
            missing_columns(frame, fields, label, table)
            inputs[table] = CsvInput(label, None, frame_csv_bytes(frame, fields), tuple(fields))
        years.append(_YearFiles(year, inputs["header"], inputs["episodes"]))
    return years


def _read(csv: CsvInput) -> pd.DataFrame:
    return pd.read_csv(BytesIO(csv.content), dtype=str, keep_default_na=False)


def _where(csv: CsvInput, position: int) -> str:
    if csv.path is None:
        return f"row {position}"
    lines = csv.row_lines
    return f"line {lines[position]}" if position < len(lines) else f"row {position}"


def _dates(csv: CsvInput, frame: pd.DataFrame, column: str, required: bool) -> pd.Series:
    text = frame[column]
    parsed = pd.to_datetime(text, format=DATE_FORMAT, errors="coerce")
    bad = (text != "") & parsed.isna()
    blank = (text == "") if required else pd.Series(False, index=text.index)
    problem = bad | blank
    if problem.any():
        position = int(np.flatnonzero(problem.to_numpy())[0])
        raise DataError(
            f"{int(problem.sum())} {column} value(s) are "
            + ("blank or " if required else "")
            + "not dates in dd/mm/YYYY.",
            file=csv.path or csv.label,
            column=column,
            expected="dd/mm/YYYY, e.g. 31/03/2025" + (" (required)" if required else ""),
            found=f"{text.iloc[position]!r} at {_where(csv, position)}",
            fix="Format the column as dates dd/mm/yyyy before saving the CSV.",
        )
    return parsed


def _check_years(years: list[_YearFiles]) -> None:
    """Check each year's tables as the model will read them; name unnamed years."""
    headers, episodes = [], []
    for item in years:
        header, eps = _read(item.header), _read(item.episodes)
        for csv, frame in ((item.header, header), (item.episodes, eps)):
            blank = frame["CHILD"] == ""
            if blank.any():
                raise DataError(
                    "Some rows have no CHILD identifier.",
                    file=csv.path or csv.label,
                    column="CHILD",
                    found=f"blank at {_where(csv, int(np.flatnonzero(blank.to_numpy())[0]))}",
                    expected="every row to name its child",
                )
        dob = _dates(item.header, header, "DOB", required=True)
        decom = _dates(item.episodes, eps, "DECOM", required=True)
        _dates(item.episodes, eps, "DEC", required=False)
        headers.append(pd.DataFrame({"CHILD": header["CHILD"], "DOB": dob}))
        episodes.append(pd.DataFrame({"CHILD": eps["CHILD"], "DECOM": decom}))
    all_headers = pd.concat(headers).drop_duplicates("CHILD")
    for item, eps in zip(years, episodes, strict=True):
        merged = eps.merge(all_headers, on="CHILD", how="left")
        orphans = merged.loc[merged["DOB"].isna(), "CHILD"].unique()
        if len(orphans):
            raise DataError(
                f"{len(orphans)} child(ren) in the episodes table have no header row in any year; "
                "the model would silently drop them.",
                file=item.episodes.path or item.episodes.label,
                column="CHILD",
                found=", ".join(map(str, orphans[:5])) + (" ..." if len(orphans) > 5 else ""),
                expected="every CHILD in episodes to appear in a header table",
                fix="Add the missing header rows (check the CHILD identifiers match exactly).",
            )
        early = merged["DECOM"] < merged["DOB"]
        if early.any():
            position = int(np.flatnonzero(early.to_numpy())[0])
            raise DataError(
                "An episode starts before the child's date of birth.",
                file=item.episodes.path or item.episodes.label,
                column="DECOM",
                found=f"CHILD {merged['CHILD'].iloc[position]} at "
                f"{_where(item.episodes, position)}",
                expected="DECOM on or after the header's DOB",
            )
        if item.year is None:
            item.year = int(eps["DECOM"].dt.year.max())
    labels = [item.year for item in years]
    repeated = sorted({y for y in labels if labels.count(y) > 1})
    if repeated:
        raise DataError(
            "Two sets of tables are for the same year.",
            found=", ".join(map(str, repeated)),
            expected="one header and episodes table per year",
            fix="Put each year's files in a folder named by its year.",
        )
    gaps = sorted(set(range(min(labels), max(labels) + 1)) - set(labels))
    if gaps:
        raise DataError(
            "The years are not consecutive; the demand model needs every year in between.",
            found="years "
            + ", ".join(map(str, sorted(labels)))
            + "; missing "
            + ", ".join(map(str, gaps)),
            expected="consecutive years",
            fix="Add the missing years, or leave out the years before the gap.",
        )


@lru_cache(maxsize=1)
def _memory_store_class():
    """A cs_demand_model DataStore serving CSV bytes from memory, with tables and years stated."""

    class MemoryDataStore(_tool()["cs_demand_model.datastore"].DataStore):
        def __init__(self, files):
            self._files = files  # [(DataFile, bytes)]

        @property
        def files(self) -> Iterator:
            for data_file, _ in self._files:
                yield data_file

        @contextmanager
        def open(self, file):
            name = file.name if hasattr(file, "name") else file
            yield BytesIO(next(content for f, content in self._files if f.name == name))

    return MemoryDataStore


def _datastore(years: list[_YearFiles]):
    datastore = _tool()["cs_demand_model.datastore"]
    types = _tool()["cs_demand_model.data.ssda903"].SSDA903TableType
    files = []
    for item in years:
        for table, csv in (("header", item.header), ("episodes", item.episodes)):
            name = f"{item.year}/{table}.csv"
            metadata = datastore.Metadata(
                name=name,
                size=len(csv.content),
                year=item.year,
                table=types.HEADER if table == "header" else types.EPISODES,
            )
            files.append((datastore.DataFile(name=name, metadata=metadata), csv.content))
    return _memory_store_class()(files)


# --- settings ---------------------------------------------------------------------------


def _groupings(by) -> list[str]:
    groups = [] if by is None else [by] if isinstance(by, str) else list(by)
    unknown = [g for g in groups if g not in GROUPINGS]
    if unknown:
        raise DataError(
            "Unknown breakdown for the forecast.",
            found=", ".join(map(repr, unknown)),
            expected='"placement_type", "age_band", both, or None for the total',
        )
    return [g for g in GROUPINGS if g in groups]


def _check_settings(forecast_days, step_days, interval) -> None:
    problems = []
    if not isinstance(forecast_days, Integral) or forecast_days < 1:
        problems.append(f"forecast_days={forecast_days!r} (a whole number of days, 1 or more)")
    if not isinstance(step_days, Integral) or not 1 <= step_days <= 180:
        problems.append(f"step_days={step_days!r} (a whole number from 1 to 180)")
    if interval is not None and not (_is_number(interval) and 0 < interval < 1):
        problems.append(f"interval={interval!r} (a share between 0 and 1, e.g. 0.95, or None)")
    if problems:
        raise DataError("Forecast settings out of range.", found="; ".join(problems))


def _scenario(scale_moves_into) -> dict[str, float]:
    if not scale_moves_into:
        return {}
    factors = {str(k).upper(): v for k, v in scale_moves_into.items()}
    bad = [
        f"{k}={v!r}"
        for k, v in factors.items()
        if k not in PLACEMENT_TYPES or not _is_number(v) or v < 0
    ]
    if bad:
        raise DataError(
            "Scenario factors must be placement types with factors of zero or more.",
            found=", ".join(bad),
            expected="e.g. {'RESIDENTIAL': 0.8}; types: " + ", ".join(PLACEMENT_TYPES),
        )
    return factors


def _is_number(value) -> bool:
    return (
        isinstance(value, int | float | np.number)
        and not isinstance(value, bool)
        and (math.isfinite(value))
    )


def _as_timestamp(value: DateLike, name: str) -> pd.Timestamp:
    if isinstance(value, str):
        for fmt in (DATE_FORMAT, "%Y-%m-%d"):
            try:
                return pd.Timestamp(datetime.strptime(value.strip(), fmt))
            except ValueError:
                pass
    elif isinstance(value, date | datetime | pd.Timestamp) and not pd.isna(value):
        return pd.Timestamp(value).normalize()
    raise DataError(
        f"{name} is not a date.",
        found=repr(value),
        expected="a date, or text dd/mm/YYYY (e.g. 31/03/2024) or YYYY-MM-DD",
    )


def _reference_period(start_value, end_value, container) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The reference period, checked to lie within the data.

    The data runs from the first episode date to the end (31 March) of the
    collection year holding the last recorded date: a 903 year's files record
    every change up to its 31 March, so the population is known until then.
    """
    start = _as_timestamp(start_value, "reference_start")
    end = _as_timestamp(end_value, "reference_end")
    first, last = pd.Timestamp(container.start_date), pd.Timestamp(container.end_date)
    year_end = pd.Timestamp(year=last.year + (last.month > 3), month=3, day=31)
    if not (first <= start < end <= year_end):
        raise DataError(
            "The reference period must lie inside the data and start before it ends.",
            found=f"{start:%d/%m/%Y} to {end:%d/%m/%Y}",
            expected=f"dates between {first:%d/%m/%Y} (the first episode) and "
            f"{year_end:%d/%m/%Y} (the end of the last collection year)",
            fix="Choose a recent period of a year or two ending on or before the last 31 March.",
        )
    return start, end


# --- model outputs ----------------------------------------------------------------------


def _moves_into(predictor, factors: dict[str, float]) -> tuple[pd.Series, pd.Series]:
    """Additive adjustments that scale moves into the given placement types, over full indexes."""
    rates, numbers = predictor.transition_rates, predictor.transition_numbers
    rate_change = [
        (factors[to[1]] - 1) * rate if to and frm and to[1] in factors and frm[1] != to[1] else 0.0
        for (frm, to), rate in rates.items()
    ]
    number_change = [
        (factors[to[1]] - 1) * number if to and to[1] in factors else 0.0
        for (_, to), number in numbers.items()
    ]
    return pd.Series(rate_change, index=rates.index), pd.Series(number_change, index=numbers.index)


def _in_care(state) -> bool:
    return bool(state) and state[1] != "NOT_IN_CARE"


def _labels(state, config) -> dict[str, str]:
    return {"placement_type": state[1], "age_band": config.AgeBrackets[state[0]].label}


def _order(config) -> dict[str, dict[str, int]]:
    return {
        "placement_type": {p: i for i, p in enumerate(PLACEMENT_TYPES)},
        "age_band": {b.label: i for i, b in enumerate(config.AgeBrackets)},
    }


def _tidy(rows, config, groups: list[str]) -> pd.DataFrame:
    """(date, population by state) pairs -> long rows summed over the ``groups``.

    States are (age bracket, placement category) names; children who left care
    (NOT_IN_CARE, or aged out of the last bracket) are not counted.
    """
    records = [
        {"date": pd.Timestamp(when), **_labels(state, config), "children": float(count)}
        for when, population in rows
        for state, count in population.items()
        if _in_care(state)
    ]
    long = pd.DataFrame(records, columns=["date", *GROUPINGS, "children"])
    long["children"] = long["children"].fillna(0.0)
    order = _order(config)
    # every date has a row for every group, in the model's order (zeros where nobody is)
    grid = pd.MultiIndex.from_product(
        [long["date"].drop_duplicates().sort_values(), *(list(order[g]) for g in groups)],
        names=["date", *groups],
    )
    if not groups:
        grid = grid.get_level_values(0)
    out = long.groupby(["date", *groups])["children"].sum().reindex(grid, fill_value=0.0)
    return out.reset_index()


def _forecast_sd(predictor, steps: int, step_days: int, config, groups) -> pd.DataFrame:
    """Standard deviation of each group's count at each forecast date (module notes)."""
    variances = propagated_variance(predictor, steps, step_days, config, groups)
    variances["sd"] = np.sqrt(variances.pop("variance").clip(lower=0))
    return variances


def propagated_variance(predictor, steps: int, step_days: int, config, groups) -> pd.DataFrame:
    """Variance of each group's count, carried forward day by day with the multinomial model.

    ``predictor`` is a cs_demand_model ModelPredictor; its rates feed
    ``demand_model.MultinomialPredictor``, whose matrix M and daily entries l
    drive ``S' = M S M^T + diag(M m) - M diag(m) M^T + diag(l)``.
    Returns ``date``, the ``groups`` and ``variance`` (day 0 included, as 0).
    """
    multinomial = _tool()["demand_model"].MultinomialPredictor(
        population=predictor.initial_population.copy(),
        transition_rates=predictor.transition_rates,
        transition_numbers=predictor.transition_numbers,
        start_date=predictor.date,
    )
    matrix = multinomial.matrix
    states = list(matrix.index)
    if list(multinomial.initial_population.index) != states or list(matrix.columns) != states:
        raise RuntimeError("MultinomialPredictor states are not aligned")
    m, entries = multinomial.initial_population.to_numpy(float), multinomial.transition_numbers
    entries = entries.reindex(states, fill_value=0).to_numpy(float)
    M = matrix.to_numpy(float)
    labels = pd.DataFrame([_labels(s, config) if _in_care(s) else {} for s in states])
    keys = (
        labels[groups].astype(str).agg("|".join, axis=1)
        if groups
        else pd.Series("", index=labels.index)
    )
    in_care = np.array([_in_care(s) for s in states])
    group_keys = sorted(set(keys[in_care]))
    G = np.array([(keys.to_numpy() == k) & in_care for k in group_keys], dtype=float)
    S = np.zeros((len(states), len(states)))
    rows = []
    start = pd.Timestamp(predictor.date)
    for step in range(steps + 1):
        if step:
            for _ in range(step_days):
                moved = M @ m
                S = M @ S @ M.T + np.diag(moved) - (M * m) @ M.T + np.diag(entries)
                m = moved + entries
        group_var = np.einsum("gi,ij,gj->g", G, S, G)
        when = start + pd.Timedelta(days=step * step_days)
        for key, var in zip(group_keys, group_var, strict=True):
            rows.append(
                {
                    "date": when,
                    **dict(zip(groups, key.split("|") if groups else [], strict=True)),
                    "variance": var,
                }
            )
    return pd.DataFrame(rows, columns=["date", *groups, "variance"])


def _history(stock: pd.DataFrame, end: pd.Timestamp, step_days: int, config, groups):
    stock = stock.loc[:end]
    periods = (end - stock.index.min()).days // step_days + 1
    dates = pd.date_range(end=end, periods=periods, freq=f"{step_days}D")
    observed = stock.reindex(dates, method="ffill").fillna(0)
    observed = observed.iloc[:-1]  # reference_end is the forecast's first row
    return _tidy(observed.iterrows(), config, groups).assign(kind="observed")
