"""The Binder buttons open the commit the book was built from, not ``main``
(paths.launch_ref and book/_ext/pages.py): a page must launch the notebook it shows."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path
from types import SimpleNamespace

from d2i_examples import paths

_spec = importlib.util.spec_from_file_location("pages", paths.BOOK_SOURCES / "_ext" / "pages.py")
pages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pages)

SHA = "0123456789abcdef0123456789abcdef01234567"


def _commit(folder) -> str:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(git + ["init", "-q"], cwd=folder, check=True)
    subprocess.run(git + ["commit", "-q", "--allow-empty", "-m", "x"], cwd=folder, check=True)
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_ci_names_the_commit_it_builds():
    assert paths.launch_ref(environ={"GITHUB_SHA": SHA.upper()}) == (SHA, "GITHUB_SHA")


def test_a_checkout_gives_its_head_commit(tmp_path):
    head = _commit(tmp_path)
    assert paths.launch_ref(tmp_path, environ={"GITHUB_SHA": "not-a-sha"}) == (head, "git rev-parse HEAD")


def test_without_git_the_branch_is_the_fallback_and_the_reason_says_why(tmp_path):
    ref, why = paths.launch_ref(tmp_path, environ={}, fallback="main")
    assert ref == "main" and "no commit found" in why and str(tmp_path) in why


def test_the_book_config_points_binder_at_the_commit(monkeypatch):
    """What the extension does when Sphinx starts: the theme's branch becomes the commit."""
    monkeypatch.setenv("GITHUB_SHA", SHA)
    config = SimpleNamespace(
        html_theme_options={"repository_url": "https://github.com/SomeCouncil/d2i-examples",
                            "repository_branch": "main"},
        html_baseurl="", notfound_urls_prefix=None)
    pages._configure(None, config)
    assert config.html_theme_options["repository_branch"] == SHA
    assert config.notfound_urls_prefix == "/d2i-examples/"


def test_the_theme_builds_the_binder_url_from_that_branch_option():
    """sphinx-book-theme reads `repository_branch` for the Binder URL: if it ever stops
    doing so, the option set above would silently stop mattering."""
    from sphinx_book_theme.header_buttons import launch

    assert launch._get_branch({"repository_branch": SHA}) == SHA
    text = Path(launch.__file__).read_text(encoding="utf-8")
    assert 'url = f"{binderhub_url}/v2/gh/{org}/{repo}/{branch}"' in text


def test_binder_links_in_prose_open_the_same_commit():
    """book/check-your-return.md links Binder by hand: that link follows the build too."""
    url = "https://github.com/d2i-examples/d2i-examples"
    page = (paths.BOOK_SOURCES / "check-your-return.md").read_text(encoding="utf-8")
    assert "mybinder.org/v2/gh/d2i-examples/d2i-examples/main?urlpath=" in page
    built = pages.binder_links_at(page, url, SHA)
    assert f"mybinder.org/v2/gh/d2i-examples/d2i-examples/{SHA}?urlpath=lab/tree/notebooks/" in built
    assert "/main?" not in built
    other = "[x](https://mybinder.org/v2/gh/someone/else/main?urlpath=a)"
    assert pages.binder_links_at(other, url, SHA) == other  # another repository's link stays


def test_prose_links_are_rewritten_as_sphinx_reads_each_page():
    app = SimpleNamespace(config=SimpleNamespace(html_theme_options={
        "repository_url": "https://github.com/d2i-examples/d2i-examples", "repository_branch": SHA}))
    source = ["[Open](https://mybinder.org/v2/gh/d2i-examples/d2i-examples/main)"]
    pages._prose_binder_links(app, "check-your-return", source)
    assert source == [f"[Open](https://mybinder.org/v2/gh/d2i-examples/d2i-examples/{SHA})"]
