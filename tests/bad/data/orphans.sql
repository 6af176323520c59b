-- Rows that refer to a person, thread or staff member who does not exist.
-- An unknown staff_id is allowed (the message counts, unattributed).
-- skip: stakeholder_role|unknown stakeholder_id|1
-- skip: thread|unknown stakeholder_id|1
-- skip: interaction|unknown thread_id|2
-- skip: gift|unknown stakeholder_id|1
-- skip: volunteer_shift|unknown stakeholder_id|1
-- skip: service_visit|unknown stakeholder_id|1
-- skip: survey|unknown stakeholder_id|1
-- skip: survey|unknown thread_id|1
INSERT INTO stakeholder_role VALUES (99, 'donor', NULL);
INSERT INTO thread VALUES (20, 99, 'email', 'question', '2026-03-12 09:00+00', NULL);
INSERT INTO interaction VALUES (20, 99, 1, 'email', 'i', '2026-03-12 09:00+00', NULL),
 (21, 20, 99, 'email', 'i', '2026-03-12 09:00+00', NULL);
INSERT INTO gift VALUES (20, 99, 10, '2026-03-10 10:00+00', NULL, 'cash', NULL);
INSERT INTO volunteer_shift VALUES (20, 99, '2026-03-10 09:00+00', 2);
INSERT INTO service_visit VALUES (20, 99, '2026-03-10 09:00+00', NULL);
INSERT INTO survey (id, stakeholder_id, thread_id, sent_at) VALUES
 (20, 99, NULL, '2026-03-10 09:00+00'), (21, 1, 99, '2026-03-10 09:00+00');
