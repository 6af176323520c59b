-- NULL where a value is required: thread.id, stakeholder_id, opened_at.  The
-- replies in the threads that were skipped are orphans.
-- skip: thread|null id|1
-- skip: thread|null stakeholder_id|1
-- skip: thread|null opened_at|1
-- skip: interaction|unknown thread_id|2
INSERT INTO thread (id, stakeholder_id, channel, kind, opened_at) VALUES
 (NULL, 1, 'email', 'question', '2026-03-12 09:00+00'),
 (20, NULL, 'email', 'question', '2026-03-12 09:00+00'),
 (21, 1, 'email', 'question', NULL);
INSERT INTO interaction VALUES (20, 20, 1, 'email', 'i', '2026-03-12 09:00+00', NULL),
 (21, 21, 1, 'email', 'i', '2026-03-12 09:00+00', NULL);
