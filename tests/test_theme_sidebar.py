"""The theme's sidebar mended in the HTML (book/_ext/theme_sidebar.py): one toggle of each
kind, the visible one, so the theme's handlers reach it (the browser tests in
test_book_in_browser.py open the navigation with it at 320 and 1280 px); and its arrows
and title block named, so a reader without JavaScript gets the names too."""

from __future__ import annotations

import importlib.util

from d2i_examples import paths

_spec = importlib.util.spec_from_file_location(
    "theme_sidebar", paths.BOOK_SOURCES / "_ext" / "theme_sidebar.py")
theme_sidebar = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(theme_sidebar)

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
    mended = theme_sidebar.one_toggle_each(HEADER + ARTICLE)
    assert mended.count("primary-toggle") == mended.count("secondary-toggle") == 1
    assert mended.endswith(ARTICLE)  # the article's toggles are left as they are
    assert "search-button-field" in mended  # and the rest of the page header
    assert theme_sidebar.one_toggle_each(mended) == mended


def test_a_page_without_the_page_header_is_left_alone():
    assert theme_sidebar.one_toggle_each(ARTICLE) == ARTICLE


# As the theme writes them (pydata-sphinx-theme's sidebar), shortened.
CHAPTER = ('<li class="toctree-l1 has-children"><a class="reference internal" '
           'href="notebooks/checking-ssda903.html">Checking your SSDA903 &amp; more</a>'
           '<details><summary><span class="toctree-toggle" role="presentation">'
           '<i class="fa-solid fa-chevron-down"></i></span></summary><ul>')
LEAF = '<li class="toctree-l1"><a class="reference internal" href="glossary.html">Glossary</a></li>'
BRAND = '<div class="sidebar-primary-item">\n\n  <a class="navbar-brand logo" href="#">'
OTHER = '<div class="sidebar-primary-item">\n<nav class="bd-docs-nav">'


def test_an_icon_only_summary_is_named_for_its_chapter():
    mended = theme_sidebar.named(CHAPTER + LEAF)
    assert '<summary aria-label="Pages under Checking your SSDA903 &amp; more">' in mended
    assert mended.replace(' aria-label="Pages under Checking your SSDA903 &amp; more"', "") == \
        CHAPTER + LEAF  # nothing else changes
    assert theme_sidebar.named(mended) == mended  # a second pass finds nothing to name


def test_only_the_title_links_block_becomes_the_book_home_landmark():
    mended = theme_sidebar.named(BRAND + OTHER)
    assert mended.count('role="navigation" aria-label="Book home"') == 1
    assert mended.startswith('<div class="sidebar-primary-item" role="navigation" '
                             'aria-label="Book home">\n\n  <a class="navbar-brand')
    assert mended.endswith(OTHER)


def test_every_page_gets_both_mends_in_one_pass():
    page = HEADER + ARTICLE + BRAND + CHAPTER
    assert theme_sidebar.mended(page) == theme_sidebar.named(theme_sidebar.one_toggle_each(page))
    assert theme_sidebar.mended(page).count("primary-toggle") == 1
    assert 'aria-label="Book home"' in theme_sidebar.mended(page)
