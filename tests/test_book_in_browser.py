"""The built book in a real browser (headless Chromium), served the way GitHub Pages
serves it: over HTTP, under the sub-path /<repository>/, with 404.html for any
missing page. Every page loads without console errors, its images and internal
links resolve, search works, and axe-core finds no WCAG 2.x A/AA or best-practice
violation in the light or the dark theme. "Every page" is everything a reader can
open from the site: the book's pages, the 404 page and the HTML among the
downloads (the example report, what a council's own run produces).

Chromium comes from Debian's package (installed by .ci/run). Locally, the test is
skipped when Chromium is missing; in CI (CI=true) a missing browser is a failure.
The book is built once per run (tests/conftest.py: built_site).
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import nbformat
import pytest
import yaml

from d2i_examples import paths
from d2i_examples.book import build as book
from d2i_examples.book import downloads
from d2i_examples.book.exercises import BLANK, METADATA_KEY, exercise_cells
from d2i_examples.book.links import NOT_PAGES
from tests import chromium

chromium.require()  # skips the module where Chromium is missing (fails in CI)

# every test here needs the whole book, executed and built (conftest's built_site)
pytestmark = pytest.mark.slow

# Every HTML page of the built site: the table of contents' pages, Sphinx's own
# pages, the 404 page and the HTML downloads (test_every_built_page_is_checked keeps
# this complete). Sphinx puts a download in _downloads/<digest>/: ``where`` finds it.
DOWNLOADED = "_downloads/"
PAGES = (
    [f"{Path(f).with_suffix('')}.html" for f in book.toc_files()]
    + ["index.html", "search.html", "genindex.html", "404.html"]
    + [DOWNLOADED + name for name in downloads.DOWNLOAD_NAMES if name.endswith(".html")]
)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


def repository_name() -> str:
    """The repository's name: GitHub Pages serves its site at /<name>/."""
    config = yaml.safe_load((paths.BOOK_SOURCES / "_config.yml").read_text(encoding="utf-8"))
    return urlparse(config["repository"]["url"]).path.rstrip("/").split("/")[-1]


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the site under /<prefix>/ and answer anything missing with 404.html."""

    prefix = "/"

    def log_message(self, *args):
        pass

    def send_head(self):
        path = urlparse(self.path).path
        if path.startswith(self.prefix):
            self.path = "/" + self.path[len(self.prefix):]
            local = Path(self.translate_path(self.path))
            if local.is_file() or (local / "index.html").is_file():
                return super().send_head()
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


@pytest.fixture(scope="module")
def site(built_site):
    """The site's URL on 127.0.0.1, under /<repository>/ as on GitHub Pages (no trailing /)."""
    prefix = f"/{repository_name()}/"
    handler = type("Handler", (PagesHandler,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(built_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}{prefix.rstrip('/')}"
    server.shutdown()


def _open_page(browser, color_scheme="light", width=1280):
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=color_scheme)
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(
        f"console: {msg.text} ({msg.location.get('url')})"))
    return page


@pytest.fixture(scope="module")
def where(built_site):
    """The path in the built site of a name in PAGES (a download's holds its digest folder)."""
    def find(name: str) -> str:
        if not name.startswith(DOWNLOADED):
            return name
        found = list(built_site.glob(f"{DOWNLOADED}*/{name.removeprefix(DOWNLOADED)}"))
        assert len(found) == 1, f"{name}: {found}"
        return found[0].relative_to(built_site).as_posix()
    return find


@pytest.fixture
def page(browser):
    page = _open_page(browser)
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
        images.nth(index).scroll_into_view_if_needed()
        loaded = images.nth(index).evaluate("img => img.complete && img.naturalWidth > 0")
        assert loaded, f"chart {index} on {name} did not load"
    assert not page.errors, page.errors
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)


def test_every_built_page_is_checked(built_site, where):
    """Every .html file a reader can open, downloads included; only the theme's
    templates in _static/ are not pages (d2i_examples.book.links.NOT_PAGES)."""
    built = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")
             if p.relative_to(built_site).parts[0] not in NOT_PAGES}
    assert built == {where(name) for name in PAGES}


_targets: dict[str, set[str] | None] = {}


def _ids_at(page, url: str) -> set[str] | None:
    """The element ids of the page at ``url`` (None when it does not load), cached."""
    if url not in _targets:
        response = page.request.get(url)
        ids = None
        if response.ok:
            ids = set(re.findall(r'\bid="([^"]+)"', response.text()))
        _targets[url] = ids
    return _targets[url]


@pytest.mark.parametrize("name", PAGES)
def test_every_page_loads_with_its_images_and_internal_links(site, page, name, where):
    response = page.goto(f"{site}/{where(name)}")
    assert response.ok, f"{name}: HTTP {response.status}"
    page.wait_for_load_state("networkidle")
    origin = f"{urlparse(site).scheme}://{urlparse(site).netloc}"
    for src in page.locator("img").evaluate_all("imgs => imgs.map(i => i.currentSrc || i.src)"):
        if src.startswith("data:"):  # a chart shown inline (d2i_examples.charts.show)
            decodes = page.evaluate("src => new Promise(ok => { const i = new Image();"
                                    " i.onload = () => ok(i.naturalWidth > 0);"
                                    " i.onerror = () => ok(false); i.src = src; })", src)
            assert decodes, f"an inline image on {name} does not decode"
        else:
            assert page.request.get(src).ok, f"image {src} on {name} does not load"
    broken = []
    published = paths.published_site()[0]  # a report's links to the book: judged on this build
    for href in set(page.locator("a[href]").evaluate_all("as => as.map(a => a.href)")):
        if href.startswith(published):
            href = f"{site}/{href.removeprefix(published)}"
        if not href.startswith(origin):
            continue
        target, fragment = urldefrag(href)
        assert target.startswith(site + "/"), f"{name} links outside the site's sub-path: {href}"
        ids = _ids_at(page, target)
        if ids is None or (fragment and fragment not in ids):
            broken.append(href)
    assert not broken, f"{name}: internal links that do not resolve: {broken}"
    assert not page.errors, page.errors


def test_search_finds_pages_over_http(site, page):
    page.goto(f"{site}/search.html?q=placement")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=30_000)
    found = results.evaluate_all("as => as.map(a => a.href)")
    assert any("notebooks/placement-distance.html" in h for h in found), found
    page.goto(found[0])
    assert page.locator("h1").first.inner_text().strip()
    assert not page.errors, page.errors


def test_a_missing_page_gets_the_styled_404_page(site, page):
    response = page.goto(f"{site}/notebooks/no-such-page.html")
    assert response.status == 404
    assert "404" in page.title() or "not found" in page.content().lower()
    # Styled: the theme's stylesheet loaded (absolute URLs under the sub-path).
    sheets = page.evaluate("[...document.styleSheets].filter(s => s.href && s.cssRules.length)"
                           ".map(s => s.href)")
    assert any("/_static/styles/" in s for s in sheets), sheets
    assert page.locator(".bd-sidebar-primary nav a").count() > 0, "no navigation on the 404 page"
    page.locator(".bd-sidebar-primary nav a", has_text="Getting started").first.click()
    page.wait_for_load_state()
    assert page.url == f"{site}/notebooks/getting-started.html"
    missing = f"{site}/notebooks/no-such-page.html"
    assert [e for e in page.errors if not e.endswith(f"({missing})")] == []


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


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:3]]
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']} at {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_accessibility_violation(site, browser, name, theme, where):
    """WCAG 2.0, 2.1 and 2.2, levels A and AA, and axe's best practices, in both themes
    (a report has one theme: it is checked as a reader whose system is dark opens it)."""
    from axe_playwright_python.sync_playwright import Axe

    page = _open_page(browser, color_scheme=theme)
    try:
        page.goto(f"{site}/{where(name)}")
        page.wait_for_load_state("networkidle")
        if not name.startswith(DOWNLOADED):
            assert page.evaluate("document.documentElement.dataset.theme") == theme
        results = Axe().run(page, options={
            "runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
        violations = results.response["violations"]
        assert not violations, f"{name} ({theme}):\n{_describe(violations)}"
    finally:
        page.close()


def test_no_informative_image_has_an_empty_or_file_name_alt(site, page, where):
    """A chart's alt text says what it shows and finds: a file path or nothing tells
    a screen-reader user nothing. Every image in a page's content (the article,
    where the charts are, or a report's body) needs a sentence; no image anywhere
    has a path as alt."""
    problems = []
    for name in PAGES:
        page.goto(f"{site}/{where(name)}")
        page.wait_for_load_state("networkidle")  # index.html redirects
        for img in page.locator("img").evaluate_all(
            "imgs => imgs.map(i => ({src: i.getAttribute('src'), alt: i.getAttribute('alt'),"
            " content: i.closest('.bd-article, body.jp-Notebook') !== null}))"
        ):
            alt = (img["alt"] or "").strip()
            # A file name, or one word with a slash (a path); dates such as 31/03/2026 sit in sentences.
            looks_like_path = (bool(re.search(r"\.(png|svg|jpe?g|gif|webp)\b", alt))
                               or ("/" in alt and " " not in alt))
            if looks_like_path or (img["content"] and len(alt.split()) < 4):
                problems.append(f"{name}: {img['src']} alt={img['alt']!r}")
    assert not problems, "images whose alt text does not say what they show:\n" + "\n".join(problems)


# Each table in a page's content wider than the content column, with why it is not
# readable: a wide table must sit in a container that scrolls sideways within the
# column, which a keyboard can reach (tabindex 0) and which a screen reader names.
# Also whether the page itself scrolls sideways (WCAG 1.4.10 Reflow).
_TOO_WIDE = """() => {
  const column = document.querySelector("article.bd-article") || document.querySelector("main");
  const limit = column.getBoundingClientRect().width + 1;
  const problems = [];
  column.querySelectorAll("table").forEach((table, index) => {
    if (table.getBoundingClientRect().width <= limit) return;
    const heads = [...table.querySelectorAll("th")].slice(0, 4).map(h => h.textContent.trim());
    const what = `table ${index + 1} (${heads.join(", ")}), ${Math.round(table.getBoundingClientRect().width)}px`;
    let box = table.parentElement;
    while (box && box !== column && !["auto", "scroll"].includes(getComputedStyle(box).overflowX)) {
      box = box.parentElement;
    }
    if (!box || box === column || box.getBoundingClientRect().width > limit) {
      problems.push(`${what}: wider than the ${Math.round(limit)}px column and does not scroll`);
    } else if (box.getAttribute("tabindex") !== "0") {
      problems.push(`${what}: scrolls, but the keyboard cannot reach it (no tabindex=0)`);
    } else if (!(box.getAttribute("aria-label") || box.getAttribute("aria-labelledby"))
               || !["region", "group"].includes(box.getAttribute("role"))) {
      problems.push(`${what}: scrolls, but a screen reader hears no name for it`);
    }
  });
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    problems.push(`the page scrolls sideways: ${root.scrollWidth}px in a ${root.clientWidth}px window`);
  }
  return problems;
}"""


@pytest.mark.parametrize("width", [1280, 320], ids=["desktop", "phone"])
def test_no_table_is_wider_than_the_page_unless_it_scrolls_in_place(site, browser, width, where):
    """At a desktop width and at 320 CSS pixels (WCAG 1.4.10 Reflow), every table fits
    its page's content column or scrolls sideways in a named, focusable container,
    and no page scrolls sideways as a whole."""
    page = _open_page(browser, width=width)
    problems = []
    try:
        for name in PAGES:
            page.goto(f"{site}/{where(name)}")
            page.wait_for_load_state("networkidle")
            problems += [f"{name}: {p}" for p in page.evaluate(_TOO_WIDE)]
    finally:
        page.close()
    assert not problems, f"at {width}px wide:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", book.toc_exercises())
def test_the_sidebar_names_each_exercises_page_by_its_heading(site, page, name):
    page.goto(f"{site}/notebooks/{book.EXERCISES_FOLDER}/{name}.html")
    heading = page.locator("h1").first.inner_text().strip().rstrip("#").strip()
    current = page.locator(".bd-sidebar-primary nav a.current.reference").last
    assert heading.endswith(" (exercises)")
    assert current.inner_text().strip() == heading


# --- The navigation opens on a phone and on a desktop ----------------------------------

# Pages of each kind: the home page, a worked example, an exercises page, a practice
# page, a reference page, and the 404 page (a missing address).
NAV_PAGES = ["intro.html", "notebooks/getting-started.html",
             f"notebooks/{book.EXERCISES_FOLDER}/drift.html", "practice/send.html",
             "downloads.html", "notebooks/no-such-page.html"]
# A link of the sidebar that none of NAV_PAGES is: following it shows the link works.
NAV_LINK = ".bd-sidenav a[href$='glossary.html']"


def _toggle(page):
    """The primary sidebar's toggle a reader can see (hidden copies are not buttons to
    a reader, nor to get_by_role)."""
    toggle = page.get_by_role("button", name="Toggle primary sidebar")
    assert toggle.count() == 1, f"{toggle.count()} visible primary sidebar toggles"
    return toggle


def _tab_to(page, locator, limit: int = 200) -> bool:
    """Press Tab until ``locator`` has the focus; False if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return True
    return False


def _open_nav(site, browser, name, width, how):
    page = _open_page(browser, width=width)
    page.goto(f"{site}/{name}")
    page.wait_for_load_state("networkidle")  # the theme's scripts have run
    toggle = _toggle(page)
    if how == "mouse":
        toggle.click()
    else:
        assert _tab_to(page, toggle), f"{name}: Tab never reaches the sidebar toggle"
        page.keyboard.press(how)
    return page


@pytest.mark.parametrize("how", ["mouse", "Enter", " "], ids=["mouse", "enter", "space"])
@pytest.mark.parametrize("name", NAV_PAGES)
def test_the_navigation_opens_on_a_phone(site, browser, name, how):
    """At 320 CSS pixels the sidebar is folded away; its toggle opens it by mouse,
    Enter or Space, and a link in it can then be followed (by keyboard too)."""
    page = _open_nav(site, browser, name, 320, how)
    try:
        link = page.locator(NAV_LINK)
        link.wait_for(state="visible", timeout=5_000)
        if how == "mouse":
            link.click()
        else:  # the keyboard reaches the link in the open navigation, and follows it
            assert _tab_to(page, link), f"{name}: Tab never reaches {NAV_LINK}"
            page.keyboard.press("Enter")
        page.wait_for_url("**/glossary.html")
        assert not [e for e in page.errors if "no-such-page" not in e], page.errors
    finally:
        page.close()


@pytest.mark.parametrize("how", ["mouse", "Enter"], ids=["mouse", "enter"])
@pytest.mark.parametrize("name", NAV_PAGES[:3])
def test_the_sidebar_toggle_hides_and_shows_the_navigation_on_a_desktop(
        site, browser, name, how):
    page = _open_nav(site, browser, name, 1280, how)  # the first press hides it
    try:
        link = page.locator(NAV_LINK)
        link.wait_for(state="hidden", timeout=5_000)
        if how == "mouse":
            _toggle(page).click()
        else:
            _toggle(page).focus()
            page.keyboard.press("Enter")
        link.wait_for(state="visible", timeout=5_000)
        link.click()
        page.wait_for_url("**/glossary.html")
    finally:
        page.close()


# --- An exercises page's download is the learner's version ------------------------------


@pytest.mark.parametrize("name", book.toc_exercises())
def test_an_exercises_page_downloads_the_blanks_not_the_solutions(site, page, name):
    """The page shows the solutions folded (so it runs); the notebook its download
    button serves has a ``___`` in every exercise and none of the solutions."""
    page.goto(f"{site}/notebooks/{book.EXERCISES_FOLDER}/{name}.html")
    page.get_by_role("button", name="Download this page").click()
    download = page.locator(".dropdown-menu a", has_text=".ipynb")
    download.wait_for(state="visible")
    response = page.request.get(download.evaluate("a => a.href"))
    assert response.ok
    cells = json.loads(response.text())["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    asked = ["".join(c["source"]) for c in cells
             if "exercise-code" in c["metadata"].get("tags", [])]
    worked = exercise_cells(nbformat.read(paths.NOTEBOOKS / f"{name}.ipynb", as_version=4))
    assert len(asked) == len(worked) and all(BLANK in source for source in asked), asked
    for _, solution in worked:
        assert solution.source not in code, f"{name}: a solution is in the download"
        for blank in solution.metadata[METADATA_KEY].get("blanks", []):
            assert not any(blank in source for source in asked), (
                f"{name}: the download fills in {blank!r}")
    assert not any(c.get("outputs") for c in cells if c["cell_type"] == "code"), (
        "the download holds outputs (the checks' answers among them)")


@pytest.mark.parametrize("width", [320, 1024])
def test_the_contents_toggle_opens_this_page_s_contents(site, browser, width):
    """Below the width where the page's contents sit beside it, "Toggle secondary
    sidebar" opens them (the same fix: the theme's handler reaches the visible toggle)."""
    page = _open_page(browser, width=width)
    try:
        page.goto(f"{site}/notebooks/getting-started.html")
        page.wait_for_load_state("networkidle")
        page.get_by_role("button", name="Toggle secondary sidebar").click()
        link = page.locator("#pst-page-toc-nav a[href='#parameters']")
        link.wait_for(state="visible", timeout=5_000)
        link.click()
        page.wait_for_url("**#parameters")
    finally:
        page.close()
