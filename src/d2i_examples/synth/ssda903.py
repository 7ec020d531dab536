"""Write a simulated authority's SSDA903 (children looked after) return.

``ssda903_tables(journeys, collection_year)`` gives the return for the year ending
31 March ``collection_year`` as one DataFrame of strings per table, with exactly the
columns of :data:`d2i_examples.spec.ssda903.TABLES` and dates as dd/mm/YYYY; blanks are
empty strings. ``write_ssda903`` writes them as CSV files, byte for byte the same for the
same simulation. D2I's SSDA903 validator also wants last year's return: write it with
``collection_year - 1`` from the same journeys.

What goes in (DfE SSDA903 guidance, as the validator's rules check it):

- episodes: every episode open at some time in the year; anything after 31 March is not
  yet known, so an episode ending later is open (no DEC, REC or reason for change);
- header: every child with an episode in the year, plus care leavers (OC3) of the year;
  UPN ``UN1`` for a child not yet 4 on 31 August two years before the year ends; MOTHER
  and MC_DOB only for girls looked after in the year;
- uasc: children looked after in the year who are or were unaccompanied asylum-seeking
  children; DUC is their 18th birthday, as rules 205A-D expect;
- reviews: those dated in the year; missing: spells open at some time in the year (those
  still open at 31 March without an end date);
- oc2: children looked after throughout the year (in care on 1 April and still on
  31 March), the validator's test of "looked after continuously for 12 months";
- oc3: care leavers with their 17th to 21st birthday in the year (at 17 and 18 only if
  they had left care before the birthday); activity and accommodation ``0`` unless the
  authority is in touch;
- ad1: children adopted in the year; placed_for_adoption: decisions that a child should
  be placed for adoption, for children looked after in the year;
- previous_permanence: children starting to be looked after in the year;
- social_worker: the social workers of children looked after in the year, for their
  latest period of care, from the start of that period; the latest stays open;
- dolo (from 2026/27 only, ``spec.ssda903.tables``): deprivation of liberty orders of
  children in a children's home, drawn by :mod:`d2i_examples.synth.dolo`.

The validator still reports a few rules on this correct data because of its own defects;
they are listed, with the reason, in ``d2i_examples.tools.known_faults.EXCUSED_903_RULES``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from d2i_examples.spec.ssda903 import DATE_FORMAT, TABLES
from d2i_examples.spec.ssda903 import tables as tables_of_year
from d2i_examples.synth.dolo import dolo_orders
from d2i_examples.synth.short_breaks import breaks_only
from d2i_examples.synth.simulate import Journeys


def _bounds(collection_year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    return pd.Timestamp(f"{collection_year - 1}-04-01"), pd.Timestamp(f"{collection_year}-03-31")


def _fmt(s: pd.Series) -> pd.Series:
    """Dates as dd/mm/YYYY strings, missing as ''."""
    out = s.dt.strftime(DATE_FORMAT)
    return out.where(s.notna(), "")


def _flag(s: pd.Series) -> pd.Series:
    """Booleans as '1'/'0', missing as ''."""
    return s.map({True: "1", False: "0"}).fillna("")


def _str(s: pd.Series) -> pd.Series:
    return s.where(s.notna(), "").astype(str)


def _finish(table: str, df: pd.DataFrame) -> pd.DataFrame:
    cols = TABLES[table][1]
    df = df[cols].copy()
    for c in cols:
        df[c] = _str(df[c])
    return df.reset_index(drop=True)


def _episodes_in_year(j: Journeys, ys, ye) -> pd.DataFrame:
    eps = j.episodes
    m = (eps["decom"] <= ye) & (eps["dec"].isna() | (eps["dec"] >= ys))
    e = eps[m].copy()
    later = e["dec"] > ye
    e.loc[later, "dec"] = pd.NaT
    e.loc[later, "rec"] = None
    e.loc[later, "reason_place_change"] = None
    return e


def sex_codes(sex: pd.Series, collection_year: int) -> pd.Series:
    """The SSDA903 SEX codes for ``sex`` (M/F): M/F from 2024/25 on, 1/2 before (rule 101)."""
    if collection_year >= 2025:
        return sex
    return sex.map({"M": "1", "F": "2"})


def place_codes(place: pd.Series, collection_year: int) -> pd.Series:
    """The PLACE codes of ``collection_year`` for the simulation's (2025/26) codes.

    K3 (supported accommodation) arrived in 2024/25, where H5 was used before;
    Z11-Z14 replaced Z1 (other placement) in 2025/26 (DfE SSDA903 guidance; the
    validator's rule 146 for each year).
    """
    if collection_year < 2026:
        place = place.replace({"Z11": "Z1", "Z12": "Z1", "Z13": "Z1", "Z14": "Z1"})
    if collection_year < 2025:
        place = place.replace({"K3": "H5"})
    return place


def ssda903_tables(journeys: Journeys, collection_year: int) -> dict[str, pd.DataFrame]:
    """The SSDA903 return for the year ending 31 March ``collection_year``: one DataFrame
    of strings per table of the year (``spec.ssda903.tables(collection_year)``; columns as
    in ``spec.ssda903.TABLES``)."""
    j = journeys
    first, last = _bounds(j.start_year)[0], _bounds(j.end_year)[1]
    ys, ye = _bounds(collection_year)
    if not (first <= ys and ye <= last):
        raise ValueError(
            f"collection_year {collection_year} is outside the simulated years "
            f"{j.start_year}-{j.end_year}")
    ch = j.children.set_index("child_id")
    eps = _episodes_in_year(j, ys, ye)
    looked_after = pd.Index(eps["child_id"].unique())
    # children looked after in the year only under short breaks (synth.short_breaks): the
    # simulation gives them no adoption or social worker records
    short = breaks_only(eps["child_id"], eps["ls"])
    main = eps[~eps["child_id"].isin(short)]
    cl = j.care_leavers[j.care_leavers["collection_year"] == collection_year]
    out: dict[str, pd.DataFrame] = {}

    # header
    ids = looked_after.union(pd.Index(cl["child_id"].unique()))
    h = ch.loc[ids].rename_axis("child_id").reset_index()
    dob = h["dob"]
    four_by = pd.Timestamp(f"{collection_year - 2}-08-31")
    upn = h["upn"].where(dob + pd.DateOffset(years=4) <= four_by, "UN1")
    is_cla = h["child_id"].isin(looked_after)
    # a child looked after only under short breaks has no MOTHER field (rule 399)
    asked = is_cla & ~h["child_id"].isin(short)
    female = h["sex"].eq("F")
    sex = sex_codes(h["sex"], collection_year)
    mother = h["first_child_dob"].notna() & (h["first_child_dob"] <= ye)
    header = pd.DataFrame({
        "CHILD": h["child_id"], "SEX": sex, "DOB": _fmt(dob), "ETHNIC": h["ethnicity"],
        "UPN": upn,
        "MOTHER": np.where(asked & female, np.where(mother, "1", "0"), ""),
        # MOTHER and MC_DOB only for girls looked after in the year (rules 628 and 612)
        "MC_DOB": np.where(asked & female & mother, _fmt(h["first_child_dob"]), ""),
    })
    out["header"] = _finish("header", header)
    dob_of = ch["dob"]

    # episodes
    e = eps
    out["episodes"] = _finish("episodes", pd.DataFrame({
        "CHILD": e["child_id"], "DECOM": _fmt(e["decom"]), "RNE": e["rne"], "LS": e["ls"],
        "CIN": e["cin"], "PLACE": place_codes(e["place"], collection_year), "PLACE_PROVIDER": e["place_provider"],
        "DEC": _fmt(e["dec"]), "REC": e["rec"], "REASON_PLACE_CHANGE": e["reason_place_change"],
        "HOME_POST": e["home_post"], "PL_POST": e["pl_post"], "URN": e["urn"],
    }))

    # uasc
    # children looked after in the year who are or were UASC; DUC is the 18th birthday
    u = h[h["uasc"] & is_cla]
    duc = u["uasc_ceased"]
    out["uasc"] = _finish("uasc", pd.DataFrame({
        "CHILD": u["child_id"], "SEX": sex[u.index], "DOB": _fmt(u["dob"]), "DUC": _fmt(duc)}))

    # reviews
    r = j.cla_reviews[j.cla_reviews["review_date"].between(ys, ye)]
    out["reviews"] = _finish("reviews", pd.DataFrame({
        "CHILD": r["child_id"], "DOB": _fmt(r["child_id"].map(dob_of)),
        "REVIEW": _fmt(r["review_date"]), "REVIEW_CODE": r["review_code"]}))

    # missing
    mis = j.missing
    m = mis[(mis["start_date"] <= ye) & (mis["end_date"].isna() | (mis["end_date"] >= ys))].copy()
    m.loc[m["end_date"] > ye, "end_date"] = pd.NaT
    out["missing"] = _finish("missing", pd.DataFrame({
        "CHILD": m["child_id"], "DOB": _fmt(m["child_id"].map(dob_of)),
        "MISSING": m["missing_type"], "MIS_START": _fmt(m["start_date"]),
        "MIS_END": _fmt(m["end_date"])}))

    out["oc2"] = _oc2(j, collection_year, dob_of, ys, ye)
    out["oc3"] = _finish("oc3", pd.DataFrame({
        "CHILD": cl["child_id"], "DOB": _fmt(cl["child_id"].map(dob_of)),
        "IN_TOUCH": cl["in_touch"], "ACTIV": cl["activity"], "ACCOM": cl["accommodation"]}))
    out["ad1"], out["placed_for_adoption"] = _adoption(j, main, dob_of, ys, ye)
    # the short-break children's after the others' (each stay is a start of care)
    out["previous_permanence"] = pd.concat(
        [_previous_permanence(j, main, dob_of, ys, ye),
         _previous_permanence(j, eps[eps["child_id"].isin(short)], dob_of, ys, ye)],
        ignore_index=True)
    out["social_worker"] = _social_workers(j, main, dob_of, ys, ye)
    names = tables_of_year(collection_year)
    if "dolo" in names:
        d = dolo_orders(j, main, collection_year)
        out["dolo"] = _finish("dolo", pd.DataFrame({
            "CHILD": d["child_id"], "DOB": _fmt(d["child_id"].map(dob_of)),
            "DOLO_START": _fmt(d["start"]), "DOLO_END": _fmt(d["end"])}))
    return {name: out[name] for name in names}


def _oc2(j: Journeys, year: int, dob_of, ys, ye) -> pd.DataFrame:
    o = j.cla_outcomes[j.cla_outcomes["collection_year"] == year].copy()
    dob = o["child_id"].map(dob_of)
    ten_or_over = (dob + pd.DateOffset(years=10) <= ye).to_numpy()  # at 31 March
    under5 = (dob + pd.DateOffset(years=5) > ye).to_numpy()
    hc = j.health_checks
    year_ago = ye - pd.DateOffset(years=1)
    recent = hc[(hc["check_date"] > year_ago) & (hc["check_date"] <= ye)]
    assessed = o["child_id"].isin(recent.loc[recent["check"] == "health_assessment", "child_id"])
    dental = o["child_id"].isin(recent.loc[recent["check"] == "dental", "child_id"])
    df = pd.DataFrame({
        "CHILD": o["child_id"], "DOB": _fmt(dob),
        "SDQ_SCORE": o["sdq_score"].map(lambda x: "" if pd.isna(x) else str(int(x))),
        "SDQ_REASON": o["sdq_reason"],
        "CONVICTED": np.where(ten_or_over, _flag(o["convicted"]), ""),
        "HEALTH_CHECK": np.where(under5, _flag(o["development_checks"]), ""),
        "IMMUNISATIONS": _flag(o["immunisations"]),
        "TEETH_CHECK": _flag(dental),
        "HEALTH_ASSESSMENT": _flag(assessed),
        "SUBSTANCE_MISUSE": _flag(o["substance_misuse"]),
        "INTERVENTION_RECEIVED": _flag(o["intervention_received"]),
        "INTERVENTION_OFFERED": _flag(o["intervention_offered"]),
    })
    return _finish("oc2", df)


def _adoption(j: Journeys, eps, dob_of, ys, ye):
    ad = j.adoption
    adopted = ad[ad["adoption_date"].between(ys, ye)]
    ad1 = pd.DataFrame({
        "CHILD": adopted["child_id"], "DOB": _fmt(adopted["child_id"].map(dob_of)),
        "DATE_INT": _fmt(adopted["decision_date"]), "DATE_MATCH": _fmt(adopted["match_date"]),
        "FOSTER_CARE": _flag(adopted["foster_care"]),
        "NB_ADOPTR": adopted["number_adopters"].astype(str),
        "SEX_ADOPTR": adopted["sex_adopters"], "LS_ADOPTR": adopted["ls_adopters"],
    })
    # decisions for children looked after in the year, made by 31 March
    pa = ad[ad["child_id"].isin(eps["child_id"]) & (ad["decision_date"] <= ye)].copy()
    ceased = pa["decision_ceased_date"].where(pa["decision_ceased_date"] <= ye)
    pfa = pd.DataFrame({
        "CHILD": pa["child_id"], "DOB": _fmt(pa["child_id"].map(dob_of)),
        "DATE_PLACED": _fmt(pa["decision_date"]), "DATE_PLACED_CEASED": _fmt(ceased),
        "REASON_PLACED_CEASED": pa["decision_ceased_reason"].where(ceased.notna()),
    })
    return _finish("ad1", ad1), _finish("placed_for_adoption", pfa)


def _previous_permanence(j: Journeys, eps, dob_of, ys, ye) -> pd.DataFrame:
    starts = eps[(eps["rne"] == "S") & (eps["decom"] >= ys)]
    latest = starts.sort_values("decom").drop_duplicates("child_id", keep="last")
    pp = latest[["child_id", "period_id"]].merge(j.previous_permanence, on=["child_id", "period_id"])
    return _finish("previous_permanence", pd.DataFrame({
        "CHILD": pp["child_id"], "DOB": _fmt(pp["child_id"].map(dob_of)),
        "PREV_PERM": pp["prev_perm"], "LA_PERM": pp["la_perm"], "DATE_PERM": _fmt(pp["date_perm"]),
    }))


def _social_workers(j: Journeys, eps, dob_of, ys, ye) -> pd.DataFrame:
    """Social worker episodes of each child's latest period of care in the year."""
    latest = eps.sort_values("decom").drop_duplicates("child_id", keep="last")[["child_id", "period_id"]]
    per = latest.merge(
        j.care_periods[["child_id", "period_id", "start_date", "end_date", "referral_id"]],
        on=["child_id", "period_id"])
    sw = j.social_workers.merge(per[["child_id", "referral_id", "start_date", "end_date"]],
                                on=["child_id", "referral_id"], suffixes=("", "_care"))
    care_end = sw["end_date_care"].where(sw["end_date_care"] <= ye, ye)
    sw = sw[(sw["end_date"].isna() | (sw["end_date"] > sw["start_date_care"]))
            & (sw["start_date"] <= care_end.fillna(ye))
            & (sw["end_date"].isna() | (sw["end_date"] >= ys))].copy()
    # the first worker of the period of care is counted from the day care started
    sw["start_date"] = sw["start_date"].where(sw["start_date"] > sw["start_date_care"],
                                              sw["start_date_care"])
    sw = sw[sw["end_date"].isna() | (sw["end_date"] - sw["start_date"] >= pd.Timedelta(days=3))]
    sw.loc[sw["end_date"] > ye, "end_date"] = pd.NaT
    # an episode ends only when the next worker takes over: the latest stays open
    sw = sw.sort_values(["child_id", "start_date"], kind="stable")
    sw.loc[~sw["child_id"].duplicated(keep="last"), "end_date"] = pd.NaT
    return _finish("social_worker", pd.DataFrame({
        "CHILD": sw["child_id"], "DOB": _fmt(sw["child_id"].map(dob_of)), "SW_ID": sw["sw_id"],
        "SW_DECOM": _fmt(sw["start_date"]), "SW_DEC": _fmt(sw["end_date"]),
        "SW_REASON": sw["reason"],
    }))


def write_ssda903_tables(tables: dict[str, pd.DataFrame], collection_year: int,
                         folder) -> list[Path]:
    """Write SSDA903 tables (as :func:`ssda903_tables` gives them) as one CSV per table into
    ``folder`` (created if needed), named ``ssda903_<year>_<table>.csv``, in the order of
    ``spec.ssda903.TABLES`` (a table the year lacks, such as ``dolo`` before 2026/27, is not
    written). Returns the paths. The same tables give byte-identical files."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in (t for t in TABLES if t in tables):
        path = folder / f"ssda903_{collection_year}_{name}.csv"
        tables[name].to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        paths.append(path)
    return paths


def write_ssda903(journeys: Journeys, collection_year: int, folder) -> list[Path]:
    """Write the SSDA903 return for ``collection_year`` into ``folder`` (see
    :func:`write_ssda903_tables`). Returns the paths. Output is deterministic: the same
    journeys give byte-identical files."""
    return write_ssda903_tables(ssda903_tables(journeys, collection_year), collection_year,
                                folder)
