-- Annex A List 2, early help: every early help episode open at some point of the 12 months,
-- as it stood on their last day. The SSD keeps early help as episodes
-- (ssd_early_help_episodes); Annex A asks for early help assessments: the episode's start
-- and end stand for the assessment's start and completion.
-- Portable SQL (DuckDB and SQL Server).
WITH period AS (
    SELECT CAST('{period_start}' AS DATE) AS first_day, CAST('{period_end}' AS DATE) AS last_day
),
known AS (
    SELECT e.*, CASE WHEN CAST(e.earl_episode_end_date AS DATE) <= p.last_day
                     THEN CAST(e.earl_episode_end_date AS DATE) END AS ended
    FROM ssd_early_help_episodes e CROSS JOIN period p
    WHERE CAST(e.earl_episode_start_date AS DATE) <= p.last_day
)
SELECT
    k.earl_person_id AS child_id,
    CAST(k.earl_episode_start_date AS DATE) AS assessment_start_date,
    k.ended AS assessment_completion_date,
    k.earl_episode_organisation AS organisation
FROM known k CROSS JOIN period p
WHERE k.ended IS NULL OR k.ended >= p.first_day
ORDER BY k.earl_person_id, k.earl_episode_start_date, k.earl_episode_id
