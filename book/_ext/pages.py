"""Where the book is published, worked out from the one setting that names it.

`repository.url` in _config.yml (e.g. https://github.com/OWNER/REPO) points the
launch and repository buttons at the project. GitHub Pages serves that
repository's site at https://OWNER.github.io/REPO/, so the same URL gives the
site's address (html_baseurl) and the sub-path the 404 page's links must start
with (sphinx-notfound-page's notfound_urls_prefix): a 404 page is served at any
depth, so its links cannot be relative.
"""

from urllib.parse import urlparse


def pages_site(repository_url: str) -> tuple[str, str]:
    """(site URL, path prefix) of the GitHub Pages site of ``repository_url``."""
    parts = [p for p in urlparse(repository_url).path.split("/") if p]
    if len(parts) != 2:
        raise ValueError(f"repository.url must be https://github.com/OWNER/REPO, not {repository_url!r}")
    owner, repo = parts
    if repo.lower() == f"{owner.lower()}.github.io":  # a user or organisation site
        return f"https://{repo.lower()}/", "/"
    return f"https://{owner.lower()}.github.io/{repo}/", f"/{repo}/"


def _configure(app, config):
    url = (config.html_theme_options or {}).get("repository_url")
    if not url:
        raise ValueError("book/_config.yml needs repository.url (where the book is published)")
    site, prefix = pages_site(url)
    config.html_baseurl = config.html_baseurl or site
    config.notfound_urls_prefix = prefix


def setup(app):
    app.setup_extension("notfound.extension")
    # Before sphinx-notfound-page checks its settings (priority 500).
    app.connect("config-inited", _configure, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
