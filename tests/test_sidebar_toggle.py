"""Each page holds one sidebar toggle of each kind, the visible one, so the theme's
handlers reach it (book/_ext/sidebar_toggle.py; the browser tests in
test_book_in_browser.py open the navigation with it at 320 and 1280 px)."""

from __future__ import annotations

import importlib.util

from d2i_examples import paths

_spec = importlib.util.spec_from_file_location(
    "sidebar_toggle", paths.BOOK_SOURCES / "_ext" / "sidebar_toggle.py")
sidebar_toggle = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sidebar_toggle)

# As the themes write them (pydata-sphinx-theme's page header, then sphinx-book-theme's
# article header), shortened.
HEADER = ('<header id="pst-header" class="bd-header navbar">\n<div class="bd-header__inner">\n'
          '  <button class="pst-navbar-icon sidebar-toggle primary-toggle" '
          'aria-label="Site navigation">\n    <span class="fa-solid fa-bars"></span>\n'
          '  </button>\n  <div class="navbar-persistent--mobile"><button class="btn '
          'search-button-field">Search</button></div>\n'
          '    <button class="pst-navbar-icon sidebar-toggle secondary-toggle" '
          'aria-label="On this page">\n      <span class="fa-solid fa-outdent"></span>\n'
          '    </button>\n</div>\n</header>\n')
ARTICLE = ('<div class="bd-header-article"><button class="sidebar-toggle primary-toggle btn '
           'btn-sm" title="Toggle primary sidebar"><span class="fa-solid fa-bars"></span>'
           '</button><button class="sidebar-toggle secondary-toggle btn btn-sm pst-navbar-icon" '
           'title="Toggle secondary sidebar"><span class="fa-solid fa-list"></span></button>'
           '</div>')


def test_the_first_toggle_of_each_kind_is_the_visible_one():
    mended = sidebar_toggle.one_toggle_each(HEADER + ARTICLE)
    assert mended.count("primary-toggle") == mended.count("secondary-toggle") == 1
    assert mended.endswith(ARTICLE)  # the article's toggles are left as they are
    assert "search-button-field" in mended  # and the rest of the page header
    assert sidebar_toggle.one_toggle_each(mended) == mended


def test_a_page_without_the_page_header_is_left_alone():
    assert sidebar_toggle.one_toggle_each(ARTICLE) == ARTICLE
