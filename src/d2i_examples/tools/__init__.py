"""Thin wrappers over D2I's real Python tools, handing back tidy pandas frames.

- ``validate_ssda903``: the SSDA903 validator (csc-validator-be-903, ``lac_validator``)
- ``validate_cin_census``: the CIN census validator (csc-validator-be-cin, ``cin_validator``)
- ``forecast_demand`` and ``cost_projection``: Social Finance's demand model
  (``cs_demand_model``), with a range from ``demand_model.MultinomialPredictor``

The tools themselves are imported on first use, so importing this package is quick.
"""

from d2i_examples.tools.cin_validator import cin_collection_years, cin_rules, validate_cin_census
from d2i_examples.tools.demand_model import (
    PLACEMENT_TYPES,
    WEEKS_PER_YEAR,
    cost_projection,
    forecast_demand,
)
from d2i_examples.tools.ssda903_validator import (
    ssda903_collection_years,
    ssda903_rules,
    validate_ssda903,
)
from d2i_examples.tools.validation_result import ValidationResult

__all__ = [
    "PLACEMENT_TYPES",
    "WEEKS_PER_YEAR",
    "ValidationResult",
    "cin_collection_years",
    "cin_rules",
    "cost_projection",
    "forecast_demand",
    "ssda903_collection_years",
    "ssda903_rules",
    "validate_cin_census",
    "validate_ssda903",
]
