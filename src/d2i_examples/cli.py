"""The d2i-examples command: run notebooks, check a data folder, build the book.

Exit statuses: 0 success, 1 a notebook failed, 2 a command-line mistake; runs
on a reader's own data and `check` add one status per kind of data problem
(d2i_examples.own_data.check.EXIT_CODES).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from d2i_examples import paths


def _add_param_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-p", "--param", action="append", default=[], metavar="NAME=VALUE",
        help="set a parameter (read as the notebook's parameter is written: 2026, 0.5, "
        "true/false, None, text); repeatable",
    )
    parser.add_argument(
        "--params", metavar="FILE",
        help="YAML file of parameter values, or a settings file (parameters: and mapping:)",
    )
    parser.add_argument(
        "--data", metavar="DIR",
        help="your own data folder (ssda903/, cin_census/, annex_a/); checked before anything "
        "runs, outputs go outside the project",
    )


def _add_exec_options(parser: argparse.ArgumentParser) -> None:
    from d2i_examples.runner import DEFAULT_TIMEOUT

    parser.add_argument(
        "--timeout", type=int, default=DEFAULT_TIMEOUT,
        help=f"seconds a single cell may run (default {DEFAULT_TIMEOUT})",
    )
    parser.add_argument("--workers", type=int, help="parallel notebooks (default: cores)")
    parser.add_argument("--retries", type=int, default=1, help="retries for a dead kernel")
    parser.add_argument("--force", action="store_true", help="re-run unchanged notebooks too")


def _inputs(args: argparse.Namespace):
    from d2i_examples.own_data.run import read_inputs

    return read_inputs(getattr(args, "params", None), getattr(args, "param", []),
                       getattr(args, "data", None))


def _grouped(notebooks: list[Path], inputs) -> list[tuple[dict, list[Path]]]:
    """Notebooks grouped by their parameters (a settings file's differ by notebook)."""
    import json

    import nbformat

    from d2i_examples.settings.parameters import declared_parameters

    if inputs.settings is None or not inputs.settings.parameters:
        return [(dict(inputs.params), notebooks)] if notebooks else []
    groups: dict[str, tuple[dict, list[Path]]] = {}
    for nb in notebooks:
        params = inputs.for_notebook(declared_parameters(nbformat.read(nb, as_version=4)))
        key = json.dumps(params, sort_keys=True, default=str)
        groups.setdefault(key, (params, []))[1].append(nb)
    return list(groups.values())


def _run(args: argparse.Namespace, notebooks: list[Path], out: Path | None,
         inputs=None) -> int:
    """Execute `notebooks` into `out` (None: build/notebooks, or ~/d2i-reports for a run
    on a reader's own data, such as an SSD example given `-p ssd_database=`)."""
    from d2i_examples.outputs import default_reports_dir
    from d2i_examples.runner import format_failures, format_summary, run_notebooks
    from d2i_examples.runner.execute import data_kind

    inputs = inputs if inputs is not None else _inputs(args)
    if inputs.settings is not None and inputs.settings.mappings:
        print("Note: the column mapping in the settings file applies to your own data "
              "(--data); the sample data needs none.")
    outcomes, outs = [], []
    for params, group in _grouped(notebooks, inputs):
        local = data_kind(params) == "local"
        outs.append(out or (default_reports_dir() if local else paths.EXECUTED))
        outcomes += run_notebooks(
            group, outs[-1], params, timeout=args.timeout, workers=args.workers,
            retries=args.retries, force=args.force,
        )
    print()
    print(format_summary(outcomes))
    failures = format_failures(outcomes)
    if failures:
        print("\n" + failures, file=sys.stderr)
        return 1
    print(f"\nExecuted notebooks are in {', '.join(sorted({str(o) for o in outs}))}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from d2i_examples.runner import find_notebooks

    notebooks = find_notebooks(args.notebooks)
    if not notebooks:
        print(f"No notebooks found in {paths.NOTEBOOKS}", file=sys.stderr)
        return 1
    inputs = _inputs(args)
    if inputs.local:  # the reader's own data, however it was given
        from d2i_examples.own_data.run import run_on_own_data

        return run_on_own_data(
            notebooks, inputs, args.out, timeout=args.timeout, retries=args.retries,
            only_data_notebooks=not args.notebooks,
            warn=lambda text: print(text, file=sys.stderr),
        )
    return _run(args, notebooks, Path(args.out) if args.out else None, inputs)


def cmd_check(args: argparse.Namespace) -> int:
    from d2i_examples.own_data.run import check_command
    from d2i_examples.runner import find_notebooks

    notebooks = find_notebooks(args.notebooks) if args.notebooks else []
    return check_command(notebooks, _inputs(args))


def _run_exercises(args: argparse.Namespace) -> int:
    """Execute the exercise versions the book lists, with their solutions put back."""
    from d2i_examples.book import build as book
    from d2i_examples.book.exercises import EXERCISES_FOLDER, write_exercises

    names = book.toc_exercises()
    if not names:
        return 0
    print(f"\nExercise versions ({len(names)}), with their solutions...")
    sources = write_exercises(names, paths.BUILD / f"{EXERCISES_FOLDER}-src", solutions=True)
    return _run(args, sources, paths.EXECUTED / EXERCISES_FOLDER)


def cmd_book(args: argparse.Namespace) -> int:
    from d2i_examples.book import build as book
    from d2i_examples.runner import find_notebooks

    status = _run(args, find_notebooks(), paths.EXECUTED)
    if not status:
        status = _run_exercises(args)
    if status:
        print("\nThe book was not built: fix the notebooks above first.", file=sys.stderr)
        return status
    print("\nBuilding the book (Jupyter Book, warnings are errors)...")
    try:
        html = book.build(book.assemble())
    except book.BookError as err:
        print(f"\n{err}", file=sys.stderr)
        return 1
    print(f"The book is ready: {html / 'index.html'}")
    return 0


def cmd_links(args: argparse.Namespace) -> int:
    from d2i_examples.book.links import check_links

    site = Path(args.site)
    if not (site / "index.html").is_file():
        raise FileNotFoundError(f"no built book in {site}: run `make book` first")
    result = check_links(site, online=args.online)
    print(result.stdout, end="")
    print(result.stderr, end="", file=sys.stderr)
    return result.returncode


def cmd_synth(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from d2i_examples.synth import DEFAULT_PROFILE, write_dataset
    from d2i_examples.synth.profile import profile_from_file
    from d2i_examples.synth.samples import write_samples

    if args.published:
        from d2i_examples.book.published_sample import write_published_sample

        folder = paths.SAMPLE_DATA / "published"
        print(f"Writing the benchmarking example's published tables in {folder} "
              "(simulating the synthetic neighbours)...")
        for path in write_published_sample(folder):
            print(f"  {path.name}")
        return 0
    if args.sample:
        print(f"Rewriting the committed sample data in {paths.SAMPLE_DATA}...")
        for name, written in write_samples(progress=lambda step: print(f"  {step}")).items():
            print(f"  {name}: {sum(len(files) for files in written.values())} files")
        return 0
    profile = profile_from_file(args.profile) if args.profile else DEFAULT_PROFILE
    if args.children:
        profile = profile.scaled(args.children)
    out = Path(args.out)
    print(
        f"Simulating {profile.name}: {profile.population_0_17:,} children aged 0-17, "
        f"seed {args.seed}, collection year {args.year - 1}/{str(args.year)[2:]}"
        f"{', with planted errors' if args.errors else ''}"
    )
    with tqdm(total=None, unit=" step", bar_format="{desc}") as bar:
        def progress(step: str) -> None:
            bar.set_description_str(f"  {step}...")
            bar.update(1)

        written = write_dataset(
            out, profile=profile, seed=args.seed, collection_year=args.year,
            errors=args.errors, progress=progress,
        )
        bar.set_description_str("  done")
    for kind, files in written.items():
        print(f"  {kind:<12} {len(files)} file(s)")
    print(f"Synthetic data written to {out.resolve()}")
    return 0


def cmd_ssd(args: argparse.Namespace) -> int:
    from d2i_examples.ssd import returns

    if args.sql:
        first, last = returns.census_period(args.year)
        print(returns.sql(args.sql, args.period_start or first, args.period_end or last))
        return 0
    from d2i_examples.ssd.build import write_ssd
    from d2i_examples.synth import DEFAULT_PROFILE, simulate

    profile = DEFAULT_PROFILE.scaled(args.children) if args.children else DEFAULT_PROFILE
    print(f"Simulating {profile.name}: {profile.population_0_17:,} children aged 0-17, "
          f"seed {args.seed}, to 31 March {args.year}")
    journeys = simulate(profile, seed=args.seed, start_year=args.year - 1, end_year=args.year)
    out = Path(args.out)
    con = write_ssd(journeys, f"{args.year}-03-31", out)
    persons = con.execute("SELECT COUNT(*) FROM ssd_person").fetchone()[0]
    con.close()
    print(f"Standard Safeguarding Dataset of {persons:,} people written to {out.resolve()}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from d2i_examples.settings.schema import SCHEMA_PATH, schema_text

    text = schema_text()
    current = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.is_file() else None
    if args.check:
        if current == text:
            print(f"{SCHEMA_PATH} is up to date.")
            return 0
        print(f"{SCHEMA_PATH} is out of date: run `d2i-examples schema`.", file=sys.stderr)
        return 1
    if current != text:
        SCHEMA_PATH.write_text(text, encoding="utf-8")
    print(f"Wrote {SCHEMA_PATH}")
    return 0


def cmd_exercises(args: argparse.Namespace) -> int:
    from d2i_examples.book.exercises import EXERCISES, ExerciseError, write_exercises

    out = Path(args.out) if args.out else EXERCISES
    try:
        written = write_exercises(args.notebooks or None, out, solutions=args.solutions)
    except ExerciseError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if not written:
        print("No worked example named has exercises (cells tagged 'exercise').",
              file=sys.stderr)
        return 1
    for path in written:
        print(f"  {path}")
    print(f"{len(written)} exercise notebook(s) written to {out}")
    return 0


#: Commands readers may still type under an old name (hidden from --help): old -> new.
RENAMED = {"practise": "exercises"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="d2i-examples",
        description="Worked examples for Data to Insight's children's services data tools.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="execute notebooks (all when none is named)")
    run.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="name or path")
    run.add_argument(
        "--out", default=None,
        help=f"folder for executed copies (default {paths.EXECUTED}; with your own data "
        "~/d2i-reports, and never inside the project)",
    )
    _add_param_options(run)
    _add_exec_options(run)
    run.set_defaults(func=cmd_run)

    check = commands.add_parser(
        "check", help="check your data folder (which return, tables, columns, years); "
        "runs nothing")
    check.add_argument("notebooks", nargs="*", metavar="NOTEBOOK",
                       help="check what these notebooks need (default: every return found)")
    _add_param_options(check)
    check.set_defaults(func=cmd_check)

    synth = commands.add_parser(
        "synth", help="simulate a synthetic council and write its SSDA903, CIN census, "
        "Annex A and SEN2 files")
    synth.add_argument("--out", default="synthetic_data", help="folder to write (default "
                       "./synthetic_data)")
    synth.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    synth.add_argument("--year", type=int, default=2026,
                       help="collection year, named by the 31 March it ends (default 2026)")
    synth.add_argument("--profile", metavar="FILE",
                       help="YAML file of profile settings to change (see synth/profile.py)")
    synth.add_argument("--children", type=int, metavar="N",
                       help="child population aged 0-17 (default: the profile's)")
    synth.add_argument("--errors", action="store_true",
                       help="plant realistic mistakes for the validators to find")
    synth.add_argument("--sample", action="store_true",
                       help="rewrite the project's sample_data/ (what `make sample` does)")
    synth.add_argument("--published", action="store_true",
                       help="rewrite the benchmarking example's published tables in "
                       "sample_data/published (England's figures and synthetic "
                       "neighbours)")
    synth.set_defaults(func=cmd_synth)

    ssd = commands.add_parser(
        "ssd", help="write a synthetic council's Standard Safeguarding Dataset (DuckDB), or "
        "print one of the SSD queries for SQL Server")
    ssd.add_argument("--out", default="synthetic_ssd.duckdb",
                     help="DuckDB file to write (default ./synthetic_ssd.duckdb)")
    ssd.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ssd.add_argument("--year", type=int, default=2026,
                     help="extract on 31 March of this year; the CIN census year of --sql")
    ssd.add_argument("--children", type=int, metavar="N",
                     help="child population aged 0-17 (default: the sample's)")
    ssd.add_argument("--sql", metavar="NAME",
                     help="print this query (e.g. cin_census_episodes) with its period filled "
                     "in, to run in SQL Server Management Studio; writes nothing")
    ssd.add_argument("--period-start", metavar="YYYY-MM-DD", help="with --sql (default: "
                     "1 April before --year)")
    ssd.add_argument("--period-end", metavar="YYYY-MM-DD", help="with --sql (default: "
                     "31 March of --year)")
    ssd.set_defaults(func=cmd_ssd)

    exercises = commands.add_parser(
        "exercises", help="write the exercise versions of the worked examples (blanks to "
        "fill in, with checks) into notebooks/exercises/")
    exercises.add_argument("notebooks", nargs="*", metavar="NOTEBOOK",
                           help="worked examples by name (default: all with exercises)")
    exercises.add_argument("--out", default=None, help="folder to write (default "
                           "notebooks/exercises)")
    exercises.add_argument("--solutions", action="store_true",
                           help="keep the solutions in (collapsed in the book)")
    exercises.set_defaults(func=cmd_exercises)

    schema = commands.add_parser(
        "schema", help="write settings/settings.schema.json (editor help for settings files) "
        "from the settings model and the notebooks' parameters")
    schema.add_argument("--check", action="store_true",
                        help="only say whether the committed schema is up to date")
    schema.set_defaults(func=cmd_schema)

    book = commands.add_parser("book", help="execute every notebook, then build the book")
    _add_exec_options(book)
    book.set_defaults(func=cmd_book)

    links = commands.add_parser(
        "links", help="check the built book's links with lychee: every link within the site, "
        "offline (the 404 page's and the reports' links as GitHub Pages serves them)")
    links.add_argument("site", nargs="?", default=str(paths.BOOK_HTML),
                       help=f"the built book's folder (default {paths.BOOK_HTML})")
    links.add_argument("--online", action="store_true",
                       help="check the links to other sites too (needs the internet)")
    links.set_defaults(func=cmd_links)
    return parser


def main(argv: list[str] | None = None) -> int:
    from d2i_examples.errors import DataError
    from d2i_examples.outputs import UnsafeOutputError
    from d2i_examples.own_data.check import EXIT_CODES, classify
    from d2i_examples.own_data.run import LocalRunError
    from d2i_examples.runner import ParameterError
    from d2i_examples.settings.model import SettingsError

    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in RENAMED:
        print(f"note: `d2i-examples {argv[0]}` is now `d2i-examples {RENAMED[argv[0]]}`; "
              "the old name will go in a later release.", file=sys.stderr)
        argv[0] = RENAMED[argv[0]]
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ParameterError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_CODES["usage"]
    except SettingsError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_CODES["settings"]
    except UnsafeOutputError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_CODES["unsafe_output"]
    except LocalRunError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except DataError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_CODES[classify(err)]


if __name__ == "__main__":
    sys.exit(main())
