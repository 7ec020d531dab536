"""What both validator wrappers do alike: yearly rulesets, rule choice, crashes, summaries.

D2I's SSDA903 and CIN validators both keep one ruleset module per collection
year (``lac2025_26``, ``cin2025_26``: the year named is the one the collection
starts), take a list of rule codes to run, and carry on past rules that crash.
"""

from __future__ import annotations

import pkgutil
import re
from collections.abc import Callable, Sequence
from types import ModuleType

import pandas as pd

from d2i_examples.errors import DataError
from d2i_examples.tools.validation_result import NOT_RUN


def ruleset_years(rules_package: ModuleType, prefix: str) -> list[int]:
    """Collection years with a module ``{prefix}YYYY_YY`` in the tool's rules package.

    The year returned is the one the collection ends (``lac2025_26`` gives 2026).
    """
    years = []
    for info in pkgutil.iter_modules(rules_package.__path__):
        found = re.fullmatch(rf"{prefix}(\d{{4}})_\d{{2}}", info.name)
        if found:
            years.append(int(found.group(1)) + 1)
    return sorted(years)


def selected_rules(
    rules, registry: dict, year: int, what: str, expected: str
) -> list[str] | None:
    """The rule codes asked for as strings (None: every rule), each checked against ``registry``.

    ``what`` names the codes in the message (e.g. "CIN rule"), ``expected``
    says where valid codes come from.
    """
    if rules is None:
        return None
    codes = [str(code) for code in ([rules] if isinstance(rules, str | int) else rules)]
    unknown = [code for code in codes if code not in registry]
    if unknown or not codes:
        raise DataError(
            f"Unknown {what} code(s) for {year - 1}/{str(year)[2:]}.",
            found=", ".join(unknown) or "an empty list",
            expected=expected,
            fix="Leave rules=None to run every rule.",
        )
    return codes


def crash_status(kind: str, detail: object, missing_column: str | None = None) -> str:
    """A crashed rule's status: a validator bug when it read a column the tool never creates."""
    if missing_column is not None:
        return (
            f"{NOT_RUN}: validator bug: the rule reads a column {missing_column!r} "
            "that the tool never creates"
        )
    return (
        f"{NOT_RUN}: the rule crashed ({kind}: {detail}); this may be a validator "
        "bug or an unexpected value in the data"
    )


def summary(
    issues: pd.DataFrame,
    rule_status: pd.DataFrame,
    *,
    where: pd.Series,
    child_column: str,
    first: Sequence[str] = ("description",),
    note: str | Callable = "first",
) -> pd.DataFrame:
    """One row per rule that flagged something, then one per rule that could not run.

    Flagging rules come most rows first (then by code), with ``children`` (distinct
    ``child_column``) and ``rows`` (distinct ``where``: the place a row stands);
    ``first`` columns and ``note`` (aggregated with ``note``) are taken per rule.
    Rules whose status starts "not run" follow, with no counts.
    """
    columns = ["rule", *first, "children", "rows", "status", "note"]
    flagged = (
        issues.assign(where=where)
        .groupby("rule", sort=False)
        .agg(
            **{name: (name, "first") for name in first},
            children=(child_column, "nunique"),
            rows=("where", "nunique"),
            note=("note", note),
        )
        .reset_index()
        .assign(status="run")
        .sort_values(["rows", "rule"], ascending=[False, True])
    )
    crashed = rule_status[rule_status["status"].str.startswith(NOT_RUN)].assign(
        children=pd.NA, rows=pd.NA, note=""
    )
    result = pd.concat([flagged[columns], crashed[columns]], ignore_index=True)
    return result.astype({"children": "Int64", "rows": "Int64"})
