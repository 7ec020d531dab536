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
10 to 16, 16 to 18+. The configuration predates K3, the code that replaced H5
for the same placement (2024/25 on), so K3 is handed to the model as H5 and
counts as SUPPORTED in every year (``MODEL_CODES``).

What lives where::

    forecast.py     forecast_demand, forecast_length, by_date; scenarios; the
                    reference period inside the days the data covers
    inputs.py       reading the years (folders, named files or frames), checking the
                    tables, and the in-memory DataStore handing the bytes to the tool
    uncertainty.py  the forecast range: propagated_variance
    costs.py        cost_projection, cost_by_financial_year, WEEKS_PER_YEAR
    tool.py         the tool's packages and its vocabulary: PLACEMENT_TYPES,
                    PLACEMENT_CODES, MODEL_CODES, model_placement_type, GROUPINGS
"""

from d2i_examples.tools.demand_model.costs import (
    WEEKS_PER_YEAR,
    cost_by_financial_year,
    cost_projection,
)
from d2i_examples.tools.demand_model.forecast import (
    by_date,
    data_span,
    forecast_demand,
    forecast_length,
    reference_period,
)
from d2i_examples.tools.demand_model.inputs import AbsentNextYear, model_years
from d2i_examples.tools.demand_model.tool import (
    GROUPINGS,
    PLACEMENT_CODES,
    PLACEMENT_TYPES,
    model_placement_type,
)
from d2i_examples.tools.demand_model.uncertainty import propagated_variance

__all__ = [
    "GROUPINGS",
    "PLACEMENT_CODES",
    "PLACEMENT_TYPES",
    "WEEKS_PER_YEAR",
    "AbsentNextYear",
    "by_date",
    "cost_by_financial_year",
    "cost_projection",
    "data_span",
    "forecast_demand",
    "forecast_length",
    "model_placement_type",
    "model_years",
    "propagated_variance",
    "reference_period",
]
