-- CIN census, CINdetails: one row per child in need episode (a referral) open at any
-- point of the census year, with its dates and codes as they stood on the last day.
-- Standard Safeguarding Dataset tables; portable SQL (DuckDB and SQL Server).
WITH period AS (
    SELECT CAST('{period_start}' AS DATE) AS first_day, CAST('{period_end}' AS DATE) AS last_day
)
SELECT
    e.cine_person_id AS child_id,
    e.cine_referral_id AS referral_id,
    CAST(e.cine_referral_date AS DATE) AS referral_date,
    e.cine_referral_source_code AS referral_source,
    e.cine_cin_primary_need_code AS primary_need_code,
    CASE WHEN CAST(e.cine_close_date AS DATE) <= p.last_day
         THEN CAST(e.cine_close_date AS DATE) END AS closure_date,
    CASE WHEN CAST(e.cine_close_date AS DATE) <= p.last_day
         THEN e.cine_close_reason END AS reason_for_closure,
    e.cine_referral_nfa AS referral_nfa
FROM ssd_cin_episodes e
CROSS JOIN period p
WHERE CAST(e.cine_referral_date AS DATE) <= p.last_day
  AND (e.cine_close_date IS NULL OR CAST(e.cine_close_date AS DATE) >= p.first_day)
ORDER BY e.cine_person_id, e.cine_referral_date, e.cine_referral_id
