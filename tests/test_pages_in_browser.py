"""The book's prose pages in a real browser: the "Find a tool" filters, the home page's two paths.

Follows tests/test_book_in_browser.py (Debian's Chromium, a local server, the book
built once per run): these tests check the prose pages and their script, not the
notebooks' outputs, which test_book_in_browser.py covers.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading

import pytest

from d2i_examples.book import build as book
from d2i_examples.book import catalogue, screenshots
from tests import chromium

chromium.require()  # skips the module where Chromium is missing (fails in CI)
CAT = catalogue.load()

pytestmark = pytest.mark.slow


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(built_site):
    """The book (built once per run, tests/conftest.py), served on localhost."""
    handler = functools.partial(QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    yield page
    page.close()


def _visible_tools(page) -> list[str]:
    return page.evaluate(
        """anchors => anchors.filter(id => {
             const node = document.getElementById(id);
             return node && !node.closest('section').hidden && node.offsetParent !== null;
           })""",
        [t.anchor for t in CAT.tools],
    )


def _status(page) -> str:
    return page.get_by_role("status").inner_text().strip()


def test_find_a_tool_lists_every_tool_before_any_filter(site, page):
    page.goto(f"{site}/find-a-tool.html")
    assert sorted(_visible_tools(page)) == sorted(t.anchor for t in CAT.tools)
    assert _status(page) == f"Showing {len(CAT.tools)} of {len(CAT.tools)} tools."
    assert not page.errors, page.errors


@pytest.mark.parametrize(
    "label, value, keep",
    [
        ("Form", "Excel workbook", lambda t: t.form == "Excel workbook"),
        ("Return or data it reads", "SEN2", lambda t: "SEN2" in t.data),
        ("Kind of question", "inspection", lambda t: t.area == "inspection"),
        ("Status when last checked", "active", lambda t: t.status == "active"),
    ],
)
def test_each_list_filters_the_tools(site, page, label, value, keep):
    page.goto(f"{site}/find-a-tool.html")
    page.get_by_label(label).select_option(value)
    expected = sorted(t.anchor for t in CAT.tools if keep(t))
    assert expected and len(expected) < len(CAT.tools)
    assert sorted(_visible_tools(page)) == expected
    assert _status(page) == f"Showing {len(expected)} of {len(CAT.tools)} tools."


def test_filters_combine_and_reset_shows_all(site, page):
    page.goto(f"{site}/find-a-tool.html")
    page.get_by_label("Form").select_option("Python package")
    page.get_by_label("Return or data it reads").select_option("SSDA903")
    expected = sorted(t.anchor for t in CAT.tools
                      if t.form == "Python package" and "SSDA903" in t.data)
    assert sorted(_visible_tools(page)) == expected
    page.get_by_role("button", name="Show all tools").click()
    page.wait_for_function(
        f"document.querySelector('[role=status]').textContent.startsWith('Showing {len(CAT.tools)} ')"
    )
    assert len(_visible_tools(page)) == len(CAT.tools)


def test_the_filters_work_from_the_keyboard(site, page):
    page.goto(f"{site}/find-a-tool.html")
    page.get_by_label("Words in the question").focus()
    page.keyboard.type("Ofsted")
    expected = sorted(t.anchor for t in CAT.tools if "ofsted" in t.question.lower())
    assert expected
    assert sorted(_visible_tools(page)) == expected
    # Tab moves through the labelled controls in order, each reachable by keyboard.
    names = []
    for _ in range(5):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.labels && document.activeElement.labels[0] "
                                   "? document.activeElement.labels[0].textContent "
                                   ": document.activeElement.textContent"))
    assert [n.strip() for n in names] == [
        "Kind of question", "Return or data it reads", "Form", "Status when last checked",
        "Show all tools",
    ]
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"document.querySelector('[role=status]').textContent.startsWith('Showing {len(CAT.tools)} ')"
    )


def test_every_notebook_link_into_the_catalogue_lands_on_its_tool(site, page):
    for name in book.toc_notebooks():
        page.goto(f"{site}/notebooks/{name}.html")
        links = page.locator("a[href*='find-a-tool.html#']")
        hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        anchors = {h.split("#", 1)[1] for h in hrefs}
        assert anchors == {t.anchor for t in CAT.tools_for(name)}, name
        for anchor in anchors:
            page.goto(f"{site}/find-a-tool.html#{anchor}")
            assert page.locator(f"section#{anchor} h2").first.is_visible()


@pytest.mark.parametrize(
    "area", ["which-numbers-matter", "front-door", "child-protection", "children-in-care",
             "care-leavers", "send"],
)
def test_practice_pages_render_and_their_links_reach_pages(site, page, area):
    response = page.goto(f"{site}/practice/{area}.html")
    assert response.ok
    assert page.locator("h1").first.inner_text().strip()
    hrefs = page.locator("main a[href$='.html'], main a[href*='.html#']").evaluate_all(
        "links => links.map(a => a.href)"
    )
    assert hrefs, f"{area} links nothing in the book"
    for href in hrefs:
        assert page.request.get(href.split("#")[0]).ok, href
    assert not page.errors, page.errors


def test_home_page_leads_with_the_two_paths_and_the_book_at_a_glance(site, page):
    page.goto(f"{site}/intro.html")
    main = page.locator("main")
    result = main.get_by_role("link", name="Check your return in five minutes")
    learn = main.get_by_role("link", name=re.compile("Getting started"))
    assert result.count() >= 1 and learn.count() >= 1
    # The two paths come before the book's description of itself.
    text = main.inner_text().replace("\u2019", "'")  # Sphinx curls apostrophes
    assert text.index("I want the result") < text.index("I want to learn") < text.index(
        "The book at a glance")
    for example in CAT.examples:
        assert example.question in text, example.name
    result.first.click()
    page.wait_for_load_state()
    assert page.url.endswith("check-your-return.html")


def test_five_minute_page_shows_report_screenshots_with_alt_text(site, page):
    page.goto(f"{site}/check-your-return.html")
    images = page.locator("main img")
    if screenshots.chromium() is None:
        assert "built without it" in page.locator("main").inner_text()
        return
    assert images.count() == len(screenshots.SHOTS)
    for index, shot in enumerate(screenshots.SHOTS):
        image = images.nth(index)
        assert image.get_attribute("alt") == shot.alt
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
