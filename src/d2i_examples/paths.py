"""Where things live in a checkout of the project, and where the book is published."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
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


def launch_ref(root: Path = ROOT, environ: Mapping[str, str] = os.environ,
               fallback: str = "main") -> tuple[str, str]:
    """(git ref, where it came from) the book's Binder buttons open: the commit the book
    is built from, so a page opens the notebook it shows, not whatever ``main`` holds by then.

    CI's ``GITHUB_SHA`` first (git may refuse a checkout another user owns in a
    container), then ``git rev-parse HEAD`` in ``root``; with neither (a copy without
    git), ``fallback``, the branch in _config.yml, and the reason says so.
    """
    sha = environ.get("GITHUB_SHA", "").strip().lower()
    if re.fullmatch(r"[0-9a-f]{40}", sha):
        return sha, "GITHUB_SHA"
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                              text=True, check=False)
    except OSError:  # no git installed
        head = None
    if head is not None and head.returncode == 0 and re.fullmatch(r"[0-9a-f]{40}", head.stdout.strip()):
        return head.stdout.strip(), "git rev-parse HEAD"
    return fallback, f"no commit found (no GITHUB_SHA, no git checkout at {root}): the {fallback!r} branch"
