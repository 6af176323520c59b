-- Scores and hours outside their scales.
-- skip: survey|csat outside 1-5|2
-- skip: survey|nps outside 0-10|2
-- skip: volunteer_shift|hours outside 0-24|3
INSERT INTO survey (id, stakeholder_id, sent_at, answered_at, csat, nps) VALUES
 (20, 3, '2026-03-10 10:00+00', '2026-03-10 11:00+00', 0, NULL),
 (21, 3, '2026-03-10 10:00+00', '2026-03-10 11:00+00', 6, 5),
 (22, 3, '2026-03-10 10:00+00', '2026-03-10 11:00+00', NULL, -1),
 (23, 3, '2026-03-10 10:00+00', '2026-03-10 11:00+00', 3, 11);
INSERT INTO volunteer_shift VALUES (20, 3, '2026-03-10 09:00+00', 0),
 (21, 3, '2026-03-10 09:00+00', 24.01), (22, 3, '2026-03-10 09:00+00', -2);
