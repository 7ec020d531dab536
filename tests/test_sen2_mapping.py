"""A SEN2 file with a system's own codes: mapped in a settings file, as the 903's and
Annex A's are (codes only: the XML's element names are the DfE's)."""

from __future__ import annotations

import pytest

from d2i_examples.datasets import load
from d2i_examples.datasets.sen2 import read_sen2
from d2i_examples.errors import DataError
from d2i_examples.outputs import RUNNER_ENV
from d2i_examples.own_data.check import check_data
from d2i_examples.settings.model import SettingsError, parse_settings, read_settings
from d2i_examples.settings.schema import settings_schema
from tests.test_datasets_sen2 import sen2_text

OWN_CODES = "mapping:\n  sen2:\n    codes:\n      SENtype: {Autism: ASD}\n      Sex: {'1': M}\n"


def _folder(tmp_path, **codes):
    (tmp_path / "data" / "sen2").mkdir(parents=True)
    (tmp_path / "data" / "sen2" / "sen2_2026.xml").write_text(sen2_text(**codes),
                                                              encoding="utf-8")
    return tmp_path / "data"


def test_a_settings_file_maps_sen2_codes(tmp_path):
    settings = parse_settings({"mapping": {"sen2": {"codes": {"SENtype": {"Autism": "ASD"}}}}})
    assert settings.mapping_for("sen2").codes == {"SENtype": {"Autism": "ASD"}}
    assert "sen2" in settings_schema()["properties"]["mapping"]["properties"]


def test_sen2_mapping_is_codes_only_and_its_targets_are_sen2_codes():
    with pytest.raises(SettingsError) as info:
        parse_settings({"mapping": {"sen2": {
            "columns": {"Need": "SENtype"},
            "codes": {"SENtype": {"Autism": "AUT"}, "Needs": {"a": "b"}}}}})
    found = "\n".join(info.value.problems)
    assert "only its codes can be mapped" in found
    assert "'Autism' maps to 'AUT', which is not an SEN2 SENtype code" in found
    assert "'Needs' is not SEN2 column" in found


def test_the_loader_applies_the_codes_before_checking_them(tmp_path, monkeypatch):
    monkeypatch.setenv(RUNNER_ENV, "1")
    data = _folder(tmp_path, need="Autism", sex="1")
    with pytest.raises(DataError, match="Sex holds a code") as err:
        load("sen2", data, year=2026)
    assert "mapping > sen2 > codes > Sex" in err.value.fix
    settings = tmp_path / "s.yaml"
    settings.write_text(OWN_CODES, encoding="utf-8")
    frames = load("sen2", data, year=2026, settings=settings)
    assert set(frames["sen_needs"]["SENtype"]) == {"ASD", "SLCN"}
    assert frames["person"]["Sex"].iloc[0] == "M"
    # the file itself is left as it was
    assert "<SENtype>Autism</SENtype>" in (data / "sen2" / "sen2_2026.xml").read_text()


def test_check_accepts_the_mapping_its_fix_asks_for(tmp_path):
    data = _folder(tmp_path, need="Autism")
    refused = check_data(data, {"sen2": 2026})
    assert not refused.ok and "mapping > sen2 > codes" in refused.format()
    settings = tmp_path / "s.yaml"
    settings.write_text(OWN_CODES, encoding="utf-8")
    assert check_data(data, {"sen2": 2026}, read_settings(settings)).ok


def test_a_bad_code_is_named_once_when_a_person_has_two_needs(tmp_path):
    two_needs = sen2_text(need="Autism").replace(
        "<SENneed>", "<SENneed><SENtype>MLD</SENtype></SENneed><SENneed>", 1)
    path = tmp_path / "sen2_2026.xml"
    path.write_text(two_needs, encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_sen2(path)
    assert err.value.found.startswith("'AUTISM' at row Person number 1")
    assert "Name:" not in err.value.found and "dtype" not in err.value.found
