"""The Chromium the browser tests drive (Debian's package), launched headless by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def require() -> str:
    """Chromium's path; without it the calling test module is skipped (a failure in CI)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            raise RuntimeError("CI needs Chromium for the browser tests: apt-get install chromium")
        pytest.skip("Chromium is not installed", allow_module_level=True)
    return found


@contextmanager
def launched() -> Iterator:
    """A headless Chromium for the length of the ``with`` block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=require(), headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()
