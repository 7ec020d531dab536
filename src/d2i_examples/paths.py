"""Where things live in a checkout of the project, and where the book is published."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

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


def pages_site(repository_url: str) -> tuple[str, str]:
    """(site URL, path prefix) of the GitHub Pages site of ``repository_url``.

    GitHub Pages serves the site of https://github.com/OWNER/REPO at
    https://owner.github.io/REPO/ (path prefix /REPO/), and that of a repository
    named OWNER.github.io at https://owner.github.io/ (prefix /).
    """
    parts = [p for p in urlparse(repository_url).path.split("/") if p]
    if len(parts) != 2:
        raise ValueError(f"repository.url must be https://github.com/OWNER/REPO, not {repository_url!r}")
    owner, repo = parts
    if repo.lower() == f"{owner.lower()}.github.io":  # a user or organisation site
        return f"https://{repo.lower()}/", "/"
    return f"https://{owner.lower()}.github.io/{repo}/", f"/{repo}/"


def published_site(book_dir: Path = BOOK_SOURCES) -> tuple[str, str]:
    """(site URL, path prefix) where the book is published: from ``repository.url`` in
    the book's _config.yml, its one setting for that (README, "Publishing your own copy")."""
    import yaml

    config = yaml.safe_load((book_dir / "_config.yml").read_text(encoding="utf-8"))
    return pages_site(config["repository"]["url"])
