"""What the book was built with: the collection year, the DfE ruleset, the
versions of D2I's tools, and the build date, shown in every page's footer.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import metadata

#: The distributions whose versions the footer names (D2I's tools, then ours).
TOOLS: tuple[tuple[str, str], ...] = (
    ("csc-validator-be-903", "SSDA903 validator"),
    ("csc-validator-be-cin", "CIN census validator"),
    ("cs-demand-model", "demand model"),
    ("d2i-examples", "these examples"),
)


@dataclass(frozen=True)
class BuildInfo:
    """The facts the footer states."""

    collection_year: int  # the year the returns end on 31 March: 2026 is 2025/26
    versions: dict[str, str]  # distribution name -> installed version
    built: date

    @property
    def year_label(self) -> str:
        """The collection year as the DfE writes it, e.g. "2025 to 2026"."""
        return f"{self.collection_year - 1} to {self.collection_year}"


def tool_versions() -> dict[str, str]:
    """The installed version of each distribution in TOOLS ("not installed" if missing)."""
    found = {}
    for name, _ in TOOLS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def sample_collection_year() -> int:
    """The latest collection year of the synthetic sample the book ran on."""
    from d2i_examples.datasets import sample_years

    return max(sample_years("ssda903"))


def build_info(collection_year: int | None = None, built: date | None = None) -> BuildInfo:
    """The build's facts: the sample's year unless given, versions installed now, today (UTC)."""
    return BuildInfo(
        collection_year=collection_year or sample_collection_year(),
        versions=tool_versions(),
        built=built or datetime.now(UTC).date(),
    )


def footer_html(info: BuildInfo) -> str:
    """One short paragraph for the footer of every page (sphinx-book-theme's extra_footer)."""
    versions = {name: info.versions.get(name, "not installed") for name, _ in TOOLS}
    tools = "; ".join(
        f"{html.escape(label)} <code>{html.escape(name)}</code> {html.escape(versions[name])}"
        for name, label in TOOLS
    )
    return (
        '<p class="d2i-build-info">'
        f"Collection year {info.year_label} (returns to 31 March {info.collection_year}), "
        f"validation rules: the validators' {info.year_label} rulesets. "
        f"Ran with: {tools}. "
        f"Built {info.built:%d %B %Y}. All data shown is synthetic."
        "</p>"
    )
