"""SSDA903 (children looked after) tables and their columns.

Column sets follow the DfE SSDA903 CSV specification, as recognised by
csc-validator-be-903 (lac_validator.config.column_names), which tells tables
apart by their exact set of columns. Dates in the CSVs are dd/mm/YYYY.

A table that only some collection years have is in FIRST_YEAR: the deprivation
of liberty order (DoLO) table is new in 2026/27. Its columns and checks are
those of csc-validator-be-903 0.1.17 (``"DoLo"`` in lac_validator.config and
rules 700-710 of its 2026/27 ruleset, lac_validator.rules.lac2026_27): one row
per order, DOLO_START and DOLO_END (blank while the order is in force) as
dd/mm/YYYY, within the child's period of care, never overlapping, with the
child placed in a children's home (K2) or an other placement Z12/Z13 meanwhile
(rule 709) and never K1, P1, R5 or K3 (rule 710). ``tables(year)`` lists a
year's tables.
"""

# our table name -> (the validator's table name, columns in file order)
TABLES: dict[str, tuple[str, list[str]]] = {
    "header": ("Header", ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]),
    "episodes": (
        "Episodes",
        [
            "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
            "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
        ],
    ),
    "reviews": ("Reviews", ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"]),
    "uasc": ("UASC", ["CHILD", "SEX", "DOB", "DUC"]),
    "oc2": (
        "OC2",
        [
            "CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK",
            "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
            "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED",
        ],
    ),
    "oc3": ("OC3", ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"]),
    "ad1": (
        "AD1",
        ["CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR",
         "LS_ADOPTR"],
    ),
    "placed_for_adoption": (
        "PlacedAdoption",
        ["CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"],
    ),
    "previous_permanence": ("PrevPerm", ["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"]),
    "missing": ("Missing", ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"]),
    "social_worker": ("SWEpisodes", ["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"]),
    "dolo": ("DoLo", ["CHILD", "DOB", "DOLO_START", "DOLO_END"]),
}

# tables that a collection year before this one does not have (2027 is 2026/27)
FIRST_YEAR: dict[str, int] = {"dolo": 2027}

# Columns holding dates (dd/mm/YYYY in files). DATE_PERM may also be "Z1"/blank.
DATE_COLUMNS: set[str] = {
    "DOB", "MC_DOB", "DECOM", "DEC", "REVIEW", "DUC", "DATE_INT", "DATE_MATCH",
    "DATE_PLACED", "DATE_PLACED_CEASED", "MIS_START", "MIS_END", "SW_DECOM", "SW_DEC",
    "DATE_PERM", "DOLO_START", "DOLO_END",
}

DATE_FORMAT = "%d/%m/%Y"

# --- Code lists -------------------------------------------------------------
# The codes each checked column accepts, with a short plain-English meaning.
# Lists follow the DfE SSDA903 guide as enforced by csc-validator-be-903
# (lac_validator.rules.lac2025_26 and the earlier rulesets it builds on):
# rule 101 SEX, 103 ETHNIC, 143 RNE, 144 LS, 145 CIN, 146 PLACE,
# 149 REC, 167 REVIEW_CODE, 178 PLACE_PROVIDER.
# Years are collection years named by the year the return ends (31 March):
# 2026 is 2025/26, as in lac_validator's get_year_ruleset("2026").

#: Years whose code lists are known here: 2017/18 (2018) to 2026/27 (2027). D2I's
#: validator ships rulesets from 2022/23 only (VALIDATOR_YEARS, lac_validator.rules);
#: councils keep 903 years back to 2017/18 for the demand model, and the years before
#: 2022/23 are read with the 2022/23 lists (FIRST_LISTED), the earliest ruleset that
#: names them. No source found differs from them: the single-year validator that came
#: before those rulesets (validator903/validators.py, rules 101, 103, 143-146, 149, 167
#: and 178, in SocialFinanceDigitalLabs/quality-lac-data-beta-validator and the early
#: history of csc-validator-be-903) lists the same codes, and no code list of the DfE's
#: 2017/18 to 2019/20 guides was found to compare. A code an older year used that
#: 2022/23 no longer accepts is reported by the loader like any unknown code, with the
#: settings mapping (``mapping: ssda903: codes:``) that maps it to today's code.
FIRST_LISTED = 2023
VALIDATOR_YEARS: tuple[int, ...] = (2023, 2024, 2025, 2026, 2027)
SUPPORTED_YEARS: tuple[int, ...] = tuple(range(2018, 2028))
LATEST_YEAR = 2026

_SEX_NUMERIC = {"1": "Male", "2": "Female"}
_SEX_LETTERS = {"M": "Male", "F": "Female", "U": "Not known"}

ETHNIC = {
    "WBRI": "White British",
    "WIRI": "White Irish",
    "WIRT": "Traveller of Irish heritage",
    "WROM": "Gypsy or Roma",
    "WOTH": "Any other White background",
    "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African",
    "MWAS": "White and Asian",
    "MOTH": "Any other mixed background",
    "AIND": "Indian",
    "APKN": "Pakistani",
    "ABAN": "Bangladeshi",
    "AOTH": "Any other Asian background",
    "BCRB": "Black Caribbean",
    "BAFR": "Black African",
    "BOTH": "Any other Black background",
    "CHNE": "Chinese",
    "OOTH": "Any other ethnic group",
    "REFU": "Refused",
    "NOBT": "Information not yet obtained",
}

# PLACE codes of a temporary placement (T0 to T4), a break in the usual placement
# (DfE SSDA903 validation rules 225, 226, 380, 383)
TEMPORARY_PLACEMENTS = frozenset({"T0", "T1", "T2", "T3", "T4"})

# LS codes of a child looked after under an agreed series of short breaks: left out of
# the DfE's 31 March, OC2 and stability counts
SHORT_BREAKS = frozenset({"V3", "V4"})

# RNE codes that change placement: P and B with a new carer, T and U with the same
# carer(s); S (started to be looked after) and L (legal status only) do not
PLACEMENT_CHANGES = frozenset({"P", "T", "B", "U"})
NEW_CARER = frozenset({"P", "B"})
SAME_CARER = frozenset({"T", "U"})

RNE = {
    "S": "Started to be looked after",
    "L": "Change of legal status only",
    "P": "Change of placement and carer(s) only",
    "T": "Change of placement, same carer(s)",
    "U": "Change of legal status and placement, same carer(s)",
    "B": "Change of legal status, placement and carer(s) together",
}

LS = {
    "C1": "Interim care order",
    "C2": "Full care order",
    "D1": "Freeing order granted",
    "E1": "Placement order granted",
    "V2": "Single period of accommodation under section 20",
    "V3": "Short breaks, each episode recorded",
    "V4": "Short breaks, agreements recorded",
    "J1": "Remanded to LA or youth detention accommodation",
    "J2": "Placed in LA accommodation under PACE",
    "J3": "Youth rehabilitation order with residence or fostering requirement",
    "L1": "Police protection, in LA accommodation",
    "L2": "Emergency protection order",
    "L3": "Child assessment order, in LA accommodation",
}

CIN = {
    "N1": "Abuse or neglect",
    "N2": "Child's disability",
    "N3": "Parental illness or disability",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
}

_PLACE_COMMON = {
    "A3": "Placed for adoption with consent, with current foster carer(s)",
    "A4": "Placed for adoption with consent, not with current foster carer(s)",
    "A5": "Placed for adoption with placement order, with current foster carer(s)",
    "A6": "Placed for adoption with placement order, not with current foster carer(s)",
    "K1": "Secure children's home",
    "K2": "Children's home",
    "P1": "Placed with own parent(s) or others with parental responsibility",
    "P3": "Residential employment",
    "R1": "Residential care home",
    "R2": "NHS or health trust establishment providing medical or nursing care",
    "R3": "Family centre or mother and baby unit",
    "R5": "Young offender institution or prison",
    "S1": "Residential school (not dual-registered as a children's home)",
    "T0": "Temporary move of any type",
    "T1": "Temporary period in hospital",
    "T2": "Temporary absence on holiday",
    "T3": "Temporary accommodation while usual foster carer(s) on holiday",
    "T4": "Temporary accommodation of seven days or less, other reason",
    "U1": "Fostered by relative(s) or friend(s): long term",
    "U2": "Fostered by relative(s) or friend(s) who are approved adopters (FFA/concurrent)",
    "U3": "Fostered by relative(s) or friend(s): other",
    "U4": "Other foster carer(s): long term",
    "U5": "Other foster carer(s) who are approved adopters (FFA/concurrent)",
    "U6": "Other foster carer(s): other",
}
_PLACE_UP_TO_2024_25 = {
    "H5": "Semi-independent living not subject to children's homes regulations",
    "P2": "Independent living (flat, lodgings, bedsit, B&B or with friends)",
    "Z1": "Other placement",
}
_K3 = {"K3": "Supported accommodation (registered with Ofsted)"}

#: PLACE codes a later year replaced by one code for the same placement: older code ->
#: today's. H5 -> K3: lac_validator's 2025/26 rule 503D lets an episode open at the end
#: of 2024/25 as H5 carry on as K3 in the first episode of 2025/26, the same placement
#: recoded. P2 (independent living) and Z1 (split into Z11-Z14) have no single successor.
PLACE_REPLACED_BY: dict[str, str] = {"H5": "K3"}
_PLACE_FROM_2025_26 = {
    # Z1 was split into four sub-codes for 2025/26; the DfE guide defines each.
    "Z11": "Other placement (sub-code 1 of the former Z1; see the DfE 903 guide)",
    "Z12": "Other placement (sub-code 2 of the former Z1; see the DfE 903 guide)",
    "Z13": "Other placement (sub-code 3 of the former Z1; see the DfE 903 guide)",
    "Z14": "Other placement (sub-code 4 of the former Z1; see the DfE 903 guide)",
}

PLACE_PROVIDER = {
    "PR0": "Parent(s) or others with parental responsibility",
    "PR1": "Own local authority provision",
    "PR2": "Other local authority provision",
    "PR3": "Other public provision",
    "PR4": "Private provision",
    "PR5": "Voluntary or third sector provision",
}

REC = {
    "X1": "Episode ceases and a new one begins on the same day",
    "E11": "Adopted: application unopposed",
    "E12": "Adopted: consent dispensed with by the court",
    "E2": "Died",
    "E3": "Care taken over by another local authority",
    "E4A": "Returned home to parent(s) or others with PR, as planned",
    "E4B": "Returned home to parent(s) or others with PR, not as planned",
    "E13": "Left care to live with parent(s), relative(s) or others without PR",
    "E41": "Residence or child arrangements order granted",
    "E45": "Special guardianship order: former foster carer(s), relative or friend",
    "E46": "Special guardianship order: former foster carer(s), not relative or friend",
    "E47": "Special guardianship order: other carer(s), relative or friend",
    "E48": "Special guardianship order: other carer(s), not relative or friend",
    "E5": "Independent living with formal advice or support",
    "E6": "Independent living without formal advice or support",
    "E7": "Transferred to residential care funded by adult social care",
    "E8": "Ceased for any other reason",
    "E9": "Sentenced to custody",
    "E14": "Accommodation on remand ended",
    "E15": "Age assessment found the child to be 18 or over",
    "E16": "Child moved abroad",
    "E17": "Aged 18 or over and stayed with current carers (e.g. staying put)",
}

REVIEW_CODE = {
    "PN0": "Child under 4 at the review",
    "PN1": "Attends and speaks for themselves",
    "PN2": "Attends and an advocate speaks for them",
    "PN3": "Attends and conveys views non-verbally",
    "PN4": "Attends but does not convey views",
    "PN5": "Does not attend; briefs an advocate",
    "PN6": "Does not attend; conveys views by a facilitative medium",
    "PN7": "Does not attend and views not conveyed",
}

# Columns whose values the loaders check against a code list.
CODE_COLUMNS: tuple[str, ...] = (
    "SEX", "ETHNIC", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC", "REVIEW_CODE",
)


def tables(collection_year: int | None = None) -> list[str]:
    """Our names of the tables of ``collection_year`` (all of them when None), in file
    order: ``dolo`` only from 2026/27 (collection year 2027)."""
    return [t for t in TABLES
            if collection_year is None or FIRST_YEAR.get(t, 0) <= collection_year]


def codes(column: str, collection_year: int = LATEST_YEAR) -> dict[str, str]:
    """The codes `column` accepts in one collection year, mapped to their meanings.

    Only SEX and PLACE changed between 2022/23 and 2026/27: SEX became M/F/U in
    2024/25 (it was 1/2), K3 (supported accommodation) arrived in 2024/25, and
    2025/26 dropped H5, P2 and Z1 and split Z1 into Z11-Z14 (lac_validator
    rules 101 and 146 of each year; the 2024/25 ruleset spells K3 "k3"). Years
    2017/18 to 2021/22 get the 2022/23 lists (see SUPPORTED_YEARS).
    """
    if collection_year not in SUPPORTED_YEARS:
        raise ValueError(
            f"collection_year {collection_year} is not one of {SUPPORTED_YEARS} "
            "(the year the return ends: 2026 for 2025/26)"
        )
    collection_year = max(collection_year, FIRST_LISTED)  # older years: see SUPPORTED_YEARS
    if column == "SEX":
        return dict(_SEX_NUMERIC if collection_year <= 2024 else _SEX_LETTERS)
    if column == "PLACE":
        if collection_year <= 2024:
            return {**_PLACE_COMMON, **_PLACE_UP_TO_2024_25}
        if collection_year == 2025:
            return {**_PLACE_COMMON, **_K3, **_PLACE_UP_TO_2024_25}
        return {**_PLACE_COMMON, **_K3, **_PLACE_FROM_2025_26}
    fixed = {
        "ETHNIC": ETHNIC, "RNE": RNE, "LS": LS, "CIN": CIN, "PLACE_PROVIDER": PLACE_PROVIDER,
        "REC": REC, "REVIEW_CODE": REVIEW_CODE,
    }
    if column not in fixed:
        raise KeyError(f"{column} has no code list; checked columns are {CODE_COLUMNS}")
    return dict(fixed[column])


def codes_any_year(column: str) -> dict[str, str]:
    """The codes `column` accepts in at least one supported collection year."""
    merged: dict[str, str] = {}
    for year in SUPPORTED_YEARS:
        merged.update(codes(column, year))
    return merged
