-- CIN census, ChildIdentifiers and ChildCharacteristics: each child with a child in need
-- episode open at any point of the census year. Portable SQL (DuckDB and SQL Server).
WITH period AS (
    SELECT CAST('{period_start}' AS DATE) AS first_day, CAST('{period_end}' AS DATE) AS last_day
)
SELECT
    c.pers_person_id AS child_id,
    u.link_identifier_value AS upn,
    c.pers_upn_unknown AS upn_unknown,
    CAST(c.pers_dob AS DATE) AS birth_date,
    c.pers_sex AS sex,
    c.pers_ethnicity AS ethnicity
FROM ssd_person c
LEFT JOIN ssd_linked_identifiers u
    ON u.link_person_id = c.pers_person_id AND u.link_identifier_type = 'Unique Pupil Number'
WHERE EXISTS (
    SELECT 1 FROM ssd_cin_episodes e CROSS JOIN period p
    WHERE e.cine_person_id = c.pers_person_id
      AND CAST(e.cine_referral_date AS DATE) <= p.last_day
      AND (e.cine_close_date IS NULL OR CAST(e.cine_close_date AS DATE) >= p.first_day))
ORDER BY c.pers_person_id
