"""The catalogue of D2I's tools (book/catalogue.yml): load, check, and render into the book.

The catalogue is the one home of what each tool answers, reads and is, who
maintains it and which worked example covers it. At book assembly
(:func:`expand`) it becomes the "Find a tool" page, with its filters, and the
home page's "book at a glance".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml
from myst_parser.mdit_to_docutils.base import default_slugify

from d2i_examples import paths
from d2i_examples.settings import plain_yaml

CATALOGUE = paths.BOOK_SOURCES / "catalogue.yml"
#: The page the catalogue is rendered into (in book/, without .md).
PAGE = "find-a-tool"

AREAS = ("start here", "checking returns", "inspection", "planning", "practice", "sharing", "learning")
FORMS = (
    "Python package", "browser app", "Excel workbook", "SQL", "notebook",
    "Python scripts", "web page", "teaching material",
)
DATA = (
    "SSDA903", "CIN census", "Annex A", "SEN2", "SEND Annex A", "case management system",
    "public data",
)
STATUSES = ("active", "quiet", "archived", "unknown")
_TOOL_FIELDS = {
    "name": str, "question": str, "area": str, "form": str, "data": list,
    "maintainer": str, "url": str, "status": str, "last_seen": str, "checked": str,
    "examples": list,
}
_EXAMPLE_FIELDS = {"name": str, "area": str, "question": str}


class CatalogueError(ValueError):
    """book/catalogue.yml does not follow its schema."""


@dataclass(frozen=True)
class Tool:
    """One tool: what it answers, its form, the data it reads, who keeps it, where it lives."""

    name: str
    question: str
    area: str
    form: str
    data: tuple[str, ...]
    maintainer: str
    url: str
    status: str
    last_seen: str
    checked: str
    examples: tuple[str, ...]

    @property
    def anchor(self) -> str:
        """The id of the tool's heading on the "Find a tool" page (MyST's own slug of its name)."""
        return default_slugify(self.name)


@dataclass(frozen=True)
class Example:
    """One worked example (a notebook name) and the question it answers."""

    name: str
    area: str
    question: str


@dataclass(frozen=True)
class Catalogue:
    tools: tuple[Tool, ...]
    examples: tuple[Example, ...]

    def tools_for(self, example: str) -> list[Tool]:
        """The tools a worked example covers."""
        return [t for t in self.tools if example in t.examples]


def _check_fields(entry: object, fields: dict, where: str) -> dict:
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where}: expected a mapping of fields, found {type(entry).__name__}")
    missing = sorted(set(fields) - set(entry))
    extra = sorted(set(entry) - set(fields))
    if missing or extra:
        raise CatalogueError(f"{where}: missing fields {missing}, unknown fields {extra}")
    for key, kind in fields.items():
        value = entry[key]
        if not isinstance(value, kind) or (kind is str and not value.strip()):
            raise CatalogueError(f"{where}: {key} must be a non-empty {kind.__name__}, found {value!r}")
        if kind is list and not all(isinstance(v, str) for v in value):
            raise CatalogueError(f"{where}: {key} must be a list of text, found {value!r}")
    return entry


def _one_of(value: str, allowed: tuple, field: str, where: str) -> None:
    if value not in allowed:
        raise CatalogueError(f"{where}: {field} {value!r} is not one of {list(allowed)}")


def parse(text: str, source: str = "catalogue.yml") -> Catalogue:
    """Read and check a catalogue; raises CatalogueError naming the entry and field at fault."""
    try:
        raw = plain_yaml.load(text)
    except yaml.YAMLError as err:
        raise CatalogueError(f"{source} is not valid YAML: {err}") from err
    if not isinstance(raw, dict) or set(raw) != {"tools", "examples"}:
        raise CatalogueError(f"{source}: expected exactly two lists, 'tools' and 'examples'")
    examples = []
    for index, entry in enumerate(raw["examples"] or []):
        where = f"{source}, examples[{index}]"
        entry = _check_fields(entry, _EXAMPLE_FIELDS, where)
        _one_of(entry["area"], AREAS, "area", where)
        examples.append(Example(**entry))
    names = [e.name for e in examples]
    if len(set(names)) != len(names):
        raise CatalogueError(f"{source}: a worked example is listed twice in 'examples'")
    tools = []
    for index, entry in enumerate(raw["tools"] or []):
        where = f"{source}, tools[{index}] ({entry.get('name') if isinstance(entry, dict) else '?'})"
        entry = _check_fields(entry, _TOOL_FIELDS, where)
        _one_of(entry["area"], AREAS, "area", where)
        _one_of(entry["form"], FORMS, "form", where)
        _one_of(entry["status"], STATUSES, "status", where)
        for value in entry["data"]:
            _one_of(value, DATA, "data", where)
        if not entry["data"]:
            raise CatalogueError(f"{where}: data must name at least one return or 'public data'")
        if not entry["url"].startswith("https://"):
            raise CatalogueError(f"{where}: url must be an https:// address, found {entry['url']!r}")
        for name in entry["examples"]:
            if name not in names:
                raise CatalogueError(
                    f"{where}: example {name!r} is not in the 'examples' list of worked examples"
                )
        tools.append(Tool(**{**entry, "data": tuple(entry["data"]), "examples": tuple(entry["examples"])}))
    anchors = [t.anchor for t in tools]
    if len(set(anchors)) != len(anchors):
        raise CatalogueError(f"{source}: two tools have the same name")
    return Catalogue(tuple(tools), tuple(examples))


def load(path: Path = CATALOGUE) -> Catalogue:
    """The catalogue in ``path`` (default book/catalogue.yml), checked."""
    return parse(path.read_text(encoding="utf-8"), str(path))


def notebook_title(name: str, notebooks: Path = paths.NOTEBOOKS) -> str:
    """The first heading of a worked example, without the '#'."""
    nb = nbformat.read(notebooks / f"{name}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return name


def _example_link(name: str, prefix: str, notebooks: Path) -> str:
    return f"[{notebook_title(name, notebooks)}]({prefix}notebooks/{name}.ipynb)"


def render_tools(catalogue: Catalogue, listed: list[str], notebooks: Path = paths.NOTEBOOKS) -> str:
    """The "Find a tool" entries as MyST, one section per tool, then the filter's data and script.

    ``listed`` are the pages _toc.yml lists: an example not in the book is shown
    as text, not a link (a link to a missing page stops the build).
    """
    in_book = {str(Path(p).with_suffix("")) for p in listed}
    parts = [_FILTER_FORM]
    for tool in catalogue.tools:
        covered = [
            _example_link(n, "", notebooks) if f"notebooks/{n}" in in_book else notebook_title(n, notebooks)
            for n in tool.examples
        ]
        parts.append(
            f"## {tool.name}\n\n"
            f"**Question:** {tool.question}\n\n"
            f"- **Form:** {tool.form}\n"
            f"- **Reads:** {', '.join(tool.data)}\n"
            f"- **Maintained by:** {tool.maintainer}\n"
            f"- **Where:** <{tool.url}>\n"
            f"- **Status:** {tool.status} ({tool.last_seen})\n"
            f"- **Worked example here:** {'; '.join(covered) if covered else 'none yet'}\n"
            f"- **Checked against:** {tool.checked}\n"
        )
    facts = {t.anchor: {"area": t.area, "form": t.form, "data": list(t.data), "status": t.status,
                        "question": t.question}
             for t in catalogue.tools}
    parts.append(
        "```{raw} html\n"
        f'<script type="application/json" id="d2i-catalogue-data">{_script_safe(json.dumps(facts))}</script>\n'
        f"<script>{_FILTER_SCRIPT}</script>\n"
        "```\n"
    )
    return "\n".join(parts)


def _script_safe(text: str) -> str:
    """Text that cannot end the <script> element it sits in."""
    return text.replace("</", "<\\/")


def render_glance(catalogue: Catalogue, listed: list[str], notebooks: Path = paths.NOTEBOOKS,
                  captions: dict[str, str] | None = None) -> str:
    """The home page's "book at a glance": each worked example's question, grouped as the
    table of contents groups it.

    ``captions`` maps a page ("notebooks/drift") to the caption of the table of contents
    part that lists it (build.toc_captions), so the home page files each example where the
    contents list do; examples the map does not name, or every example without a map, are
    grouped by their catalogue area."""
    in_book = {str(Path(p).with_suffix("")) for p in listed}
    captions = captions or {}
    groups: dict[str, list[Example]] = {}
    order = [f"notebooks/{e.name}" for e in catalogue.examples]
    if captions:
        order = [p for p in listed if p in set(order)] + [p for p in order if p not in listed]
    by_page = {f"notebooks/{e.name}": e for e in catalogue.examples}
    fallback = sorted(catalogue.examples, key=lambda e: AREAS.index(e.area))
    pages = order if captions else [f"notebooks/{e.name}" for e in fallback]
    for page in pages:
        example = by_page[page]
        if page not in in_book:
            continue
        heading = captions.get(page) or f"{example.area[0].upper()}{example.area[1:]}"
        groups.setdefault(heading, []).append(example)
    lines = []
    for heading, examples in groups.items():
        lines.append(f"### {heading}\n")
        for example in examples:
            lines.append(f"- {example.question} {_example_link(example.name, '', notebooks)}")
        lines.append("")
    return "\n".join(lines)


_MARKER = re.compile(r"^<!--\s*catalogue:\s*(?P<what>tools|glance)\s*-->\s*$", re.MULTILINE)


def expand(text: str, listed: list[str], catalogue: Catalogue | Path = CATALOGUE,
           notebooks: Path = paths.NOTEBOOKS, captions: dict[str, str] | None = None) -> str:
    """Replace ``<!-- catalogue: tools -->`` and ``<!-- catalogue: glance -->`` lines in a
    prose page (``captions``: see render_glance)."""
    if not _MARKER.search(text):
        return text
    if isinstance(catalogue, Path):
        catalogue = load(catalogue)

    def fill(m: re.Match) -> str:
        if m.group("what") == "tools":
            return render_tools(catalogue, listed, notebooks)
        return render_glance(catalogue, listed, notebooks, captions)

    return _MARKER.sub(fill, text)


_FILTER_FORM = """\
```{raw} html
<form id="d2i-catalogue-filter" class="d2i-filter" role="search" aria-label="Filter the tools">
  <p>
    <label for="d2i-filter-text">Words in the question</label><br>
    <input type="search" id="d2i-filter-text" autocomplete="off">
  </p>
  <p>
    <label for="d2i-filter-area">Kind of question</label><br>
    <select id="d2i-filter-area" data-field="area"><option value="">Any</option></select>
  </p>
  <p>
    <label for="d2i-filter-data">Return or data it reads</label><br>
    <select id="d2i-filter-data" data-field="data"><option value="">Any</option></select>
  </p>
  <p>
    <label for="d2i-filter-form">Form</label><br>
    <select id="d2i-filter-form" data-field="form"><option value="">Any</option></select>
  </p>
  <p>
    <label for="d2i-filter-state">Status when last checked</label><br>
    <select id="d2i-filter-state" data-field="status"><option value="">Any</option></select>
  </p>
  <p><button type="reset" id="d2i-filter-reset">Show all tools</button></p>
  <p id="d2i-filter-status" role="status" aria-live="polite"></p>
</form>
```
"""

# Plain JavaScript, no library: fills the four lists from the catalogue's own
# values, then hides the sections that do not match. Native controls keep it
# usable with a keyboard and a screen reader; the status line announces the count.
_FILTER_SCRIPT = """
(function () {
  var facts = JSON.parse(document.getElementById("d2i-catalogue-data").textContent);
  var form = document.getElementById("d2i-catalogue-filter");
  var text = document.getElementById("d2i-filter-text");
  var selects = form.querySelectorAll("select");
  var status = document.getElementById("d2i-filter-status");
  var ids = Object.keys(facts);
  function values(field) {
    var seen = [];
    ids.forEach(function (id) {
      [].concat(facts[id][field]).forEach(function (v) { if (seen.indexOf(v) < 0) seen.push(v); });
    });
    return seen.sort();
  }
  selects.forEach(function (select) {
    values(select.dataset.field).forEach(function (v) {
      var option = document.createElement("option");
      option.value = v; option.textContent = v; select.appendChild(option);
    });
  });
  function section(id) {
    var target = document.getElementById(id);
    return target && (target.closest("section") || target);
  }
  function apply() {
    var words = text.value.trim().toLowerCase();
    var shown = 0;
    ids.forEach(function (id) {
      var tool = facts[id];
      var keep = (!words || tool.question.toLowerCase().indexOf(words) >= 0);
      selects.forEach(function (select) {
        if (select.value && [].concat(tool[select.dataset.field]).indexOf(select.value) < 0) keep = false;
      });
      var node = section(id);
      if (node) { node.hidden = !keep; }
      if (keep) shown += 1;
    });
    status.textContent = "Showing " + shown + " of " + ids.length + " tools.";
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  apply();
})();
"""
