"""Thin wrappers over D2I's real Python tools, handing back tidy pandas frames.

- ``validate_ssda903``: the SSDA903 validator (csc-validator-be-903, ``lac_validator``)
- ``validate_cin_census``: the CIN census validator (csc-validator-be-cin, ``cin_validator``),
  reading the XML with ``cin_tables.cin_tables`` (the tool's own tables, read in one pass)
- ``forecast_demand``, ``cost_projection`` and ``cost_by_financial_year``: Social
  Finance's demand model (``cs_demand_model``), with a range from
  ``demand_model.MultinomialPredictor``
- ``issues_workbook`` / ``write_issues_workbook``: a validator's findings as an Excel
  workbook a team can work through; ``SSDA903_FIXES`` / ``CIN_FIXES``: how to fix
  common rules (``fix_guide``); ``read_ssda903_files``, ``child_rows`` and
  ``read_child_xml`` trace one child's issues back to the 903 files or the census XML

The tools themselves are imported on first use, so importing this package is quick.
"""

from d2i_examples.tools.cin_validator import (
    cin_collection_years,
    cin_rules,
    read_child_xml,
    validate_cin_census,
)
from d2i_examples.tools.demand_model import (
    PLACEMENT_TYPES,
    WEEKS_PER_YEAR,
    by_date,
    cost_by_financial_year,
    cost_projection,
    forecast_demand,
    forecast_length,
    model_placement_type,
)
from d2i_examples.tools.fix_guide import CIN_FIXES, SSDA903_FIXES, fix_notes
from d2i_examples.tools.issues_workbook import (
    issues_workbook,
    read_issues_workbook,
    write_issues_workbook,
)
from d2i_examples.tools.ssda903_validator import (
    child_rows,
    read_ssda903_files,
    ssda903_collection_years,
    ssda903_rules,
    validate_ssda903,
)
from d2i_examples.tools.validation_result import (
    ValidationResult,
    most_common_rules,
    rule_number,
)

__all__ = [
    "CIN_FIXES",
    "PLACEMENT_TYPES",
    "SSDA903_FIXES",
    "WEEKS_PER_YEAR",
    "ValidationResult",
    "by_date",
    "child_rows",
    "cin_collection_years",
    "cin_rules",
    "cost_by_financial_year",
    "cost_projection",
    "fix_notes",
    "forecast_demand",
    "forecast_length",
    "issues_workbook",
    "model_placement_type",
    "most_common_rules",
    "read_child_xml",
    "read_issues_workbook",
    "read_ssda903_files",
    "rule_number",
    "ssda903_collection_years",
    "ssda903_rules",
    "validate_cin_census",
    "validate_ssda903",
    "write_issues_workbook",
]
