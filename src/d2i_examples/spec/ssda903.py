"""SSDA903 (children looked after) tables and their columns.

Column sets follow the DfE SSDA903 CSV specification, as recognised by
csc-validator-be-903 (lac_validator.config.column_names), which tells tables
apart by their exact set of columns. Dates in the CSVs are dd/mm/YYYY.
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
}

# Columns holding dates (dd/mm/YYYY in files). DATE_PERM may also be "Z1"/blank.
DATE_COLUMNS: set[str] = {
    "DOB", "MC_DOB", "DECOM", "DEC", "REVIEW", "DUC", "DATE_INT", "DATE_MATCH",
    "DATE_PLACED", "DATE_PLACED_CEASED", "MIS_START", "MIS_END", "SW_DECOM", "SW_DEC",
    "DATE_PERM",
}

DATE_FORMAT = "%d/%m/%Y"
