-- base.sql - the valid rows every data case starts from (March 2026, UTC;
-- config.json: SLA 24 h, min_n 1).  Each case adds bad rows to these; the
-- good figures must come out exactly as from the base alone.
--   threads 1-4 (email), answered in 2, 4, 6 and 30 h: median 5, 3 of 4
--   within the SLA; gifts 50 + 25.50 from Ada, 100 from Ben; Cy volunteers
--   3.5 h; Ada visits once; two surveys, CSAT 5 and 2.
INSERT INTO stakeholder (id, display_name, email, phone, household_id, created_at) VALUES
 (1, 'Ada Lovelace', 'ada@example.org', NULL, NULL, '2025-01-01 00:00+00'),
 (2, 'Ben Okafor', NULL, NULL, NULL, '2025-01-01 00:00+00'),
 (3, 'Cy Tan', NULL, NULL, NULL, NULL);
INSERT INTO stakeholder_role VALUES (1, 'donor', '2025-01-01'), (2, 'donor', NULL),
 (3, 'volunteer', NULL), (1, 'service_user', NULL);
INSERT INTO staff VALUES (1, 'Riya Shah', 'Supporter care'), (2, 'Tom Berg', 'Programs');
INSERT INTO thread (id, stakeholder_id, channel, kind, opened_at, resolved_at) VALUES
 (1, 1, 'email', 'question', '2026-03-02 09:00+00', '2026-03-02 12:00+00'),
 (2, 2, 'email', 'question', '2026-03-03 10:00+00', NULL),
 (3, 3, 'email', 'concern',  '2026-03-05 08:00+00', NULL),
 (4, 1, 'email', 'request',  '2026-03-09 09:00+00', NULL);
INSERT INTO interaction (id, thread_id, stakeholder_id, channel, direction, occurred_at, staff_id) VALUES
 (1, 1, 1, 'email', 'i', '2026-03-02 09:00+00', NULL),
 (2, 1, 1, 'email', 'o', '2026-03-02 11:00+00', 1),
 (3, 2, 2, 'email', 'i', '2026-03-03 10:00+00', NULL),
 (4, 2, 2, 'email', 'o', '2026-03-03 14:00+00', 2),
 (5, 3, 3, 'email', 'i', '2026-03-05 08:00+00', NULL),
 (6, 3, 3, 'email', 'o', '2026-03-05 14:00+00', 1),
 (7, 4, 1, 'email', 'i', '2026-03-09 09:00+00', NULL),
 (8, 4, 1, 'email', 'o', '2026-03-10 15:00+00', 2);
INSERT INTO gift (id, stakeholder_id, amount, received_at, acknowledged_at, kind, campaign) VALUES
 (1, 1, 50.00, '2026-03-04 10:00+00', '2026-03-05 10:00+00', 'cash', 'Spring'),
 (2, 1, 25.50, '2026-03-20 10:00+00', NULL, 'cash', NULL),
 (3, 2, 100.00, '2026-03-21 10:00+00', NULL, 'grant', NULL);
INSERT INTO volunteer_shift VALUES (1, 3, '2026-03-07 09:00+00', 3.50);
INSERT INTO service_visit VALUES (1, 1, '2026-03-08 10:00+00', 'Advice');
INSERT INTO survey (id, stakeholder_id, thread_id, sent_at, answered_at, csat, nps) VALUES
 (1, 1, 1, '2026-03-03 09:00+00', '2026-03-03 10:00+00', 5, 10),
 (2, 2, 2, '2026-03-04 09:00+00', '2026-03-04 10:00+00', 2, 3);
