-- Annex A List 5, section 47 enquiries: every enquiry active at some point of the 12
-- months (started, conference held, or still running), as it stood on their last day.
-- Portable SQL (DuckDB and SQL Server).
WITH period AS (
    SELECT CAST('{period_start}' AS DATE) AS first_day, CAST('{period_end}' AS DATE) AS last_day
),
known AS (
    SELECT s.s47e_person_id AS child_id, s.s47e_s47_enquiry_id AS enquiry_id,
           CAST(s.s47e_s47_start_date AS DATE) AS start_date,
           CASE WHEN CAST(s.s47e_s47_end_date AS DATE) <= p.last_day
                THEN CAST(s.s47e_s47_end_date AS DATE) END AS end_date,
           CASE WHEN CAST(i.icpc_icpc_date AS DATE) <= p.last_day
                THEN CAST(i.icpc_icpc_date AS DATE) END AS icpc_date,
           i.icpc_icpc_outcome_cp_flag AS cp_plan
    FROM ssd_s47_enquiry s
    CROSS JOIN period p
    LEFT JOIN ssd_initial_cp_conference i ON i.icpc_s47_enquiry_id = s.s47e_s47_enquiry_id
    WHERE CAST(s.s47e_s47_start_date AS DATE) <= p.last_day
)
SELECT
    k.child_id,
    CASE WHEN EXISTS (SELECT 1 FROM ssd_disability d WHERE d.disa_person_id = k.child_id
                      AND d.disa_disability_code <> 'NONE') THEN 'Y' ELSE 'N' END AS disability,
    k.start_date AS s47_start_date,
    CASE WHEN k.icpc_date IS NULL AND k.end_date IS NOT NULL THEN 'Y' ELSE 'N' END
        AS icpc_not_required,
    k.icpc_date,
    CASE WHEN k.icpc_date IS NOT NULL THEN k.cp_plan END AS icpc_cp_plan
FROM known k CROSS JOIN period p
WHERE k.end_date IS NULL OR k.end_date >= p.first_day
ORDER BY k.child_id, k.start_date, k.enquiry_id
