"""The d2i-examples command: synth writes a synthetic council's returns."""

from __future__ import annotations

from d2i_examples import cli
from d2i_examples.datasets import read_annex_a, read_cin_census, read_sen2, read_ssda903


def test_synth_writes_every_return_for_a_small_council(tmp_path, capsys):
    out = tmp_path / "synthetic"
    assert cli.main(["synth", "--out", str(out), "--children", "4000", "--seed", "3",
                     "--year", "2025"]) == 0
    printed = capsys.readouterr()
    assert "4,000 children" in printed.out and str(out.resolve()) in printed.out
    header = read_ssda903(out / "ssda903" / "2025")["header"]
    assert header["CHILD"].str.startswith("SYN").all()
    assert len(read_cin_census(next((out / "cin_census").glob("*.xml")))["ChildIdentifiers"])
    assert "list_3" in read_annex_a(next((out / "annex_a").glob("*.xlsx")))
    assert len(read_sen2(out / "sen2" / "sen2_2025.xml", collection_year=2025)["person"])
    assert not (out / "planted_errors.csv").exists()


def test_synth_with_errors_logs_what_it_planted(tmp_path):
    out = tmp_path / "planted"
    assert cli.main(["synth", "--out", str(out), "--children", "36000", "--errors"]) == 0
    log = (out / "planted_errors.csv").read_text()
    assert "SSDA903" in log and "CIN census" in log
    assert "SEN2" in (out / "planted_errors_sen2.csv").read_text()


def test_synth_refuses_a_profile_file_with_an_unknown_setting(tmp_path, capsys):
    profile = tmp_path / "profile.yaml"
    profile.write_text("population_0_17: 5000\nnot_a_setting: 3\n")
    status = cli.main(["synth", "--out", str(tmp_path / "x"), "--profile", str(profile)])
    assert status not in (0, 1)
    err = capsys.readouterr().err
    assert "not_a_setting" in err and "Traceback" not in err
