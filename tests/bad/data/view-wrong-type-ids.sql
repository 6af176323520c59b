-- Ids that are not integers (a view casting a CRM's text or numeric keys):
-- skipped as invalid id, with their dependants orphaned.  A direction that
-- is a boolean is no direction.
-- skip: staff|invalid id|1
-- skip: thread|invalid id|1
-- skip: thread|invalid stakeholder_id|1
-- skip: interaction|direction not 'i' or 'o'|1
ALTER TABLE staff RENAME TO staff_crm;
CREATE VIEW staff AS SELECT id::text AS id, name, team FROM staff_crm
  UNION ALL SELECT 'S-7', 'Seven', 'Programs';
ALTER TABLE thread RENAME TO thread_crm;
CREATE VIEW thread AS SELECT id::numeric AS id, stakeholder_id::numeric AS stakeholder_id,
    channel, kind, opened_at, resolved_at FROM thread_crm
  UNION ALL SELECT 1.5, 1, 'email', 'question', '2026-03-12 09:00+00', NULL
  UNION ALL SELECT 30, 1e20, 'email', 'question', '2026-03-12 09:00+00', NULL;
INSERT INTO interaction VALUES (20, 2, 2, 'email', 't', '2026-03-03 11:00+00', 1);
