-- CIN census, the modules of each episode in the census year (as they stood on its last
-- day): assessments, CIN plans, section 47 enquiries and child protection plans, one row
-- each, told apart by "module". Portable SQL (DuckDB and SQL Server).
WITH period AS (
    SELECT CAST('{period_start}' AS DATE) AS first_day, CAST('{period_end}' AS DATE) AS last_day
),
episodes AS (
    SELECT e.cine_referral_id AS referral_id
    FROM ssd_cin_episodes e CROSS JOIN period p
    WHERE CAST(e.cine_referral_date AS DATE) <= p.last_day
      AND (e.cine_close_date IS NULL OR CAST(e.cine_close_date AS DATE) >= p.first_day)
),
events AS (
    SELECT 'assessment' AS module, cina_person_id AS child_id, cina_referral_id AS referral_id,
           cina_assessment_start_date AS start_date, cina_assessment_auth_date AS end_date,
           CAST(NULL AS DATETIME) AS target_date, CAST(NULL AS DATETIME) AS icpc_date,
           CAST(NULL AS NVARCHAR(100)) AS initial_category,
           CAST(NULL AS NVARCHAR(100)) AS latest_category
    FROM ssd_cin_assessments
    UNION ALL
    SELECT 'cin_plan', cinp_person_id, cinp_referral_id, cinp_cin_plan_start_date,
           cinp_cin_plan_end_date, NULL, NULL, NULL, NULL
    FROM ssd_cin_plans
    UNION ALL
    SELECT 's47', s.s47e_person_id, s.s47e_referral_id, s.s47e_s47_start_date,
           s.s47e_s47_end_date, i.icpc_icpc_target_date, i.icpc_icpc_date, NULL, NULL
    FROM ssd_s47_enquiry s
    LEFT JOIN ssd_initial_cp_conference i ON i.icpc_s47_enquiry_id = s.s47e_s47_enquiry_id
    UNION ALL
    SELECT 'cp_plan', cppl_person_id, cppl_referral_id, cppl_cp_plan_start_date,
           cppl_cp_plan_end_date, NULL, NULL, cppl_cp_plan_initial_category,
           cppl_cp_plan_latest_category
    FROM ssd_cp_plans
),
known AS (
    SELECT v.module, v.child_id, v.referral_id, v.initial_category, v.latest_category,
           CAST(v.start_date AS DATE) AS start_date,
           CASE WHEN CAST(v.end_date AS DATE) <= p.last_day
                THEN CAST(v.end_date AS DATE) END AS end_date,
           CAST(v.target_date AS DATE) AS icpc_target_date,
           CASE WHEN CAST(v.icpc_date AS DATE) <= p.last_day
                THEN CAST(v.icpc_date AS DATE) END AS icpc_date
    FROM events v CROSS JOIN period p
    WHERE CAST(v.start_date AS DATE) <= p.last_day
      AND v.referral_id IN (SELECT referral_id FROM episodes)
)
SELECT k.module, k.child_id, k.referral_id, k.start_date, k.end_date, k.icpc_target_date,
       k.icpc_date,
       CASE WHEN k.module <> 's47' THEN NULL
            WHEN k.icpc_date IS NULL AND k.end_date IS NOT NULL THEN 'Y' ELSE 'N'
       END AS icpc_not_required,
       k.initial_category, k.latest_category
FROM known k CROSS JOIN period p
WHERE k.end_date IS NULL OR k.end_date >= p.first_day
ORDER BY k.child_id, k.referral_id, k.module, k.start_date
