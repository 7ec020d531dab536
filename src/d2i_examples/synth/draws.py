"""Random draws and array helpers shared by the simulation modules.

Everything here works on numpy arrays of day numbers (see ``synth.calendar``) or of codes,
vectorised so that the simulation's cost grows linearly with the number of children.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from d2i_examples.spec.upn import check_letter

# Share of referrals by age in years 0..17 (CIN census profile: infants, then a rise
# through the teens).
REFERRAL_AGE = np.array([10, 4.5, 4.5, 4.2, 4.2, 4.6, 4.8, 4.9, 4.9, 5.0, 5.3, 5.8, 6.4,
                         7.0, 7.4, 7.2, 6.2, 4.0])
REFERRAL_AGE = REFERRAL_AGE / REFERRAL_AGE.sum()


def choice(rng: np.random.Generator, probs: dict[str, float], size: int) -> np.ndarray:
    keys = np.array(list(probs), dtype=object)
    p = np.array(list(probs.values()), dtype=float)
    return keys[rng.choice(len(keys), size=size, p=p / p.sum())]


def lognormal(rng, median: float, sigma: float, size: int, lo: float, hi: float) -> np.ndarray:
    x = rng.lognormal(np.log(median), sigma, size)
    return np.clip(np.round(x), lo, hi).astype(np.int64)


class Ids:
    """Sequential string ids with a prefix, per table."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def take(self, prefix: str, n: int) -> np.ndarray:
        start = self.counts.get(prefix, 0)
        self.counts[prefix] = start + n
        return np.array([f"{prefix}{i:07d}" for i in range(start + 1, start + n + 1)],
                        dtype=object)


def referral_age_days(rng: np.random.Generator, n: int) -> np.ndarray:
    """Age in days at first referral: year of age from REFERRAL_AGE; within the first year
    most referrals come in the first weeks of life (many before birth, dated at birth)."""
    years = rng.choice(18, n, p=REFERRAL_AGE)
    within = np.where(years == 0, np.minimum(rng.exponential(60, n), 364),
                      rng.random(n) * 365.25)
    return np.maximum((years * 365.25 + within).astype(np.int64), 1)


def first_of_group(g: np.ndarray) -> np.ndarray:
    return np.r_[True, g[1:] != g[:-1]] if len(g) else np.zeros(0, bool)


def rank_in_group(g: np.ndarray) -> np.ndarray:
    """0, 1, 2... within runs of equal values of a grouped (sorted) array."""
    if len(g) == 0:
        return np.zeros(0, np.int64)
    starts = np.flatnonzero(first_of_group(g))
    idx = np.arange(len(g))
    return idx - np.repeat(starts, np.diff(np.r_[starts, len(g)]))


def cumsum_by(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Cumulative sum of x within runs of equal g."""
    if len(x) == 0:
        return np.zeros(0, np.int64)
    c = np.cumsum(x)
    starts = np.flatnonzero(first_of_group(g))
    base = np.repeat(c[starts] - x[starts], np.diff(np.r_[starts, len(g)]))
    return c - base


def strictly_increasing(s: np.ndarray, g: np.ndarray, step: int = 1) -> np.ndarray:
    """Push values up so they increase by at least ``step`` within each group."""
    rank = rank_in_group(g) * step
    # s - rank must be non-decreasing within group: running max per group
    z = s - rank
    df = pd.DataFrame({"g": g, "z": z})
    z2 = df.groupby("g", sort=False)["z"].cummax().to_numpy()
    return z2 + rank


def upns(la_code: str, dob: np.ndarray, start: int = 0) -> np.ndarray:
    """Unique Pupil Numbers: check letter, LA number, 4-digit school, 2-digit year, serial.
    Numbered from position ``start`` (school and serial follow the position), so calls with
    starts far apart give different UPNs."""
    n = len(dob)
    i = np.arange(start, start + n)
    year, _, _ = (np.asarray(dob, np.int64).astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1975,
                  None, None)
    est = 2001 + (i // 1000) % 7998
    serial = i % 1000
    body = np.array([f"{la_code}{e:04d}{y % 100:02d}{s:03d}" for e, y, s in zip(est, year, serial)],
                    dtype=object)
    out = np.empty(n, dtype=object)
    for k, b in enumerate(body):
        out[k] = check_letter(b) + b
    return out
