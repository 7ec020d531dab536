"""Check and run agree on every council folder of the corpus, for every worked example.

The corpus (tests/fixtures/corpus.py) is over forty council folders the project
generates itself. For every folder and every example the runner lists:

- `check` either says OK or refuses with a message that names a fix (a "What to do",
  a `-p name=value`, a settings file), and never prints a raw Python traceback: every
  folder as a whole on every push, and with a rotating two examples of its own
  (tests/fixtures/rotation.py, ``corpus_checks``); every example with D2I_FULL_MATRIX=1;
- a stated, rotating sample of (folder, example) pairs (tests/fixtures/rotation.py,
  ``CORPUS_RUNS``) also goes through `run`: where check said OK, run writes its report;
  where check refused, run refuses with the same exit status and runs nothing; no
  traceback either way. ``D2I_FULL_MATRIX=1`` runs every pair (``make test-corpus``,
  the weekly workflow's ``corpus`` job, spreads them over the workers).

``D2I_CORPUS_DIR=DIR`` reuses a corpus already written there. With
``D2I_CORPUS_TALLY=FILE`` each outcome is appended to FILE as a JSON line (for
the tally in tests/fixtures/corpus.py's docstring).
"""

from __future__ import annotations

import json
import os

import pytest

from d2i_examples import cli
from tests.fixtures import corpus as corpus_module
from tests.fixtures import rotation

TRACEBACK = "Traceback (most recent call last)"
#: what a refusal says when it names a fix
FIX_MARKERS = ("What to do:", "-p ", "Suggested settings file", "--params")
# the 10,000-children council took 822 s to build on a loaded 2-core machine: the weekly
# corpus job (D2I_FULL_MATRIX=1) checks it, a push does not; the test that builds it may
# take longer than the 900 s every other test is allowed (pyproject.toml)
SLOW_BUILD = [pytest.mark.slow, pytest.mark.timeout(3600)]
FOLDERS = [pytest.param(name, marks=SLOW_BUILD) if name in corpus_module.SLOW_VARIANTS
           else name for name in corpus_module.VARIANTS
           if rotation.CORPUS_FULL or name not in corpus_module.SLOW_VARIANTS]
RUNS = [pytest.param(folder, example, marks=SLOW_BUILD if folder in
                     corpus_module.SLOW_VARIANTS else ())
        for folder, example in rotation.sample(rotation.CORPUS_RUNS, rotation.CORPUS_RUNS_KEPT,
                                               full=rotation.CORPUS_FULL)]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """The corpus, each folder built when first used (once a session). D2I_CORPUS_DIR=DIR
    keeps it in DIR between sessions (``python -m tests.fixtures.corpus DIR`` writes it
    ahead; delete DIR after changing the corpus)."""
    kept = os.environ.get("D2I_CORPUS_DIR")
    return corpus_module.Corpus(kept if kept else tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def salt_file(tmp_path_factory):
    """A council's own secret salt, as preparing-data-to-share asks for on own data."""
    path = tmp_path_factory.mktemp("salt") / "salt.txt"
    path.write_text("a-long-secret-salt-kept-by-the-council\n", encoding="utf-8")
    return path


def _args(example: str, salt_file) -> list[str]:
    return ["-p", f"salt_file={salt_file}"] if example in rotation.SALTED else []


def _call(capsys, argv: list[str]) -> tuple[int | str, str]:
    """cli.main's exit status and everything it printed; an exception escaping it is
    what a reader sees as a raw traceback."""
    try:
        status = cli.main(argv)
    except BaseException as err:  # noqa: BLE001 - any escape is the failure reported
        status = f"raised {type(err).__name__}: {err}"
    said = capsys.readouterr()
    return status, said.out + said.err


def _tally(**outcome) -> None:
    path = os.environ.get("D2I_CORPUS_TALLY")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(outcome) + "\n")


def _verdict(status, text: str) -> str:
    if not isinstance(status, int) or TRACEBACK in text:
        return "traceback"
    if status == 0:
        return "ok"
    return "refused with a fix" if any(m in text for m in FIX_MARKERS) else "refused, no fix"


def test_the_corpus_covers_what_councils_hand_over():
    names = corpus_module.VARIANTS
    assert len(names) >= 40
    years = {corpus_module.BASES[base].year - i for base, _ in names.values()
             for i in range(corpus_module.BASES[base].years_of_903)}
    assert set(range(2018, 2028)) <= years  # 2017/18 to 2026/27
    populations = {corpus_module.BASES[base].population for base, _ in names.values()}
    assert min(populations) <= 1_000 and max(populations) >= 100_000


def test_an_in_year_extract_holds_nothing_after_the_day_it_was_cut(corpus):
    import pandas as pd

    folder = corpus.folder("2026-27 in-year December")
    [episodes] = folder.glob("ssda903/*/*_episodes.csv")
    df = pd.read_csv(episodes, dtype=str, keep_default_na=False)
    for column in ("DECOM", "DEC"):
        dates = pd.to_datetime(df[column], format="%d/%m/%Y", errors="coerce")
        assert (dates.dropna() <= corpus_module.CUT).all()
    assert (df["DEC"] == "").any()  # episodes open on the day
    text = next(folder.glob("cin_census/*.xml")).read_text(encoding="utf-8")
    assert "<ReferenceDate>2026-12-04</ReferenceDate>" in text


@pytest.mark.parametrize("folder", FOLDERS)
def test_check_says_ok_or_names_a_fix_for_every_example(folder, corpus, salt_file, capsys):
    data = corpus.folder(folder)
    wrong = []
    for example in [None, *rotation.corpus_checks(folder)]:  # None: the folder as a whole
        named = [] if example is None else [example, *_args(example, salt_file)]
        status, text = _call(capsys, ["check", *named, "--data", str(data)])
        verdict = _verdict(status, text)
        _tally(step="check", folder=folder, example=example, status=str(status),
               verdict=verdict, last=text.strip().splitlines()[-1:] if text else [])
        if verdict in ("traceback", "refused, no fix"):
            wrong.append(f"{example}: {verdict} (status {status})\n{text}")
    assert not wrong, f"check on {folder!r}:\n" + "\n\n".join(wrong)


def _errors_in_report(out, example: str) -> list[str]:
    """Python errors shown in the executed notebook's outputs (a traceback in the report)."""
    import nbformat

    return [f"{o.ename}: {o.evalue}" for path in out.glob(f"{example}-*.ipynb")
            for cell in nbformat.read(path, as_version=4).cells
            for o in cell.get("outputs", []) if o.get("output_type") == "error"]


@pytest.mark.slow
@pytest.mark.parametrize("folder, example", RUNS)
def test_run_does_what_check_said(folder, example, corpus, salt_file, tmp_path, capsys):
    data = corpus.folder(folder)
    extra = _args(example, salt_file)
    checked, check_text = _call(capsys, ["check", example, "--data", str(data), *extra])
    out = tmp_path / "reports"
    status, text = _call(capsys, ["run", example, "--data", str(data), "--out", str(out),
                                  "--timeout", "600", *extra])
    written = sorted(p.suffix for p in out.glob(f"{example}-*")) if out.exists() else []
    if _verdict(checked, check_text) == "traceback" or TRACEBACK in text or \
            not isinstance(status, int) or _errors_in_report(out, example):
        outcome = "traceback"
    elif checked == 0:
        outcome = "agreed" if status == 0 and written == [".html", ".ipynb"] else "disagreed"
    else:
        outcome = "agreed" if status == checked and not written else "disagreed"
    _tally(step="run", folder=folder, example=example, check=str(checked), run=str(status),
           outcome=outcome, said=text[-3000:] if outcome != "agreed" else "")
    assert outcome == "agreed", (f"{example} on {folder!r}: check gave {checked}, run gave "
                                 f"{status} ({outcome}):\n{text}")
