"""The sidebar's arrows and title block are named in the HTML the build writes
(book/_ext/sidebar_names.py), so a reader without JavaScript gets the names too."""

from __future__ import annotations

import importlib.util

from d2i_examples import paths

_spec = importlib.util.spec_from_file_location(
    "sidebar_names", paths.BOOK_SOURCES / "_ext" / "sidebar_names.py")
sidebar_names = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sidebar_names)

# As the theme writes them (pydata-sphinx-theme's sidebar), shortened.
CHAPTER = ('<li class="toctree-l1 has-children"><a class="reference internal" '
           'href="notebooks/checking-ssda903.html">Checking your SSDA903 &amp; more</a>'
           '<details><summary><span class="toctree-toggle" role="presentation">'
           '<i class="fa-solid fa-chevron-down"></i></span></summary><ul>')
LEAF = '<li class="toctree-l1"><a class="reference internal" href="glossary.html">Glossary</a></li>'
BRAND = '<div class="sidebar-primary-item">\n\n  <a class="navbar-brand logo" href="#">'
OTHER = '<div class="sidebar-primary-item">\n<nav class="bd-docs-nav">'


def test_an_icon_only_summary_is_named_for_its_chapter():
    mended = sidebar_names.named(CHAPTER + LEAF)
    assert '<summary aria-label="Pages under Checking your SSDA903 &amp; more">' in mended
    assert mended.replace(' aria-label="Pages under Checking your SSDA903 &amp; more"', "") == \
        CHAPTER + LEAF  # nothing else changes
    assert sidebar_names.named(mended) == mended  # a second pass finds nothing to name


def test_only_the_title_links_block_becomes_the_book_home_landmark():
    mended = sidebar_names.named(BRAND + OTHER)
    assert mended.count('role="navigation" aria-label="Book home"') == 1
    assert mended.startswith('<div class="sidebar-primary-item" role="navigation" '
                             'aria-label="Book home">\n\n  <a class="navbar-brand')
    assert mended.endswith(OTHER)
