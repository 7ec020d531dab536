"""Thin wrappers over D2I's real Python tools, handing back tidy pandas frames.

    ssda903_validator.py  ``validate_ssda903``: the SSDA903 validator (csc-validator-be-903,
                          ``lac_validator``), its rules by year
    ssda903_rows.py       ``read_ssda903_files``, ``child_rows``: the 903 files as the
                          validator read them, and one child's flagged rows
    cin_validator.py      ``validate_cin_census``, ``read_child_xml``: the CIN census validator
                          (csc-validator-be-cin, ``cin_validator``)
    cin_tables.py         the census XML read into the tool's own tables, in one pass
    demand_model/         ``forecast_demand``, ``cost_projection``, ``cost_by_financial_year``:
                          Social Finance's demand model (``cs_demand_model``), with a range
                          from ``demand_model.MultinomialPredictor``
    known_faults.py       what the validators are known to get wrong, rule by rule, and why
    issues_workbook.py    a validator's findings as an Excel workbook a team works through
    fix_guide.py          ``SSDA903_FIXES`` / ``CIN_FIXES``: how to fix common rules
    validation_result.py  ``ValidationResult``, the one shape both validators' findings take
    _csv_input.py, _rulesets.py, _quiet.py
                          handing files to a tool as bytes, the rule years a tool has, and
                          importing a tool without changing the reader's logging

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
from d2i_examples.tools.ssda903_rows import child_rows, read_ssda903_files
from d2i_examples.tools.ssda903_validator import (
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
