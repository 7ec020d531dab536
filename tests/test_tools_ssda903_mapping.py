"""A settings file's SSDA903 mapping applies on the validator's path too (check accepts, run runs)."""

from __future__ import annotations

import csv
import shutil

import pytest

from d2i_examples import paths
from d2i_examples.errors import DataError
from d2i_examples.tools import read_ssda903_files, validate_ssda903

SAMPLE = paths.SAMPLE_DATA / "clean" / "ssda903" / "2026"


def _council_copy(tmp_path, rename, recode=None):
    folder = tmp_path / "903"
    shutil.copytree(SAMPLE, folder)
    for path in folder.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        for index, heading in enumerate(rows[0]):
            for row in rows[1:]:
                if recode and heading in recode and index < len(row):
                    row[index] = recode[heading].get(row[index], row[index])
        rows[0] = [rename.get(h, h) for h in rows[0]]
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)
    return folder


def _settings(tmp_path, text):
    path = tmp_path / "settings.yaml"
    path.write_text(text)
    return path


def test_mapped_headings_and_codes_are_read_in_memory_and_lines_kept(tmp_path):
    folder = _council_copy(tmp_path, {"CHILD": "Child Ref"}, {"SEX": {"M": "1", "F": "2"}})
    before = {p.name: p.read_bytes() for p in folder.glob("*.csv")}
    settings = _settings(tmp_path, "mapping:\n  ssda903:\n    columns:\n      Child Ref: CHILD\n"
                         "    codes:\n      SEX:\n        '1': M\n        '2': F\n")
    with pytest.raises(DataError, match="match no SSDA903 table"):
        read_ssda903_files(folder)
    tables = read_ssda903_files(folder, settings=settings)
    original = read_ssda903_files(SAMPLE)
    for name, table in original.items():
        assert tables[name].equals(table), name
    assert {p.name: p.read_bytes() for p in folder.glob("*.csv")} == before, "files unchanged"


def test_validation_with_a_mapping_finds_what_it_finds_on_the_return_itself(tmp_path):
    folder = _council_copy(tmp_path, {"CHILD": "Child Ref", "DECOM": "Episode Start"})
    settings = _settings(tmp_path, "mapping:\n  ssda903:\n    columns:\n      Child Ref: CHILD\n"
                         "    tables:\n      episodes:\n        Episode Start: DECOM\n")
    rules = ["101", "103", "105"]
    mapped = validate_ssda903(folder, collection_year=2026, rules=rules, settings=settings)
    direct = validate_ssda903(SAMPLE, collection_year=2026, rules=rules)
    assert mapped.summary.equals(direct.summary)
