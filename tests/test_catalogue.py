"""The catalogue of tools (book/catalogue.yml): it validates, and its links meet the book's pages."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from d2i_examples import paths
from d2i_examples.book import build as book
from d2i_examples.book import catalogue
from d2i_examples.runner import find_notebooks

CAT = catalogue.load()
NOTEBOOKS = [p.stem for p in find_notebooks()]

# The tools issue 15 asks the catalogue to hold, by the address each lives at.
REQUIRED = [
    "data-to-insight/csc-validator-be-903", "data-to-insight/csc-validator-be-cin",
    "data-to-insight/csc-validator-fe", "data-to-insight/cs-demand-model",
    "data-to-insight/cs-demand-model-web", "data-to-insight/ssd-data-model",
    "data-to-insight/dfe-csc-api-data-flows", "patch.datatoinsight.org",
    "patch/tree/main/apps/012_Child_event_journeys",
    "patch/tree/main/apps/008_disproportionality_tool",
    "patch/tree/main/apps/010_placement_distance", "patch/tree/main/apps/011_Drift_tool",
    "patch/tree/main/apps/015_SEN2_app", "data-to-insight/annex-a-sen-validator-be",
    "ofsted-ilacs-scrape-tool", "ofsted-send-scrape-tool", "data-to-insight/foi-csc-scrape-tool",
    "data-to-insight/hmi-probation-youth-justice-scrape", "data-to-insight/SEND-tool-onefile",
    "data-to-insight/send-benchmarking", "data-to-insight/send-attendance-dashboard",
    "data-to-insight/D2I-Jupyter-Notebook-Tools", "data-to-insight/ERN-sessions",
    "data-to-insight/csc-map-of-the-world", "SocialFinanceDigitalLabs/liia-tools",
]


def _where_next(name: str) -> str:
    nb = nbformat.read(paths.NOTEBOOKS / f"{name}.ipynb", as_version=4)
    [cell] = [c for c in nb.cells if c.cell_type == "markdown" and "## Where next" in c.source]
    return cell.source.split("## Where next", 1)[1]


def test_the_catalogue_holds_every_tool_the_issue_lists():
    urls = [t.url for t in CAT.tools]
    missing = [r for r in REQUIRED if not any(r in u for u in urls)]
    assert not missing
    assert any(t.name == "ChAT" and t.form == "Excel workbook" for t in CAT.tools)


def test_a_tool_called_active_or_quiet_names_the_dated_activity_it_rests_on():
    for tool in CAT.tools:
        if tool.status in ("active", "quiet"):
            assert re.search(r"\b20\d\d\b", tool.last_seen), f"{tool.name}: {tool.status} without a date"
        assert tool.last_seen != tool.checked, f"{tool.name}: say when, and separately what was checked"


def test_every_example_a_tool_names_is_a_page_in_the_book():
    pages = book.toc_notebooks()
    for tool in CAT.tools:
        for name in tool.examples:
            assert name in pages, f"{tool.name} names {name}, which _toc.yml does not list"
            assert (paths.NOTEBOOKS / f"{name}.ipynb").is_file()


def test_every_worked_example_is_in_the_catalogue():
    listed = [e.name for e in CAT.examples]
    assert sorted(listed) == sorted(NOTEBOOKS)
    for name in NOTEBOOKS:
        assert CAT.tools_for(name), f"no tool in the catalogue is covered by {name}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_where_next_links_to_the_notebooks_catalogue_entries(name):
    text = _where_next(name)
    for tool in CAT.tools_for(name):
        assert f"(../find-a-tool.md#{tool.anchor})" in text, f"{name} does not link {tool.name}"


def test_every_link_into_the_catalogue_reaches_a_tool():
    anchors = {t.anchor for t in CAT.tools}
    for path in find_notebooks():
        text = path.read_text(encoding="utf-8")
        for anchor in re.findall(r"find-a-tool\.md#([\w-]+)", text):
            assert anchor in anchors, f"{path.name} links #{anchor}, which no tool has"


def test_the_page_lists_every_tool_and_links_examples_only_when_in_the_book():
    listed = book.toc_files()
    page = catalogue.render_tools(CAT, listed)
    for tool in CAT.tools:
        assert f"## {tool.name}\n" in page
    assert "(notebooks/checking-ssda903.ipynb)" in page
    without = [p for p in listed if p != "notebooks/checking-ssda903"]
    page = catalogue.render_tools(CAT, without)
    assert "(notebooks/checking-ssda903.ipynb)" not in page
    assert "Checking your SSDA903 return before submission" in page


def test_expand_fills_the_markers_and_leaves_other_pages_alone():
    listed = book.toc_files()
    assert catalogue.expand("# Page\n\nText.\n", listed, Path("/no/such/file")) == "# Page\n\nText.\n"
    glance = catalogue.expand("# Home\n\n<!-- catalogue: glance -->\n", listed, CAT)
    assert "<!-- catalogue" not in glance
    for example in CAT.examples:
        assert example.question in glance
    assert "### Checking returns\n" in glance


def test_the_filter_data_is_safe_inside_its_script():
    tool = CAT.tools[0]
    tricky = catalogue.Catalogue(
        (catalogue.Tool(**{**tool.__dict__, "question": "a </script> b"}),), CAT.examples
    )
    page = catalogue.render_tools(tricky, book.toc_files())
    assert "a </script> b" not in page.split("d2i-catalogue-data", 1)[1].split("</script>")[0]


GOOD = """
tools:
  - name: A tool
    question: What?
    area: practice
    form: notebook
    data: [SSDA903]
    maintainer: Someone
    url: https://example.org
    status: unknown
    last_seen: no dated file found
    checked: its README
    examples: [one]
examples:
  - name: one
    area: practice
    question: What?
"""


def test_a_good_catalogue_parses():
    cat = catalogue.parse(GOOD)
    assert [t.anchor for t in cat.tools] == ["a-tool"]
    assert cat.tools_for("one")[0].data == ("SSDA903",)


@pytest.mark.parametrize(
    "change, message",
    [
        (("form: notebook", "form: spreadsheet"), "form 'spreadsheet' is not one of"),
        (("data: [SSDA903]", "data: [SSDA 903]"), "data 'SSDA 903' is not one of"),
        (("data: [SSDA903]", "data: [903]"), "data must be a list of text"),
        (("status: unknown", "status: maybe"), "status 'maybe'"),
        (("status: unknown", "status: not checked"), "status 'not checked'"),
        (("examples: [one]", "examples: [two]"), "example 'two' is not in the 'examples' list"),
        (("    maintainer: Someone\n", ""), "missing fields \\['maintainer'\\]"),
        (("url: https://example.org", "url: example.org"), "https://"),
        (("question: What?\n    area: practice\n    form", "question: ''\n    area: practice\n    form"),
         "question must be a non-empty str"),
        (("data: [SSDA903]", "data: []"), "at least one"),
    ],
)
def test_a_broken_catalogue_is_refused_naming_the_entry_and_field(change, message):
    old, new = change
    assert old in GOOD
    with pytest.raises(catalogue.CatalogueError, match=message) as err:
        catalogue.parse(GOOD.replace(old, new, 1))
    assert "tools[0]" in str(err.value) or "examples[0]" in str(err.value)


def test_two_tools_with_one_name_are_refused():
    entry = GOOD.split("tools:\n")[1].split("\nexamples:")[0] + "\n"
    text = GOOD.replace("tools:\n", "tools:\n" + entry, 1)
    with pytest.raises(catalogue.CatalogueError, match="same name"):
        catalogue.parse(text)


def test_a_catalogue_that_is_not_yaml_is_refused():
    with pytest.raises(catalogue.CatalogueError, match="not valid YAML"):
        catalogue.parse("tools: [a: b: c]")
    with pytest.raises(catalogue.CatalogueError, match="exactly two lists"):
        catalogue.parse("tools: []")


def test_the_glance_files_each_example_where_the_contents_list_it():
    listed = book.toc_files()
    captions = book.toc_captions()
    assert captions["notebooks/ehc-plans-timeliness"] == "SEND"
    glance = catalogue.expand("<!-- catalogue: glance -->\n", listed, CAT, captions=captions)
    send = glance.split("### SEND\n", 1)[1].split("###", 1)[0]
    assert "ehc-plans-timeliness.ipynb" in send and "send-children-in-need-and-care" in send
    for caption in {captions[p] for p in listed if p in captions and p.startswith("notebooks/")
                    and p.count("/") == 1}:
        assert f"### {caption}\n" in glance
    # the same headings, in the same order, as the table of contents
    headings = [line[4:] for line in glance.splitlines() if line.startswith("### ")]
    toc_order = list(dict.fromkeys(captions[p] for p in listed
                                   if p.startswith("notebooks/") and p.count("/") == 1))
    assert headings == toc_order
