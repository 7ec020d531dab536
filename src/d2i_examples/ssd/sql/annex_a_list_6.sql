-- Annex A List 6, children in need: every episode that went on past the referral (not
-- no further action) open at some point of the 12 months, as it stood on their last day.
-- Portable SQL (DuckDB and SQL Server).
WITH period AS (
    SELECT CAST('{period_start}' AS DATE) AS first_day, CAST('{period_end}' AS DATE) AS last_day
),
known AS (
    SELECT e.*, CASE WHEN CAST(e.cine_close_date AS DATE) <= p.last_day
                     THEN CAST(e.cine_close_date AS DATE) END AS closed
    FROM ssd_cin_episodes e CROSS JOIN period p
    WHERE CAST(e.cine_referral_date AS DATE) <= p.last_day AND e.cine_referral_nfa = 'N'
)
SELECT
    k.cine_person_id AS child_id,
    CAST(k.cine_referral_date AS DATE) AS cin_start_date,
    k.cine_cin_primary_need_code AS primary_need_code,
    k.closed AS cin_closure_date,
    CASE WHEN k.closed IS NOT NULL THEN k.cine_close_reason END AS reason_for_closure
FROM known k CROSS JOIN period p
WHERE k.closed IS NULL OR k.closed >= p.first_day
ORDER BY k.cine_person_id, k.cine_referral_date, k.cine_referral_id
