-- Annex A List 10, adoption: every child with a decision that they should be placed for
-- adoption who was on that path at some point of the 12 months (from the decision to the
-- adoption order, or to the decision that they should no longer be placed for adoption),
-- dates as known on the period's last day. The date placed in a fostering for adoption or
-- concurrent planning placement is the start of the child's first placement of type U2 or
-- U5 in that period of care.
-- Portable SQL (DuckDB and SQL Server).
WITH period AS (
    SELECT CAST('{period_start}' AS DATE) AS first_day, CAST('{period_end}' AS DATE) AS last_day
),
known AS (
    SELECT
        a.perm_table_id, a.perm_person_id, a.perm_cla_id,
        CAST(a.perm_adm_decision_date AS DATE) AS decision_date,
        CASE WHEN CAST(a.perm_placement_order_date AS DATE) <= p.last_day
             THEN CAST(a.perm_placement_order_date AS DATE) END AS placement_order_date,
        CASE WHEN CAST(a.perm_matched_date AS DATE) <= p.last_day
             THEN CAST(a.perm_matched_date AS DATE) END AS matched_date,
        CASE WHEN CAST(a.perm_placed_for_adoption_date AS DATE) <= p.last_day
             THEN CAST(a.perm_placed_for_adoption_date AS DATE) END AS placed_date,
        CASE WHEN a.perm_permanence_order_type = 'Adoption Order'
              AND CAST(a.perm_permanence_order_date AS DATE) <= p.last_day
             THEN CAST(a.perm_permanence_order_date AS DATE) END AS adoption_order_date,
        CASE WHEN CAST(a.perm_decision_reversed_date AS DATE) <= p.last_day
             THEN CAST(a.perm_decision_reversed_date AS DATE) END AS reversed_date,
        a.perm_decision_reversed_reason
    FROM ssd_permanence a CROSS JOIN period p
    WHERE CAST(a.perm_adm_decision_date AS DATE) <= p.last_day
)
SELECT
    k.perm_person_id AS child_id,
    (SELECT MIN(CAST(e.clae_entered_care_date AS DATE)) FROM ssd_cla_episodes e
     WHERE e.clae_cla_id = k.perm_cla_id) AS entered_care_date,
    k.decision_date,
    k.placement_order_date,
    k.matched_date,
    k.placed_date,
    k.adoption_order_date,
    k.reversed_date AS no_longer_placed_date,
    CASE WHEN k.reversed_date IS NOT NULL THEN k.perm_decision_reversed_reason END
        AS no_longer_placed_reason,
    (SELECT MIN(CAST(pl.clap_cla_placement_start_date AS DATE)) FROM ssd_cla_placement pl
     WHERE pl.clap_cla_id = k.perm_cla_id AND pl.clap_cla_placement_type IN ('U2', 'U5')
       AND CAST(pl.clap_cla_placement_start_date AS DATE) <= p.last_day) AS ffa_placed_date
FROM known k CROSS JOIN period p
WHERE COALESCE(k.adoption_order_date, k.reversed_date) IS NULL
   OR COALESCE(k.adoption_order_date, k.reversed_date) >= p.first_day
ORDER BY k.perm_person_id, k.decision_date, k.perm_table_id
