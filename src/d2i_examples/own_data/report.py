"""The outputs of a run on a reader's own data: the executed notebook and an HTML report.

Both start with a "What ran" section: the notebook, when, the data folder, the
settings file and the parameters and column mapping as YAML, so a reader (or
the colleague they send it to) sees exactly what produced the figures. The
HTML report hides the code (nbconvert's HTMLExporter with exclude_input=True)
and loads nothing from the internet. Files are named for the notebook and the
date, and written atomically: to a temporary file in the output folder, then
renamed, so a failure never leaves half a report behind.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import nbformat
import yaml

from d2i_examples.settings.model import Settings

#: Prefix of temporary files and folders in the output folder; removed on failure.
PARTIAL_PREFIX = ".d2i-partial-"
SAFETY_NOTE = (
    "This report holds figures about real children from your council's data. Keep it "
    "where your council keeps personal data, and share findings, not records: see "
    "\"Running the examples on your own data safely\" in the book."
)

# The lab template, minus the scripts it would fetch from a CDN when opened.
_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{% block html_head_js_requirejs %}{% endblock %}
{% block html_head_js_mathjax %}{% endblock %}
{% block html_head_js_mermaidjs %}{% endblock %}
"""


@dataclass
class RunDetails:
    """What ran: shown at the top of the executed notebook and of the report."""

    notebook: Path
    data_dir: Path
    started: datetime = field(default_factory=datetime.now)
    parameters: dict[str, Any] = field(default_factory=dict)
    settings: Settings | None = None
    checked: list[str] = field(default_factory=list)  # one line per return checked

    def markdown(self) -> str:
        rows = [
            ("Notebook", f"`{self.notebook.stem}`"),
            ("Run at", f"{self.started:%d/%m/%Y %H:%M}"),
            ("Data folder", f"`{self.data_dir}`"),
            ("Settings file", f"`{self.settings.source}`" if self.settings and
             self.settings.source else "none"),
        ]
        if self.settings and self.settings.description:
            rows.append(("Settings description", self.settings.description))
        rows += [(f"Checked: {line.split(':', 1)[0]}", line.split(":", 1)[1].strip())
                 for line in self.checked if ":" in line]
        shown = {k: v for k, v in self.parameters.items()
                 if k not in ("data_dir", "settings_file")}
        used: dict[str, Any] = {"parameters": shown} if shown else {}
        if self.settings:
            mapping = self.settings.to_dict().get("mapping")
            if mapping:
                used["mapping"] = mapping
        block = yaml.safe_dump(used, sort_keys=False, allow_unicode=True, width=100) \
            if used else "# the notebook's own defaults, no column mapping\n"
        table = "\n".join(f"| {k} | {v} |" for k, v in rows)
        return (
            "## What ran\n\n"
            "Run on your own data with `d2i-examples run`.\n\n"
            "| | |\n|---|---|\n" + table + "\n\n"
            "Parameters and column mapping used:\n\n"
            "```yaml\n" + block + "```\n\n"
            f"**{SAFETY_NOTE}**\n"
        )


def with_details(nb: nbformat.NotebookNode, details: RunDetails) -> nbformat.NotebookNode:
    """A copy of ``nb`` with the "What ran" section as its first cell."""
    nb = nbformat.from_dict(nb)
    cell = nbformat.v4.new_markdown_cell(details.markdown())
    cell.id = "d2i-what-ran"
    nb.cells.insert(0, cell)
    return nb


def html_report(nb: nbformat.NotebookNode, title: str) -> str:
    """The notebook as a standalone HTML page: outputs and prose, no code, no CDN scripts."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        extra_loaders=[DictLoader({"d2i_report.html.j2": _TEMPLATE})],
        template_file="d2i_report.html.j2",
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def output_names(out_dir: Path, stem: str, day: datetime) -> tuple[Path, Path]:
    """(executed notebook, HTML report) paths named for the notebook and the date.

    A second run on the same day gets "-2", "-3"...: nothing is overwritten.
    """
    base = f"{stem}-{day:%Y-%m-%d}"
    n = 1
    while True:
        name = base if n == 1 else f"{base}-{n}"
        ipynb, html = out_dir / f"{name}.ipynb", out_dir / f"{name}.html"
        if not ipynb.exists() and not html.exists():
            return ipynb, html
        n += 1


def _write_temp(out_dir: Path, suffix: str, data: bytes) -> Path:
    handle, name = tempfile.mkstemp(prefix=PARTIAL_PREFIX, suffix=suffix, dir=out_dir)
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def write_outputs(
    executed: nbformat.NotebookNode, details: RunDetails, out_dir: Path
) -> tuple[Path, Path]:
    """Write the executed notebook and its HTML report into ``out_dir``, atomically.

    Both go to temporary files in ``out_dir`` first and are renamed into place
    only when both are complete; on any failure the temporary files are removed.
    """
    nb = with_details(executed, details)
    ipynb, html = output_names(out_dir, details.notebook.stem, details.started)
    temps: list[Path] = []
    placed: list[Path] = []
    try:
        temps.append(_write_temp(out_dir, ".ipynb", nbformat.writes(nb).encode("utf-8")))
        title = f"{details.notebook.stem} ({details.started:%d/%m/%Y})"
        temps.append(_write_temp(out_dir, ".html", html_report(nb, title).encode("utf-8")))
        for temp, final in zip(temps, (ipynb, html)):
            os.replace(temp, final)
            placed.append(final)
    except BaseException:
        for path in temps + placed:
            path.unlink(missing_ok=True)
        raise
    return ipynb, html
