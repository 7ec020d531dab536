"""Run D2I's CIN census validator (csc-validator-be-cin) and tidy what it finds.

The validator is the Python package ``cin_validator`` behind D2I's browser tool
for checking the child in need census XML before it goes to the DfE. Here the
XML is parsed, checked to be a CIN census, read into the tool's tables (by
default with ``cin_tables``, which gives exactly what the tool's own reader
``convert_data`` gives, in a fraction of the time; ``ingress="tool"`` uses the
tool's, and so does a release whose reader makes tables ``cin_tables`` does not,
such as the 2026/27 pre-proceedings), prepared with its ``process_data`` and validated with its
``CinValidator`` and a year's ruleset. Its ``full_issue_df`` (child-level issues) and
``multichild_issues`` (return-level issues) become one tidy ``issues`` frame.

The tool's working-day calendar (``cin_validator.england_holidates``) lists
bank holidays for 2022 to 2027 only, so rules counting working days would be
wrong outside that range: collection years whose census year is not covered
are refused. Rules that crash are printed by the tool and skipped; we report
them as ``"not run: ..."``.
"""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

import pandas as pd

from d2i_examples.datasets import years
from d2i_examples.errors import DataError
from d2i_examples.tools import _rulesets
from d2i_examples.tools._quiet import import_quietly, quiet
from d2i_examples.tools.cin_tables import cin_tables, tables_it_lacks
from d2i_examples.tools.validation_result import ValidationResult

XmlSource = str | Path | bytes | ET.Element | ET.ElementTree

ISSUE_COLUMNS = [
    "rule",
    "description",
    "type",
    "table",
    "row",
    "LAchildID",
    "CINdetailsID",
    "column",
    "value",
    "note",
]
# how the census XML is read into the tool's tables: ours (the same tables, fast) or the tool's
INGRESS = {
    "fast": "d2i_examples.tools.cin_tables (the tool's tables, read in one pass)",
    "tool": "the tool's own reader, cin_validator.convert_data",
}
_CRASH = re.compile(r"^Error with rule (\S+): (\w+), (.*)$", re.MULTILINE)


@lru_cache(maxsize=1)
def _tool():
    names = ("cin_validator", "rules.ruleset_utils", "rules", "england_holidates")
    return {name: import_quietly(f"cin_validator.{name}") for name in names}


def cin_collection_years() -> list[int]:
    """Collection years the installed CIN validator can check (2026 means 2025/26).

    A year needs a ruleset and a census year (1 April to 31 March) inside the
    tool's bank-holiday calendar.
    """
    tool = _tool()
    holidays = tool["england_holidates"].england_holidates
    first, last = min(d.year for d in holidays), max(d.year for d in holidays)
    years = _rulesets.ruleset_years(tool["rules"], "cin")
    return [year for year in years if year - 1 >= first and year <= last]


def cin_rules(collection_year: int = 2026) -> pd.DataFrame:
    """Every rule in a year's CIN ruleset: rule, description, type (Error/Query), table, fields."""
    registry = _registry(_checked_year(collection_year))
    return pd.DataFrame(
        [
            {
                "rule": code,
                "description": rule.message,
                "type": rule.rule_type.value,
                "table": rule.module.name if rule.module else None,
                "fields": list(rule.affected_fields or []),
            }
            for code, rule in registry.items()
        ]
    )


def validate_cin_census(
    xml_path_or_root: XmlSource,
    collection_year: int = 2026,
    rules: list[str] | None = None,
    ingress: str = "fast",
    rules_year: int | None = None,
) -> ValidationResult:
    """Check a CIN census XML file with D2I's validator and the DfE rules for the year.

    Args:
        xml_path_or_root: the path of the census XML file, its bytes, or an
            already parsed ElementTree / root element.
        collection_year: the year the census ends (2026 runs the 2025/26
            rules); the file's ReferenceDate must fall in that census year
            (datasets.years: 31 March, or an in-year extract's date, as the
            tool takes the ReferenceDate as the end of the period it checks).
        rules: rule codes to run (default: all rules of the year).
        ingress: how the XML is read into the tool's tables: ``"fast"`` (default,
            ``cin_tables``) or ``"tool"`` (the tool's own ``convert_data``, which
            gives the same tables and takes minutes on a large census).
        rules_year: run this year's rules instead (None: ``collection_year``'s),
            for a census of a year the tool has no rules for (before 2022/23);
            the result says so.

    Returns:
        A ValidationResult. ``issues`` has one row per failing rule, table,
        row and column: ``rule``, ``description``, ``type`` (Error or Query:
        queries may be fine if explained), ``table`` (the tool's table, e.g.
        ChildIdentifiers), ``row`` (0-based row of that table in the tool's
        conversion), ``LAchildID``, ``CINdetailsID`` (which CINdetails block of
        the child, from 1), ``column``, ``value`` and ``note``. Return-level
        rules (e.g. a percentage across all children) have no child or row.
        ``validator`` is the tool's CinValidator; ``ingress`` says which reader ran.

    Raises:
        DataError: a missing, empty or malformed file; XML that is not a CIN
            census; a ReferenceDate outside the collection year; a collection
            year the tool cannot check; unknown rule codes; an unknown ``ingress``.
    """
    if ingress not in INGRESS:
        raise DataError(
            "Unknown way of reading the census.",
            column="ingress",
            expected=" or ".join(map(repr, INGRESS)),
            found=repr(ingress),
            fix='Leave ingress out (it defaults to "fast").',
        )
    if rules_year is None:
        year = _checked_year(collection_year)
    else:
        year = years.stated_year(collection_year)
    registry = _registry(year if rules_year is None else _checked_year(rules_year))
    label, root = _parse(xml_path_or_root)
    root = _checked_census(root, label, year)
    selected = _selected_rules(rules, registry, year)

    tool = _tool()["cin_validator"]
    with quiet("cin_validator") as said:
        try:
            fast = ingress == "fast" and not tables_it_lacks()  # see cin_tables
            tables = cin_tables(root) if fast else tool.convert_data(root)
            data = tool.process_data(tables)
        except (AttributeError, IndexError, KeyError, TypeError, ValueError) as err:
            # the tool's XML reader fails this way on structures it does not expect
            raise DataError(
                "The CIN validator could not read the census XML.",
                file=label,
                found=f"{type(err).__name__}: {err}",
                expected="the CIN census structure (Message > Header, Children > Child)",
                fix="Check the file against the DfE CIN census specification.",
            ) from None
        validator = tool.CinValidator(data, registry, selected_rules=selected)
    crashes = {code: (kind, message) for code, kind, message in _CRASH.findall(said.stdout)}
    rule_status = _rule_status(validator, registry, selected, crashes, data)
    issues = _issues(validator, registry, data)
    return ValidationResult(
        title="CIN census validation",
        issues=issues,
        summary=_summary(issues, rule_status),
        rules=rule_status,
        collection_year=year,
        validator=validator,
        report=None,
        child_column="LAchildID",
        ingress=INGRESS[ingress],
        rules_year=rules_year,
    )


# --- input ------------------------------------------------------------------------------


def _parse(source: XmlSource) -> tuple[str | None, ET.Element]:
    if isinstance(source, ET.ElementTree):
        return None, source.getroot()
    if isinstance(source, ET.Element):
        return None, source
    if isinstance(source, bytes):
        label, content = "XML bytes", source
    else:
        path = Path(source).expanduser()
        if not path.is_file():
            raise DataError(
                "The CIN census file was not found.",
                file=path,
                expected="the census XML file",
                found="a folder" if path.is_dir() else "nothing at this path",
                fix="Check the path in the parameters cell.",
            )
        label, content = str(path), path.read_bytes()
    if not content.strip():
        raise DataError(
            "The CIN census file is empty.",
            file=label,
            expected="the census XML",
            found=f"{len(content)} bytes",
            fix="Re-export the census XML from your case management system.",
        )
    try:
        return label, ET.fromstring(content)
    except ET.ParseError as err:
        raise DataError(
            "The CIN census file is not well-formed XML.",
            file=label,
            expected="XML starting with <Message>",
            found=f"{err} (line {err.position[0]}, column {err.position[1]})",
            fix="Open the file in a text editor at that line; if it is not XML (e.g. a CSV "
            "or Excel file), export the census XML instead.",
        ) from None


def _without_namespaces(root: ET.Element) -> ET.Element:
    if not any(el.tag.startswith("{") for el in root.iter() if isinstance(el.tag, str)):
        return root
    root = copy.deepcopy(root)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = element.tag.split("}", 1)[1]
    return root


def _checked_census(root: ET.Element, label: str | None, year: int) -> ET.Element:
    root = _without_namespaces(root)

    def wrong(found: str) -> DataError:
        return DataError(
            "The XML is not a CIN census file.",
            file=label,
            expected="<Message> holding <Header><CollectionDetails> (Collection CIN, "
            "ReferenceDate) and <Children> with <Child> records",
            found=found,
            fix="Check you chose the CIN census XML (not the SSDA903 or another return).",
        )

    if root.tag != "Message":
        raise wrong(f"the top element is <{root.tag}>")
    details = root.find("Header/CollectionDetails")
    if details is None:
        raise wrong("no <Header><CollectionDetails>")
    collection = (details.findtext("Collection") or "").strip()
    if collection and not collection.upper().startswith("CIN"):
        raise wrong(f"<Collection>{collection}</Collection>")
    if root.find("Children") is None:
        raise wrong("no <Children>")
    children = root.findall("Children/Child")
    if not children:
        raise wrong("no <Child> records inside <Children>")
    for number, child in enumerate(children, start=1):
        for block in ("ChildIdentifiers", "ChildCharacteristics"):
            if child.find(block) is None:
                child_id = child.findtext("ChildIdentifiers/LAchildID") or "no LAchildID"
                raise DataError(
                    f"A child record has no <{block}> block, which the validator needs.",
                    file=label,
                    found=f"child {number} in the file ({child_id})",
                    expected=f"every <Child> to hold <{block}>",
                    fix="Fix the export so every child has identifiers and characteristics.",
                )

    text = (details.findtext("ReferenceDate") or "").strip()
    reference = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    if pd.isna(reference):
        raise DataError(
            "The census ReferenceDate is missing or not a date.",
            file=label,
            column="Header/CollectionDetails/ReferenceDate",
            expected="YYYY-MM-DD, e.g. 2026-03-31",
            found=repr(text),
        )
    census_year = years.RULES["cin_census"].year_of(reference)
    if census_year != year:
        raise DataError(
            "The census ReferenceDate is not in the collection year asked for.",
            file=label,
            column="Header/CollectionDetails/ReferenceDate",
            expected=f"a date from 01/04/{year - 1} to 31/03/{year} (collection_year={year}, "
            f"the {years.year_label(year)} census)",
            found=text,
            fix=f"Pass collection_year={census_year} (the {years.year_label(census_year)} "
            "census, which holds that date) or check you chose the right file.",
        )
    return root


def _checked_year(collection_year: int) -> int:
    return years.checked(
        collection_year,
        cin_collection_years(),
        "The CIN validator cannot check this collection year: it has no rules for it, or "
        "its working-day calendar (bank holidays 2022-2027) does not cover the census year.",
        fix="Set collection_year to the year the census ends (31 March).",
    )


def _registry(year: int) -> dict:
    return _tool()["rules.ruleset_utils"].get_year_ruleset(str(year))


def _selected_rules(rules, registry: dict, year: int) -> list[str] | None:
    return _rulesets.selected_rules(
        rules, registry, year, "CIN rule", "codes from cin_rules(collection_year)['rule'], e.g. '4180'"
    )


# --- output -----------------------------------------------------------------------------


def _rule_status(validator, registry, selected, crashes, data) -> pd.DataFrame:
    columns = {c for frame in data.values() for c in frame.columns}
    rows = []
    for rule in validator.get_rules_to_run(registry, selected):
        code = str(rule.code)
        status = "run"
        if code in crashes:
            kind, message = crashes[code]
            key = message.strip("'\"")
            missing = key if kind == "KeyError" and key not in columns else None
            status = _rulesets.crash_status(kind, message, missing)
        rows.append(
            {
                "rule": code,
                "description": rule.message,
                "type": rule.rule_type.value,
                "status": status,
            }
        )
    return pd.DataFrame(rows, columns=["rule", "description", "type", "status"])


def _display(value: object) -> object:
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    if value is None or pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _issues(validator, registry: dict, data: dict) -> pd.DataFrame:
    rows = []
    for item in validator.full_issue_df.itertuples(index=False):
        table, column = item.tables_affected, item.columns_affected
        row = int(item.row_id)
        frame = data.get(table)
        value = cin_id = None
        if frame is not None and row in frame.index:
            if column in frame.columns:
                value = _display(frame.at[row, column])
            if "CINdetailsID" in frame.columns:
                cin_id = _display(frame.at[row, "CINdetailsID"])
        code = str(item.rule_code)
        rows.append(
            {
                "rule": code,
                "description": item.rule_description,
                "type": registry[code].rule_type.value if code in registry else None,
                "table": table,
                "row": row,
                "LAchildID": _display(item.child_id),
                "CINdetailsID": cin_id,
                "column": column,
                "value": value,
                "note": "",
            }
        )
    for item in validator.multichild_issues.drop_duplicates().itertuples(index=False):
        code = str(item.rule_code)
        rule = registry.get(code)
        rows.append(
            {
                "rule": code,
                "description": item.rule_description,
                "type": rule.rule_type.value if rule else None,
                "table": rule.module.name if rule and rule.module else None,
                "row": None,
                "LAchildID": None,
                "CINdetailsID": None,
                "column": None,
                "value": None,
                "note": "return-level: applies to the whole file, not one child",
            }
        )
    issues = pd.DataFrame(rows, columns=ISSUE_COLUMNS)
    issues["row"] = issues["row"].astype("Int64")
    issues = issues.sort_values(
        ["LAchildID", "table", "row", "rule", "column"], na_position="last", ignore_index=True
    )
    return issues


def _summary(issues: pd.DataFrame, rule_status: pd.DataFrame) -> pd.DataFrame:
    where = (issues["table"].astype(str) + "|" + issues["row"].astype(str)).where(
        issues["row"].notna()
    )
    return _rulesets.summary(
        issues,
        rule_status,
        where=where,
        child_column="LAchildID",
        first=("description", "type"),
        note="first",
    )


# --- tracing a child back to the XML ----------------------------------------------------


def read_child_xml(
    xml_path: str | Path, child_id: str, cin_details: list[int] | None = None
) -> pd.DataFrame:
    """The lines of a census XML file that hold one child's record, with their numbers.

    Reads the file at ``xml_path`` and finds the ``<Child>`` whose
    ``ChildIdentifiers/LAchildID`` is ``child_id``. With ``cin_details``
    (CINdetails numbers from 1, as in ``issues["CINdetailsID"]``) only those
    ``<CINdetails>`` blocks are kept, with the identifiers and characteristics;
    a line ``...`` (line NA) stands for each block left out.

    Returns ``line`` (the line number in the file, 1 for the first) and
    ``xml`` (the line's text). A file written on one line is shown re-indented,
    with ``line`` NA.

    Raises:
        DataError: the file cannot be read or parsed, or has no such child.
    """
    from xml.parsers import expat

    label, _ = _parse(xml_path)  # the same checks (and messages) as validate_cin_census
    path = Path(xml_path).expanduser()
    content = path.read_bytes()
    children: list[dict] = []
    stack: list[str] = []
    text: list[str] = []
    parser = expat.ParserCreate()

    def start(name, _attrs):
        tag = name.rsplit(":", 1)[-1]
        stack.append(tag)
        if stack[-2:] == ["Children", "Child"]:
            children.append({"start": parser.CurrentLineNumber, "id": None, "blocks": []})
        elif tag == "CINdetails" and len(stack) >= 2 and stack[-2] == "Child":
            children[-1]["blocks"].append([parser.CurrentLineNumber, None])
        text.clear()

    def end(name):
        tag = stack.pop()
        line = parser.CurrentLineNumber
        if tag == "LAchildID" and stack[-1:] == ["ChildIdentifiers"] and children:
            children[-1]["id"] = "".join(text).strip()
        elif tag == "CINdetails" and stack[-1:] == ["Child"]:
            children[-1]["blocks"][-1][1] = line
        elif tag == "Child" and stack[-1:] == ["Children"]:
            children[-1]["end"] = line

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text.append
    parser.Parse(content, True)
    found = next((c for c in children if c["id"] == str(child_id)), None)
    if found is None:
        raise DataError(
            "No child with this LAchildID in the census file.",
            file=label,
            column="ChildIdentifiers/LAchildID",
            found=repr(child_id),
            expected="an LAchildID from the validator's issues",
        )
    lines = content.decode("utf-8-sig", errors="replace").splitlines()
    if found["start"] == found["end"]:
        return _reindented_child(content, str(child_id), cin_details)
    wanted = set(range(found["start"], found["end"] + 1))
    skipped = []
    for number, (first, last) in enumerate(found["blocks"], start=1):
        if cin_details is not None and number not in set(map(int, cin_details)):
            wanted -= set(range(first, last + 1))
            skipped.append(first)
    rows = []
    for number in range(found["start"], found["end"] + 1):
        if number in skipped:
            indent = lines[number - 1][: len(lines[number - 1]) - len(lines[number - 1].lstrip())]
            rows.append({"line": pd.NA, "xml": f"{indent}..."})
        if number in wanted:
            rows.append({"line": number, "xml": lines[number - 1]})
    return pd.DataFrame(rows, columns=["line", "xml"]).astype({"line": "Int64"})


def _reindented_child(content: bytes, child_id: str, cin_details) -> pd.DataFrame:
    root = _without_namespaces(ET.fromstring(content))
    child = next(
        c for c in root.iter("Child") if c.findtext("ChildIdentifiers/LAchildID") == child_id
    )
    child = copy.deepcopy(child)
    if cin_details is not None:
        keep = set(map(int, cin_details))
        for number, block in enumerate(child.findall("CINdetails"), start=1):
            if number not in keep:
                child.remove(block)
    ET.indent(child)
    rows = [{"line": pd.NA, "xml": line} for line in ET.tostring(child, "unicode").splitlines()]
    return pd.DataFrame(rows, columns=["line", "xml"]).astype({"line": "Int64"})
