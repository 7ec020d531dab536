"""The built book in a real browser (headless Chromium): pages render, charts load, links work.

Chromium comes from Debian's package (installed by .ci/run). Locally, the test is
skipped when Chromium is missing; in CI (CI=true) a missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading

import pytest

from d2i_examples import book

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI needs Chromium for the browser tests: apt-get install chromium")
    pytest.skip("Chromium is not installed", allow_module_level=True)

FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


# every test here needs the whole book, executed and built (conftest's built_book)
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(built_book):
    """The book built from freshly executed notebooks, served on localhost."""
    html = built_book
    handler = functools.partial(QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    yield page
    page.close()


@pytest.mark.parametrize("name", book.toc_notebooks())
def test_each_notebook_page_renders_its_outputs_and_charts(site, page, name, tmp_path):
    response = page.goto(f"{site}/notebooks/{name}.html")
    assert response.ok
    assert page.locator("h1").first.inner_text().strip()
    assert page.locator(".cell_output").count() > 0, "no executed output on the page"
    images = page.locator(".cell_output img")
    for index in range(images.count()):
        loaded = images.nth(index).evaluate("img => img.complete && img.naturalWidth > 0")
        assert loaded, f"chart {index} on {name} did not load"
    assert not page.errors, page.errors
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)


def test_home_page_links_to_every_notebook(site, page):
    page.goto(f"{site}/intro.html")
    hrefs = page.locator("nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    for name in book.toc_notebooks():
        assert any(h and h.endswith(f"notebooks/{name}.html") for h in hrefs), name
    page.locator("nav a", has_text="Getting started").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("notebooks/getting-started.html")


def test_launch_and_download_buttons_are_offered(site, page):
    page.goto(f"{site}/notebooks/{book.toc_notebooks()[0]}.html")
    launch = page.locator("a[href*='mybinder.org/v2/gh/']")
    assert launch.count() >= 1
    assert "urlpath=lab/tree/notebooks/" in launch.first.get_attribute("href")
    assert page.locator("a[href$='.ipynb'][download], button[title*='ownload'], "
                        "a[href*='_sources']").count() >= 1
