-- Annex A List 1, contacts: every contact dated in the list's window (six months).
-- Portable SQL (DuckDB and SQL Server).
SELECT
    c.cont_person_id AS child_id,
    CAST(c.cont_contact_date AS DATE) AS contact_date,
    c.cont_contact_source_code AS contact_source
FROM ssd_contacts c
WHERE CAST(c.cont_contact_date AS DATE) BETWEEN CAST('{period_start}' AS DATE)
                                            AND CAST('{period_end}' AS DATE)
ORDER BY c.cont_person_id, c.cont_contact_date, c.cont_contact_id
