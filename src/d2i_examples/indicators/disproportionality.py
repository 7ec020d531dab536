"""Disproportionality: rates per 10,000 children by ethnic group at each stage.

Re-creates D2I's disproportionality analysis: for each stage (referral, child
protection plan, looked after) the number of children of each ethnic group,
their rate per 10,000 children of that group in the local child population,
a confidence interval, and the ratio to a comparison group's rate (default
White British), with its own confidence interval. Small counts are suppressed.

Ethnicity codes are the DfE codes shared by SSDA903 (ETHNIC), the CIN census
(Ethnicity) and Annex A. Grouping levels:
- "detailed": the 18 categories (White British, Indian, ...);
- "major": the five major groups (White, Mixed, Asian, Black, Other);
- "major_white_british" (default): the five, with White split into White
  British and Other White, so White British can be the comparison group.
Chinese (CHNE) is grouped with Asian, as in the 2021 Census (ONS), the usual
source of the child population; older DfE tables put it under "Other". Pass
your own `groups` mapping to change any of this. REFU (refused) and NOBT (not
obtained) are "Not known"; any other value is "Unrecognised", shown rather than
dropped.

Confidence intervals (confidence level a parameter, default 95%):
- method="wilson": Wilson score interval for the proportion children /
  population; the ratio's interval from the conditional binomial (children of
  the group among children of both groups), also by Wilson's score method;
- method="byar": Byar's approximation to the exact Poisson interval for the
  count; the ratio's interval by the log method, exp(log ratio +- z *
  sqrt(1/a + 1/b)).
Suppression: a count below `threshold` (default 5, zeros included) is not
shown, and nor is anything it could be recovered from (its rate, interval and
ratio); ratios are not shown when the comparison group is suppressed.
"""

from __future__ import annotations

from collections.abc import Mapping
from statistics import NormalDist

import numpy as np
import pandas as pd

from d2i_examples.errors import DataError
from d2i_examples.indicators import frames
from d2i_examples.indicators.periods import as_date, in_window, open_on, overlaps, window_start
from d2i_examples.spec.ssda903 import ETHNIC

# DfE ethnicity code -> major group. Detailed labels are spec.ssda903.ETHNIC's.
MAJOR_GROUPS: dict[str, str] = {
    **dict.fromkeys(["WBRI", "WIRI", "WIRT", "WROM", "WOTH"], "White"),
    **dict.fromkeys(["MWBC", "MWBA", "MWAS", "MOTH"], "Mixed"),
    **dict.fromkeys(["AIND", "APKN", "ABAN", "CHNE", "AOTH"], "Asian"),
    **dict.fromkeys(["BCRB", "BAFR", "BOTH"], "Black"),
    "OOTH": "Other",
    **dict.fromkeys(["REFU", "NOBT"], "Not known"),
}
LEVELS = ("detailed", "major", "major_white_british")
NOT_KNOWN, UNRECOGNISED = "Not known", "Unrecognised"


def ethnicity_groups(level: str = "major_white_british") -> dict[str, str]:
    """Code -> group label at a level ("detailed", "major", "major_white_british")."""
    if level not in LEVELS:
        raise DataError("Unknown ethnicity grouping level.", expected=" or ".join(LEVELS),
                        found=repr(level))
    if level == "detailed":
        return {code: ETHNIC[code] if MAJOR_GROUPS[code] != NOT_KNOWN else NOT_KNOWN
                for code in MAJOR_GROUPS}
    groups = dict(MAJOR_GROUPS)
    if level == "major_white_british":
        groups.update({code: "Other White" for code, g in groups.items() if g == "White"})
        groups["WBRI"] = "White British"
    return groups


def ethnic_group(values: pd.Series, level: str = "major_white_british",
                 groups: Mapping[str, str] | None = None) -> pd.Series:
    """Group labels for ethnicity codes (case and spaces ignored; blanks are "Not known")."""
    groups = dict(groups) if groups is not None else ethnicity_groups(level)
    codes = frames.clean_codes(values)
    labels = codes.map({k.upper(): v for k, v in groups.items()})
    labels = labels.astype("object").where(labels.notna(), UNRECOGNISED)
    return labels.where(codes.notna(), NOT_KNOWN).rename("ethnic_group")


def count_children(frame: pd.DataFrame, child_column: str, ethnicity_column: str, stage: str,
                   level: str = "major_white_british",
                   groups: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Distinct children per ethnic group: columns stage, ethnic_group, children.

    A child listed several times counts once, in the group of their first row.
    """
    frames.require_columns(frame, [child_column, ethnicity_column], f"the {stage} table")
    children = frame.drop_duplicates(child_column)
    labels = ethnic_group(children[ethnicity_column], level, groups)
    counts = labels.value_counts().rename_axis("ethnic_group").rename("children").reset_index()
    counts.insert(0, "stage", stage)
    return counts.sort_values("ethnic_group", ignore_index=True)


COUNTS = ("period", "snapshot")
COUNT_MEANING = {
    "period": "on a plan or in care at any time in the period",
    "snapshot": "on a plan or in care on the reference date, as DfE's 31 March figures",
}


def stage_children(annex_a: Mapping[str, pd.DataFrame], reference_date, months: int = 12,
                   level: str = "major_white_british",
                   groups: Mapping[str, str] | None = None,
                   count: str = "period") -> pd.DataFrame:
    """Children per ethnic group at three stages in the Annex A window.

    Referral: referred in the window (List 3). With count="period": child
    protection plan, on a plan at any time in the window (List 7: started by its
    end, not ended before its start); looked after, at any time in the window
    (List 8). With count="snapshot": on a plan, or looked after, on the reference
    date itself. DfE's published figures by ethnicity for CP plans and children
    looked after are 31 March snapshots (Characteristics of children in need;
    Children looked after in England), so "snapshot" on 31 March is the one to
    compare with them; "period" counts more children (everyone who passed
    through), so its rates are higher and not comparable.
    """
    if count not in COUNTS:
        raise DataError("Unknown way of counting children at a stage.", column="count",
                        expected="'period' (at any time in the window) or 'snapshot' "
                                 "(on the reference date)", found=repr(count))
    start, end = window_start(reference_date, months), as_date(reference_date)
    parts = []
    list_3 = frames.table(annex_a, "list_3", "Annex A")
    referral_date = frames.dates(list_3, "Date of referral", frames.annex_source("list_3"))
    referred = in_window(referral_date, start, end)
    parts.append(("Referral", list_3[referred]))
    for key, stage, began, ended in [
        ("list_7", "Child protection plan", "Child Protection Plan Start Date",
         "Child Protection Plan End Date"),
        ("list_8", "Looked after", "Date Started to be Looked After",
         "Date Ceased to be Looked After"),
    ]:
        frame = frames.table(annex_a, key, "Annex A")
        source = frames.annex_source(key)
        began_on, ended_on = frames.dates(frame, began, source), frames.dates(frame, ended, source)
        touched = (open_on(began_on, ended_on, end) if count == "snapshot"
                   else overlaps(began_on, ended_on, start, end))
        parts.append((stage, frame[touched]))
    return pd.concat([count_children(f, "Child Unique ID", "Ethnicity", stage, level, groups)
                      for stage, f in parts], ignore_index=True)


def population_by_group(population: pd.DataFrame, level: str = "major_white_british",
                        groups: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The child population added up by ethnic group: columns ethnic_group, population.

    `population` has columns ethnicity and population (datasets.load_population).
    An ethnicity is a DfE code (grouped as ethnic_group does) or already a group
    name at this level ("White British", "Mixed"; case ignored), so a council
    with figures by major group only can use them. Not known (REFU, NOBT) is
    left out: it is a recording outcome, not a group of the population (the
    Census has no such category), so it has no rate. Anything else
    unrecognised raises DataError.
    """
    frames.require_columns(population, ["ethnicity", "population"], "the population table")
    chosen = dict(groups) if groups is not None else ethnicity_groups(level)
    labels = ethnic_group(population["ethnicity"], level, chosen).astype(object)
    names = {str(g).upper(): g for g in chosen.values()}
    named = frames.clean_codes(population["ethnicity"]).map(names)
    labels = labels.where(labels.ne(UNRECOGNISED) | named.isna(), named)
    unknown = labels.eq(UNRECOGNISED)
    if unknown.any():
        raise DataError(
            "The population table has ethnicities that are not DfE codes or group names.",
            file="the population table", column="ethnicity",
            expected="DfE codes such as WBRI, MWBC, AIND, BAFR, OOTH, or group names such as "
            + ", ".join(repr(g) for g in dict.fromkeys(chosen.values()) if g != NOT_KNOWN),
            found=", ".join(population["ethnicity"][unknown].astype(str).unique()[:8]),
            fix="Use the codes of the SSDA903 and CIN census ETHNIC field.")
    table = pd.DataFrame({"ethnic_group": labels, "population": population["population"]})
    table = table[table["ethnic_group"].ne(NOT_KNOWN)]
    return table.groupby("ethnic_group", sort=False, as_index=False)["population"].sum()


def _z(confidence: float) -> float:
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson_interval(successes, trials, confidence: float = 0.95):
    """Wilson score interval (lower, upper) for successes / trials, as proportions."""
    k, n = np.asarray(successes, dtype=float), np.asarray(trials, dtype=float)
    z = _z(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def byar_interval(count, confidence: float = 0.95):
    """Byar's approximation to the exact Poisson interval (lower, upper) for a count."""
    k = np.asarray(count, dtype=float)
    z = _z(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = k * (1 - 1 / (9 * k) - z / (3 * np.sqrt(k))) ** 3
        upper = (k + 1) * (1 - 1 / (9 * (k + 1)) + z / (3 * np.sqrt(k + 1))) ** 3
    return np.where(k > 0, lower, 0.0), upper


def _population(population) -> pd.Series:
    if isinstance(population, pd.DataFrame):
        frames.require_columns(population, ["ethnic_group", "population"], "the population table")
        population = population.groupby("ethnic_group")["population"].sum()
    population = pd.Series(population, dtype="float64")
    if (population <= 0).any() or population.isna().any():
        raise DataError("The population table has a group with no children.",
                        file="the population table", column="population",
                        expected="a positive number of children for every group",
                        found=", ".join(population[~(population > 0)].index.astype(str)))
    return population


def disproportionality(counts: pd.DataFrame, population, comparison: str = "White British",
                       per: int = 10_000, confidence: float = 0.95, method: str = "wilson",
                       threshold: int = 5) -> pd.DataFrame:
    """Rates per `per` children by ethnic group and stage, and ratios to `comparison`.

    `counts`: columns stage, ethnic_group, children (stage_children or
    count_children). `population`: the local child population by group, as a
    DataFrame (ethnic_group, population), Series or dict, in the same groups.
    Every population group appears at every stage (0 children if none counted);
    groups with no population (Not known, Unrecognised) keep their count but get
    no rate. Returns: stage, ethnic_group, children, population, rate,
    rate_lower, rate_upper, ratio, ratio_lower, ratio_upper, suppressed
    (children < threshold: count, rate and ratio blanked).
    """
    if method not in ("wilson", "byar"):
        raise DataError("Unknown confidence interval method.", expected="'wilson' or 'byar'",
                        found=repr(method))
    frames.require_columns(counts, ["stage", "ethnic_group", "children"], "the counts table")
    pop = _population(population)
    if comparison not in pop.index:
        raise DataError("The comparison group is not in the population table.",
                        column="ethnic_group", expected=repr(comparison),
                        found=", ".join(map(str, pop.index)),
                        fix="Set comparison to one of the groups found (with the same "
                        "grouping), e.g. -p comparison=\"White British\".")
    # every group of the population at every stage, 0 where no child was counted
    observed = counts.groupby(["stage", "ethnic_group"], sort=False)["children"].sum()
    stages = counts["stage"].drop_duplicates()
    groups = pop.index.append(observed.index.get_level_values(1)).drop_duplicates()
    full = pd.MultiIndex.from_product([stages, groups], names=["stage", "ethnic_group"])
    table = observed.reindex(full, fill_value=0).reset_index()
    table["population"] = table["ethnic_group"].map(pop)
    k, n = table["children"].to_numpy(float), table["population"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["rate"] = per * k / n
        if method == "wilson":
            lo, hi = wilson_interval(k, n, confidence)
            table["rate_lower"], table["rate_upper"] = per * lo, per * hi
        else:
            lo, hi = byar_interval(k, confidence)
            table["rate_lower"], table["rate_upper"] = per * lo / n, per * hi / n
    reference = table[table["ethnic_group"].eq(comparison)].set_index("stage")
    k2 = table["stage"].map(reference["children"]).to_numpy(float)
    n2 = table["stage"].map(reference["population"]).to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["ratio"] = (k / n) / (k2 / n2)
        if method == "wilson":
            lo, hi = wilson_interval(k, k + k2, confidence)
            table["ratio_lower"] = lo / (1 - lo) * n2 / n
            table["ratio_upper"] = np.where(hi < 1, hi / (1 - hi), np.inf) * n2 / n
        else:
            spread = _z(confidence) * np.sqrt(1 / k + 1 / k2)
            table["ratio_lower"] = table["ratio"] * np.exp(-spread)
            table["ratio_upper"] = table["ratio"] * np.exp(spread)
    table["suppressed"] = table["children"] < threshold
    hidden = table["suppressed"] | (table["stage"].map(reference["children"]) < threshold)
    table.loc[table["suppressed"], ["children", "rate", "rate_lower", "rate_upper"]] = np.nan
    table.loc[hidden, ["ratio", "ratio_lower", "ratio_upper"]] = np.nan
    table.loc[table["population"].isna(), ["rate", "rate_lower", "rate_upper"]] = np.nan
    table["children"] = table["children"].astype("Int64")
    return table


def hidden_note(table: pd.DataFrame, comparison: str = "White British",
                threshold: int = 5) -> str:
    """A sentence on what ``disproportionality`` hid (counts below ``threshold``): how
    many groups at each stage, and the stages with no ratio at all because the
    ``comparison`` group was hidden there; "" when nothing is hidden."""
    hidden = table[table["suppressed"]]
    if hidden.empty:
        return ""
    parts = [f"{stage}: {', '.join(groups)}" for stage, groups in
             hidden.groupby("stage", sort=False)["ethnic_group"].agg(list).items()]
    text = (f"Hidden for having fewer than threshold={threshold} children: "
            f"{'; '.join(parts)}.")
    blind = list(hidden.loc[hidden["ethnic_group"].eq(comparison), "stage"])
    if blind:
        text += (f" {comparison}, the comparison group, is hidden at {', '.join(blind)}, so "
                 "no ratio is shown there.")
    return text + " Counts this small identify children: agree the threshold with partners."


def readable_table(table: pd.DataFrame, comparison: str = "White British",
                   marker: str = "c") -> pd.DataFrame:
    """The disproportionality table as a reader sees it, for display or export.

    One row per stage and group: children, rate per 10,000 (whole number),
    its interval "a to b", ratio (2 decimals) and its interval. Suppressed
    cells show `marker` ("c", as DfE tables do); blanks mean "not applicable"
    (no population for the group, or the comparison group's own ratio interval).
    """
    frames.require_columns(table, ["stage", "ethnic_group", "children", "rate", "rate_lower",
                                   "rate_upper", "ratio", "ratio_lower", "ratio_upper",
                                   "suppressed", "population"], "the disproportionality table")

    def show(values, digits):
        return values.map(lambda v: "" if pd.isna(v) else f"{v:,.{digits}f}")

    def between(lower, upper, digits):
        text = show(lower, digits) + " to " + show(upper, digits)
        return text.where(lower.notna() & upper.notna(), "")

    hidden = table["suppressed"].to_numpy(bool)
    no_ratio = table["ratio"].isna().to_numpy() & ~hidden
    out = pd.DataFrame({
        "stage": table["stage"],
        "group": table["ethnic_group"],
        "children": show(table["children"].astype("float64"), 0),
        "rate per 10,000": show(table["rate"], 0),
        "rate interval": between(table["rate_lower"], table["rate_upper"], 0),
        "ratio": show(table["ratio"], 2),
        "ratio interval": between(table["ratio_lower"], table["ratio_upper"], 2),
    })
    own = table["ethnic_group"].eq(comparison).to_numpy()
    out.loc[own, "ratio interval"] = "(comparison)"
    out.loc[hidden, ["children", "rate per 10,000", "rate interval"]] = marker
    has_population = table["population"].notna().to_numpy()
    out.loc[hidden & has_population, ["ratio", "ratio interval"]] = marker
    # a ratio hidden because the comparison group was suppressed
    out.loc[no_ratio & has_population & ~own, ["ratio", "ratio interval"]] = marker
    return out.reset_index(drop=True)
