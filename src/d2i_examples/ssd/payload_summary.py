"""Tables that describe a set of DfE API payloads (see :mod:`.payload`) for a reader:
what they hold, what a partial payload changes, and one child's payload to read.

:func:`plant_faults` damages a copy of some payloads the way a real extract goes wrong
(a mandatory item missing, dates out of order), so the checks can be seen to find them.
"""

from __future__ import annotations

import copy
import json

import pandas as pd

from d2i_examples.ssd.payload import _EPISODE_PARTS

_PARTS = ["social_care_episodes", *_EPISODE_PARTS]


def _records(payload: dict) -> dict[str, list[dict]]:
    """The episodes, and each kind of record inside them, of one payload."""
    eps = payload["Children"].get("social_care_episodes", [])
    out = {"social_care_episodes": eps}
    for part in _EPISODE_PARTS:
        out[part] = [r for ep in eps for r in ep.get(part, [])]
    return out


def contents(payloads_by_child: dict[str, dict]) -> pd.DataFrame:
    """For each kind of record: how many the payloads hold, how many are purge stubs, and
    how many children have at least one."""
    counts = {part: [0, 0, 0] for part in _PARTS}
    for payload in payloads_by_child.values():
        for part, records in _records(payload).items():
            counts[part][0] += len(records)
            counts[part][1] += sum(r.get("purge") is True for r in records)
            counts[part][2] += bool(records)
    return pd.DataFrame([(p, *c) for p, c in counts.items()],
                        columns=["record", "records", "purged", "children"])


def size_kb(payloads_by_child: dict[str, dict]) -> float:
    """The payloads' size as JSON, in kilobytes (1,000 bytes)."""
    return sum(len(json.dumps(p, separators=(",", ":")).encode()) for p in
               payloads_by_child.values()) / 1000


def partial_summary(previous: dict[str, dict], current: dict[str, dict],
                    partial: dict[str, dict]) -> pd.DataFrame:
    """How the children of ``current`` fare in the ``partial`` payloads built against
    ``previous``: new, changed, unchanged (left out) and gone (a purge stub)."""
    purged = [c for c, p in partial.items() if p["Children"].get("purge") is True]
    new = [c for c in current if c not in previous]
    changed = [c for c in partial if c in previous and c in current]
    counts = {"new (the whole payload)": len(new),
              "changed (details and changed episodes)": len(changed),
              "unchanged (not sent)": len(current) - len(new) - len(changed),
              "gone from the extract (purge stub)": len(purged)}
    return pd.Series(counts, name="children").rename_axis("in the partial payload").to_frame()


def smallest_with(payloads_by_child: dict[str, dict], part: str) -> str:
    """The child whose payload holds a record of ``part`` (a list in an episode, such as
    ``child_protection_plans``) and is the shortest as JSON: a payload to read whole."""
    having = [(len(json.dumps(p)), cid) for cid, p in payloads_by_child.items()
              if _records(p)[part]]
    if not having:
        raise ValueError(f"no payload holds {part}")
    return min(having)[1]


def plant_faults(payloads_by_child: dict[str, dict]) -> tuple[dict[str, dict], pd.DataFrame]:
    """Copies of two children's payloads with a fault planted in each, and what was planted
    where: the first child with an episode loses its referral date (a mandatory item); the
    next with a closed CIN plan has the plan ending a year before it started. The other
    payloads are left out (and untouched)."""
    damaged, planted = {}, []
    for cid, payload in payloads_by_child.items():
        eps = payload["Children"].get("social_care_episodes", [])
        if eps and "referral_date" in eps[0]:
            damaged[cid] = copy.deepcopy(payload)
            del damaged[cid]["Children"]["social_care_episodes"][0]["referral_date"]
            planted.append((cid, "social_care_episodes[0].referral_date", "removed"))
            break
    for cid, payload in payloads_by_child.items():
        for i, ep in enumerate(payload["Children"].get("social_care_episodes", [])):
            plans = [k for k, p in enumerate(ep.get("child_in_need_plans", []))
                     if p.get("end_date") and not p["start_date"].endswith("02-29")]
            if plans and cid not in damaged:
                damaged[cid] = copy.deepcopy(payload)
                plan = damaged[cid]["Children"]["social_care_episodes"][i][
                    "child_in_need_plans"][plans[0]]
                plan["end_date"] = f"{int(plan['start_date'][:4]) - 1}{plan['start_date'][4:]}"
                field = f"social_care_episodes[{i}].child_in_need_plans[{plans[0]}].end_date"
                planted.append((cid, field, "set a year before the start"))
                return damaged, pd.DataFrame(planted, columns=["child", "field", "planted"])
    return damaged, pd.DataFrame(planted, columns=["child", "field", "planted"])
