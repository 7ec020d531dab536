"""Periods of care: legal statuses, placements, episodes and what happens while in care.

Part of the simulation (``synth.simulate``): ``CareMixin`` outlines each period of care
(how and when it ends), cuts it into SSDA903 episodes (a new episode at every change of
legal status or placement), and adds reviews, missing spells, health checks and adoption.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from d2i_examples.spec.ssda903 import TEMPORARY_PLACEMENTS
from d2i_examples.synth.calendar import NAT, add_years, age_on
from d2i_examples.synth.draws import choice, lognormal, rank_in_group

_AGE18_EXITS = {
    "foster": {"E17": 0.45, "E5": 0.33, "E6": 0.12, "E8": 0.05, "E7": 0.05},
    "other": {"E5": 0.55, "E6": 0.30, "E8": 0.08, "E7": 0.07},
}
_FOSTER = ["U1", "U2", "U3", "U4", "U5", "U6"]
_TEMPORARY = sorted(TEMPORARY_PLACEMENTS)
_NO_URN = {"P1", "P3", "R1", "R2", "R5", *_TEMPORARY}
_MOVE_REASONS = {"CARPL": 0.38, "CREQB": 0.14, "CREQO": 0.10, "CHILD": 0.08, "LAREQ": 0.10,
                 "CLOSE": 0.04, "ALLEG": 0.03, "STAND": 0.03, "OTHER": 0.10}
_REVIEW_CODES = {"PN1": 0.42, "PN2": 0.10, "PN3": 0.05, "PN4": 0.18, "PN5": 0.15,
                 "PN6": 0.07, "PN7": 0.03}


# Ofsted Annex A, List 8, "What is the permanence plan for this child?": the values of
# the Annex A template.
PERMANENCE_PLANS = ("Return to family", "Adoption", "SGO/CAO",
                    "Supported living in the community", "Long-term residential placement",
                    "Long-term fostering", "Other")
_PLAN_BY_EXIT = {"E11": "Adoption", "E12": "Adoption", "E41": "SGO/CAO", "E45": "SGO/CAO",
                 "E46": "SGO/CAO", "E47": "SGO/CAO", "E48": "SGO/CAO",
                 "E4A": "Return to family", "E13": "Return to family",
                 "E17": "Long-term fostering"}
_PLAN_BY_PLACEMENT = {**dict.fromkeys(_FOSTER, "Long-term fostering"),
                      **dict.fromkeys(["K1", "K2", "R1", "R2", "S1"],
                                      "Long-term residential placement"),
                      **dict.fromkeys(["K3", "H5", "P2"], "Supported living in the community"),
                      "P1": "Return to family"}


def permanence_plan(final_exit: np.ndarray, to_18: np.ndarray,
                    final_place: np.ndarray) -> np.ndarray:
    """The permanence plan of each period of care, from how it ends: adoption; special
    guardianship or a child arrangements order (SGO/CAO); a planned return home (E4A, E13);
    staying put (E17, long-term fostering). A child who stays until 18 or goes home
    unplanned (E4B) had the plan of the placement they were in at the end: long-term
    fostering, residential or supported living (placed with parents: return to family).
    Anything else (another authority, custody, remand, age assessment) is "Other"."""
    plan = pd.Series(final_exit).map(_PLAN_BY_EXIT).to_numpy(dtype=object)
    by_place = pd.Series(final_place).map(_PLAN_BY_PLACEMENT).fillna("Other").to_numpy()
    use_place = (to_18 & ~np.isin(final_exit, ["E17"])) | (final_exit == "E4B")
    plan = np.where(use_place, by_place, plan)
    return np.where(pd.isna(plan), "Other", plan).astype(object)


class CareMixin:
    """Care methods of the simulation (state lives on the simulation object)."""

    # -- care ---------------------------------------------------------------------------

    def _care_periods(self, child, start, route, ref_id, need):
        """Outline each period of care (end day and reason) and build its episodes.

        Returns the end day (NAT while open at the horizon) and reason ceased (None while
        open) of each period."""
        rng, p, n, H = self.rng, self.p, len(child), self.horizon
        dob = self.people["dob"][child]
        uasc = route == "uasc"
        bday18 = add_years(dob, 18)
        age = age_on(dob, start)
        band = np.select([age < 5, age < 12, age < 16], ["0-4", "5-11", "12-15"], "16-17")
        exit_ = np.empty(n, dtype=object)
        for b in ("0-4", "5-11", "12-15", "16-17"):
            m = band == b
            exit_[m] = choice(rng, p.care_exit[b], int(m.sum()))
        exit_[uasc] = choice(rng, {"AGE18": 0.9, "E15": 0.04, "E8": 0.03, "E4B": 0.03},
                              int(uasc.sum()))
        remand = route == "remand"
        exit_[remand] = choice(rng, {"E14": 0.6, "E9": 0.25, "E4A": 0.15}, int(remand.sum()))
        dur = lognormal(rng, p.short_care_median_days, 1.0, n, 3, 2500)
        dur = np.where(np.isin(exit_, ["E11", "E12"]), lognormal(rng, 720, 0.25, n, 450, 2000), dur)
        dur = np.where(np.isin(exit_, ["E45", "E46", "E47", "E48"]),
                       lognormal(rng, 480, 0.4, n, 150, 2500), dur)
        dur = np.where(exit_ == "E41", lognormal(rng, 380, 0.5, n, 60, 2500), dur)
        dur = np.where(exit_ == "E15", rng.integers(20, 180, n), dur)
        dur = np.where(remand, rng.integers(10, 100, n), dur)
        end = start + dur
        to18 = (exit_ == "AGE18") | (end >= bday18)
        exit_[to18] = "AGE18"
        end = np.where(to18, bday18, end)
        period_id = self.ids.take("PER", n)
        final_exit, plan = self._episodes(child, period_id, start, end, exit_, route, need, dob,
                                          band)
        observed_end = np.where(end > H, NAT, end)
        observed_exit = np.where(end > H, None, final_exit)
        keep = start <= H
        self._append("care_periods", child_id=self.child_ids[child[keep]],
                     period_id=period_id[keep], start_date=start[keep],
                     end_date=observed_end[keep], reason_ceased=observed_exit[keep],
                     route=route[keep], referral_id=ref_id[keep], cin_code=need[keep],
                     permanence_plan=plan[keep])
        return observed_end, observed_exit

    def _episodes(self, child, period_id, start, end, exit_, route, need, dob, band):
        """Legal statuses and placements over each period, cut into SSDA903 episodes.

        Returns the reason ceased of each period (AGE18 resolved to E5/E6/E7/E8/E17) and
        its permanence plan (:func:`permanence_plan`)."""
        rng, p, n, H = self.rng, self.p, len(child), self.horizon
        uasc = route == "uasc"
        remand = route == "remand"
        emergency = route == "emergency"
        adopt = np.isin(exit_, ["E11", "E12"])
        foster_only = adopt | np.isin(exit_, ["E45", "E46"])
        dur = end - start
        age0 = (start - dob) / 365.25

        # ---- legal status changes: (period index, day, code)
        # No care order at 17. Children Act 1989 s31(3): "No care order or supervision order
        # may be made with respect to a child who has reached the age of seventeen (or
        # sixteen, in the case of a child who is married)"; s31(11) counts an interim care
        # order (C1) as a care order, so neither C1 nor C2 may start on or after the 17th
        # birthday (no child here is married). A full care order made before 17 lasts to 18
        # (s91(12)), but an interim one cannot outlive the 17th birthday (Re Q (Child:
        # Interim Care Order: Jurisdiction) [2019] EWHC 512 (Fam)). A child of 17 whom the
        # draws below would put on an interim care order is accommodated under section 20
        # instead (V2): s20 covers every child under 18, and s20(3) obliges the authority to
        # accommodate a child in need of 16 or 17 whose welfare would otherwise be seriously
        # prejudiced. Police protection (L1), emergency protection orders (L2) and remand (J1)
        # apply to any child under 18 and are left alone. The overrides below draw nothing,
        # but they change episodes and placements (P1 needs a care order), so later draws
        # sized by those (missing spells, providers) and the rest of the stream shift.
        bday17 = add_years(dob, 17)
        # short stays are mostly voluntary (section 20); long ones mostly under court orders
        short = np.isin(exit_, ["E4A", "E4B", "E13", "E8", "E3"])
        ls0 = np.where(rng.random(n) < np.where(short, 0.4, 0.85), "C1", "V2").astype(object)
        ls0[adopt | (np.isin(exit_, ["E45", "E46", "E47", "E48"]) & (rng.random(n) < 0.85))] = "C1"
        ls0[(age0 >= 16) & ~adopt & (rng.random(n) < 0.5)] = "V2"
        ls0[(start >= bday17) & (ls0 == "C1")] = "V2"  # s31(3)
        ls0[emergency] = np.where(rng.random(emergency.sum()) < 0.6, "L1", "L2")
        ls0[remand] = "J1"
        ls0[uasc] = "V2"
        ls_idx, ls_day, ls_code = [np.arange(n)], [start], [ls0]
        # emergency powers end after 1-2 days (police) or up to 8 days (EPO)
        em_len = np.where(ls0 == "L1", rng.integers(1, 3, n), rng.integers(3, 9, n))
        em_next = np.where(rng.random(n) < 0.7, "C1", "V2").astype(object)
        em_next[adopt] = "C1"
        em_next[start + em_len >= bday17] = "V2"  # s31(3)
        m = emergency & (em_len < dur - 1)
        ls_idx.append(np.flatnonzero(m)); ls_day.append((start + em_len)[m]); ls_code.append(em_next[m])
        after_em = np.where(emergency, em_next, ls0)
        base = np.where(emergency, start + em_len, start)
        # section 20 turning into an interim care order for some longer stays
        v2c1 = (after_em == "V2") & ~uasc & (dur > 200) & (rng.random(n) < 0.6)
        v2c1_day = base + rng.integers(30, 180, n)
        m = v2c1 & (v2c1_day < end - 30) & (v2c1_day < bday17)  # s31(3)
        ls_idx.append(np.flatnonzero(m)); ls_day.append(v2c1_day[m]); ls_code.append(np.full(m.sum(), "C1", dtype=object))
        c1_from = np.where(m, v2c1_day, np.where(after_em == "C1", base, NAT))
        # final hearing: interim care order becomes a full care order (or placement order)
        final = c1_from + lognormal(rng, 290, 0.25, n, 120, 700)

        # adoption timeline
        a_date = end
        placed = a_date - rng.integers(180, 320, n)
        match = placed - rng.integers(7, 45, n)
        decision = start + ((match - start) * rng.uniform(0.35, 0.6, n)).astype(np.int64)
        order_day = decision + ((match - decision) * rng.uniform(0.15, 0.7, n)).astype(np.int64)
        m = adopt & (c1_from != NAT)
        final = np.where(adopt, order_day, final)
        ok_final = (c1_from != NAT) & (final < end - 30) & (final > c1_from + 20)
        ok_final &= final < bday17  # s31(3): no full care order from the 17th birthday
        ok_final |= adopt
        m = ok_final & ~uasc
        ls_idx.append(np.flatnonzero(m)); ls_day.append(final[m])
        ls_code.append(np.where(adopt, "E1", "C2")[m].astype(object))
        # an interim order still in force on the 17th birthday lapses that day (Re Q): the
        # proceedings cannot end in a care order, and a young person still in care stays
        # under section 20 from the birthday
        lapse = (c1_from != NAT) & ~ok_final & (bday17 < end)
        ls_idx.append(np.flatnonzero(lapse)); ls_day.append(bday17[lapse])
        ls_code.append(np.full(lapse.sum(), "V2", dtype=object))

        ls_ev = pd.DataFrame({"i": np.concatenate(ls_idx), "day": np.concatenate(ls_day),
                              "ls": np.concatenate(ls_code)})

        # ---- placements: first, moves, adoption placement
        first = np.empty(n, dtype=object)
        for b in ("0-4", "5-11", "12-15", "16-17"):
            mb = band == b
            first[mb] = choice(rng, p.first_placement[b], int(mb.sum()))
        fost = choice(rng, {"U4": 0.3, "U5": 0.15, "U6": 0.55}, n)
        bad_first = (foster_only & ~np.isin(first, _FOSTER)) | ((first == "P1") & (ls0 != "C1"))
        bad_first |= (first == "R3") & (age0 >= 1)
        first = np.where(bad_first, fost, first)
        u_age = uasc & (age0 >= 16)
        first[uasc] = np.where(u_age[uasc] & (rng.random(uasc.sum()) < 0.6), "K3",
                               fost[uasc])
        first[remand] = np.where(rng.random(remand.sum()) < 0.4, "K1", fost[remand])

        years = dur / 365.25
        teen = age0 >= 11
        rate = p.placement_moves_per_year * np.where(teen, 1.4, 0.8)
        n_moves = rng.poisson(rate * np.minimum(years, 6) + np.where(dur > 30, 0.25, 0))
        n_moves = np.where(remand | (dur < 10), 0, n_moves)
        mv_i = np.repeat(np.arange(n), n_moves)
        last_move_day = np.where(adopt, placed - 10, end - 3)
        lo = start[mv_i] + 3
        hi = last_move_day[mv_i]
        ok = hi > lo + 2
        mv_i = mv_i[ok]
        mv_day = lo[ok] + (rng.random(ok.sum()) * (hi[ok] - lo[ok])).astype(np.int64)
        mv_age = (mv_day - dob[mv_i]) / 365.25
        mv_band = np.select([mv_age < 5, mv_age < 12, mv_age < 16], ["0-4", "5-11", "12-15"], "16-17")
        mv_place = np.empty(len(mv_i), dtype=object)
        for b in ("0-4", "5-11", "12-15", "16-17"):
            mb = mv_band == b
            probs = {k: v for k, v in p.first_placement[b].items() if k != "R3"}
            mv_place[mb] = choice(rng, probs, int(mb.sum()))
        mv_fost = choice(rng, {"U4": 0.3, "U5": 0.15, "U6": 0.55}, len(mv_i))
        mv_place = np.where(foster_only[mv_i] & ~np.isin(mv_place, _FOSTER), mv_fost, mv_place)
        # under-16 UASC in foster care or a home; 16+ may move to supported accommodation
        pl_ev = pd.DataFrame({
            "i": np.concatenate([np.arange(n), mv_i]),
            "day": np.concatenate([start, mv_day]),
            "place": np.concatenate([first, mv_place]),
        })
        ad = np.flatnonzero(adopt)
        ad_place = np.where(rng.random(ad.size) < 0.25, "A5", "A6").astype(object)
        pl_ev = pd.concat([pl_ev, pd.DataFrame({"i": ad, "day": placed[ad], "place": ad_place})],
                          ignore_index=True)
        # placement in the last days of a period merges into the previous one
        pl_ev = pl_ev.sort_values(["i", "day"], kind="stable")
        pl_ev = pl_ev[~pl_ev.duplicated(["i", "day"], keep="last")]
        pl_ev["move"] = np.arange(len(pl_ev))  # placement (carer) id

        # ---- merge into episodes
        ev = pd.concat([
            ls_ev.assign(is_ls=True, is_pl=False),
            pl_ev[["i", "day", "place", "move"]].assign(is_ls=False, is_pl=True),
        ], ignore_index=True)
        ev = ev[ev["day"].to_numpy() < end[ev["i"].to_numpy()]]
        ev = ev.sort_values(["i", "day"], kind="stable")
        # one row per (period, day); forward-fill legal status and placement
        ep = ev.groupby(["i", "day"], sort=True).agg(
            ls=("ls", "last"), place=("place", "last"), move=("move", "last"),
            ls_chg=("is_ls", "max"), pl_chg=("is_pl", "max"),
        ).reset_index()
        ep["ls"] = ep.groupby("i")["ls"].ffill()
        ep["place"] = ep.groupby("i")["place"].ffill()
        ep["move"] = ep.groupby("i")["move"].ffill()
        # drop changes that do not change anything (a move to the same kind of placement is
        # still a new carer, so it stays)
        first_row = ~ep.duplicated("i")
        prev_ls = ep.groupby("i")["ls"].shift()
        ep.loc[ep["ls_chg"] & (ep["ls"] == prev_ls) & ~first_row, "ls_chg"] = False
        ep = ep[first_row | ep["ls_chg"] | ep["pl_chg"]].reset_index(drop=True)
        # adoption placements with the current foster carer keep the carer
        ep["same_carer"] = False
        first_row = ~ep.duplicated("i").to_numpy()
        prev_place = ep.groupby("i")["place"].shift().to_numpy()
        same = (ep["place"].to_numpy() == "A5") & np.isin(prev_place, _FOSTER)
        ep.loc[same, "same_carer"] = True
        ep.loc[ep["place"] == "A5", "place"] = np.where(same[ep["place"] == "A5"], "A5", "A6")
        # placed with parents (P1) only under a care order, supported accommodation (K3)
        # only from 16: a placement breaking either is foster care throughout
        dobs = dob[ep["i"].to_numpy()]
        age_ep = age_on(dobs, ep["day"].to_numpy())
        bad_p1 = ((ep["place"] == "P1") & ~ep["ls"].isin(["C1", "C2"])).groupby(ep["move"]).transform("any")
        bad_k3 = ((ep["place"] == "K3") & (age_ep < 16)).groupby(ep["move"]).transform("any")
        ep.loc[bad_p1.to_numpy() & (ep["place"] == "P1").to_numpy(), "place"] = "U6"
        ep.loc[bad_k3.to_numpy() & (ep["place"] == "K3").to_numpy(), "place"] = "U4"
        # remand (J1) children in foster care or secure homes
        ep_n = len(ep)
        pi = ep["i"].to_numpy()
        is_first = first_row
        rne = np.where(is_first, "S", "").astype(object)
        lsc = ep["ls_chg"].to_numpy() & ~is_first
        plc = ep["pl_chg"].to_numpy() & ~is_first
        same = ep["same_carer"].to_numpy()
        rne = np.where(~is_first & lsc & ~plc, "L", rne)
        rne = np.where(~is_first & ~lsc & plc, np.where(same, "T", "P"), rne)
        rne = np.where(~is_first & lsc & plc, np.where(same, "U", "B"), rne)
        ep["rne"] = rne
        # placement attributes: provider, postcode, URN per placement (carer)
        self._placement_details(ep, child, dob)
        plain = ep.assign(dec=self._episode_ends(ep, end))  # before the interruptions
        ep = self._interruptions(ep, end, len(child))
        rne = ep["rne"].to_numpy()
        pi = ep["i"].to_numpy()
        ep_n = len(ep)
        # episode ends
        last = ep["i"].ne(ep["i"].shift(-1)).to_numpy()
        ep["dec"] = self._episode_ends(ep, end)
        # final reason
        final_place = ep.loc[last, ["i", "place"]].set_index("i")["place"]
        final_exit = exit_.copy()
        a18 = np.flatnonzero(exit_ == "AGE18")
        fp = final_place.reindex(a18).to_numpy()
        is_f = np.isin(fp, _FOSTER)
        final_exit[a18] = np.where(is_f, choice(rng, _AGE18_EXITS["foster"], a18.size),
                                   choice(rng, _AGE18_EXITS["other"], a18.size))
        final_exit[a18[uasc[a18]]] = choice(rng, {"E5": 0.6, "E6": 0.3, "E8": 0.1},
                                             int(uasc[a18].sum()))
        ss = np.flatnonzero(np.isin(exit_, ["E45", "E46"]))
        ss_fp = final_place.reindex(ss).to_numpy()
        final_exit[ss[~np.isin(ss_fp, _FOSTER)]] = "E47"
        # E7 (adult social care) for disabled young people only
        dis = self.people["disabled"][child]
        final_exit[(final_exit == "E7") & ~dis] = "E5"
        rec = np.where(last, final_exit[pi], "X1").astype(object)
        nxt_rne = pd.Series(rne).groupby(pi).shift(-1).to_numpy()
        rpc = np.full(ep_n, None, dtype=object)
        # no reason for a change into or out of a temporary placement (903 rules 225, 226)
        nxt_place = ep.groupby("i")["place"].shift(-1).to_numpy()
        temporary = np.isin(ep["place"].to_numpy(), _TEMPORARY) | np.isin(nxt_place, _TEMPORARY)
        moves = ~last & np.isin(nxt_rne, ["P", "B"]) & ~temporary
        rpc[moves] = choice(rng, _MOVE_REASONS, int(moves.sum()))
        rpc[~last & np.isin(nxt_rne, ["T", "U"]) & ~temporary] = "PLACE"
        ep["rec"] = rec
        ep["rpc"] = rpc
        ep["cin"] = need[pi]
        ep["home_post"] = self.people["home_postcode"][child[pi]]
        # keep what has happened by the horizon
        ep = ep[ep["day"] <= H]
        open_ = ep["dec"].to_numpy() > H
        ep_dec = np.where(open_, NAT, ep["dec"].to_numpy())
        rec_v = np.where(open_, None, ep["rec"].to_numpy())
        rpc_v = np.where(open_, None, ep["rpc"].to_numpy())
        pi = ep["i"].to_numpy()
        self._append("episodes", child_id=self.child_ids[child[pi]], period_id=period_id[pi],
                     episode_number=np.zeros(len(ep), np.int64), decom=ep["day"].to_numpy(),
                     rne=ep["rne"].to_numpy(), ls=ep["ls"].to_numpy(), cin=ep["cin"].to_numpy(),
                     place=ep["place"].to_numpy(), place_provider=ep["provider"].to_numpy(),
                     dec=ep_dec, rec=rec_v, reason_place_change=rpc_v,
                     home_post=ep["home_post"].to_numpy(), pl_post=ep["pl_post"].to_numpy(),
                     urn=ep["urn"].to_numpy())

        # reviews, missing, health, adoption, previous permanence for these periods
        self._cla_reviews(child, period_id, start, end, dob)
        self._health_checks(child, period_id, start, end, dob)
        plain = plain[plain["day"] <= H]
        self._missing(child, period_id, start, end, dob, plain, plain["i"].to_numpy())
        self._adoption(child, period_id, adopt, decision, order_day, match, placed, a_date,
                       ep, final_exit, exit_, start, end, dob)
        plan = permanence_plan(final_exit, exit_ == "AGE18", final_place.reindex(range(n)).to_numpy())
        return final_exit, plan

    def _episode_ends(self, ep: pd.DataFrame, end) -> np.ndarray:
        """Each episode ends when the next of its period starts, the last when the period ends."""
        nxt_day = ep.groupby("i")["day"].shift(-1).to_numpy()
        return np.where(np.isnan(nxt_day), end[ep["i"].to_numpy()],
                        np.nan_to_num(nxt_day, nan=0)).astype(np.int64)

    def _interruptions(self, ep: pd.DataFrame, end, n: int) -> pd.DataFrame:
        """Changes of episode that are not moves (see indicators.placements): a stay in a
        temporary placement (T1 hospital, T2 holiday, T3 while the foster carer is on
        holiday, T4 seven days or less, T0 any) with the return to the same carer, and a
        foster carer moving house (RNE T, same carer, new postcode). Drawn from their own
        random stream, so the rest of the simulation is unchanged."""
        p = self.p
        rng = np.random.default_rng([self.seed, 903, n])
        ep = ep.reset_index(drop=True)
        nxt = ep.groupby("i")["day"].shift(-1).to_numpy()
        stop = np.minimum(np.where(np.isnan(nxt), end[ep["i"].to_numpy()], np.nan_to_num(nxt)),
                          self.horizon).astype(np.int64)
        day = ep["day"].to_numpy().astype(np.int64)
        span = stop - day
        foster = ep["place"].isin(_FOSTER).to_numpy()
        draw = rng.random(len(ep))
        temp = foster & (span >= 40) & (draw < p.temporary_placement_share)
        house = foster & ~temp & (span >= 120) & (draw > 1 - p.carer_moves_house_share)
        k = np.flatnonzero(temp)
        kind = choice(rng, {"T1": 0.3, "T2": 0.2, "T3": 0.3, "T4": 0.15, "T0": 0.05}, k.size)
        length = np.where(np.isin(kind, ["T3", "T2"]), rng.integers(3, 14, k.size),
                          rng.integers(1, 7, k.size))
        at = day[k] + 10 + (rng.random(k.size) * (span[k] - 25 - length)).astype(np.int64)
        pool = self.pools["neighbour"]["postcode"].to_numpy()
        away = ep.iloc[k].assign(day=at, place=kind, move=ep["move"].max() + 1 + np.arange(k.size),
                                 ls_chg=False, pl_chg=True, same_carer=False, rne="P",
                                 provider=None,  # no provider for a temporary placement (rule 213)
                                 pl_post=pool[rng.integers(0, len(pool), k.size)], urn=None)
        away["carer"] = away["move"]
        back = ep.iloc[k].assign(day=at + length, ls_chg=False, pl_chg=True, same_carer=False,
                                 rne="P")
        h = np.flatnonzero(house)
        moved = ep.iloc[h].assign(
            day=day[h] + 30 + (rng.random(h.size) * (span[h] - 60)).astype(np.int64),
            ls_chg=False, pl_chg=True, same_carer=True, rne="T")
        out = pd.concat([ep.assign(moved_house=False), away.assign(moved_house=False),
                         back.assign(moved_house=False), moved.assign(moved_house=True)],
                        ignore_index=True)
        out = out.sort_values(["i", "day"], kind="stable").reset_index(drop=True)
        self._carers_moving_house(out, rng)
        return out

    def _carers_moving_house(self, ep: pd.DataFrame, rng) -> None:
        """The new address of a foster carer who moved house (rows marked moved_house), kept
        for the rest of the carer's episodes in that period."""
        pool = self.pools["home"]["postcode"].to_numpy()
        for row in np.flatnonzero(ep["moved_house"].to_numpy()):
            same = ((ep.index >= row) & (ep["i"] == ep.at[row, "i"])
                    & (ep["carer"] == ep.at[row, "carer"])).to_numpy()
            new = pool[rng.integers(0, len(pool))]
            if new == ep.at[row, "pl_post"]:
                new = pool[(np.searchsorted(pool, new) + 1) % len(pool)]
            ep.loc[same, "pl_post"] = new

    def _placement_details(self, ep: pd.DataFrame, child, dob) -> None:
        """Provider, placement postcode and Ofsted URN for each placement (carer)."""
        rng, p = self.rng, self.p
        # one draw per placement (carer): rows sharing 'move' share the carer
        carer = ep["move"].to_numpy().astype(np.int64)
        same = ep["same_carer"].to_numpy()
        # A5 continues the previous carer
        carer = carer.copy()
        for j in np.flatnonzero(same):
            carer[j] = carer[j - 1]
        ep["carer"] = carer
        uc, inv = np.unique(carer, return_inverse=True)
        first_idx = np.zeros(len(uc), np.int64)
        first_idx[inv[::-1]] = np.arange(len(carer))[::-1]
        place = ep["place"].to_numpy()[first_idx]
        m = len(uc)
        loc = rng.random(m)
        where = np.where(loc < p.in_area_placement_share, "home",
                         np.where(loc < 1 - p.distant_placement_share, "neighbour", "distant"))
        prov = np.full(m, "PR4", dtype=object)
        r = rng.random(m)
        foster = np.isin(place, _FOSTER)
        kin = np.isin(place, ["U1", "U2", "U3"])
        prov[foster] = np.where(r[foster] < 0.62, "PR1", "PR4")
        prov[kin] = "PR1"
        prov[place == "K2"] = np.where(r[place == "K2"] < 0.25, "PR1",
                                       np.where(r[place == "K2"] < 0.93, "PR4", "PR5"))
        prov[place == "K1"] = np.where(r[place == "K1"] < 0.8, "PR2", "PR1")
        prov[place == "K3"] = np.where(r[place == "K3"] < 0.4, "PR1", "PR4")
        prov[np.isin(place, ["R1", "R3"])] = np.where(r[np.isin(place, ["R1", "R3"])] < 0.7, "PR4", "PR5")
        prov[np.isin(place, ["A5", "A6"])] = np.where(r[np.isin(place, ["A5", "A6"])] < 0.6, "PR1", "PR5")
        prov[place == "P1"] = "PR0"
        # LA's own provision (other than fostering/adoption/K3) is inside the authority
        where[(prov == "PR1") & ~np.isin(place, _FOSTER + ["A5", "A6", "K3"])] = "home"
        where[(prov == "PR1") & ~kin] = np.where(rng.random(((prov == "PR1") & ~kin).sum()) < 0.85,
                                                  "home", where[(prov == "PR1") & ~kin])
        where[(place == "K1") & (prov != "PR1")] = "distant"
        where[(place == "K1") & (prov == "PR1")] = "home"
        where[place == "K3"] = "home"  # supported accommodation with a URN: inside the LA
        pc = np.empty(m, dtype=object)
        for w in ("home", "neighbour", "distant"):
            mw = where == w
            pool = self.pools[w]["postcode"].to_numpy()
            pc[mw] = pool[rng.integers(0, len(pool), int(mw.sum()))]
        # a carer never lives at the child's own home address (that is P1, placed with parents)
        home_c = self.people["home_postcode"][child[ep["i"].to_numpy()[first_idx]]]
        pool = self.pools["home"]["postcode"].to_numpy()
        clash = np.flatnonzero(pc == home_c)
        pc[clash] = pool[(np.searchsorted(pool, pc[clash]) + 1) % len(pool)]
        urn = np.array([f"SC{x:06d}" for x in rng.integers(400000, 999999, m)], dtype=object)
        la_foster_urn = f"SC{(int(p.la_code) * 997) % 900000 + 100000:06d}"
        urn[foster & (prov == "PR1")] = la_foster_urn
        ad = np.isin(place, ["A5", "A6"])
        urn[ad] = np.where(rng.random(ad.sum()) < 0.5, "XXXXXXX", urn[ad])
        urn[np.isin(place, list(_NO_URN))] = None
        ep["provider"] = prov[inv]
        ep["pl_post"] = pc[inv]
        ep["urn"] = urn[inv]
        # placed with parents: at home
        home = self.people["home_postcode"][child[ep["i"].to_numpy()]]
        p1 = ep["place"].to_numpy() == "P1"
        ep.loc[p1, "pl_post"] = home[p1]
        ep.loc[p1, "urn"] = None
        # the adoption placement with the current foster carer is a change of status only
        a5 = ep["place"].to_numpy() == "A5"
        ep.loc[a5, "urn"] = ep["urn"].shift()[a5]
        ep.loc[a5, "provider"] = ep["provider"].shift()[a5]

    def _cla_reviews(self, child, period_id, start, end, dob) -> None:
        """Statutory reviews: within 20 working days, then 3 months, then every 6 months."""
        rng, H = self.rng, self.horizon
        dur = end - start
        k = np.where(dur > 20, 1 + np.maximum((dur - 110) // 180 + 1, 0), 0)
        rep = np.repeat(np.arange(len(child)), k)
        nth = rank_in_group(rep)
        offset = np.where(nth == 0, rng.integers(10, 28, len(rep)),
                          np.where(nth == 1, 100, 100 + (nth - 1) * 180))
        offset = offset + np.where(nth > 0, rng.integers(-20, 8, len(rep)), 0)
        date = start[rep] + offset
        keep = (date < end[rep]) & (date <= H)
        rep, date = rep[keep], date[keep]
        under4 = age_on(dob[rep], date) < 4
        code = np.where(under4, "PN0", choice(rng, _REVIEW_CODES, len(rep))).astype(object)
        self._append("cla_reviews", child_id=self.child_ids[child[rep]],
                     period_id=period_id[rep], review_date=date, review_code=code)

    def _health_checks(self, child, period_id, start, end, dob) -> None:
        rng, H = self.rng, self.horizon
        dur = end - start
        rows_c, rows_d, rows_k = [], [], []
        for check, first_lo, first_hi, every, comply in (
                ("health_assessment", 10, 40, 365, 0.9), ("dental", 60, 300, 365, 0.85)):
            k = np.maximum(dur // every + 1, 0)
            rep = np.repeat(np.arange(len(child)), k)
            nth = rank_in_group(rep)
            date = start[rep] + rng.integers(first_lo, first_hi, len(rep)) + nth * every
            date = date + np.where(nth > 0, rng.integers(-40, 30, len(rep)), 0)
            keep = (date < end[rep]) & (date <= H) & (rng.random(len(rep)) < comply)
            rows_c.append(rep[keep]); rows_d.append(date[keep]); rows_k.append(np.full(keep.sum(), check, dtype=object))
        rep = np.concatenate(rows_c)
        self._append("health_checks", child_id=self.child_ids[child[rep]],
                     period_id=period_id[rep], check=np.concatenate(rows_k),
                     check_date=np.concatenate(rows_d))

    def _missing(self, child, period_id, start, end, dob, ep, ep_i) -> None:
        """Missing / away episodes for children aged 11+, inside one placement each."""
        rng, p, H = self.rng, self.p, self.horizon
        n = len(child)
        age0 = (start - dob) / 365.25
        years = (np.minimum(end, H) - start) / 365.25
        propensity = rng.gamma(0.35, 1 / 0.35, n)
        lam = np.where(age0 >= 11, p.missing_per_year_teen * propensity * np.maximum(years, 0), 0)
        k = rng.poisson(lam)
        rep = np.repeat(np.arange(n), k)
        s = start[rep] + (rng.random(len(rep)) * np.maximum(end[rep] - start[rep] - 4, 0)).astype(np.int64) + 1
        length = np.minimum(rng.geometric(0.55, len(rep)) - 1, 14)
        e = s + length
        df = pd.DataFrame({"i": rep, "s": s, "e": e})
        df = df.sort_values(["i", "s"], kind="stable")
        # no overlaps: keep a spell only if it starts after the previous one ended
        prev_e = df.groupby("i")["e"].shift().fillna(-1).to_numpy()
        df = df[df["s"].to_numpy() > prev_e]
        # within one episode (no placement change while missing), before the care ends
        epi = pd.DataFrame({"i": ep["i"].to_numpy(), "decom": ep["day"].to_numpy(),
                            "dec": ep["dec"].to_numpy()}).sort_values(["decom"])
        df = df.sort_values("s")
        df = pd.merge_asof(df, epi, left_on="s", right_on="decom", by="i")
        df = df[(df["s"] > df["decom"]) & (df["e"] < df["dec"]) & (df["s"] <= H)]
        df = df.sort_values(["i", "s"], kind="stable")
        i = df["i"].to_numpy()
        e = df["e"].to_numpy()
        e = np.where(e > H, NAT, e)
        mtype = np.where(rng.random(len(df)) < 0.8, "M", "A").astype(object)
        self._append("missing", child_id=self.child_ids[child[i]], period_id=period_id[i],
                     missing_type=mtype, start_date=df["s"].to_numpy(), end_date=e)

    def _adoption(self, child, period_id, adopt, decision, order_day, match, placed, a_date,
                  ep, final_exit, exit_, start, end, dob) -> None:
        rng, H = self.rng, self.horizon
        idx = np.flatnonzero(adopt & (decision <= H))
        m = idx.size
        a5 = np.zeros(m, bool)
        if m:
            a5_periods = set(ep.loc[ep["place"] == "A5", "i"].tolist())
            a5 = np.array([i in a5_periods for i in idx], dtype=bool)
        two = rng.random(m) < 0.85
        sexes = np.where(two, choice(rng, {"MF": 0.86, "FF": 0.07, "MM": 0.07}, m),
                         choice(rng, {"F1": 0.85, "M1": 0.15}, m)).astype(object)
        ls_ad = np.where(~two, "L0",
                         np.where(sexes == "MF", choice(rng, {"L11": 0.8, "L3": 0.2}, m),
                                  choice(rng, {"L12": 0.5, "L2": 0.3, "L4": 0.2}, m))).astype(object)

        def cut(x):
            return np.where(x > H, NAT, x)
        self._append("adoption", child_id=self.child_ids[child[idx]], period_id=period_id[idx],
                     decision_date=decision[idx], placement_order_date=cut(order_day[idx]),
                     match_date=cut(match[idx]), placed_date=cut(placed[idx]),
                     adoption_date=cut(a_date[idx]),
                     decision_ceased_date=np.full(m, NAT, np.int64),
                     decision_ceased_reason=np.full(m, None, dtype=object), foster_care=a5,
                     number_adopters=np.where(two, 2, 1), sex_adopters=sexes,
                     ls_adopters=ls_ad)
