"""What counts as a placement move in SSDA903 episodes: the one home of the rule.

``change_kinds`` labels each episode that changes placement (RNE P, T, B or U) with the
kind of change, and only a change of carer (``MOVE``) is a placement move. The
indicators (``indicators.placements.placement_changes``, which documents each kind and
its source) and the synthetic Annex A's List 8 placement count (``synth.annex_a``) both
call it. It works on the episodes' columns as Series, so it serves the 903's CSV
columns and the simulation's own alike; codes are expected already cleaned (upper case,
no spaces, missing as None or <NA>).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from d2i_examples.spec.ssda903 import (
    PLACEMENT_CHANGES,
    SAME_CARER,
    SHORT_BREAKS,
    TEMPORARY_PLACEMENTS,
)

# kinds of episode change
MOVE = "move"
SAME_CARER_CHANGE = "same carer"
INTO_TEMPORARY = "into a temporary placement"
BACK_FROM_TEMPORARY = "back from a temporary placement"
SHORT_BREAK = "short break"
KINDS = (MOVE, SAME_CARER_CHANGE, INTO_TEMPORARY, BACK_FROM_TEMPORARY, SHORT_BREAK)


def _postcodes(postcode: pd.Series | None, index: pd.Index) -> pd.Series:
    if postcode is None:
        return pd.Series(pd.NA, index=index, dtype="string")
    clean = postcode.astype("string").str.replace(r"\s+", "", regex=True).str.upper()
    return clean.mask(clean.eq("")).fillna(pd.NA)


def change_kinds(child: pd.Series, decom: pd.Series, rne: pd.Series, place: pd.Series,
                 ls: pd.Series, postcode: pd.Series | None = None) -> np.ndarray:
    """The kind of placement change of each episode, in the order given (one of KINDS);
    None where the episode does not change placement (RNE S, L or missing).

    The arguments are the episodes' columns, all with the same index: the child (or
    period of care) the episode belongs to, its start date, RNE, PLACE, LS and the
    placement postcode (optional: without it a return from a temporary placement is
    judged by PLACE alone). In order of precedence, an episode that changes placement is:
    a ``SHORT_BREAK`` (LS V3, V4); a ``SAME_CARER_CHANGE`` (RNE T, U); ``INTO_TEMPORARY``
    (PLACE T0 to T4); ``BACK_FROM_TEMPORARY`` (the episode after a temporary one, in the
    same PLACE as the latest usual placement before it, and the same postcode where both
    are given); otherwise a ``MOVE``.
    """
    work = pd.DataFrame({"child": child.to_numpy(), "decom": decom.to_numpy(),
                         "place": place.to_numpy(),
                         "postcode": _postcodes(postcode, child.index).to_numpy()})
    order = work.sort_values(["child", "decom"], kind="stable").index.to_numpy()
    work = work.iloc[order]
    by_child = work["child"].to_numpy()
    temporary = work["place"].isin(TEMPORARY_PLACEMENTS).to_numpy(bool)
    # the usual placement before each episode: the latest earlier one not temporary
    usual = pd.DataFrame({"place": work["place"].mask(temporary),
                          "postcode": work["postcode"].mask(temporary)}).groupby(
        by_child).transform(lambda column: column.ffill().shift())
    after_temporary = pd.Series(temporary).groupby(by_child).shift(fill_value=False)
    # compared as "string" (missing as <NA>), which both pandas 2 and 3 compare per value
    post, usual_post = work["postcode"].astype("string"), usual["postcode"].astype("string")
    same_postcode = (post.isna() | usual_post.isna() | post.eq(usual_post)).fillna(True)
    returned = (after_temporary.to_numpy(bool) & work["place"].astype("string").eq(
        usual["place"].astype("string")).fillna(False).to_numpy(bool)
        & same_postcode.to_numpy(bool))
    codes = pd.Series(rne.to_numpy()[order])
    short = pd.Series(ls.to_numpy()[order]).isin(SHORT_BREAKS).to_numpy(bool)
    kind = np.select([short, codes.isin(SAME_CARER).to_numpy(), temporary, returned],
                     [SHORT_BREAK, SAME_CARER_CHANGE, INTO_TEMPORARY, BACK_FROM_TEMPORARY],
                     MOVE).astype(object)
    kind[~codes.isin(PLACEMENT_CHANGES).to_numpy()] = None
    out = np.empty(len(kind), dtype=object)
    out[order] = kind
    return out
