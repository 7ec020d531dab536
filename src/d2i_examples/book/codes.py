"""The glossary's code tables, written from the code lists in spec/.

Each table is a MyST section with a label (``codes-rne``, ...), so glossary
entries and pages can link to it. The lists are the library's own: the same
ones the loaders check codes against.
"""

from __future__ import annotations

from collections.abc import Mapping

from d2i_examples.spec import cin_census as cin
from d2i_examples.spec import ssda903 as s903


def glossary_code_tables(
    collection_year: int = s903.LATEST_YEAR,
) -> list[tuple[str, str, str, dict]]:
    """Every code list the glossary shows, for one collection year (2026 is 2025/26):
    (label, heading, where the codes are used, {code: meaning})."""
    return [
        ("codes-rne", "RNE: reason for new episode (SSDA903)",
         "Why a new episode of care starts: column RNE of the SSDA903 episodes table.",
         s903.codes("RNE", collection_year)),
        ("codes-ls", "LS: legal status (SSDA903)",
         "The legal basis on which the child is looked after: column LS of the episodes table.",
         s903.codes("LS", collection_year)),
        ("codes-place", "PLACE: placement type (SSDA903)",
         (f"Where the child lives: column PLACE of the episodes table, as accepted in "
         f"{collection_year - 1}/{str(collection_year)[2:]}."),
         s903.codes("PLACE", collection_year)),
        ("codes-place-provider", "PLACE_PROVIDER: placement provider (SSDA903)",
         "Who provides the placement: column PLACE_PROVIDER of the episodes table.",
         s903.codes("PLACE_PROVIDER", collection_year)),
        ("codes-rec", "REC: reason episode ceased (SSDA903)",
         ("Why an episode ends: column REC of the episodes table. X1 means another "
         "episode starts the same day; every other code means the child left care."),
         s903.codes("REC", collection_year)),
        ("codes-need-903", "N codes: category of need (SSDA903)",
         ("The main reason the child is looked after: column CIN of the episodes table "
         "(N1 to N8)."),
         s903.codes("CIN", collection_year)),
        ("codes-need-cin", "N codes: primary need (CIN census)",
         ("The main reason the child is in need: PrimaryNeedCode in the CIN census "
         "(N0 to N9; Annex A List 6 uses the same codes)."),
         dict(cin.PRIMARY_NEED)),
        ("codes-rc", "RC codes: reason for closure (CIN census)",
         ("Why a child in need episode closed: ReasonForClosure in the CIN census and "
         "Annex A List 6."),
         dict(cin.REASON_FOR_CLOSURE)),
        ("codes-referral-source", "Referral source (CIN census)",
         "Who made the referral: ReferralSource in the CIN census, Annex A Lists 1 and 3.",
         {code: label for code, (label, _group) in cin.REFERRAL_SOURCES.items()}),
        ("codes-abuse", "Category of abuse (CIN census)",
         ("Why a child protection plan was made: InitialCategoryOfAbuse and "
         "LatestCategoryOfAbuse in the CIN census, Annex A List 7."),
         dict(cin.CATEGORY_OF_ABUSE)),
        ("codes-review", "REVIEW_CODE: participation in reviews (SSDA903)",
         ("How the child took part in a looked-after review: column REVIEW_CODE of the "
         "reviews table."),
         s903.codes("REVIEW_CODE", collection_year)),
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def code_table(codes: Mapping[str, str]) -> str:
    """A Markdown table with one row per code: | Code | Meaning |."""
    rows = ["| Code | Meaning |", "|---|---|"]
    rows += [f"| `{_cell(code)}` | {_cell(meaning)} |" for code, meaning in codes.items()]
    return "\n".join(rows) + "\n"


def code_tables_markdown(collection_year: int = s903.LATEST_YEAR) -> str:
    """Every code list as labelled MyST sections (``## heading``), for the glossary page."""
    parts = []
    for label, heading, where, codes in glossary_code_tables(collection_year):
        parts.append(f"({label})=\n### {heading}\n\n{where}\n\n{code_table(codes)}")
    return "\n".join(parts)
