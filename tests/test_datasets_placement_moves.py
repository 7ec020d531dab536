"""The one rule for what counts as a placement move (datasets.placement_moves), on
hand-made episodes, and the synthetic Annex A's List 8 counting placements by it."""

from dataclasses import replace

import pandas as pd

from d2i_examples.datasets.placement_moves import (
    BACK_FROM_TEMPORARY,
    INTO_TEMPORARY,
    MOVE,
    SAME_CARER_CHANGE,
    SHORT_BREAK,
    change_kinds,
)

# child, start, RNE, PLACE, LS, placement postcode
ROWS = [
    ("A", "2025-04-01", "S", "U4", "C2", "ME14 1XQ"),
    ("A", "2025-05-01", "P", "T1", "C2", None),        # hospital
    ("A", "2025-05-06", "P", "U4", "C2", "me141xq"),   # back to the same carer
    ("A", "2025-07-01", "T", "U4", "C2", "CT1 1AA"),   # the carer moves house
    ("A", "2025-09-01", "L", "U4", "E1", "CT1 1AA"),   # legal status only
    ("A", "2025-10-01", "B", "U5", "E1", "CT2 2BB"),   # a new carer
    ("B", "2025-04-01", "S", "K2", "V2", "ME14 1XQ"),
    ("B", "2025-06-01", "P", "T3", "V2", None),        # a carer's holiday
    ("B", "2025-06-08", "P", "K2", "V2", "CT1 1AA"),   # not back: a different home
    ("C", "2025-04-01", "S", "K2", "V3", None),
    ("C", "2025-05-01", "P", "U6", "V3", None),        # short breaks
]
KINDS = [None, INTO_TEMPORARY, BACK_FROM_TEMPORARY, SAME_CARER_CHANGE, None, MOVE,
         None, INTO_TEMPORARY, MOVE, None, SHORT_BREAK]


def frame(rows=ROWS):
    df = pd.DataFrame(rows, columns=["child", "decom", "rne", "place", "ls", "postcode"])
    return df.assign(decom=pd.to_datetime(df["decom"]))


def kinds(df):
    return list(change_kinds(df["child"], df["decom"], df["rne"], df["place"], df["ls"],
                             df["postcode"]))


def test_each_kind_of_change():
    assert kinds(frame()) == KINDS


def test_rows_in_any_order_and_any_index():
    df = frame().iloc[::-1].set_axis(range(100, 100 + len(ROWS)))
    assert kinds(df) == KINDS[::-1]


def test_without_postcodes_a_return_is_judged_by_place_alone():
    df = frame()
    found = change_kinds(df["child"], df["decom"], df["rne"], df["place"], df["ls"])
    assert found[8] == BACK_FROM_TEMPORARY  # K2 again: PLACE alone cannot tell
    assert list(found[:6]) == KINDS[:6]


def test_synthetic_list_8_counts_a_move_after_a_temporary_placement():
    """A child who goes from a temporary placement to a new carer has moved: List 8 counts
    one more placement (the old copy of the rule in synth.annex_a called any episode
    after a temporary placement a return)."""
    from d2i_examples.synth.annex_a import annex_a_lists
    from d2i_examples.synth.profile import DEFAULT_PROFILE
    from d2i_examples.synth.simulate import simulate

    end = pd.Timestamp("2026-03-31")
    journeys = simulate(DEFAULT_PROFILE.scaled(2000), seed=3)
    column = "Number of Placements in the Last 12 months"
    before = annex_a_lists(journeys, end)["list_8"].set_index("Child Unique ID")
    ep = journeys.episodes
    # a child in care all year in one episode, not a short break or temporary
    open_all_year = ep[(ep["decom"] < "2025-01-01") & ep["dec"].isna()
                       & ~ep["place"].str.startswith("T") & ~ep["ls"].isin(["V3", "V4"])]
    row = open_all_year.drop_duplicates("child_id").iloc[0]
    child = row["child_id"]
    assert before.loc[child, column] == 1
    first = row.copy()
    first["dec"], first["rec"] = pd.Timestamp("2025-06-01"), "X1"
    temporary = row.copy()
    temporary[["decom", "dec", "rne", "place", "rec"]] = (
        pd.Timestamp("2025-06-01"), pd.Timestamp("2025-06-05"), "P", "T1", "X1")
    temporary["pl_post"] = None
    new_carer = row.copy()
    new_carer[["decom", "rne", "place"]] = (pd.Timestamp("2025-06-05"), "P", "U6")
    new_carer["pl_post"] = "CT1 1AA"
    others = ep[ep.index != row.name]
    changed = pd.concat([others, pd.DataFrame([first, temporary, new_carer])])
    changed = changed.sort_values(["child_id", "decom"], kind="stable").reset_index(drop=True)
    after = annex_a_lists(replace(journeys, episodes=changed), end)["list_8"]
    assert after.set_index("Child Unique ID").loc[child, column] == 2
