"""The d2i-examples command: run notebooks, build the book, make synthetic data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from d2i_examples import paths


def _add_param_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-p", "--param", action="append", default=[], metavar="NAME=VALUE",
        help="set a parameter (value read as YAML: 2026, 0.5, true, text); repeatable",
    )
    parser.add_argument("--params", metavar="FILE", help="YAML file of parameter values")


def _add_exec_options(parser: argparse.ArgumentParser) -> None:
    from d2i_examples.runner import DEFAULT_TIMEOUT

    parser.add_argument(
        "--timeout", type=int, default=DEFAULT_TIMEOUT,
        help=f"seconds a single cell may run (default {DEFAULT_TIMEOUT})",
    )
    parser.add_argument("--workers", type=int, help="parallel notebooks (default: cores)")
    parser.add_argument("--retries", type=int, default=1, help="retries for a dead kernel")
    parser.add_argument("--force", action="store_true", help="re-run unchanged notebooks too")


def _params(args: argparse.Namespace) -> dict:
    from d2i_examples.runner import parse_assignment, read_params_file

    params = read_params_file(args.params) if getattr(args, "params", None) else {}
    params.update(parse_assignment(text) for text in getattr(args, "param", []))
    return params


def _run(args: argparse.Namespace, notebooks: list[Path], out: Path) -> int:
    from d2i_examples.runner import format_failures, format_summary, run_notebooks

    outcomes = run_notebooks(
        notebooks, out, _params(args), timeout=args.timeout, workers=args.workers,
        retries=args.retries, force=args.force,
    )
    print()
    print(format_summary(outcomes))
    failures = format_failures(outcomes)
    if failures:
        print("\n" + failures, file=sys.stderr)
        return 1
    print(f"\nExecuted notebooks are in {out}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from d2i_examples.runner import find_notebooks

    notebooks = find_notebooks(args.notebooks)
    if not notebooks:
        print(f"No notebooks found in {paths.NOTEBOOKS}", file=sys.stderr)
        return 1
    return _run(args, notebooks, Path(args.out))


def cmd_book(args: argparse.Namespace) -> int:
    from d2i_examples import book
    from d2i_examples.runner import find_notebooks

    status = _run(args, find_notebooks(), paths.EXECUTED)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="d2i-examples",
        description="Worked examples for Data to Insight's children's services data tools.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="execute notebooks (all when none is named)")
    run.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="name or path")
    run.add_argument("--out", default=str(paths.EXECUTED), help="folder for executed copies")
    _add_param_options(run)
    _add_exec_options(run)
    run.set_defaults(func=cmd_run)

    book = commands.add_parser("book", help="execute every notebook, then build the book")
    _add_exec_options(book)
    book.set_defaults(func=cmd_book)
    return parser


def main(argv: list[str] | None = None) -> int:
    from d2i_examples.runner import ParameterError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ParameterError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
