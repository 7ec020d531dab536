"""What a validator wrapper hands back: tidy frames plus the tool's own objects."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

NOT_RUN = "not run"  # status prefix of a rule that crashed inside the validator
SKIPPED = "skipped"  # status prefix of a rule the validator skipped
CRASHED, SKIP = "crashed inside the validator", "skipped by the validator"


@dataclass(repr=False)
class ValidationResult:
    """The outcome of one validation run.

    Attributes:
        issues: one row per failing (rule, table, row, column); columns are
            described by the function that made the result.
        summary: one row per rule that flagged something or could not run:
            rule, description, children, rows, status, note.
        rules: every rule selected for the run and its status: ``"run"``,
            ``"skipped: ..."`` (a table it needs was not supplied, e.g. last
            year's, which is optional: the printed result names them) or
            ``"not run: ..."`` (it crashed; the reason says why).
        collection_year: the year the collection ends (2026 means 2025/26).
        validator: the tool's own validator object (LacValidator or CinValidator).
        report: the tool's own report object (lac_validator's Report), or None.
        ingress: how the input was read into the tool's tables, when there is a choice.
        rules_year: the year whose rules ran, when the reader asked for another year's
            than the files' (``rules_year``: the validator has no rules for theirs).
    """

    title: str
    issues: pd.DataFrame
    summary: pd.DataFrame
    rules: pd.DataFrame
    collection_year: int
    validator: object
    report: object | None = None
    child_column: str = "CHILD"
    ingress: str | None = None
    rules_year: int | None = None

    @property
    def not_run(self) -> pd.DataFrame:
        """The rules that crashed, with the reason (``status``)."""
        return self.rules[self.rules["status"].str.startswith(NOT_RUN)].reset_index(drop=True)

    @property
    def skipped(self) -> pd.DataFrame:
        """The rules the validator skipped: a table, last year's return or a lookup they
        need was not given, or they do not apply to this kind of upload (``status``)."""
        return self.rules[self.rules["status"].str.startswith(SKIPPED)].reset_index(drop=True)

    @property
    def not_checked(self) -> pd.DataFrame:
        """Every rule that did not check the return, one row each: rule, description,
        why (``crashed inside the validator`` or ``skipped by the validator``) and
        status (the reason, and what it needs)."""
        out = pd.concat([self.not_run.assign(why=CRASHED), self.skipped.assign(why=SKIP)],
                        ignore_index=True)
        return out[["rule", "description", "why", "status"]]

    def __repr__(self) -> str:
        year = f"{self.collection_year - 1}/{str(self.collection_year)[2:]}"
        children = self.issues[self.child_column].nunique()
        flagged = self.issues["rule"].nunique()
        headline = (
            f"{self.title}, {year} rules: {len(self.rules)} rules selected, "
            f"{flagged} flagged {len(self.issues)} issue rows for {children} "
            f"{'child' if children == 1 else 'children'}."
        )
        lines = [headline]
        if self.rules_year is not None and self.rules_year != self.collection_year:
            lines[0] = headline.replace(f"{year} rules", f"{_label(self.rules_year)} rules on "
                                        f"{year} files")
            lines.append(borrowed_rules_note(self.title.split()[0], self.collection_year,
                                             self.rules_year))
        crashed = self.not_run
        if len(crashed):
            lines.append(f"{len(crashed)} rule(s) crashed inside the validator and could not "
                         f"run: {', '.join(crashed['rule'])}.")
        skipped = self.skipped
        lookup = skipped["status"].str.contains("Ofsted providers lookup")
        last_year = skipped["status"].str.contains("previous year's") & ~lookup
        other = ~last_year & ~lookup
        kinds = {
            "compare with last year's return, whose files were not given": last_year,
            "need a lookup that was not given (the Ofsted providers lists)": lookup,
            "need a table that was not given, or do not apply to these files": other,
        }
        for why, mask in kinds.items():
            if mask.any():
                lines.append(f"{mask.sum()} rule(s) were skipped: they {why} ("
                             + ", ".join(skipped.loc[mask, "rule"]) + ").")
        lines.append("See .summary, .issues, .rules and .not_checked.")
        return "\n".join(lines)


def _label(year: int) -> str:
    return f"{year - 1}/{str(year)[2:]}"


def borrowed_rules_note(tool: str, data_year: int, rules_year: int) -> str:
    """What running another year's rules means, said on the result and by the check."""
    return (f"D2I's {tool} validator has no {_label(data_year)} rules, so the "
            f"{_label(rules_year)} rules ran, because you asked (rules_year={rules_year}). "
            "Codes and rules that changed between the two years may be flagged wrongly or "
            "missed: read each issue against your year's DfE guide.")


def rule_number(rules: pd.Series) -> pd.Series:
    """A sort key that orders rule codes as numbers: 101, 1006, 1009 (not 1006, 1009, 101);
    a letter after the number (8525Q) sorts after the bare number; codes that do not
    start with a number (INT13, SW02STG1) come after every numbered rule."""
    text = rules.astype("string")
    number = pd.to_numeric(text.str.extract(r"^(\d+)", expand=False), errors="coerce")
    return number.fillna(float("inf")) + text.str.len().fillna(0) / 1000


def most_common_rules(summary: pd.DataFrame, by: str = "rows") -> pd.DataFrame:
    """``summary`` with the rules flagging most ``by`` first, ties in rule-number order."""
    order = summary.assign(_key=rule_number(summary["rule"]))
    order = order.sort_values([by, "_key", "rule"], ascending=[False, True, True],
                              kind="stable")
    return order.drop(columns="_key")
