"""How often SEND things happen in the synthetic authority: requests for an EHC needs
assessment, decisions, plans issued, plans ceased.

Rates are per 10,000 children aged 0-17 of the authority (``LAProfile.population_0_17``),
like the rest of the profile, although EHC plans run to age 25: the published counts for
England are divided by England's children aged 0-17 (about 12.2 million, as in
``synth.profile``). Sources, rounded:

- Department for Education, *Education, health and care plans, reporting year 2025*
  (plans at January 2025, activity in calendar year 2024). The DfE's data set
  *Number of education, health (EHC) plans as at January each year* / *... by primary type
  of need* (England, 2024/25): 638,745 EHC plans at January 2025 (about 520 per 10,000
  children aged 0-17). The activity figures as the release was reported on publication
  (Polimapper, June 2025; Lancashire Guardian, July 2025, quoting the DfE figures; not
  read from the DfE tables themselves): 154,489 initial requests for an EHC needs
  assessment in 2024 (about 127 per 10,000), up 12% on 2023; 97,747 new plans (about 80
  per 10,000, 0.63 per request); 44,862 plans ceased (about 37 per 10,000); 46.4% of new
  plans issued within 20 weeks excluding exceptions, 46% in 20 to 52 weeks and 7% over a
  year.
- The same DfE data set by primary type of need (England, January 2025): autistic
  spectrum disorder 31.5%, speech, language and communication needs 21.3%, social,
  emotional and mental health 20.7%, moderate learning difficulty 10.6%, physical
  disability 3.9%, severe learning difficulty 3.9%, specific learning difficulty 2.4%,
  hearing impairment 1.4%, profound and multiple learning difficulty 1.3%, other 1.2%,
  vision impairment 0.8%, multi-sensory impairment 0.3% (Down syndrome suppressed; 0.8%
  need unknown, spread over the others here).

**Assumptions** (no national figure found offline when this was written; each is
labelled ``assumed`` where it is set):

- the shares of requests refused, withdrawn or moving away, and of assessments ending
  without a plan: set so that new plans per request come out near the published 0.63;
- how the weeks split between the stages, the share of assessments with an exception to
  the 20-week limit, who makes the request, ages at request, settings, the mix of reasons
  plans cease and the age plans end;
- how much likelier children known to children's social care are to have an EHC plan.
  DfE, *Outcomes for children in need, including children looked after* (reporting year
  2021, as summarised by Youth Employment UK) found children in need over twice as
  likely as all pupils to have a special educational need (almost half, against 16%). No
  figure for EHC plans in particular was found offline, so the multipliers for EHC plans
  (4 for children in need, 6 for children looked after) are assumptions in that
  direction, not published figures.

What the default profile gives (the SEN2 of January 2026 of the sample, seed 1):
about 540 active plans per 10,000 children aged 0-17, 114 requests and 74 new plans per
10,000 in 2025, 47% of new plans within 20 weeks excluding exceptions and 7.5% over 52
weeks. Ceased plans come out higher than published (about 60 per 10,000): requests are
assumed to have grown steadily at ``request_growth``, so more of the older plans end
each year than in England, where the growth of recent years was faster.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import exp, log
from statistics import NormalDist

# primary type of need of EHC plans, January 2025, England (EHC plans 2025)
PRIMARY_NEED: dict[str, float] = {
    "ASD": 31.5, "SLCN": 21.3, "SEMH": 20.7, "MLD": 10.6, "PD": 3.9, "SLD": 3.9,
    "SPLD": 2.4, "HI": 1.4, "PMLD": 1.3, "OTH": 1.2, "VI": 0.8, "MSI": 0.3,
}

# assumed: who asks for an EHC needs assessment (SEN2 RequestSource codes)
REQUEST_SOURCE: dict[str, float] = {"1": 0.35, "2": 0.50, "3": 0.08, "4": 0.03, "5": 0.04}
# assumed: the same for a child known to children's social care
REQUEST_SOURCE_SOCIAL_CARE: dict[str, float] = {
    "1": 0.25, "2": 0.45, "3": 0.08, "4": 0.18, "5": 0.04}

# assumed: age in years at the request (share by age band)
REQUEST_AGE: dict[tuple[int, int], float] = {
    (2, 4): 0.24, (5, 10): 0.42, (11, 15): 0.26, (16, 19): 0.08}

# assumed: why a plan ceases. At the end of education (``leaving``) or earlier (``early``).
CEASE_LEAVING: dict[str, float] = {"3": 0.15, "4": 0.20, "6": 0.30, "1": 0.10, "9": 0.25}
CEASE_EARLY: dict[str, float] = {"2": 0.40, "5": 0.35, "7": 0.10, "8": 0.02, "9": 0.13}
# assumed: the age a plan ends when the young person leaves education
LEAVING_AGE: dict[int, float] = {16: 0.06, 17: 0.06, 18: 0.14, 19: 0.28, 20: 0.14,
                                 21: 0.11, 22: 0.08, 23: 0.06, 24: 0.04, 25: 0.03}


@dataclass(frozen=True)
class SendProfile:
    """SEND rates of one synthetic authority (see the module docstring for sources)."""

    requests_per_10k: float = 127.0       # EHC plans 2025: 154,489 requests in 2024
    request_growth: float = 0.06          # a year, assumed over the span (EHC plans 2025: requests up 12% on 2023)
    refused_share: float = 0.22           # assumed: requests the authority decides not to assess
    withdrawn_share: float = 0.02         # assumed: withdrawn before a decision
    moved_share: float = 0.01             # assumed: moved away before a decision
    not_issued_share: float = 0.05        # assumed: assessments ending without a plan
    # EHC plans 2025: new plans issued within 20 weeks (excluding exceptions), and over 52
    within_20_weeks_share: float = 0.464
    over_52_weeks_share: float = 0.07
    exception_share: float = 0.08         # assumed: assessments with a 20-week exception
    decision_median_weeks: float = 5.5    # assumed: request to the decision whether to assess
    # assumed: of the weeks from the decision to assess to the final plan, the share taken
    # by the assessment (to the decision to issue); the rest is drafting and consultation
    assessment_share_of_rest: float = 0.6
    early_cease_per_year: float = 0.015   # assumed: plans ceasing before the end of education
    ehcp_multiplier_cin: float = 4.0      # assumed (see module docstring)
    ehcp_multiplier_cla: float = 6.0      # assumed (see module docstring)
    primary_need: dict[str, float] = field(default_factory=lambda: dict(PRIMARY_NEED))
    secondary_need_share: float = 0.4     # assumed: plans naming a secondary need too

    def weeks_to_final(self) -> tuple[float, float]:
        """Median and log-sd of a lognormal number of weeks from request to final plan
        that puts ``within_20_weeks_share`` at or under 20 weeks and
        ``over_52_weeks_share`` over 52 (plans without an exception)."""
        z20 = NormalDist().inv_cdf(self.within_20_weeks_share)
        z52 = NormalDist().inv_cdf(1 - self.over_52_weeks_share)
        sigma = log(52 / 20) / (z52 - z20)
        median = 20 / exp(z20 * sigma)
        return median, sigma


DEFAULT_SEND_PROFILE = SendProfile()
