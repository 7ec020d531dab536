"""Children looked after under an agreed series of short breaks (synth.short_breaks): in
the sample as the SSDA903 guide and D2I's validator expect them, and added without
changing any other child's records."""

import importlib

import pandas as pd
import pytest

from d2i_examples.datasets import load
from d2i_examples.synth import short_breaks
from d2i_examples.synth.annex_a import annex_a_lists
from d2i_examples.synth.cin_census import cin_census_xml
from d2i_examples.synth.profile import DEFAULT_PROFILE
from d2i_examples.synth.send import simulate_send
from d2i_examples.synth.ssda903 import ssda903_tables

END = pd.Timestamp("2026-03-31")
simulate_module = importlib.import_module("d2i_examples.synth.simulate")


@pytest.fixture(scope="module")
def sample():
    return load("ssda903", None, year=2026)  # the clean sample


def test_the_sample_holds_v3_and_v4_children_as_the_903_guide_records_them(sample):
    episodes = sample["episodes"]
    breaks = episodes[episodes["LS"].isin(["V3", "V4"])]
    children = breaks.groupby("CHILD")["LS"].agg(set)
    assert len(children) >= 3 and {"V3"} in children.tolist() and {"V4"} in children.tolist()
    # only short breaks, one of V3 or V4 in the year (rule 426)
    assert not episodes[episodes["CHILD"].isin(children.index)]["LS"].isin(
        ["V3", "V4"]).eq(False).any()
    v3 = breaks[breaks["LS"] == "V3"]
    assert v3["RNE"].eq("S").all()  # each stay a period of care (rule 366)
    days = (v3["DEC"].fillna(END) - v3["DECOM"]).dt.days
    assert days.le(17).all()  # rule 365
    year = v3["DECOM"].clip(lower=pd.Timestamp("2025-04-01"))
    assert ((v3["DEC"].fillna(END) - year).dt.days.groupby(v3["CHILD"]).sum() <= 75).all()
    assert breaks[["HOME_POST", "PL_POST", "URN"]].isna().all().all()  # rules 398, 214
    assert not breaks["PLACE"].isin(["U1", "U4", "T0", "T1", "T2", "T3", "T4"]).any()
    header = sample["header"].set_index("CHILD")
    assert header.loc[children.index, "MOTHER"].isna().all()  # rule 399
    assert not sample["reviews"]["CHILD"].isin(children.index).any()
    starts = breaks.loc[breaks["DECOM"] >= "2025-04-01", "CHILD"]
    assert set(starts) <= set(sample["previous_permanence"]["CHILD"])  # rule 630


def test_other_children_are_the_same_with_or_without_short_breaks(monkeypatch):
    profile = DEFAULT_PROFILE.scaled(6000)
    with_them = simulate_module.simulate(profile, seed=2, start_year=2025, end_year=2026)
    monkeypatch.setattr(simulate_module, "short_break_children",
                        lambda t, *args, **kwargs: {})
    without = simulate_module.simulate(profile, seed=2, start_year=2025, end_year=2026)
    added = set(with_them.children["child_id"]) - set(without.children["child_id"])
    assert added and min(added) > max(without.children["child_id"])

    new, old = ssda903_tables(with_them, 2026), ssda903_tables(without, 2026)
    for name, frame in old.items():
        kept = new[name][~new[name]["CHILD"].isin(added)].reset_index(drop=True)
        pd.testing.assert_frame_equal(kept, frame, check_dtype=False, obj=name)
    assert cin_census_xml(with_them, 2026) == cin_census_xml(without, 2026)
    lists_new, lists_old = annex_a_lists(with_them, END), annex_a_lists(without, END)
    for name, frame in lists_old.items():
        kept = lists_new[name]
        if "Child Unique ID" in kept.columns:  # List 11 lists adopters
            kept = kept[~kept["Child Unique ID"].isin(added)]
        pd.testing.assert_frame_equal(kept.reset_index(drop=True), frame.reset_index(drop=True),
                                      obj=name)
    send_new, send_old = simulate_send(with_them), simulate_send(without)
    for name in ("people", "requests", "plans"):
        pd.testing.assert_frame_equal(getattr(send_new, name), getattr(send_old, name),
                                      obj=name)


def test_no_short_break_children_when_the_rate_is_zero():
    tables = {"children": pd.DataFrame({"child_id": ["SYN000001"]}),
              "care_periods": pd.DataFrame({"period_id": ["PER0000001"]}),
              "episodes": pd.DataFrame(), "previous_permanence": pd.DataFrame()}
    out = short_breaks.short_break_children(tables, DEFAULT_PROFILE, 1, END, per_10k=0)
    assert all(out[name] is tables[name] for name in out)
