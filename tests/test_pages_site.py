"""The Pages address and the 404 page's prefix follow from repository.url alone."""

from __future__ import annotations

import importlib.util

import pytest

from d2i_examples import paths

_spec = importlib.util.spec_from_file_location("pages", paths.BOOK_SOURCES / "_ext" / "pages.py")
pages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pages)


def test_a_project_site_is_served_under_the_repository_name():
    site, prefix = pages.pages_site("https://github.com/SomeCouncil/d2i-examples")
    assert site == "https://somecouncil.github.io/d2i-examples/"
    assert prefix == "/d2i-examples/"


def test_a_user_site_is_served_at_the_root():
    assert pages.pages_site("https://github.com/d2i/d2i.github.io/") == ("https://d2i.github.io/", "/")


@pytest.mark.parametrize("url", ["https://github.com/only-owner", "https://github.com/a/b/tree/main"])
def test_a_url_that_is_not_a_repository_is_refused(url):
    with pytest.raises(ValueError, match="OWNER/REPO"):
        pages.pages_site(url)
