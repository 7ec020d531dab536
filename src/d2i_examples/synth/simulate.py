"""Simulate one synthetic local authority's children, from first contact to leaving care.

``simulate(profile, seed, start_year, end_year)`` returns a :class:`Journeys`: one pandas
DataFrame per kind of event, every row keyed by ``child_id``. The SSDA903, CIN census and
Annex A writers all read the same Journeys, so a child has the same ID, birth date,
ethnicity and history in every return.

Time
----
Collection year ``Y`` runs from 1 April ``Y-1`` to 31 March ``Y``. The simulation covers
collection years ``start_year`` to ``end_year``, after ``profile.history_years`` years of
history (so children already in care or on plans on 1 April ``start_year-1`` have a past).
``Journeys.window_start`` / ``window_end`` are the first and last day of that window;
no event is dated after ``window_end`` (two due dates may be: ``s47.icpc_target_date``
and ``children.uasc_ceased``). An end date that falls after ``window_end`` is
missing (``NaT``): the thing is still open at the end of the window. Dates are pandas
``datetime64[ns]`` (day precision), missing as ``NaT``; flags are ``bool``; codes are ``str``
(``None`` when absent); counts are ``int``.

How it works
------------
Children enter in three streams, all Poisson in time and reproducible from the seed:
children referred to children's social care (first referral date uniform over the whole
span, age drawn from the age profile of referrals), children with contacts only (no
referral), and unaccompanied asylum-seeking children (UASC, who start to be looked after on
the day they are referred). A referred child's cases follow one another: each referral runs
through no further action / assessment / section 47 enquiry / initial child protection
conference / child protection (CP) plan / child in need (CIN) plan / care, the case closes,
and after an exponential gap (mean ``recontact_gap_years`` over a gamma frailty) the child
may be referred again, until they are 18, adopted, transferred or the window ends. All
children's n-th referral is simulated at once (vectorised), so cost grows linearly.
Assessments and initial child protection conferences take a lognormal number of working
days (about 83% and 80% within the statutory 45 and 15); work still open on a 31 March
beyond its timescale is finished by that day, as authorities chase overdue work before the
census date (late, but not left open at the year end).
The work is split by subject: ``synth.cases`` (contacts to plans), ``synth.care``
(periods of care and episodes), ``synth.annual`` (yearly outcomes, care leavers),
``synth.visits`` (visits, IRO contacts and return interviews, on a random stream of their
own) and ``synth.draws`` / ``synth.calendar`` (random draws, days and working days).
Last, ``synth.short_breaks`` adds a few disabled children looked after only under a series
of short breaks (legal status V3 or V4), on a random stream of their own and with the last
child IDs, so every other child is the same with or without them.

Tables (columns in order)
-------------------------
children
    child_id (``SYN000001``...), sex (``M``/``F``), dob, ethnicity (SSDA903/CIN code such as
    ``WBRI``), upn (13-character Unique Pupil Number with a valid check letter; writers use
    an unknown code such as ``UN1`` where the child is too young for school), disabilities
    (CIN census disability codes joined by ``,``; ``NONE`` if none), disabled (bool),
    uasc (bool), uasc_ceased (date UASC status ceases, the 18th birthday, as the SSDA903
    records it: the one date that may lie after the window; NaT if not UASC),
    home_postcode (real postcode in the authority; ``None`` for UASC), first_child_dob
    (date of birth of a girl's first child; NaT if none), first_seen (date of first contact).
contacts
    child_id, contact_id, contact_date, source (CIN referral source code), outcome
    (``referral`` / ``early_help`` / ``nfa``), referral_id (``None`` unless a referral).
early_help
    child_id, early_help_id, start_date, end_date (assessment completed), organisation,
    contact_id (``None`` when offered at the close of a social care assessment).
referrals
    child_id, referral_id, contact_id, referral_date, source, nfa (bool: no further action),
    primary_need (``N1``-``N9``), closure_date (NaT while open), closure_reason (``RC1``-``RC9``),
    case_number (1 for a child's first referral, 2 for the next...).
assessments
    child_id, assessment_id, referral_id, start_date, authorisation_date (NaT while open),
    factors (CIN assessment factor codes joined by ``,``; ``21``, no factors, only for cases
    closed after the assessment alone; ``None`` while open),
    child_seen (bool), needs_support (bool: child assessed as needing services).
s47
    child_id, s47_id, referral_id, start_date (on or after its assessment's start),
    icpc_target_date (start + 15 working days), icpc_date (a working day; NaT if none),
    icpc_not_required (bool), cp_plan (bool), end_date (the day the enquiry ended: its
    conference, else the decision that none is needed, taken with the assessment's
    authorisation or 20 days after the start at the latest; NaT while open). Working days
    exclude weekends and England and Wales bank holidays. The assessment of an enquiry that
    goes to conference is authorised on or after the conference.
cin_plans
    child_id, cin_plan_id, referral_id, start_date, end_date.
cp_plans
    child_id, cp_plan_id, referral_id, start_date, end_date, initial_category,
    latest_category (``NEG``/``PHY``/``EMO``/``SAB``/``MUL``), previous_plans (count of this
    child's earlier plans).
cp_reviews
    child_id, cp_plan_id, review_date.
care_periods
    child_id, period_id, start_date, end_date, reason_ceased (SSDA903 REC of the last
    episode; ``None`` while open), route (``emergency``/``assessment``/``cp``/``uasc``/
    ``remand``/``short breaks``), referral_id, cin_code (SSDA903 ``N1``-``N8``), permanence_plan (the plan
    the care planning settles on, one of ``synth.care.PERMANENCE_PLANS``, the Annex A
    values: ``Adoption``, ``SGO/CAO``, ``Return to family``, ``Long-term fostering``...;
    from how the period ends, see ``synth.care.permanence_plan``).
episodes
    child_id, period_id, episode_number (1.. within the child), decom, rne, ls, cin, place,
    place_provider, dec, rec, reason_place_change, home_post, pl_post, urn: one row per
    SSDA903 episode (a change of legal status or placement starts a new one).
cla_reviews
    child_id, period_id, review_date, review_code (``PN0``-``PN7``).
missing
    child_id, period_id, missing_type (``M`` missing / ``A`` away without authorisation),
    start_date, end_date (NaT while open), return_interview_offered,
    return_interview_accepted (bool; ``None`` while the spell is open).
health_checks
    child_id, period_id, check (``health_assessment`` / ``dental``), check_date.
cla_outcomes
    child_id, collection_year, sdq_score (0-40 or NaN), sdq_reason (``SDQ1``-``SDQ5`` or
    ``None``), convicted (bool), immunisations (bool), development_checks (bool, under-5s'
    health surveillance up to date), substance_misuse (bool), intervention_received,
    intervention_offered (bool or ``None`` where not asked): one row per child looked after
    continuously for 12 months at 31 March of the collection year.
care_leavers
    child_id, collection_year, birthday (17th to 21st birthday in that year), age (17-21),
    in_touch (``YES``/``NO``/``DIED``/``REFU``/``NREQ``/``RHOM``), activity (``F1``...``G6``;
    ``0`` unless in touch), accommodation (``B1``...``Z2``: code letter + 1 suitable /
    2 unsuitable; ``0`` unless in touch),
    eligibility (``relevant`` if under 18 on the birthday, else ``former relevant``).
adoption
    child_id, period_id, decision_date (should be placed for adoption), placement_order_date,
    match_date, placed_date, adoption_date, decision_ceased_date, decision_ceased_reason
    (``RD1``-``RD4``), foster_care (bool: adopted by their foster carers), number_adopters,
    sex_adopters (``MF``/``MM``/``FF``/``M1``/``F1``), ls_adopters (``L0``...``L4``). Dates after
    the window are NaT.
social_workers
    child_id, sw_id (``SW`` + digits), start_date, end_date, reason (SSDA903 SW_REASON of the
    change: ``FCONTA`` first contact, ``MANAGE``, ``LEFTRL``, ...), referral_id.
previous_permanence
    child_id, period_id, prev_perm (``P1`` adoption, ``P2`` special guardianship,
    ``P3``/``P4`` child arrangements order, ``Z1`` none or not known), la_perm (3-digit LA
    code or ``None``), date_perm (date or NaT).
visits
    child_id, kind (``cp`` statutory child protection visit, ``cla`` social worker visit to
    a child looked after, ``cin`` child seen on an assessment or child in need plan,
    ``iro`` independent reviewing officer's contact before a review), visit_date,
    seen_alone (bool). Timescales and sources in ``synth.visits``; one row per child, kind
    and day.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from d2i_examples.synth.annual import AnnualMixin
from d2i_examples.synth.calendar import NAT, add_years, collection_bounds, day, to_datetime
from d2i_examples.synth.care import CareMixin
from d2i_examples.synth.cases import LEAD, CaseMixin
from d2i_examples.synth.draws import Ids, choice, referral_age_days, upns
from d2i_examples.synth.postcodes import postcode_pools
from d2i_examples.synth.profile import DEFAULT_PROFILE, LAProfile
from d2i_examples.synth.short_breaks import short_break_children
from d2i_examples.synth.visits import return_interviews, simulate_visits

_DISABILITIES = ["MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT"]
_DIS_P = np.array([0.05, 0.03, 0.03, 0.02, 0.12, 0.15, 0.03, 0.03, 0.20, 0.06, 0.28])


@dataclass
class Journeys:
    """Everything that happened to one synthetic authority's children (see module doc)."""

    profile: LAProfile
    seed: int
    start_year: int
    end_year: int
    children: pd.DataFrame
    contacts: pd.DataFrame
    early_help: pd.DataFrame
    referrals: pd.DataFrame
    assessments: pd.DataFrame
    s47: pd.DataFrame
    cin_plans: pd.DataFrame
    cp_plans: pd.DataFrame
    cp_reviews: pd.DataFrame
    care_periods: pd.DataFrame
    episodes: pd.DataFrame
    cla_reviews: pd.DataFrame
    missing: pd.DataFrame
    health_checks: pd.DataFrame
    cla_outcomes: pd.DataFrame
    care_leavers: pd.DataFrame
    adoption: pd.DataFrame
    social_workers: pd.DataFrame
    previous_permanence: pd.DataFrame
    visits: pd.DataFrame

    @property
    def window_start(self) -> pd.Timestamp:
        return pd.Timestamp(f"{self.start_year - 1}-04-01")

    @property
    def window_end(self) -> pd.Timestamp:
        return pd.Timestamp(f"{self.end_year}-03-31")

    def tables(self) -> dict[str, pd.DataFrame]:
        """The event tables by name, in the order of the module docstring."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if isinstance(getattr(self, f.name), pd.DataFrame)}


# ----------------------------------------------------------------------------------
# the simulation


def simulate(profile: LAProfile = DEFAULT_PROFILE, seed: int = 0, start_year: int = 2024,
             end_year: int = 2026) -> Journeys:
    """Simulate collection years ``start_year``..``end_year`` (each ending 31 March) of
    one synthetic authority, reproducibly from ``seed``. See the module docstring for the
    tables and their columns.
    """
    if end_year < start_year:
        raise ValueError(f"end_year ({end_year}) is before start_year ({start_year})")
    return _Simulation(profile, seed, start_year, end_year).run()


class _Simulation(CaseMixin, CareMixin, AnnualMixin):
    def __init__(self, profile: LAProfile, seed: int, start_year: int, end_year: int):
        self.p = profile
        self.seed = int(seed)
        self.rng = np.random.default_rng(self.seed)
        self.start_year, self.end_year = start_year, end_year
        self.window_start = collection_bounds(start_year)[0]
        self.horizon = collection_bounds(end_year)[1]
        self.t0 = day(f"{start_year - 1 - profile.history_years}-04-01")
        self.years = (self.horizon - self.t0 + 1) / 365.25
        self.scale = profile.population_0_17 / 10_000
        self.ids = Ids()
        self.pools = postcode_pools(profile)

    # -- people --------------------------------------------------------------------

    def _ethnicity(self, n: int) -> np.ndarray:
        pop = self.p.population_ethnicity
        w = {k: v * self.p.ethnicity_risk.get(k[0], 1.0) for k, v in pop.items()}
        return choice(self.rng, w, n)

    def _people(self, first_date: np.ndarray, age_days: np.ndarray, uasc: np.ndarray):
        rng, n = self.rng, len(first_date)
        dob = first_date - age_days
        sex = np.where(rng.random(n) < self.p.male_share, "M", "F").astype(object)
        eth = self._ethnicity(n)
        if uasc.any():
            sex[uasc] = np.where(rng.random(uasc.sum()) < 0.93, "M", "F")
            eth[uasc] = choice(rng, self.p.uasc_ethnicity, int(uasc.sum()))
        disabled = (rng.random(n) < self.p.disabled_share) & ~uasc
        n_dis = np.where(disabled, 1 + rng.poisson(0.4, n), 0)
        dis = np.full(n, "NONE", dtype=object)
        for i in np.flatnonzero(disabled):
            codes = rng.choice(len(_DISABILITIES), size=min(n_dis[i], 3), replace=False,
                               p=_DIS_P / _DIS_P.sum())
            dis[i] = ",".join(_DISABILITIES[c] for c in sorted(codes))
        home = self.pools["home"]["postcode"].to_numpy()
        home_pc = home[rng.integers(0, len(home), n)].astype(object)
        home_pc[uasc] = None
        return {"dob": dob, "sex": sex, "ethnicity": eth, "disabled": disabled,
                "disabilities": dis, "uasc": uasc, "home_postcode": home_pc,
                "first_seen": first_date}

    def _expected_referrals_per_child(self) -> float:
        """Mean number of referrals a referred child has before 18 (a fixed-seed pilot of
        the re-referral chain with typical case lengths), to turn the profile's referral
        rate into an arrival rate of new children."""
        rng = np.random.default_rng(20240331)
        n = 20_000
        age = referral_age_days(rng, n).astype(float)
        frailty = rng.gamma(self.p.recontact_frailty_shape, 1 / self.p.recontact_frailty_shape, n)
        t = age.copy()
        count = np.zeros(n)
        alive = np.ones(n, bool)
        while alive.any():
            count += alive
            case = rng.exponential(260, n)
            gap = rng.exponential(self.p.recontact_gap_years * 365.25 / frailty)
            t = t + case + gap
            alive &= t < 18 * 365.25
        return float(count.mean())

    # -- run -------------------------------------------------------------------------

    def run(self) -> Journeys:
        p, rng = self.p, self.rng
        uasc_rate = p.entering_care_per_10k * p.uasc_share_of_starters * self.scale
        refs_per_child = self._expected_referrals_per_child()
        new_rate = p.referrals_per_10k * self.scale / refs_per_child

        # referred children
        # referrals run on past the horizon so that contacts before them fill the last
        # year as fully as the others (only what is dated by the horizon is kept)
        n_ref = rng.poisson(new_rate * (self.years + LEAD / 365.25))
        first_ref = rng.integers(self.t0, self.horizon + LEAD + 1, n_ref)
        age_days = referral_age_days(rng, n_ref)
        age_days = np.maximum(age_days.astype(np.int64), 1)
        # UASC: arrive aged 14-17, mostly 16
        n_u = rng.poisson(uasc_rate * self.years)
        first_u = rng.integers(self.t0, self.horizon + 1, n_u)
        age_u = (rng.triangular(14.0, 16.3, 17.7, n_u) * 365.25).astype(np.int64)
        # children with contacts only: the contacts not explained by referrals
        extra_per_ref = 0.8  # earlier contacts that preceded a referral
        co_rate = max(p.contacts_per_10k - p.referrals_per_10k * (1 + extra_per_ref), 0)
        n_co = rng.poisson(co_rate * self.scale / 1.25 * self.years)
        first_co = rng.integers(self.t0, self.horizon + 1, n_co)
        age_co = referral_age_days(rng, n_co)
        age_co = np.maximum(age_co.astype(np.int64), 1)

        first = np.concatenate([first_ref, first_u, first_co])
        ages = np.concatenate([age_days, age_u, age_co])
        uasc = np.concatenate([np.zeros(n_ref, bool), np.ones(n_u, bool), np.zeros(n_co, bool)])
        kind = np.concatenate([np.zeros(n_ref, int), np.ones(n_u, int), np.full(n_co, 2)])
        # order children by first appearance so IDs run in time order
        order = np.lexsort((rng.random(len(first)), first))
        first, ages, uasc, kind = first[order], ages[order], uasc[order], kind[order]
        self.people = self._people(first, ages, uasc)
        self.n_children = len(first)
        self.child_ids = np.array([f"SYN{i:06d}" for i in range(1, self.n_children + 1)],
                                  dtype=object)
        self.kind = kind

        self.rows: dict[str, list[dict]] = {}
        self._contact_only_children(np.flatnonzero(kind == 2))
        self._referral_chains(np.flatnonzero(kind != 2))
        return self._finish()

    # -- assembling -----------------------------------------------------------------------

    def _append(self, table: str, **cols) -> None:
        n = {len(np.atleast_1d(v)) for v in cols.values()}
        if n == {0}:
            return
        self.rows.setdefault(table, []).append(cols)

    def _frame(self, table: str, columns: list[str], dates: list[str]) -> pd.DataFrame:
        parts = self.rows.get(table, [])
        data = {c: np.concatenate([np.asarray(part[c]) for part in parts]) if parts else []
                for c in columns}
        df = pd.DataFrame(data, columns=columns)
        for c in dates:
            df[c] = to_datetime(df[c].to_numpy(dtype=np.int64)) if len(df) else pd.Series(
                [], dtype="datetime64[ns]")
        return df

    def _finish(self) -> Journeys:
        pe = self.people
        children = pd.DataFrame({
            "child_id": self.child_ids,
            "sex": pe["sex"],
            "dob": to_datetime(pe["dob"]),
            "ethnicity": pe["ethnicity"],
            "upn": upns(self.p.la_code, pe["dob"]),
            "disabilities": pe["disabilities"],
            "disabled": pe["disabled"],
            "uasc": pe["uasc"],
            "uasc_ceased": to_datetime(np.where(pe["uasc"], add_years(pe["dob"], 18), NAT)),
            "home_postcode": pe["home_postcode"],
            "first_child_dob": pd.Series(pd.NaT, index=range(self.n_children), dtype="datetime64[ns]"),
            "first_seen": to_datetime(pe["first_seen"]),
        })
        t = {}
        spec = {
            "contacts": (["child_id", "contact_id", "contact_date", "source", "outcome", "referral_id"], ["contact_date"]),
            "early_help": (["child_id", "early_help_id", "start_date", "end_date", "organisation", "contact_id"], ["start_date", "end_date"]),
            "referrals": (["child_id", "referral_id", "contact_id", "referral_date", "source", "nfa", "primary_need", "closure_date", "closure_reason", "case_number"], ["referral_date", "closure_date"]),
            "assessments": (["child_id", "assessment_id", "referral_id", "start_date", "authorisation_date", "factors", "child_seen", "needs_support"], ["start_date", "authorisation_date"]),
            "s47": (["child_id", "s47_id", "referral_id", "start_date", "icpc_target_date", "icpc_date", "icpc_not_required", "cp_plan", "end_date"], ["start_date", "icpc_target_date", "icpc_date", "end_date"]),
            "cin_plans": (["child_id", "cin_plan_id", "referral_id", "start_date", "end_date"], ["start_date", "end_date"]),
            "cp_plans": (["child_id", "cp_plan_id", "referral_id", "start_date", "end_date", "initial_category", "latest_category", "previous_plans"], ["start_date", "end_date"]),
            "cp_reviews": (["child_id", "cp_plan_id", "review_date"], ["review_date"]),
            "care_periods": (["child_id", "period_id", "start_date", "end_date", "reason_ceased", "route", "referral_id", "cin_code", "permanence_plan"], ["start_date", "end_date"]),
            "episodes": (["child_id", "period_id", "episode_number", "decom", "rne", "ls", "cin", "place", "place_provider", "dec", "rec", "reason_place_change", "home_post", "pl_post", "urn"], ["decom", "dec"]),
            "cla_reviews": (["child_id", "period_id", "review_date", "review_code"], ["review_date"]),
            "missing": (["child_id", "period_id", "missing_type", "start_date", "end_date"], ["start_date", "end_date"]),
            "health_checks": (["child_id", "period_id", "check", "check_date"], ["check_date"]),
            "adoption": (["child_id", "period_id", "decision_date", "placement_order_date", "match_date", "placed_date", "adoption_date", "decision_ceased_date", "decision_ceased_reason", "foster_care", "number_adopters", "sex_adopters", "ls_adopters"], ["decision_date", "placement_order_date", "match_date", "placed_date", "adoption_date", "decision_ceased_date"]),
            "social_workers": (["child_id", "sw_id", "start_date", "end_date", "reason", "referral_id"], ["start_date", "end_date"]),
        }
        for name, (cols, dates) in spec.items():
            t[name] = self._frame(name, cols, dates)
        # end dates past the horizon are open
        for name, col in (("early_help", "end_date"), ("cin_plans", "end_date"), ("cp_plans", "end_date"),
                          ("assessments", "authorisation_date"), ("s47", "icpc_date"),
                          ("s47", "end_date")):
            t[name].loc[t[name][col] > pd.Timestamp(self.horizon_ts), col] = pd.NaT
        t["s47"].loc[t["s47"]["icpc_date"].isna(), "cp_plan"] = False
        sort_keys = {"contacts": "contact_date", "early_help": "start_date", "referrals": "referral_date",
                     "assessments": "start_date", "s47": "start_date", "cin_plans": "start_date",
                     "cp_plans": "start_date", "cp_reviews": "review_date", "care_periods": "start_date",
                     "episodes": "decom", "cla_reviews": "review_date", "missing": "start_date",
                     "health_checks": "check_date", "adoption": "decision_date",
                     "social_workers": "start_date"}
        for name, key in sort_keys.items():
            t[name] = t[name].sort_values(["child_id", key], kind="stable").reset_index(drop=True)
        t["episodes"]["episode_number"] = t["episodes"].groupby("child_id").cumcount() + 1
        t["cp_plans"]["previous_plans"] = t["cp_plans"].groupby("child_id").cumcount()
        first_contact = t["contacts"].groupby("child_id")["contact_date"].min()
        children = children[children["child_id"].isin(first_contact.index)].reset_index(drop=True)
        children["first_seen"] = children["child_id"].map(first_contact)
        t["children"] = children
        self._mothers(t)
        t["cla_outcomes"] = self._cla_outcomes(t)
        t["care_leavers"] = self._care_leavers(t)
        t["previous_permanence"] = self._previous_permanence(t)
        t["missing"] = return_interviews(t["missing"], self.seed)
        t["visits"] = simulate_visits(t, self.seed, self.horizon)
        # last, on a random stream of their own: children under a series of short breaks
        t.update(short_break_children(t, self.p, self.seed, self.horizon_ts))
        return Journeys(profile=self.p, seed=self.seed, start_year=self.start_year,
                        end_year=self.end_year, **t)

    @property
    def horizon_ts(self) -> pd.Timestamp:
        return to_datetime(np.array([self.horizon]))[0]
