"""Where things live in a checkout of the project."""

from __future__ import annotations

from pathlib import Path

#: The repository root (the folder holding pyproject.toml).
ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
BOOK_SOURCES = ROOT / "book"
SAMPLE_DATA = ROOT / "sample_data"
#: Scratch space for executed notebooks and the assembled book sources.
BUILD = ROOT / "build"
EXECUTED = BUILD / "notebooks"
#: Where `make book` leaves the HTML.
BOOK_HTML = BOOK_SOURCES / "_build" / "html"
