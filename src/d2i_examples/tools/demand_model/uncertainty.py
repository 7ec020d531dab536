"""A range around the forecast: the multinomial model's variance, carried forward.

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

import numpy as np
import pandas as pd

from d2i_examples.tools.demand_model.tool import _in_care, _labels, _tool


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
