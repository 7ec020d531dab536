"""Report screenshots at book assembly: the marker, the fallback without Chromium, a missing example."""

from __future__ import annotations

import pytest

from d2i_examples.book import screenshots


def test_pages_without_the_marker_are_left_alone(tmp_path):
    assert screenshots.expand("# Page\n", tmp_path, tmp_path) == "# Page\n"


def test_without_chromium_the_marker_goes_and_readers_see_no_build_note(
        tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(screenshots, "chromium", lambda: None)
    text = screenshots.expand(f"a\n{screenshots.MARKER}\nb\n", tmp_path, tmp_path)
    assert text == "a\nb\n"
    assert "Chromium" in capsys.readouterr().err  # the builder is told, not the reader
    assert not (tmp_path / "images").exists()


def test_a_missing_executed_example_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(screenshots, "chromium", lambda: "/usr/bin/chromium")
    with pytest.raises(FileNotFoundError, match="checking-ssda903.ipynb"):
        screenshots.expand(screenshots.MARKER, tmp_path, tmp_path)


def test_each_screenshot_has_a_sentence_of_alt_text_naming_the_sample():
    for shot in screenshots.SHOTS:
        assert shot.alt.endswith(".") and "synthetic sample" in shot.alt
