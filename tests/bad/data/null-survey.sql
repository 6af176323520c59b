-- NULL where a value is required: survey.id, stakeholder_id, sent_at.
-- skip: survey|null id|1
-- skip: survey|null stakeholder_id|1
-- skip: survey|null sent_at|1
INSERT INTO survey (id, stakeholder_id, thread_id, sent_at, answered_at, csat, nps) VALUES
 (NULL, 3, NULL, '2026-03-10 09:00+00', '2026-03-10 10:00+00', 1, 0),
 (20, NULL, NULL, '2026-03-10 09:00+00', '2026-03-10 10:00+00', 1, 0),
 (21, 3, NULL, NULL, '2026-03-10 10:00+00', 1, 0);
