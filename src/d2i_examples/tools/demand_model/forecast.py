"""The forecast: cs-demand-model run over a reference period, with scenarios.

Scenarios. ``ModelPredictor.from_model`` takes ``rate_adjustment`` and
``number_adjustment`` series that are *added* to the daily transition rates
and entry numbers. In cs-demand-model 0.5.1 it aligns them with an outer join
and no fill value, so an adjustment that does not list every transition turns
all the other rates into NaN and freezes the population. We always pass
adjustments over the full index (zeros elsewhere).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from numbers import Integral
from statistics import NormalDist

import pandas as pd

from d2i_examples.datasets.years import Span, ssda903_span
from d2i_examples.errors import DataError
from d2i_examples.spec.ssda903 import DATE_FORMAT
from d2i_examples.tools._quiet import quiet
from d2i_examples.tools.demand_model.inputs import Source, _datastore, _read, model_years
from d2i_examples.tools.demand_model.tool import (
    GROUPINGS,
    PLACEMENT_TYPES,
    _in_care,
    _is_number,
    _labels,
    _order,
    _tool,
)
from d2i_examples.tools.demand_model.uncertainty import _forecast_sd

DateLike = str | date | datetime | pd.Timestamp


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
    years = model_years(data)
    span = data_span(years)
    store = _datastore(years)
    config = cdm.Config()
    with quiet("cs_demand_model", "demand_model"):
        container = cdm.DemandModellingDataContainer(store, config)
        stats = cdm.PopulationStats(container.enriched_view, config)
        start, end = reference_period(reference_start, reference_end, span)
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
        fix=f"Give {name} as day/month/year, e.g. -p {name}=31/03/2026 on the command line.",
    )


def reference_period(start_value: DateLike, end_value: DateLike,
                     span: Span | None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The reference period as dates, checked to lie inside the days the 903 years cover
    (``datasets.years.ssda903_span``); the error's fix names the period of the same length
    that ends where the data does."""
    start = _as_timestamp(start_value, "reference_start")
    end = _as_timestamp(end_value, "reference_end")
    if span is None or span.start <= start < end <= span.end:
        return start, end
    if end <= start:
        fit_start, fit_end = span.start, span.end
    elif end.month == 3 and end.day == 31 and span.end.month == 3 and span.end.day == 31:
        shift = pd.DateOffset(years=end.year - span.end.year)
        fit_start, fit_end = start - shift, span.end
    else:
        fit_start, fit_end = span.end - (end - start), span.end
    fit_start = max(fit_start, span.start)
    longer = (" Your data holds less than a year before then: add earlier years' files "
              "for a longer reference period." if fit_end - fit_start < pd.Timedelta(days=364)
              else "")
    raise DataError(
        "The reference period must lie inside the days your SSDA903 files cover.",
        column="reference_start, reference_end",
        found=f"{start:%d/%m/%Y} to {end:%d/%m/%Y}",
        expected=f"a period within {span.said()}",
        fix=f"set reference_start={fit_start:%d/%m/%Y} and reference_end={fit_end:%d/%m/%Y} "
        f"(from the command line: -p reference_start={fit_start:%d/%m/%Y} "
        f"-p reference_end={fit_end:%d/%m/%Y}, or in your settings file's parameters)."
        + longer,
    )


def data_span(years: list) -> Span | None:
    """The days the years handed to the model cover (``datasets.years.ssda903_span``)."""
    last = max(years, key=lambda item: item.year)
    return ssda903_span(_read(last.episodes), len(years))


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


def _history(stock: pd.DataFrame, end: pd.Timestamp, step_days: int, config, groups):
    stock = stock.loc[:end]
    periods = (end - stock.index.min()).days // step_days + 1
    dates = pd.date_range(end=end, periods=periods, freq=f"{step_days}D")
    observed = stock.reindex(dates, method="ffill").fillna(0)
    observed = observed.iloc[:-1]  # reference_end is the forecast's first row
    return _tidy(observed.iterrows(), config, groups).assign(kind="observed")
