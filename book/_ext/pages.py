"""Where the book is published, worked out from the one setting that names it.

`repository.url` in _config.yml (e.g. https://github.com/OWNER/REPO) points the
launch and repository buttons at the project. GitHub Pages serves that
repository's site at https://OWNER.github.io/REPO/, so the same URL gives the
site's address (html_baseurl) and the sub-path the 404 page's links must start
with (sphinx-notfound-page's notfound_urls_prefix): a 404 page is served at any
depth, so its links cannot be relative. The address itself is worked out in
d2i_examples.paths (pages_site), which the reports made from a council's data
use too: their links to the book's pages point at the published site.

The Binder buttons open the commit the book is built from (paths.launch_ref), not
`repository.branch`, so a page launches the notebook it shows; the branch is
only the fallback when no commit can be found. Binder links written in a page's
prose (mybinder.org/v2/gh/OWNER/REPO/BRANCH?...) are pointed at the same commit.
"""

import re

from sphinx.util import logging

from d2i_examples.paths import launch_ref, pages_site

logger = logging.getLogger(__name__)


def _configure(app, config):
    url = (config.html_theme_options or {}).get("repository_url")
    if not url:
        raise ValueError("book/_config.yml needs repository.url (where the book is published)")
    site, prefix = pages_site(url)
    config.html_baseurl = config.html_baseurl or site
    config.notfound_urls_prefix = prefix
    ref, source = launch_ref(fallback=config.html_theme_options.get("repository_branch") or "main")
    config.html_theme_options["repository_branch"] = ref
    logger.info(f"Binder buttons open {ref} ({source})")


def binder_links_at(text: str, repository_url: str, ref: str) -> str:
    """``text`` with each mybinder.org link to this repository opening ``ref``."""
    owner, repo = [p for p in repository_url.split("github.com/", 1)[1].split("/") if p][:2]
    prefix = f"https://mybinder.org/v2/gh/{owner}/{repo}/"
    return re.sub(re.escape(prefix) + r"[^/?#\s)]+(?=[?)\s]|$)", prefix + ref, text)


def _prose_binder_links(app, docname, source):
    options = app.config.html_theme_options
    source[0] = binder_links_at(source[0], options["repository_url"], options["repository_branch"])


def setup(app):
    app.setup_extension("notfound.extension")
    # Before sphinx-notfound-page checks its settings (priority 500).
    app.connect("config-inited", _configure, priority=400)
    app.connect("source-read", _prose_binder_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
