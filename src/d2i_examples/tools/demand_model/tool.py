"""The model's own packages, imported once, and its vocabulary: placement types, age
bands, the states it counts children in.

Shared by the rest of ``tools.demand_model``; see the package docstring for what the
model does.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd

from d2i_examples.spec.ssda903 import PLACE_REPLACED_BY
from d2i_examples.tools._quiet import import_quietly

PLACEMENT_TYPES = ("FOSTERING", "RESIDENTIAL", "SUPPORTED", "OTHER")
# The SSDA903 PLACE codes of each placement type in the model's standard-v1.yaml, and
# K3, the code that replaced H5 (spec.ssda903.PLACE_REPLACED_BY), which the model's
# settings predate: K3 is handed to the model as H5 (MODEL_CODES), so supported
# accommodation stays SUPPORTED across the years. Every other code is OTHER.
PLACEMENT_CODES: dict[str, tuple[str, ...]] = {
    "FOSTERING": ("U1", "U2", "U3", "U4", "U5", "U6"),
    "RESIDENTIAL": ("K2", "R1"),
    "SUPPORTED": ("H5", "P2", "K3"),
}
# today's PLACE code -> the older code the model's settings list for the same placement
MODEL_CODES: dict[str, str] = {today: older for older, today in PLACE_REPLACED_BY.items()}


def model_placement_type(place: pd.Series) -> pd.Series:
    """The model's placement type of each SSDA903 PLACE code (OTHER for any code not listed)."""
    types = {code: kind for kind, codes in PLACEMENT_CODES.items() for code in codes}
    return place.astype("string").str.strip().map(types).fillna("OTHER").rename("placement_type")


GROUPINGS = ("placement_type", "age_band")


@lru_cache(maxsize=1)
def _tool():
    names = (
        "cs_demand_model",
        "cs_demand_model.data.ssda903",
        "cs_demand_model.datastore",
        "demand_model",
    )
    return {name: import_quietly(name) for name in names}


def _is_number(value) -> bool:
    return (
        isinstance(value, int | float | np.number)
        and not isinstance(value, bool)
        and (math.isfinite(value))
    )


def _in_care(state) -> bool:
    return bool(state) and state[1] != "NOT_IN_CARE"


def _labels(state, config) -> dict[str, str]:
    return {"placement_type": state[1], "age_band": config.AgeBrackets[state[0]].label}


def _order(config) -> dict[str, dict[str, int]]:
    return {
        "placement_type": {p: i for i, p in enumerate(PLACEMENT_TYPES)},
        "age_band": {b.label: i for i, b in enumerate(config.AgeBrackets)},
    }
