-- Annex A List 7, child protection: every child protection plan open at some point of
-- the 12 months, as it stood on their last day, with its latest review conference by
-- then. Portable SQL (DuckDB and SQL Server).
WITH period AS (
    SELECT CAST('{period_start}' AS DATE) AS first_day, CAST('{period_end}' AS DATE) AS last_day
),
known AS (
    SELECT c.*, CASE WHEN CAST(c.cppl_cp_plan_end_date AS DATE) <= p.last_day
                     THEN CAST(c.cppl_cp_plan_end_date AS DATE) END AS ended
    FROM ssd_cp_plans c CROSS JOIN period p
    WHERE CAST(c.cppl_cp_plan_start_date AS DATE) <= p.last_day
)
SELECT
    k.cppl_person_id AS child_id,
    CAST(k.cppl_cp_plan_start_date AS DATE) AS cp_plan_start_date,
    k.cppl_cp_plan_initial_category AS initial_category,
    k.cppl_cp_plan_latest_category AS latest_category,
    k.ended AS cp_plan_end_date,
    (SELECT MAX(CAST(r.cppr_cp_review_date AS DATE)) FROM ssd_cp_reviews r
     WHERE r.cppr_cp_plan_id = k.cppl_cp_plan_id
       AND CAST(r.cppr_cp_review_date AS DATE) <= p.last_day) AS latest_review_date
FROM known k CROSS JOIN period p
WHERE k.ended IS NULL OR k.ended >= p.first_day
ORDER BY k.cppl_person_id, k.cppl_cp_plan_start_date, k.cppl_cp_plan_id
