"""The gallery of shared settings files (settings/*.yaml), and what may never be in one.

A settings file is the unit councils share: parameters and a column mapping,
with an ``about`` block saying which system's export it fits, which worked
examples it is for and what it changes. It must hold no data about a child
and no name of a child or a member of staff: :func:`record_like_values` finds
values that look like records (identifiers, postcodes, dates of birth in a
mapping, e-mail addresses, phone numbers, people's names, paths on someone's
machine). The book's gallery page is generated from the files by
:func:`gallery_markdown`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from d2i_examples import paths
from d2i_examples.settings.model import Settings, read_settings, read_yaml

GALLERY = paths.ROOT / "settings"
#: The first line every gallery file starts with, so editors find the schema.
SCHEMA_COMMENT = "# yaml-language-server: $schema=settings.schema.json"
#: Parameters that name a child or a place on someone's machine: never shared.
PRIVATE_PARAMETERS = {
    "child_id": "names one child",
    "data_dir": "is a folder on your machine (its path can name you)",
    "salt_file": "is a file on your machine, and the salt itself is a secret",
    "export_to": "is a file on your machine (its path can name you)",
    "population_file": "is a file on your machine (its path can name you)",
}
_RECORD_PATTERNS = {
    "a unique pupil number (UPN)": re.compile(r"\b[A-Z]\d{11}[0-9A-Z]\b"),
    "an NHS number": re.compile(r"\b\d{3}\s?\d{3}\s?\d{4}\b"),
    "a full postcode": re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),
    "an e-mail address": re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b"),
    "a phone number": re.compile(r"(?<!\d)(?:\+44\s?|0)\d{2,4}\s?\d{3,4}\s?\d{3,4}(?!\d)"),
    "a person's name": re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z]+"),
    "a child's record identifier": re.compile(r"\b(?:SYN)?\d{6,}\b"),
}
_DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d\d\b|\b(?:19|20)\d\d-\d\d-\d\d\b")


def _walk(value: Any, where: str):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(key, f"{where} (a key)")
            yield from _walk(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{where}[{index}]")
    elif value is not None and not isinstance(value, bool):
        yield where, str(value)


def record_like_values(data: Any) -> list[str]:
    """Every value in a settings file's content that looks like part of a record.

    A shared file is refused when this is not empty; each entry says where the
    value is and what it looks like, never the value itself (so the message is
    safe to paste into a pull request).
    """
    if not isinstance(data, dict):
        return []
    problems = []
    for name, why in PRIVATE_PARAMETERS.items():
        if (data.get("parameters") or {}).get(name) is not None:
            problems.append(f"parameters.{name} {why}: leave it out of a shared file")
    for where, text in _walk(data, "settings"):
        where = where.removeprefix("settings.")
        for what, pattern in _RECORD_PATTERNS.items():
            if pattern.search(text):
                problems.append(f"{where} holds what looks like {what}")
        if where.startswith("mapping") and _DATE.search(text):
            problems.append(f"{where} holds a date: a mapping needs headings and codes only")
    return problems


@dataclass(frozen=True)
class GalleryEntry:
    """One shared settings file and what it says about itself."""

    path: Path
    settings: Settings

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def notebooks(self) -> list[str]:
        return list(self.settings.about.get("notebooks", []))


def gallery(folder: Path = GALLERY) -> list[GalleryEntry]:
    """Every settings file in the gallery folder, read and validated, by file name."""
    return [GalleryEntry(p, read_settings(p)) for p in sorted(folder.glob("*.yaml"))]


def gallery_problems(path: Path) -> list[str]:
    """What stops one file being in the gallery: its first line, its about block, records."""
    problems = []
    first = path.read_text(encoding="utf-8-sig").splitlines()[:1]
    if first != [SCHEMA_COMMENT]:
        problems.append(f"the first line must be `{SCHEMA_COMMENT}`")
    settings = read_settings(path)
    for key in ("system", "notebooks", "changes"):
        if not settings.about.get(key):
            problems.append(f"about.{key} is missing: say who the file is for")
    problems += record_like_values(read_yaml(path))
    return problems


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def gallery_markdown(folder: Path = GALLERY) -> str:
    """A Markdown table of the gallery: file, written for, worked examples, what it changes."""
    rows = ["| settings file | written for | worked examples | what it changes |",
            "|---|---|---|---|"]
    for entry in gallery(folder):
        about = entry.settings.about
        examples = ", ".join(f"[{n}](notebooks/{n}.ipynb)" for n in entry.notebooks)
        rows.append(f"| `{entry.name}` | {_cell(about.get('system', ''))} | {examples} "
                    f"| {_cell(about.get('changes', ''))} |")
    return "\n".join(rows) + "\n"
