"""Exercise versions of worked examples (d2i_examples.book.exercises), on a hand-made example;
the `d2i-examples exercises` command and its old name."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest

from d2i_examples import cli, paths
from d2i_examples.book.exercises import (
    BLANK,
    ExerciseError,
    check,
    compare,
    exercise_notebook,
    exercises_heading,
    starter_code,
    write_exercises,
)

SETUP = ('import pandas as pd\nplans = pd.DataFrame({"child": list("abcde"), '
         '"end": [None, "2025-01-01", None, "2025-02-01", "2025-03-01"]})')
EXERCISES = [
    ('open_plans = plans[plans["end"].isna()]',
     {"task": "Keep the plans still open.", "answer": "open_plans",
      "blanks": ['plans["end"].isna()'], "hints": {"rows": "did you keep only open plans?"}}),
    ("share = len(open_plans) / len(plans)",
     {"task": "What share of plans is open?", "answer": "share"}),
    (('import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.bar(["open", "ended"], '
      '[len(open_plans), len(plans) - len(open_plans)])\nax.set_title(f"{share:.0%} of plans '
      'are open")\nax.set_ylabel("plans")'),
     {"task": "Draw a chart whose title states the finding.", "answer": "fig",
      "blanks": ['f"{share:.0%} of plans are open"']}),
]


def _example() -> nbformat.NotebookNode:
    cells = [nbformat.v4.new_markdown_cell("# Open plans"),
             nbformat.v4.new_code_cell(SETUP)]
    for source, meta in EXERCISES:
        cells.append(nbformat.v4.new_code_cell(
            source, metadata={"tags": ["exercise"], "d2i_exercise": meta}))
    cells.append(nbformat.v4.new_code_cell("print(len(open_plans), 'open')"))
    return nbformat.v4.new_notebook(cells=cells)


@pytest.fixture
def folder(tmp_path):
    nbformat.write(_example(), tmp_path / "open-plans.ipynb")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]),
                   tmp_path / "no-exercises.ipynb")
    return tmp_path


def _namespace() -> dict:
    namespace: dict = {}
    exec(SETUP, namespace)  # noqa: S102
    return namespace


def test_the_exercise_version_blanks_the_code_and_adds_a_check_per_exercise():
    nb = exercise_notebook(_example(), "open-plans")
    tags = [c.metadata.get("tags", [""])[0] for c in nb.cells]
    assert tags.count("exercise-task") == tags.count("exercise-check") == 3
    assert nb.cells[0].source == "# Open plans (exercises)"
    starters = [c.source for c in nb.cells if "exercise-code" in c.metadata.get("tags", [])]
    assert starters[0] == f"open_plans = plans[{BLANK}]"
    assert starters[1] == f"# Write your code here; it must set share\nshare = {BLANK}"
    checks = [c.source for c in nb.cells if "exercise-check" in c.metadata.get("tags", [])]
    assert checks[2].endswith("check('open-plans', 3, globals())")


def test_with_solutions_the_code_stays_and_is_collapsed_in_the_book():
    nb = exercise_notebook(_example(), "open-plans", solutions=True)
    code = [c for c in nb.cells if "exercise-code" in c.metadata.get("tags", [])]
    assert [c.source for c in code] == [s for s, _ in EXERCISES]
    assert all("hide-input" in c.metadata["tags"] for c in code)


def test_a_right_answer_is_said_to_be_right(folder, capsys):
    ns = _namespace()
    ns["open_plans"] = ns["plans"][ns["plans"]["end"].isna()]
    assert check("open-plans", 1, ns, notebooks=folder)
    assert capsys.readouterr().out.startswith("Right: `open_plans` matches")


def test_a_wrong_table_gets_its_rows_counted_and_the_hint_and_the_answer_put_back(
        folder, capsys):
    ns = _namespace()
    ns["open_plans"] = ns["plans"]
    assert not check("open-plans", 1, ns, notebooks=folder)
    out = capsys.readouterr().out
    assert out.startswith("Not yet: your table has 5 rows, the answer has 2; did you keep "
                          "only open plans?")
    assert len(ns["open_plans"]) == 2, "the answer is put in place for the rest"


def test_a_missing_answer_says_to_fill_the_blanks(folder, capsys):
    assert not check("open-plans", 1, _namespace(), notebooks=folder)
    assert "there is no `open_plans` yet: fill in each ___" in capsys.readouterr().out


def test_a_wrong_number_and_a_chart_without_a_finding(folder, capsys):
    ns = _namespace()
    ns["open_plans"] = ns["plans"][ns["plans"]["end"].isna()]
    ns["share"] = 0.5
    assert not check("open-plans", 2, ns, notebooks=folder)
    assert "your answer is 0.5, the answer is 0.4" in capsys.readouterr().out
    fig, ax = plt.subplots()
    ax.set_title("Open and ended plans")
    ns["fig"] = fig
    assert not check("open-plans", 3, ns, notebooks=folder)
    assert "title should state its finding" in capsys.readouterr().out
    plt.close("all")


def test_the_check_never_raises_when_the_notebook_was_not_run_in_order(folder, capsys):
    assert not check("open-plans", 2, {}, notebooks=folder)
    assert "run the notebook's cells in order" in capsys.readouterr().out
    assert not check("open-plans", 9, {}, notebooks=folder)
    assert "cannot find exercise 9" in capsys.readouterr().out


def test_compare_names_kind_columns_and_values():
    table = pd.DataFrame({"a": [1, 2]})
    assert compare(3, table).startswith("it should be a table (DataFrame), and yours is a number")
    assert "columns are b; the answer's are a" in compare(table.rename(columns={"a": "b"}), table)
    assert "some values differ" in compare(table.assign(a=[1, 3]), table)
    assert compare(table.copy(), table) is None


def test_bad_exercise_metadata_is_refused_with_where():
    nb = _example()
    nb.cells[2].metadata["d2i_exercise"]["blanks"] = ["not in the code"]
    with pytest.raises(ExerciseError, match="cell 2: the blank 'not in the code'"):
        exercise_notebook(nb, "open-plans")
    nb.cells[2].metadata["d2i_exercise"] = {"task": "x"}
    with pytest.raises(ExerciseError, match="needs metadata d2i_exercise"):
        exercise_notebook(nb, "open-plans")
    with pytest.raises(ExerciseError, match="has no cell tagged"):
        exercise_notebook(nbformat.v4.new_notebook(), "empty")


def test_write_exercises_writes_only_examples_with_exercises(folder, tmp_path):
    written = write_exercises(out=tmp_path / "exercises", notebooks=folder)
    assert [p.name for p in written] == ["open-plans.ipynb"]
    first = written[0].stat().st_mtime_ns
    write_exercises(out=tmp_path / "exercises", notebooks=folder)
    assert written[0].stat().st_mtime_ns == first, "unchanged files are not rewritten"


def test_starter_code_keeps_the_rest_of_the_line():
    cell = nbformat.v4.new_code_cell(EXERCISES[0][0], metadata={"d2i_exercise": EXERCISES[0][1]})
    assert starter_code(cell) == "open_plans = plans[___]"


def test_the_command_says_when_no_example_has_exercises(tmp_path, capsys):
    assert cli.main(["exercises", "no-such-example", "--out", str(tmp_path)]) == 1
    assert "has exercises" in capsys.readouterr().err


def test_relative_links_still_reach_their_pages_one_folder_down():
    nb = _example()
    nb.cells[0].source += "\n\nSee [drift](drift.ipynb), [the tool](../find-a-tool.md#x), " \
        "[DfE](https://www.gov.uk/) and [below](#open-plans)."
    text = exercise_notebook(nb, "open-plans").cells[0].source
    assert "[drift](../drift.ipynb)" in text and "(../../find-a-tool.md#x)" in text
    assert "(https://www.gov.uk/)" in text and "(#open-plans)" in text


def test_only_the_heading_line_is_named_and_only_once():
    source = "# Open plans\n\nA [link](x.md) and # not a heading"
    assert exercises_heading(source) == "# Open plans (exercises)\n\nA [link](x.md) and # not a heading"
    assert exercises_heading(exercises_heading(source)) == exercises_heading(source)
    assert exercises_heading("Some text, # then a hash") == "Some text, # then a hash"



def _tags(cell) -> list[str]:
    return cell.metadata.get("tags", [])


def test_the_command_writes_an_example_whose_checks_import_the_check(tmp_path, capsys):
    assert cli.main(["exercises", "drift", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr()
    assert "1 exercise notebook(s) written" in printed.out and not printed.err
    nb = nbformat.read(tmp_path / "drift.ipynb", as_version=4)
    assert nb.cells[0].source.splitlines()[0].endswith(" (exercises)")
    checks = [c.source for c in nb.cells if "exercise-check" in _tags(c)]
    assert checks
    for source in checks:
        namespace: dict = {}
        exec(source.splitlines()[0], namespace)  # noqa: S102 - the cell's own import line
        assert namespace["check"] is check


def test_the_old_name_practise_still_works_says_the_new_one_and_is_not_listed(
        tmp_path, capsys):
    assert cli.main(["practise", "drift", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr()
    assert (tmp_path / "drift.ipynb").is_file()
    [note] = printed.err.splitlines()
    assert "`d2i-examples practise` is now `d2i-examples exercises`" in note
    assert "practise" not in cli.build_parser().format_help()
    assert "exercises" in cli.build_parser().format_help()


def test_no_practise_spelling_is_left_but_the_old_command_name():
    """One word for the exercise versions ("exercises") and one for the "which numbers
    matter" pages ("practice"): the old spelling stays only as the command's old name."""
    places = [*sorted((paths.ROOT / "src").rglob("*.py")), paths.BOOK_SOURCES / "_toc.yml",
              paths.ROOT / "README.md"]
    found = [(path.relative_to(paths.ROOT).as_posix(), line.strip())
             for path in places
             for line in path.read_text(encoding="utf-8").splitlines()
             if "practise" in line.lower()]
    assert found == [("src/d2i_examples/cli.py", 'RENAMED = {"practise": "exercises"}')]
