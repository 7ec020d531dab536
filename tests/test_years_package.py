"""datasets.years as a package: the name rules it shares with the demand model, and an
import order that cannot bite (the 903 reader needs the notation, years/ needs the reader)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from d2i_examples.datasets import years


def test_year_folders_lists_each_named_folder_in_name_order_hidden_ones_left_out(tmp_path):
    for name in ("2025", "903_2024_25", ".2023", "notes", "2025-26"):
        (tmp_path / name).mkdir()
    (tmp_path / "2027.csv").write_text("")
    assert [(y, d.name) for y, d in years.year_folders(tmp_path)] == [
        (2025, "2025"), (2026, "2025-26"), (2025, "903_2024_25")]


def test_files_by_year_groups_names_in_the_order_given():
    files = [Path("903_2024_header.csv"), Path("notes.csv"), Path("2024-25 episodes.csv"),
             Path("903_2024_episodes.csv")]
    assert years.files_by_year(files) == {
        2024: [files[0], files[3]], None: [files[1]], 2025: [files[2]]}


@pytest.mark.parametrize("first", [
    "d2i_examples.datasets.ssda903",
    "d2i_examples.datasets.year_notation",
    "d2i_examples.datasets.layout",
])
def test_any_module_can_be_imported_first(first):
    code = f"import {first}; from d2i_examples.datasets import years; years.decide"
    subprocess.run([sys.executable, "-c", code], check=True)
