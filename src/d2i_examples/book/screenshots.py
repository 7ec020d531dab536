"""Screenshots of a run's HTML report, made from the synthetic sample when the book is assembled.

A prose page asks for them with a ``<!-- report-screenshots -->`` line. The
report is made by the same code as a run on a reader's own data
(local.report: "What ran", then the notebook without its code), from the
executed SSDA903 example, and photographed in headless Chromium. Without
Chromium the marker line is dropped (the page's own words describe the report)
and the builder is told on stderr; readers never see a note about the build.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from d2i_examples.own_data.report import RunDetails, html_report, with_details

MARKER = "<!-- report-screenshots -->"
NOTEBOOK = "checking-ssda903"
#: How the sample run is described in the report's "What ran" (the folder it reads).
SAMPLE_FOLDER = Path("sample_data") / "with_errors"
_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync"]


@dataclass(frozen=True)
class Shot:
    """One screenshot: the section it shows (a heading in the report) and its alt text."""

    file: str
    heading: str | None
    alt: str


SHOTS = (
    Shot("report-top.png", None,
         "The top of the report made from the synthetic sample: its title and the What ran "
         "table, naming the data folder, the date and the settings used."),
    Shot("report-errors-by-rule.png", "Errors by rule",
         "The report's Errors by rule section, made from the synthetic sample with planted "
         "errors: the rules the return breaks, what each means and how many rows each flags."),
)


def chromium() -> str | None:
    """Debian's Chromium, if installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def report_from_sample(executed: Path) -> str:
    """The HTML report a run would write, made from the executed example on the sample."""
    nb = nbformat.read(executed, as_version=4)
    details = RunDetails(Path(f"{NOTEBOOK}.ipynb"), SAMPLE_FOLDER)
    return html_report(with_details(nb, details), f"{NOTEBOOK} (synthetic sample)")


def take(html: str, out_dir: Path, browser_path: str) -> list[Path]:
    """Photograph each of SHOTS from the report ``html`` into ``out_dir``."""
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "report.html"
        page_file.write_text(html, encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=browser_path, headless=True, args=_FLAGS)
            try:
                page = browser.new_page(viewport={"width": 1100, "height": 800})
                page.goto(page_file.as_uri())
                for shot in SHOTS:
                    top = 0.0
                    if shot.heading:
                        heading = page.locator("h2", has_text=shot.heading).first
                        top = max(heading.evaluate("h => h.getBoundingClientRect().top "
                                                   "+ window.scrollY") - 16, 0)
                    target = out_dir / shot.file
                    page.screenshot(path=str(target), full_page=True,
                                    clip={"x": 0, "y": top, "width": 1100, "height": 800})
                    written.append(target)
            finally:
                browser.close()
    return written


def expand(text: str, executed: Path, page_dir: Path) -> str:
    """Replace the marker line with the screenshots (written to ``page_dir``/images)."""
    if MARKER not in text:
        return text
    browser_path = chromium()
    if browser_path is None:
        print("Report screenshots left out: install Chromium to make them.", file=sys.stderr)
        return text.replace(f"{MARKER}\n", "").replace(MARKER, "")
    source = executed / f"{NOTEBOOK}.ipynb"
    if not source.is_file():
        raise FileNotFoundError(f"the report screenshots need {source}; run `make book`")
    take(report_from_sample(source), page_dir / "images", browser_path)
    figures = "\n\n".join(f"![{shot.alt}](images/{shot.file})" for shot in SHOTS)
    intro = ("Here is what it looks like, made from the synthetic sample when this book was "
             "built:")
    return text.replace(MARKER, f"{intro}\n\n{figures}")
