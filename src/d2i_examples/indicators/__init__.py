"""Analyses re-created from D2I's spreadsheet and browser-app tools, in pandas.

Modules (each function takes DataFrames and returns DataFrames, no I/O):
- working_days: England working days (weekends and bank holidays excluded).
- chat/ (front_door, protection, care, care_leavers, profile, summary): ChAT's
  Annex A measures, one module an area, and age/sex pyramids; rates.summarise
  turns their records into rates.
- drift: days from referral to CIN plan, CP plan and care (DRIFT).
- disproportionality: rates per 10,000 by ethnic group, ratios and intervals.
- journeys: Annex A stage counts and flows for Sankey charts.
- placements: placement distance from home, in or out of area, moves.
- looked_after: who counts as looked after: the DfE's cohorts (during the year, on
  31 March, 12 months at 31 March for OC2), from SSDA903 episodes.
- sharing: pseudonymising, coarsening and suppressing data to share.
- ehcp: EHC plans from the SEN2: 20-week timeliness (with and without exceptions),
  stage weeks, refusals, ceased plans, date problems.
- ehcp_social_care: the SEN2 joined to the CIN census and SSDA903 on UPN: matching
  diagnostics, children in need and looked after with a plan or pending request.
- benchmarks: the DfE's local-authority measures from a council's SSDA903, CIN
  census and SEN2 (what the DfE will publish about it), each cited.
- comparison: those measures beside England, the region and neighbours from the
  DfE's published tables; rank, distance from neighbours, intervals.
- periods, frames, rates: the shared conventions (windows, ages, checked
  columns, rate tables).
"""
