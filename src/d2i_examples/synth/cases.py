"""Contacts, referrals and what follows them: the children's social care case.

Part of the simulation (``synth.simulate``): ``CaseMixin`` holds the methods of the
simulation that create contacts, early help, referrals, assessments, section 47 enquiries,
child protection conferences and plans, child in need plans and allocated social workers,
and send some children into care (``synth.care``).
"""

from __future__ import annotations

import numpy as np

from d2i_examples.synth.calendar import NAT, add_working_days, add_years, next_31_march
from d2i_examples.synth.draws import (
    REFERRAL_AGE,
    choice,
    cumsum_by,
    first_of_group,
    lognormal,
    rank_in_group,
    strictly_increasing,
)

_MEAN_AGE_RISK = float(np.dot(REFERRAL_AGE, [2.6] + [1.0] * 4 + [0.7] * 5 + [0.95] * 6 + [1.0] * 2))
LEAD = 550  # days simulated past the horizon for contacts that precede later referrals
_CP_CATEGORY = {"NEG": 0.52, "EMO": 0.36, "PHY": 0.06, "SAB": 0.03, "MUL": 0.03}
_FACTORS = ["1B", "2B", "3A", "3B", "4A", "4B", "5A", "6A", "8B", "9A", "10A", "12A",
            "13A", "16A", "17A", "18B", "19B", "22A", "23A", "24A"]
_FACTOR_P = np.array([0.10, 0.11, 0.15, 0.26, 0.16, 0.30, 0.06, 0.04, 0.04, 0.01, 0.03,
                      0.05, 0.02, 0.03, 0.06, 0.15, 0.17, 0.08, 0.05, 0.03])
# Statutory timescales (Working Together to Safeguard Children): an assessment within 45
# working days of the referral, an initial child protection conference within 15 working
# days of the strategy discussion that started the section 47 enquiry.
ASSESSMENT_WORKING_DAYS = 45
ICPC_WORKING_DAYS = 15
# Spread (lognormal sigma) of those durations around the profile's medians: with the
# default medians about 83% of assessments (DfE, Children in need 2025) and about 80% of
# conferences finish in time.
ASSESSMENT_SIGMA = 0.62
ICPC_SIGMA = 0.4
# An enquiry with no conference is recorded as "ICPC not required" at the latest this many
# days after it started.
ICPC_DECISION_DAYS = 20
_SW_REASONS = {"MANAGE": 0.20, "LEFTRL": 0.30, "ORGRST": 0.08, "TSPROC": 0.25,
               "ABSENC": 0.07, "CHCHAN": 0.03, "PCCHAN": 0.03, "OTHERS": 0.04}


class CaseMixin:
    """Case methods of the simulation (state lives on the simulation object)."""

    # -- contacts that never become referrals ----------------------------------------

    def _contact_only_children(self, idx: np.ndarray) -> None:
        rng = self.rng
        n_contacts = 1 + rng.poisson(0.25, len(idx))
        child = np.repeat(idx, n_contacts)
        first = self.people["first_seen"][child]
        offset = np.where(first_of_group(child), 0, rng.integers(20, 400, len(child)))
        date = first + cumsum_by(offset, child)
        bday18 = add_years(self.people["dob"][child], 18)
        keep = (date <= self.horizon) & (date < bday18)
        self._add_contacts(child[keep], date[keep], referral_id=None)

    def _add_contacts(self, child, date, referral_id, source=None) -> np.ndarray:
        """Contacts; those without a referral go to early help or no further action."""
        rng, n = self.rng, len(child)
        cid = self.ids.take("CON", n)
        if source is None:
            source = choice(rng, self.p.referral_source, n)
        if referral_id is None:
            eh = rng.random(n) < self.p.early_help_share_of_other_contacts
            outcome = np.where(eh, "early_help", "nfa").astype(object)
            self._append("contacts", child_id=self.child_ids[child], contact_id=cid,
                         contact_date=date, source=source, outcome=outcome,
                         referral_id=np.full(n, None, dtype=object))
            self._add_early_help(child[eh], date[eh] + rng.integers(0, 15, eh.sum()), cid[eh])
        else:
            self._append("contacts", child_id=self.child_ids[child], contact_id=cid,
                         contact_date=date, source=source,
                         outcome=np.full(n, "referral", dtype=object), referral_id=referral_id)
        return cid

    def _add_early_help(self, child, start, contact_id) -> None:
        rng, n = self.rng, len(child)
        end = start + lognormal(rng, 35, 0.5, n, 5, 180)
        org = choice(rng, {"Synthshire Early Help Hub": 0.45, "School": 0.3,
                            "Health visiting": 0.1, "Family Hub": 0.15}, n)
        keep = start <= self.horizon
        self._append("early_help", child_id=self.child_ids[child[keep]],
                     early_help_id=self.ids.take("EH", int(keep.sum())),
                     start_date=start[keep], end_date=end[keep], organisation=org[keep],
                     contact_id=contact_id[keep])

    # -- referral chains ---------------------------------------------------------------

    def _referral_chains(self, idx: np.ndarray) -> None:
        rng, p = self.rng, self.p
        frailty = rng.gamma(p.recontact_frailty_shape, 1 / p.recontact_frailty_shape, len(idx))
        next_ref = self.people["first_seen"][idx].copy()
        dob = self.people["dob"][idx]
        bday18 = add_years(dob, 18)
        case_no = np.zeros(len(idx), np.int64)
        last_close = np.full(len(idx), NAT, np.int64)
        while True:
            act = np.flatnonzero((next_ref <= self.horizon + LEAD) & (next_ref < bday18 - 30))
            if act.size == 0:
                break
            # earlier contacts that did not lead to a referral, after the last case closed
            # (none for asylum-seeking children, who arrive on the day they are referred)
            n_prior = np.where(self.people["uasc"][idx[act]], 0, rng.poisson(0.8, act.size))
            pc_child = np.repeat(act, n_prior)
            lo = np.where(last_close[pc_child] == NAT, next_ref[pc_child] - 500,
                          last_close[pc_child] + 1)
            lo = np.maximum(lo, dob[pc_child] + 1)
            span = next_ref[pc_child] - lo
            ok = span > 2
            pc_date = lo[ok] + (rng.random(ok.sum()) * (span[ok] - 1)).astype(np.int64)
            keep = pc_date <= self.horizon
            self._add_contacts(idx[pc_child[ok]][keep], pc_date[keep], referral_id=None)
            ghost = next_ref[act] > self.horizon
            next_ref[act[ghost]] = np.iinfo(np.int64).max
            act = act[~ghost]
            if act.size == 0:
                continue
            case_no[act] += 1
            child = idx[act]
            end, stop = self._cases(child, next_ref[act], case_no[act])
            last_close[act] = end
            gap = rng.exponential(p.recontact_gap_years * 365.25 / frailty[act]).astype(np.int64)
            nxt = end + 1 + gap
            nxt[(end == NAT) | stop] = np.iinfo(np.int64).max
            next_ref[act] = nxt

    def _cases(self, child: np.ndarray, r: np.ndarray, case_no: np.ndarray):
        """One referral per child in ``child``: the whole case. Returns closure day (NAT if
        open at the horizon) and whether the child's chain stops (adopted, 18, moved)."""
        rng, p, n, H = self.rng, self.p, len(child), self.horizon
        dob = self.people["dob"][child]
        uasc = self.people["uasc"][child]
        bday18 = add_years(dob, 18)
        age = (r - dob) / 365.25

        ref_id = self.ids.take("REF", n)
        source = choice(rng, p.referral_source, n)
        source[uasc] = "8"
        contact_id = self._add_contacts(child, r, referral_id=ref_id, source=source)
        need = choice(rng, p.primary_need, n)
        nfa = ~uasc & (rng.random(n) < p.referral_nfa_share)
        go = ~nfa

        # assessment
        a_start = r + np.minimum(rng.geometric(0.45, n) - 1, 10)
        # section 47 -> ICPC -> CP plan; the assessment starts with the enquiry at the latest
        p_s47 = min(p.s47_share_of_referrals / (1 - p.referral_nfa_share), 0.95)
        s47 = go & ~uasc & (rng.random(n) < p_s47)
        s47_start = r + rng.integers(0, 3, n)
        a_start = np.where(s47, np.minimum(a_start, s47_start), a_start)
        a_wd = lognormal(rng, p.assessment_median_working_days, ASSESSMENT_SIGMA, n, 1, 200)
        a_auth = add_working_days(a_start, a_wd)
        # conferences are held on working days, counted from the strategy discussion
        icpc_wd = lognormal(rng, p.icpc_median_working_days, ICPC_SIGMA, n, 3, 35)
        icpc_date = add_working_days(s47_start, icpc_wd)
        icpc_date = self._chased_by_31_march(s47_start, icpc_date, ICPC_WORKING_DAYS, 5)
        # no conference (hence no plan) for a child about to turn 18
        icpc = s47 & (rng.random(n) < p.icpc_share_of_s47) & (icpc_date < bday18 - 14)
        # the assessment that runs alongside an enquiry is authorised at or after its
        # conference, so the census never holds the enquiry without its assessment
        a_auth = np.where(icpc, np.maximum(a_auth, icpc_date), a_auth)
        a_auth = self._chased_by_31_march(a_start, a_auth, ASSESSMENT_WORKING_DAYS, 10)
        a_auth = np.where(icpc, np.maximum(a_auth, icpc_date), a_auth)
        a_auth = np.minimum(a_auth, bday18 - 1)
        # an enquiry without a conference ends when it is decided that none is needed: with
        # its assessment's authorisation, or after ICPC_DECISION_DAYS at the latest
        s47_end = np.where(icpc, icpc_date, np.minimum(s47_start + ICPC_DECISION_DAYS, a_auth))
        # care routes (shares of non-UASC entrants: emergency 15%, via CP 30%, else 55%)
        # 1.1: referrals that cannot lead to care (too close to 18, already in care...)
        p_care = 1.1 * p.entering_care_per_10k * (1 - p.uasc_share_of_starters) / p.referrals_per_10k
        p_go = 1 - p.referral_nfa_share
        cp_per_ref = p.s47_share_of_referrals * p.icpc_share_of_s47 * p.cp_share_of_icpc
        # babies are far likelier, middle childhood less likely, to come into care
        age_risk = np.select([age < 1, age < 5, age < 10, age < 16], [2.6, 1.0, 0.7, 0.95], 1.0)
        p_care = p_care * age_risk / _MEAN_AGE_RISK
        emergency = go & ~uasc & (rng.random(n) < 0.15 * p_care / p_go)
        cp = icpc & ~emergency & (rng.random(n) < p.cp_share_of_icpc)
        cp_start = icpc_date
        cp_dur = lognormal(rng, p.cp_plan_median_days, 0.65, n, 20, 2200)
        from_cp = cp & (rng.random(n) < np.minimum(0.30 * p_care / cp_per_ref, 0.9))
        from_assess = go & ~uasc & ~emergency & ~cp & (
            rng.random(n) < 0.55 * p_care / (p_go - cp_per_ref))
        care = emergency | from_cp | from_assess | uasc
        care_start = np.full(n, NAT, np.int64)
        care_start[emergency] = r[emergency] + rng.integers(0, 2, emergency.sum())
        frac = rng.uniform(0.1, 0.9, n)
        care_start[from_cp] = (cp_start + frac * cp_dur).astype(np.int64)[from_cp]
        care_start[from_assess] = (a_start + frac * (a_auth - a_start)).astype(np.int64)[from_assess]
        care_start[uasc] = r[uasc]
        cp_end = np.where(from_cp, care_start, cp_start + cp_dur)
        # care cannot start within 60 days of the 18th birthday; such cases do not go to care
        late = care & (care_start > bday18 - 60)
        care &= ~late
        from_cp &= ~late
        cp_end = np.where(late & cp, cp_start + cp_dur, cp_end)
        need[care & np.isin(need, ["N9"])] = "N1"
        need[uasc] = "N8"
        remand = emergency & ~late & (age >= 12) & (rng.random(n) < 0.2)
        need[remand] = "N6"
        route = np.full(n, None, dtype=object)
        route[from_assess] = "assessment"
        route[from_cp] = "cp"
        route[emergency] = "emergency"
        route[remand] = "remand"
        route[uasc] = "uasc"
        route[~care] = None

        # care periods (outline: end and reason)
        ci = np.flatnonzero(care)
        care_end = np.full(n, NAT, np.int64)
        care_exit = np.full(n, None, dtype=object)
        if ci.size:
            c_end, c_exit = self._care_periods(child[ci], care_start[ci], route[ci],
                                                           ref_id[ci], need[ci])
            care_end[ci], care_exit[ci] = c_end, c_exit

        # CIN plans: after assessment for those needing help but not on a CP plan / in care
        cin = go & ~cp & ~care & ~uasc & (rng.random(n) < p.cin_plan_share_of_assessed)
        cin_start = a_auth + rng.integers(0, 8, n)
        cin_end = cin_start + lognormal(rng, p.cin_plan_median_days, 0.6, n, 30, 1500)
        # step-down CIN plans after a CP plan, or after a return home from care
        step_cp = cp & ~from_cp & (rng.random(n) < 0.55)
        home = care & np.isin(care_exit, ["E4A", "E4B", "E13"]) & (rng.random(n) < 0.35)
        step = step_cp | home
        step_start = np.where(step_cp, cp_end, care_end)
        step_end = step_start + lognormal(rng, 130, 0.5, n, 30, 700)

        # case end
        end = np.where(nfa, r, a_auth)
        end = np.where(cin, np.maximum(end, cin_end), end)
        end = np.where(icpc, np.maximum(end, icpc_date), end)
        end = np.where(cp, np.maximum(end, cp_end), end)
        end = np.where(care, np.maximum(end, care_end), end)
        end = np.where(step, np.maximum(end, step_end), end)
        end = np.minimum(end, bday18)
        open_ = (end > H) | (care & (care_end == NAT))
        end = np.where(open_, NAT, end)
        reason = np.full(n, "RC7", dtype=object)
        to_eh = go & ~cin & ~cp & ~care & ~icpc & (rng.random(n) < 0.3)
        reason[go & ~cin & ~cp & ~care & ~icpc] = "RC8"
        reason[to_eh] = "RC9"
        reason[np.isin(care_exit, ["E11", "E12"])] = "RC1"
        reason[np.isin(care_exit, ["E45", "E46", "E47", "E48"])] = "RC4"
        reason[care_exit == "E41"] = "RC3"
        reason[care_exit == "E3"] = "RC5"
        reason[open_] = None
        stop = np.isin(care_exit, ["E11", "E12", "E3", "E5", "E6", "E7", "E8", "E17", "E15", "E2"])
        stop |= (end != NAT) & (end >= bday18 - 30)
        stop |= uasc

        # --- record rows -------------------------------------------------------------
        self._append("referrals", child_id=self.child_ids[child], referral_id=ref_id,
                     contact_id=contact_id, referral_date=r, source=source, nfa=nfa,
                     primary_need=need, closure_date=end, closure_reason=reason,
                     case_number=case_no)
        a = go & (a_start <= H)
        n_a = int(a.sum())
        # "21" (no factors identified) only where the case closed after the assessment alone
        no_factors = (reason == "RC8") | (reason == "RC9")
        no_factors &= ~s47 & (rng.random(n) < 0.5)
        factors = self._factors(n)
        factors[no_factors] = "21"
        factors[~(a_auth <= H)] = None
        needs_support = cin | cp | care | icpc
        self._append("assessments", child_id=self.child_ids[child[a]],
                     assessment_id=self.ids.take("ASM", n_a), referral_id=ref_id[a],
                     start_date=a_start[a], authorisation_date=a_auth[a], factors=factors[a],
                     child_seen=rng.random(n)[a] < 0.97, needs_support=needs_support[a])
        eh_child = to_eh & (a_auth <= H)
        self._add_early_help(child[eh_child], a_auth[eh_child] + rng.integers(0, 10, eh_child.sum()),
                             np.full(int(eh_child.sum()), None, dtype=object))
        s = s47 & (s47_start <= H)
        self._append("s47", child_id=self.child_ids[child[s]], s47_id=self.ids.take("S47", int(s.sum())),
                     referral_id=ref_id[s], start_date=s47_start[s],
                     icpc_target_date=add_working_days(s47_start[s], ICPC_WORKING_DAYS),
                     icpc_date=np.where(icpc, icpc_date, NAT)[s],
                     icpc_not_required=(~icpc & (s47_end <= H))[s], cp_plan=cp[s],
                     end_date=s47_end[s])
        c = cin & (cin_start <= H) & (cin_start < bday18 - 7)
        self._append("cin_plans", child_id=self.child_ids[child[c]],
                     cin_plan_id=self.ids.take("CINP", int(c.sum())), referral_id=ref_id[c],
                     start_date=cin_start[c], end_date=np.minimum(cin_end, bday18)[c])
        st = step & (step_start <= H) & (step_start != NAT) & (step_start < bday18)
        self._append("cin_plans", child_id=self.child_ids[child[st]],
                     cin_plan_id=self.ids.take("CINP", int(st.sum())), referral_id=ref_id[st],
                     start_date=step_start[st], end_date=np.minimum(step_end, bday18)[st])
        k = cp & (cp_start <= H)
        n_k = int(k.sum())
        cp_ids = self.ids.take("CPP", n_k)
        init_cat = choice(rng, _CP_CATEGORY, n_k)
        latest = np.where(rng.random(n_k) < 0.9, init_cat, choice(rng, _CP_CATEGORY, n_k))
        k_end = np.minimum(cp_end, bday18 - 1)[k]
        self._append("cp_plans", child_id=self.child_ids[child[k]], cp_plan_id=cp_ids,
                     referral_id=ref_id[k], start_date=cp_start[k], end_date=k_end,
                     initial_category=init_cat, latest_category=latest,
                     previous_plans=np.zeros(n_k, np.int64))
        self._cp_reviews(child[k], cp_ids, cp_start[k], k_end)
        self._social_workers(child, ref_id, r, end)
        return end, stop

    def _chased_by_31_march(self, start, end, limit: int, last_days: int) -> np.ndarray:
        """Work still open on a 31 March about ``limit`` working days or more after it
        started (4 days' margin, so that no census query sees it overdue) is finished by
        that day: authorities chase overdue work before the census date, so late work is
        late but not left open at the year end. Such work ends on one of the last
        ``last_days`` working days up to 31 March."""
        march = next_31_march(start)
        overdue = (end > march) & (start <= add_working_days(march, -(limit - 4)))
        pick = self.rng.integers(0, last_days, len(start))
        chased = np.maximum(add_working_days(march + 1, -1 - pick), start + 1)
        return np.where(overdue, chased, end)

    def _factors(self, n: int) -> np.ndarray:
        """CIN assessment factor codes, at least one per assessment, joined by commas."""
        hit = self.rng.random((n, len(_FACTORS))) < _FACTOR_P
        fallback = self.rng.choice(len(_FACTORS), n, p=_FACTOR_P / _FACTOR_P.sum())
        hit[np.arange(n), fallback] |= ~hit.any(axis=1)
        out = np.empty(n, dtype=object)
        for i in range(n):
            out[i] = ",".join(_FACTORS[j] for j in np.flatnonzero(hit[i]))
        return out

    def _cp_reviews(self, child, cp_ids, start, end) -> None:
        """First review conference within three months of the plan, then every six."""
        rng = self.rng
        k = np.maximum(((end - start) - 90) // 182 + 1, 0)
        k = np.where(end - start > 90, k, 0)
        rep = np.repeat(np.arange(len(child)), k)
        nth = rank_in_group(rep)
        date = start[rep] + 85 + nth * 180 + rng.integers(-10, 6, len(rep))
        keep = (date < end[rep]) & (date <= self.horizon)
        self._append("cp_reviews", child_id=self.child_ids[child[rep[keep]]],
                     cp_plan_id=cp_ids[rep[keep]], review_date=date[keep])

    def _social_workers(self, child, ref_id, start, end) -> None:
        """Allocated social workers over each case: a change every ~9 months."""
        rng, n, H = self.rng, len(child), self.horizon
        last = np.where(end == NAT, H + 1, end)
        dur = np.maximum(last - start, 1)
        k = 1 + rng.poisson(dur / 270)
        rep = np.repeat(np.arange(n), k)
        nth = rank_in_group(rep)
        # change dates spread evenly over the case, jittered, strictly increasing
        frac = (nth + rng.uniform(0.2, 0.8, len(rep))) / k[rep]
        s = np.where(nth == 0, start[rep], start[rep] + (frac * dur[rep]).astype(np.int64))
        s = strictly_increasing(s, rep, step=7)
        keep = (s < last[rep] - 6) | (nth == 0)
        keep &= (s < last[rep]) & (s <= H)
        rep, s, nth = rep[keep], s[keep], nth[keep]
        e = np.empty_like(s)
        e[:-1] = s[1:]
        last_in_case = np.r_[rep[1:] != rep[:-1], True] if len(rep) else np.zeros(0, bool)
        e[last_in_case] = end[rep[last_in_case]]
        e = np.where(e > H, NAT, e)
        n_sw = max(int(self.scale * 6), 20)
        sw = np.array([f"SW{100000 + 37 * i:06d}" for i in range(n_sw)], dtype=object)
        sw_id = sw[rng.integers(0, n_sw, len(rep))]
        reason = np.where(nth == 0, "FCONTA", choice(rng, _SW_REASONS, len(rep))).astype(object)
        self._append("social_workers", child_id=self.child_ids[child[rep]], sw_id=sw_id,
                     start_date=s, end_date=e, reason=reason, referral_id=ref_id[rep])
