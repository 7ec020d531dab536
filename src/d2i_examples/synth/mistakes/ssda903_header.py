"""SSDA903 mistakes in who the child is: the header, and the details repeated in the UASC
and missing tables (sex, ethnicity, UPN, date of birth, mother).

Each function plants one mistake on one child, chosen with the seed among the children the
mistake suits (see ``Ssda903Tables.choose``), and is registered beside its code with its
rule, table, column and description. Changing a detail of a child already in last year's
return could also break rules 202-208 ("differs from last year"), so several mistakes go
only to children new this year, and those aimed at 202-208 to children whose details
matched last year's.
"""

from __future__ import annotations

import pandas as pd

from d2i_examples.spec.upn import WELL_FORMED_UPN
from d2i_examples.synth.mistakes.registry import SSDA903, mistakes_of
from d2i_examples.synth.mistakes.ssda903_tables import Ssda903Tables, fmt_date, to_date

mistake = mistakes_of(SSDA903)


def _header_mask(c: Ssda903Tables, new_child: bool | None = None, uasc: bool | None = None):
    h = c.t["header"]
    mask = pd.Series(True, index=h.index)
    if new_child is not None:
        mask &= h["CHILD"].isin(c.prev_children) != new_child
    if uasc is not None:
        mask &= c.in_table("uasc", h) == uasc
    return mask


# --- header -----------------------------------------------------------------------------


@mistake(rule="101", table="header", column="SEX",
         text="Sex exported with the old numeric code '1' for male (the return has used M/F/U "
              "since 2024/25).")
def _sex_numeric(c: Ssda903Tables):
    h = c.t["header"]
    row = c.choose(
        "header",
        (h["SEX"] == "M")
        & (h["MC_DOB"] == "")
        & (h["MOTHER"] == "")
        & _header_mask(c, new_child=True, uasc=False),
    )
    return None if row is None else c.set("header", row, "SEX", "1")


_ETHNIC_LABELS = {
    "WBRI": "White British",
    "WOTH": "Any other White background",
    "MOTH": "Any other Mixed background",
    "BAFR": "Black African",
}


@mistake(rule="103", table="header", column="ETHNIC",
         text="Ethnicity exported as the case system's label (e.g. 'White British') instead of the "
              "DfE code (WBRI).")
def _ethnicity_label(c: Ssda903Tables):
    h = c.t["header"]
    row = c.choose("header", h["ETHNIC"].isin(list(_ETHNIC_LABELS)) & _header_mask(c, True))
    if row is None:
        return None
    return c.set("header", row, "ETHNIC", _ETHNIC_LABELS[h.at[row, "ETHNIC"]])


@mistake(rule="168", table="header", column="UPN",
         text="UPN keyed with its last digit missing (12 characters).")
def _upn_short(c: Ssda903Tables):
    h = c.t["header"]
    row = c.choose("header", h["UPN"].str.match(WELL_FORMED_UPN) & _header_mask(c, True))
    return None if row is None else c.set("header", row, "UPN", h.at[row, "UPN"][:-1])


def _same_as_last_year(c: Ssda903Tables, column: str) -> pd.Series:
    h = c.t["header"]
    last = c.prev_header.drop_duplicates("CHILD").set_index("CHILD")[column]
    return h["CHILD"].map(last).eq(h[column])


@mistake(rule="208", table="header", column="UPN",
         text="UPN re-keyed this year with two digits transposed, so it no longer matches last "
              "year's return.")
def _upn_transposed(c: Ssda903Tables):
    h = c.t["header"]
    varied = h["UPN"].str[5:13].map(lambda digits: len(set(digits)) > 1)
    row = c.choose(
        "header",
        h["UPN"].str.match(WELL_FORMED_UPN)
        & varied
        & _header_mask(c, False)
        & _same_as_last_year(c, "UPN"),
    )
    if row is None:
        return None
    upn = h.at[row, "UPN"]
    i = next(i for i in range(5, 12) if upn[i] != upn[i + 1])
    return c.set("header", row, "UPN", upn[:i] + upn[i + 1] + upn[i] + upn[i + 2 :])


@mistake(rule="202", table="header", column="SEX",
         text="Child's sex recorded differently from last year's return (F last year, M this "
              "year).")
def _sex_changed(c: Ssda903Tables):
    h = c.t["header"]
    row = c.choose(
        "header",
        (h["SEX"] == "F")
        & (h["MC_DOB"] == "")
        & (h["MOTHER"] != "1")
        & _header_mask(c, False, uasc=False)
        & _same_as_last_year(c, "SEX"),
    )
    return None if row is None else c.set("header", row, "SEX", "M")


@mistake(rule="203", table="header", column="DOB",
         text="Date of birth corrected this year (one day later, in every table) but last year's "
              "return still holds the old date.")
def _dob_corrected(c: Ssda903Tables):
    h = c.t["header"]
    dob = to_date(h["DOB"])
    year = c.end.year
    fixed = [c.start, c.end, pd.Timestamp(f"{year - 2}-08-31"), pd.Timestamp(f"{year - 1}-08-31")]
    # moving a birthday one day later changes an age only on the old birthday: keep away
    # from children with any date (or a date a rule measures age on) on their birthday
    d = c.all_dates
    on_birthday = d["date"].dt.strftime("%m%d") == d["CHILD"].map(c.dob).dt.strftime("%m%d")
    birthday = dob.dt.strftime("%m%d")
    ok = (
        _header_mask(c, False)
        & _same_as_last_year(c, "DOB")
        & dob.notna()
        & (birthday != "0229")
        & ~h["CHILD"].isin(set(d.loc[on_birthday, "CHILD"]))
        & ~birthday.isin({f.strftime("%m%d") for f in fixed})
    )
    row = c.choose("header", ok)
    if row is None:
        return None
    child = h.at[row, "CHILD"]
    new = fmt_date(dob[row] + pd.Timedelta(days=1))
    also = []
    for name, df in c.t.items():
        if name != "header" and "DOB" in df.columns:
            rows = df.index[df["CHILD"] == child]
            if len(rows):
                df.loc[rows, "DOB"] = new
                also.append(f"DOB in {name} ({len(rows)} row{'s' if len(rows) > 1 else ''})")
    return c.set("header", row, "DOB", new, also="; ".join(also))


_ETHNIC_NEIGHBOUR = {
    "WBRI": "WOTH",
    "WOTH": "WBRI",
    "MWBC": "MOTH",
    "MOTH": "MWBC",
    "BAFR": "BOTH",
    "AOTH": "OOTH",
    "OOTH": "AOTH",
}


@mistake(rule="204", table="header", column="ETHNIC",
         text="Ethnicity recorded differently from last year's return (e.g. WBRI last year, WOTH "
              "this year).")
def _ethnicity_changed(c: Ssda903Tables):
    h = c.t["header"]
    row = c.choose(
        "header",
        h["ETHNIC"].isin(list(_ETHNIC_NEIGHBOUR))
        & _header_mask(c, False)
        & _same_as_last_year(c, "ETHNIC"),
    )
    if row is None:
        return None
    return c.set("header", row, "ETHNIC", _ETHNIC_NEIGHBOUR[h.at[row, "ETHNIC"]])


@mistake(rule="INT21", table="uasc", column="SEX",
         text="Child's sex recorded differently in the header and the UASC table.")
def _uasc_sex(c: Ssda903Tables):
    u = c.t["uasc"]
    sex = u["CHILD"].map(c.sex)
    row = c.choose("uasc", sex.isin(["M", "F"]) & (u["SEX"] == sex) & (c.count("uasc") == 1))
    if row is None:
        return None
    return c.set("uasc", row, "SEX", {"M": "F", "F": "M"}[u.at[row, "SEX"]])


@mistake(rule="INT13", table="missing", column="DOB",
         text="Date of birth in the missing table typed with day and month swapped, so it differs "
              "from the header.")
def _missing_dob_swapped(c: Ssda903Tables):
    m = c.t["missing"]
    dob = to_date(m["DOB"])
    ok = (
        (c.count("missing") == 1)
        & (dob.dt.day <= 12)
        & (dob.dt.day != dob.dt.month)
        & m["CHILD"].map(c.dob).eq(dob)
    )
    row = c.choose("missing", ok)
    if row is None:
        return None
    d = dob[row]
    return c.set("missing", row, "DOB", f"{d.month:02d}/{d.day:02d}/{d.year}")


@mistake(rule="393", table="header", column="MOTHER",
         text="Mother field left blank for a girl who is looked after (should be 0 or 1).")
def _mother_blank(c: Ssda903Tables):
    h = c.t["header"]
    looked_after = c.eps.loc[~c.eps["LS"].isin(["V3", "V4"]), "CHILD"]
    row = c.choose(
        "header",
        (h["SEX"] == "F")
        & (h["MOTHER"] == "0")
        & (h["MC_DOB"] == "")
        & h["CHILD"].isin(set(looked_after))
        & ~h["CHILD"].isin(c.care_ended_in_year())
        & _header_mask(c, True),
    )
    return None if row is None else c.set("header", row, "MOTHER", "")
