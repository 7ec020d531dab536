-- Annex A List 4, assessments: every social care assessment open at some point of the 12
-- months, as it stood on their last day. Portable SQL (DuckDB and SQL Server).
WITH period AS (
    SELECT CAST('{period_start}' AS DATE) AS first_day, CAST('{period_end}' AS DATE) AS last_day
),
known AS (
    SELECT a.*, CASE WHEN CAST(a.cina_assessment_auth_date AS DATE) <= p.last_day
                     THEN CAST(a.cina_assessment_auth_date AS DATE) END AS authorised
    FROM ssd_cin_assessments a CROSS JOIN period p
    WHERE CAST(a.cina_assessment_start_date AS DATE) <= p.last_day
)
SELECT
    k.cina_person_id AS child_id,
    CASE WHEN EXISTS (SELECT 1 FROM ssd_disability d WHERE d.disa_person_id = k.cina_person_id
                      AND d.disa_disability_code <> 'NONE') THEN 'Y' ELSE 'N' END AS disability,
    CAST(k.cina_assessment_start_date AS DATE) AS assessment_start_date,
    k.cina_assessment_child_seen AS child_seen,
    k.authorised AS assessment_authorised_date,
    CASE WHEN k.authorised IS NULL THEN NULL
         WHEN k.cina_assessment_outcome_nfa = 'Y' THEN 'N' ELSE 'Y' END AS requires_support
FROM known k CROSS JOIN period p
WHERE k.authorised IS NULL OR k.authorised >= p.first_day
ORDER BY k.cina_person_id, k.cina_assessment_start_date, k.cina_assessment_id
