"""SSDA903 years before 2022/23: read with the 2022/23 code lists, and a placement code a
later year replaced (spec.ssda903.PLACE_REPLACED_BY) grouped with its successor."""

from __future__ import annotations

import pytest

from d2i_examples.datasets import read_ssda903
from d2i_examples.errors import DataError
from d2i_examples.indicators.placements import placement_group
from d2i_examples.tools import model_placement_type

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = ("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
            "HOME_POST,PL_POST,URN\n")


def _year(folder, sex, places):
    folder.mkdir()
    children = [f"C{i}" for i in range(len(places))]
    (folder / "header.csv").write_text(
        HEADER + "".join(f"{c},{sex},01/01/2002,WBRI,UN2,,\n" for c in children))
    (folder / "episodes.csv").write_text(
        EPISODES + "".join(f"{c},01/06/2018,S,C2,N1,{p},PR4,,,,,,\n"
                           for c, p in zip(children, places, strict=True)))
    return folder


def test_a_2018_19_file_reads_and_groups_like_a_2025_26_file(tmp_path):
    older = read_ssda903(_year(tmp_path / "2019", "1", ["H5", "P2", "Z1", "U4"]),
                         collection_year=2019)["episodes"]
    today = read_ssda903(_year(tmp_path / "2026", "M", ["K3", "Z12", "U4"]),
                         collection_year=2026)["episodes"]
    assert placement_group(older["PLACE"]).tolist() == [
        "Supported or independent living", "Supported or independent living",
        "Other placements", "Other foster care"]
    assert placement_group(today["PLACE"]).tolist() == [
        "Supported or independent living", "Other placements", "Other foster care"]
    assert model_placement_type(older["PLACE"]).tolist() == [
        "SUPPORTED", "SUPPORTED", "OTHER", "FOSTERING"]
    assert model_placement_type(today["PLACE"]).tolist() == ["SUPPORTED", "OTHER", "FOSTERING"]


def test_a_code_no_list_has_is_named_with_the_mapping_that_maps_it(tmp_path):
    with pytest.raises(DataError) as caught:
        read_ssda903(_year(tmp_path / "2019", "1", ["Q1"]), collection_year=2019)
    said = str(caught.value)
    assert "Q1" in said and "PLACE" in said and "mapping" in said
    assert "2018/19 SSDA903 codes (read with the 2022/23 lists)" in said
