"""Reading an Excel workbook: ``read_workbook`` (calamine) against openpyxl read-only.

The sample council's Annex A workbook (eleven lists, about 20,000 rows), and one
BENCH_WORKBOOK_TIMES times as long (3 by default: the lists repeated), each read both
ways side by side in one run, alternately, BENCH_WORKBOOK_REPEAT times (2 by default);
the fastest run counts. Reported: seconds and the ratio openpyxl / ours, and that both
give the same cells (trailing empty cells aside:
calamine pads every row to the sheet's width).

    python -m bench workbook
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import openpyxl

from d2i_examples import paths
from d2i_examples.datasets.files import read_workbook

REPEAT = int(os.environ.get("BENCH_WORKBOOK_REPEAT", "2"))
TIMES = int(os.environ.get("BENCH_WORKBOOK_TIMES", "3"))


def with_openpyxl(path: Path) -> list[list[list[object]]]:
    """The same grid read the way the project read it before: openpyxl, read-only."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [[list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets]
    finally:
        book.close()


def longer(path: Path, times: int, out: Path) -> Path:
    """The workbook with each sheet's data rows repeated `times` times."""
    grids = with_openpyxl(path)
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    book = openpyxl.Workbook(write_only=True)
    for name, grid in zip(names, grids):
        ws = book.create_sheet(name)
        for row in grid[:1] + grid[1:] * times:
            ws.append(row)
    book.save(out)
    return out


def cells(grids: list[list[list[object]]]) -> list[list[list[object]]]:
    """The grids without trailing empty cells and rows (readers pad rows differently)."""
    def trimmed(row):
        while row and row[-1] is None:
            row = row[:-1]
        return row
    out = []
    for grid in grids:
        rows = [trimmed(r) for r in grid]
        while rows and not rows[-1]:
            rows.pop()
        out.append(rows)
    return out


def fastest(read, path: Path) -> float:
    best = float("inf")
    for _ in range(REPEAT):
        start = time.perf_counter()
        read(path)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    sample = next((paths.ROOT / "sample_data" / "clean" / "annex_a").glob("*.xlsx"))
    with tempfile.TemporaryDirectory() as tmp:
        books = [sample, longer(sample, TIMES, Path(tmp) / "longer.xlsx")]
        print(f"{'workbook':<28}{'rows':>9}{'ours s':>9}{'openpyxl s':>12}{'ratio':>8}  same")
        for path in books:
            ours_grid = [s.rows for s in read_workbook(path)]
            theirs = with_openpyxl(path)
            same = cells(ours_grid) == cells(theirs)
            rows = sum(len(g) for g in theirs)
            ours, openpyxl_s = fastest(read_workbook, path), fastest(with_openpyxl, path)
            print(f"{path.name:<28}{rows:>9,}{ours:>9.2f}{openpyxl_s:>12.2f}"
                  f"{openpyxl_s / ours:>8.1f}  {same}")


if __name__ == "__main__":
    main()
