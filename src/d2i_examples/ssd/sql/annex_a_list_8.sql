-- Annex A List 8, children in care: every period of care open at some point of the 12
-- months, as it stood on their last day (or when the period ended): the child's category
-- of need, whether it is their second or later period in the list, their legal status
-- and placement then, its latest review, and how many placements the period had in the 12
-- months. Visits, health checks and missing episodes (the SSD's ssd_cla_visits,
-- ssd_cla_health and ssd_missing tables) are not built here.
-- Portable SQL (DuckDB and SQL Server).
WITH period AS (
    SELECT CAST('{period_start}' AS DATE) AS first_day, CAST('{period_end}' AS DATE) AS last_day
),
episodes AS (
    SELECT
        e.clae_cla_id, e.clae_person_id, e.clae_cla_primary_need_code,
        e.clae_cla_episode_ceased_reason,
        CAST(e.clae_entered_care_date AS DATE) AS entered,
        CASE WHEN CAST(e.clae_cla_episode_ceased_date AS DATE) <= p.last_day
             THEN CAST(e.clae_cla_episode_ceased_date AS DATE) END AS ceased,
        ROW_NUMBER() OVER (PARTITION BY e.clae_cla_id
                           ORDER BY e.clae_cla_episode_start_date DESC, e.clae_cla_episode_id DESC)
            AS from_last
    FROM ssd_cla_episodes e CROSS JOIN period p
    WHERE CAST(e.clae_cla_episode_start_date AS DATE) <= p.last_day
),
periods AS (
    SELECT
        l.clae_cla_id, l.clae_person_id, l.entered, l.clae_cla_primary_need_code, l.ceased,
        CASE WHEN l.ceased IS NOT NULL THEN l.clae_cla_episode_ceased_reason END AS reason,
        ROW_NUMBER() OVER (PARTITION BY l.clae_person_id ORDER BY l.entered, l.clae_cla_id)
            AS nth
    FROM episodes l CROSS JOIN period p
    WHERE l.from_last = 1 AND (l.ceased IS NULL OR l.ceased >= p.first_day)
),
legal AS (
    SELECT
        c.clae_cla_id, CAST(s.lega_legal_status_start_date AS DATE) AS started,
        s.lega_legal_status,
        ROW_NUMBER() OVER (PARTITION BY c.clae_cla_id
                           ORDER BY s.lega_legal_status_start_date DESC, s.lega_legal_status_id DESC)
            AS from_last
    FROM periods c
    JOIN ssd_legal_status s ON s.lega_person_id = c.clae_person_id
    CROSS JOIN period p
    WHERE CAST(s.lega_legal_status_start_date AS DATE) >= c.entered
      AND CAST(s.lega_legal_status_start_date AS DATE) <= COALESCE(c.ceased, p.last_day)
),
placements AS (
    SELECT
        pl.*, CAST(pl.clap_cla_placement_start_date AS DATE) AS started,
        CASE WHEN CAST(pl.clap_cla_placement_end_date AS DATE) <= p.last_day
             THEN CAST(pl.clap_cla_placement_end_date AS DATE) END AS ended,
        ROW_NUMBER() OVER (PARTITION BY pl.clap_cla_id
                           ORDER BY pl.clap_cla_placement_start_date DESC,
                                    pl.clap_cla_placement_id DESC) AS from_last
    FROM ssd_cla_placement pl CROSS JOIN period p
    WHERE CAST(pl.clap_cla_placement_start_date AS DATE) <= p.last_day
)
SELECT
    c.clae_person_id AS child_id,
    c.entered AS started_date,
    c.clae_cla_primary_need_code AS category_of_need,
    CASE WHEN c.nth > 1 THEN 'Y' ELSE 'N' END AS subsequent_period,
    ls.started AS legal_status_start_date,
    ls.lega_legal_status AS legal_status,
    c.ceased AS ceased_date,
    c.reason AS reason_ceased,
    pl.started AS placement_start_date,
    pl.clap_cla_placement_type AS placement_type,
    pl.clap_cla_placement_provider AS placement_provider,
    pl.clap_cla_placement_postcode AS placement_postcode,
    pl.clap_cla_placement_urn AS placement_urn,
    (SELECT MAX(CAST(r.clar_cla_review_date AS DATE)) FROM ssd_cla_reviews r
     WHERE r.clar_cla_id = c.clae_cla_id AND CAST(r.clar_cla_review_date AS DATE) <= p.last_day)
        AS latest_review_date,
    (SELECT COUNT(*) FROM placements n
     WHERE n.clap_cla_id = c.clae_cla_id AND (n.ended IS NULL OR n.ended >= p.first_day))
        AS placements_in_12_months
FROM periods c
CROSS JOIN period p
LEFT JOIN legal ls ON ls.clae_cla_id = c.clae_cla_id AND ls.from_last = 1
LEFT JOIN placements pl ON pl.clap_cla_id = c.clae_cla_id AND pl.from_last = 1
ORDER BY c.clae_person_id, c.entered, c.clae_cla_id
