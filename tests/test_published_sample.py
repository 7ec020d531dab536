"""The benchmarking sample's published tables: the DfE's rows as cited, neighbours synthetic."""

from __future__ import annotations

import pandas as pd

from d2i_examples import paths
from d2i_examples.book.published_sample import DFE_ROWS, NEIGHBOURS, dfe_rows
from d2i_examples.datasets.published import DATA_SETS, load_published, published_files

FOLDER = paths.SAMPLE_DATA / "published"


def test_the_sample_holds_every_data_set_and_loads_by_default():
    assert set(published_files(paths.SAMPLE_DATA)) == set(DATA_SETS)
    assert set(load_published(None)) == set(DATA_SETS)


def test_the_dfe_rows_in_the_files_are_those_cited_in_the_module():
    tables = load_published(None)
    for key in DFE_ROWS:
        written = tables[key][tables[key]["geographic_level"].ne("Local authority")]
        expected = pd.DataFrame(dfe_rows(key))
        assert len(written) == len(expected), key
        for column in expected.columns:
            got = written[column].tolist()
            want = expected[column].tolist()
            if pd.api.types.is_numeric_dtype(written[column]):
                want = [float(v) for v in want]
            else:
                got = ["" if pd.isna(v) else str(v) for v in got]
                want = [str(v) for v in want]
            assert got == want, (key, column)


def test_england_2025_figures_as_the_dfe_published_them():
    tables = load_published(None)
    cla = tables["cla_rates"]
    england = cla[cla["geographic_level"].eq("National") & cla["population_type"].eq(
        "Children looked after on 31 March each year")]
    assert england[["children_count", "rate_per_10000"]].to_numpy().tolist() == [[81770, 67]]
    refs = tables["cin_referrals"].set_index("geographic_level")
    assert refs.loc["National", "rereferral_percent"] == 22.6
    ending = tables["cin_cpp_duration"].set_index("geographic_level")
    assert ending.loc["National", ["CPP_End", "2_years_or_more", "2_years_or_more_percent"]
                      ].tolist() == [62300, 2710, 4.4]
    stability = tables["cla_stability"]
    england = stability[stability["geographic_level"].eq("National")]
    assert england[["placement_stability", "children_count", "children_percent"]
                   ].to_numpy().tolist() == [
        ["Living with the same carer for at least 2 years", 19680, 69],
        ["Total children", 28710, 100]]


def test_the_neighbours_are_labelled_synthetic_with_codes_no_council_has():
    tables = load_published(None)
    names = {n[0] for n in NEIGHBOURS}
    for key, table in tables.items():
        las = table[table["geographic_level"].eq("Local authority")]
        assert set(las["la_name"]) == names, key
        assert las["new_la_code"].str.fullmatch(r"SYN\d{4}").all()
        assert not las["old_la_code"].str.fullmatch(r"\d{3}").any()
    assert (FOLDER / "README.md").read_text(encoding="utf-8").count("synthetic") >= 2
