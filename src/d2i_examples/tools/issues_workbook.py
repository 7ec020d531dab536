"""A validator's findings as an Excel workbook a team can work through.

Two sheets. "Issues by child": one row per row of ``ValidationResult.issues``
(a failing rule, table, row and column), sorted by child so each child's
problems sit together, with a "Guidance" column (how to fix it, or why the
validator is known to be wrong), and blank "Fixed?" (a drop-down) and
"Comment" columns for the team. "Summary": one row per rule that flagged
something or could not run. Each sheet has its header row frozen (with the
first column) and filters on every column.
"""

from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from pathlib import Path

import pandas as pd

from d2i_examples.errors import DataError
from d2i_examples.tools.validation_result import ValidationResult

ISSUES_SHEET = "Issues by child"
SUMMARY_SHEET = "Summary"
FIXED_COLUMN = "Fixed?"
FIXED_CHOICES = ("Yes", "No", "Not an error")
WHOLE_RETURN = "(whole return)"  # child cell of an issue about the return, not one child
_HEADER_FILL = "D9E2F3"
_WIDE = {"description", "Guidance", "note", "status", "Comment"}


def issues_workbook(
    result: ValidationResult,
    fixes: Mapping[str, str] | None = None,
    known_faults: Mapping[str, str] | None = None,
) -> bytes:
    """The .xlsx bytes of a work-through workbook for ``result``.

    Args:
        result: from ``validate_ssda903`` or ``validate_cin_census``.
        fixes: rule -> how to fix it (e.g. ``fix_guide.SSDA903_FIXES``).
        known_faults: rule -> why the validator flags it wrongly; these rules'
            guidance reads "Known validator fault: ..." instead.

    Returns:
        The workbook as bytes (write them to a file, or use
        ``write_issues_workbook``). Sheets ``ISSUES_SHEET`` (the child column,
        then the issue columns, ``Guidance``, ``Fixed?``, ``Comment``; one row
        per issue) and ``SUMMARY_SHEET`` (the summary columns and
        ``Guidance``).
    """
    from openpyxl import Workbook

    guidance = _guidance(fixes or {}, known_faults or {})
    child = result.child_column
    issues = result.issues.copy()
    issues[child] = issues[child].where(issues[child].notna(), WHOLE_RETURN)
    issues = issues.sort_values(
        child, key=lambda s: s.eq(WHOLE_RETURN).astype(str) + s.astype(str), kind="stable"
    )
    issues = issues[[child, *(c for c in issues.columns if c != child)]]
    issues["Guidance"] = issues["rule"].map(guidance).fillna("")
    issues[FIXED_COLUMN] = ""
    issues["Comment"] = ""
    summary = result.summary.copy()
    summary["Guidance"] = summary["rule"].map(guidance).fillna("")

    book = Workbook()
    _fill_sheet(book.active, ISSUES_SHEET, issues, fixed_column=True)
    _fill_sheet(book.create_sheet(), SUMMARY_SHEET, summary, fixed_column=False)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def read_issues_workbook(workbook: bytes) -> dict[str, pd.DataFrame]:
    """The sheets of a workbook made by ``issues_workbook``, by name, as frames."""
    return pd.read_excel(BytesIO(workbook), sheet_name=None)


def write_issues_workbook(
    result: ValidationResult,
    path: str | Path,
    fixes: Mapping[str, str] | None = None,
    known_faults: Mapping[str, str] | None = None,
) -> Path:
    """Save ``issues_workbook(result, fixes, known_faults)`` to ``path`` (an .xlsx file).

    The folder is created if needed. Refuses a path inside the project folder,
    where a workbook about real children could be committed or published.
    Returns the resolved path.
    """
    from d2i_examples.outputs import UnsafeOutputError, check_output_dir

    target = Path(path).expanduser()
    if target.suffix.lower() != ".xlsx":
        raise DataError(
            "The workbook needs a file name ending .xlsx.",
            file=target,
            expected="e.g. ~/d2i-reports/ssda903_issues.xlsx",
            found=target.name,
        )
    try:
        folder = check_output_dir(target.parent)
    except UnsafeOutputError:
        raise DataError(
            "Refusing to save the workbook inside the project folder: it lists children "
            "and could be committed or published with the book.",
            file=target,
            expected="a path outside the project",
            found=str(target.resolve()),
            fix="Set export_to to e.g. '~/d2i-reports/issues.xlsx', or a folder where your "
            "council keeps personal data.",
        ) from None
    folder.mkdir(parents=True, exist_ok=True)
    resolved = folder / target.name
    resolved.write_bytes(issues_workbook(result, fixes, known_faults))
    return resolved


def _guidance(fixes: Mapping[str, str], known_faults: Mapping[str, str]) -> dict[str, str]:
    notes = {str(rule): text for rule, text in fixes.items()}
    notes.update({str(rule): f"Known validator fault: {why}" for rule, why in known_faults.items()})
    return notes


def _cell(value: object) -> object:
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _fill_sheet(sheet, title: str, frame: pd.DataFrame, fixed_column: bool) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet.title = title
    columns = [str(c) for c in frame.columns]
    sheet.append(columns)
    for row in frame.itertuples(index=False):
        sheet.append([_cell(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for index, name in enumerate(columns, start=1):
        letter = get_column_letter(index)
        values = [name, *(str(v) for v in frame.iloc[:, index - 1].head(500) if _cell(v))]
        longest = max(len(v) for v in values)
        sheet.column_dimensions[letter].width = 50 if name in _WIDE else min(max(longest + 2, 8), 30)
        if name in _WIDE:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = "B2"
    last = get_column_letter(max(len(columns), 1))
    sheet.auto_filter.ref = f"A1:{last}{max(sheet.max_row, 1)}"
    if fixed_column and FIXED_COLUMN in columns:
        letter = get_column_letter(columns.index(FIXED_COLUMN) + 1)
        choices = DataValidation(
            type="list", formula1='"' + ",".join(FIXED_CHOICES) + '"', allow_blank=True
        )
        sheet.add_data_validation(choices)
        choices.add(f"{letter}2:{letter}{max(sheet.max_row, 2)}")
