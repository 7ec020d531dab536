"""Every fix a message suggests can be applied: parameters typed from the command line,
unknown names refused (never silently ignored), and every settings key a fix names exists."""

from __future__ import annotations

import ast
import re

from d2i_examples import cli, paths
from d2i_examples.settings.mapping import MAPPABLE_RETURNS
from d2i_examples.settings.model import CODES_ONLY, MAPPING_KEYS
from tests.fixtures.local_build import clean_903, example_notebook


def run_cli(capsys, *argv):
    status = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_check_refuses_a_parameter_it_would_ignore(tmp_path, capsys):
    data = clean_903(tmp_path / "data")
    status, text = run_cli(capsys, "check", "--data", data, "-p", "check_codes=False")
    assert status == 2
    assert "check_codes" in text and "collection_year and data_dir" in text


def test_none_and_booleans_pass_from_the_command_line(tmp_path, capsys):
    data = clean_903(tmp_path / "data")
    nb = example_notebook(tmp_path / "nb" / "example.ipynb", "print(flag)",
                          extra_parameters="flag = True  # a switch")
    status, text = run_cli(capsys, "check", nb, "--data", data, "-p", "collection_year=None",
                           "-p", "flag=false")
    assert status == 0, text
    status, text = run_cli(capsys, "check", nb, "--data", data, "-p", "flag=perhaps")
    assert status == 2 and "flag takes True or False" in text


def _messages() -> list[str]:
    """Every string literal in src/ (f-strings with their fields as {})."""
    found = []
    for path in (paths.ROOT / "src").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.append(node.value)
            elif isinstance(node, ast.JoinedStr):
                found.append("".join(v.value if isinstance(v, ast.Constant) else "{}"
                                     for v in node.values))
    return found


def test_every_settings_key_a_message_names_exists():
    named = [m for text in _messages()
             for m in re.findall(r"mapping > (\w+|\{\}) > (\w+)", text)]
    assert ("sen2", "codes") in named and ("ssda903", "codes") in named
    for ret, key in named:
        assert ret == "{}" or ret in MAPPABLE_RETURNS, ret
        allowed = ("codes",) if ret in CODES_ONLY else MAPPING_KEYS
        assert key in allowed, (ret, key)


def test_every_parameter_a_fix_names_is_one_a_notebook_has():
    from d2i_examples.settings.schema import notebook_parameters

    declared = set(notebook_parameters(paths.NOTEBOOKS))
    named = {m for text in _messages()
             for m in re.findall(r"(?:-p |[Pp]ass |[Ss]et )([a-z_]+) ?=", text)}
    assert "collection_year" in named
    assert named <= declared, named - declared
    assert not any("pass check_codes" in text.lower() for text in _messages())


def test_a_fix_naming_a_parameter_the_example_lacks_says_what_to_do_instead(tmp_path):
    from d2i_examples.own_data.check import CheckResult, Problem

    fix = "What to do: Pass a supported year, or collection_year=None to accept any code."
    lacking = CheckResult(tmp_path, [], [Problem("years", fix)], needed_by="forecasting-demand",
                          parameters={"data_dir", "reference_end"})
    said = lacking.format()
    assert "Note: forecasting-demand has no collection_year parameter" in said
    assert "a folder named for the year the return ends" in said
    having = CheckResult(tmp_path, [], [Problem("years", fix)], needed_by="journeys",
                         parameters={"collection_year", "data_dir"})
    assert "Note:" not in having.format()


def test_check_of_an_example_passes_its_parameters_to_the_check(tmp_path, capsys):
    data = clean_903(tmp_path / "data")
    nb = example_notebook(tmp_path / "nb" / "example.ipynb", "print('x')")
    status, text = run_cli(capsys, "check", nb, "--data", data, "-p", "collection_year=2019")
    assert status != 0 and "has no collection_year parameter" not in text
