-- Time running backwards: resolved before opened, acknowledged before
-- received, answered before sent.  The thread's messages become orphans.
-- skip: thread|resolved_at before opened_at|1
-- skip: interaction|unknown thread_id|2
-- skip: gift|acknowledged_at before received_at|1
-- skip: survey|answered_at before sent_at|1
INSERT INTO thread VALUES (20, 2, 'email', 'question', '2026-03-12 09:00+00', '2026-03-12 08:59:59+00');
INSERT INTO interaction VALUES (20, 20, 2, 'email', 'i', '2026-03-12 09:00+00', NULL),
 (21, 20, 2, 'email', 'o', '2026-03-12 10:00+00', 1);
INSERT INTO gift VALUES (20, 3, 10, '2026-03-10 10:00+00', '2026-03-10 09:00+00', 'cash', NULL);
INSERT INTO survey (id, stakeholder_id, sent_at, answered_at, csat) VALUES
 (20, 3, '2026-03-10 10:00+00', '2026-03-09 10:00+00', 1);
