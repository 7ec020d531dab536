"""The glossary's terms, read from the one place they are defined: the
``{glossary}`` directive of book/glossary.md.

Each entry has one or more names (``ICPC`` and ``Initial child protection
conference``); Sphinx gives each name an anchor (``term-ICPC``). Names written
as codes (``RNE``, ``S47``, ``CIN census``, ``Annex A``: ``AUTO_LINKED``) are
linked at their first use on every page by the book's ``glossary_links``
extension; every other name is linked by hand, with a Markdown link to its
anchor, ``[care leavers](../glossary.md#term-Care-leaver)``, which works in
notebooks and pages alike.
"""

from __future__ import annotations

import re
from pathlib import Path

from d2i_examples import paths

GLOSSARY_PAGE = paths.BOOK_SOURCES / "glossary.md"
# Codes and names, which mean the glossary's term wherever they appear: a
# capital then at least one more capital or digit ("RNE", "S47", "DfE", "ChAT",
# "PATCh", "D2I"), optionally followed by a lower-case word ("RC codes", "CIN
# plan"); and "Annex A", "CIN census", "Ofsted", "903".
AUTO_LINKED = re.compile(
    r"^(?:[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*(?: [a-z]+)?|Annex A|CIN census|Ofsted|903)$")


def entries(glossary: Path = GLOSSARY_PAGE) -> list[tuple[str, ...]]:
    """The names of each glossary entry, in the page's order (the unindented
    lines of the glossary directive; a definition is indented)."""
    text = glossary.read_text(encoding="utf-8")
    if "```{glossary}" not in text:
        raise ValueError(f"{glossary} has no glossary directive")
    block = text.split("```{glossary}", 1)[1].split("```", 1)[0]
    found: list[tuple[str, ...]] = []
    names: list[str] = []
    for line in block.splitlines():
        if line and not line[0].isspace():
            names.append(line.strip())
        elif names:
            found.append(tuple(names))
            names = []
    if names:
        found.append(tuple(names))
    return found


def terms(glossary: Path = GLOSSARY_PAGE) -> list[str]:
    """Every name the glossary defines."""
    return [name for names in entries(glossary) for name in names]


def anchor(term: str) -> str:
    """The HTML id Sphinx gives a glossary term: ``Care leaver`` -> ``term-Care-leaver``."""
    return "term-" + re.sub(r"[^a-zA-Z0-9._]+", "-", " ".join(term.split())).strip("-._")


def auto_linked(term: str) -> bool:
    """Whether the book links this name at its first use on a page by itself."""
    return bool(AUTO_LINKED.match(term))


# Phrases in which a term's word has another meaning, so they are not uses of
# it: an EHC needs assessment is not a social work assessment, a CIN episode
# not an SSDA903 episode, contact with family not a contact to the front door.
NOT_THE_TERM = re.compile(
    r"(?i:(?:needs|impact|age|health|EHC)\s+assessments?"
    r"|CIN\s+episodes?|List\s+6\s+episodes?|missing\s+episodes?"
    r"|family\s+contact|contact\s+(?:the|us|D2I|your)|in\s+(?:touch|contact)"
    r"|(?:an|typing)\s+errors?)")
# Pages on which a term's word has another meaning throughout: setup's errors
# are the computer's, the SEND pages' assessments are EHC needs assessments.
OTHER_SENSE = {
    "setup.md": {"Error"},
    "ehc-plans-timeliness.ipynb": {"Assessment"},
    "send-children-in-need-and-care.ipynb": {"Assessment"},
    "send.md": {"Assessment"},
    "ssd-returns.ipynb": {"Query"},  # an SQL query, not a validator's
    "api-payload.ipynb": {"Episode"},  # the API's social care episode: one referral
}
