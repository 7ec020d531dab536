-- Annex A List 9, care leavers: every care leaver whose latest contact fell in the 12
-- months, with their eligibility, whether the council is in touch, their accommodation and
-- its suitability, and their activity, in Annex A's words. The SSD keeps one row per care
-- leaver, as at the extract: for a period that ended before the extract, a care leaver
-- contacted since then is left out.
-- Portable SQL (DuckDB and SQL Server).
WITH period AS (
    SELECT CAST('{period_start}' AS DATE) AS first_day, CAST('{period_end}' AS DATE) AS last_day
)
SELECT
    c.clea_person_id AS child_id,
    CASE c.clea_care_leaver_eligibility WHEN 'Relevant' THEN 'Relevant child'
         WHEN 'Former Relevant' THEN 'Former relevant child' END AS eligibility,
    c.clea_care_leaver_in_touch AS in_touch,
    c.clea_care_leaver_accommodation AS accommodation,
    CASE c.clea_care_leaver_accom_suitable WHEN '1' THEN 'Suitable'
         WHEN '2' THEN 'Not suitable' END AS suitability,
    c.clea_care_leaver_activity AS activity
FROM ssd_care_leavers c CROSS JOIN period p
WHERE CAST(c.clea_care_leaver_latest_contact AS DATE) BETWEEN p.first_day AND p.last_day
ORDER BY c.clea_person_id, c.clea_care_leaver_latest_contact, c.clea_table_id
