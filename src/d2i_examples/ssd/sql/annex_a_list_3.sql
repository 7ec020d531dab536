-- Annex A List 3, referrals: every referral dated in the 12 months, whether it led to no
-- further action, and the child's number of referrals in those months.
-- Portable SQL (DuckDB and SQL Server).
WITH period AS (
    SELECT CAST('{period_start}' AS DATE) AS first_day, CAST('{period_end}' AS DATE) AS last_day
),
referrals AS (
    SELECT e.* FROM ssd_cin_episodes e CROSS JOIN period p
    WHERE CAST(e.cine_referral_date AS DATE) BETWEEN p.first_day AND p.last_day
)
SELECT
    r.cine_person_id AS child_id,
    CAST(r.cine_referral_date AS DATE) AS referral_date,
    r.cine_referral_source_code AS referral_source,
    r.cine_referral_nfa AS referral_nfa,
    (SELECT COUNT(*) FROM referrals n WHERE n.cine_person_id = r.cine_person_id)
        AS referrals_in_12_months
FROM referrals r
ORDER BY r.cine_person_id, r.cine_referral_date, r.cine_referral_id
