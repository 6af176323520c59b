-- Ids that repeat an earlier row's: the repeat is skipped, so no person,
-- thread, gift, shift, visit or survey counts twice.
-- skip: stakeholder|duplicate id|1
-- skip: staff|duplicate id|1
-- skip: thread|duplicate id|1
-- skip: gift|duplicate id|2
-- skip: volunteer_shift|duplicate id|1
-- skip: service_visit|duplicate id|1
-- skip: survey|duplicate id|1
INSERT INTO stakeholder (id, display_name) VALUES (1, 'Ada Clone');
INSERT INTO staff VALUES (1, 'Riya Clone', 'Programs');
INSERT INTO thread VALUES (1, 2, 'phone', 'complaint', '2026-03-12 09:00+00', NULL);
INSERT INTO gift VALUES (1, 1, 50.00, '2026-03-04 10:00+00', '2026-03-05 10:00+00', 'cash', 'Spring'),
 (3, 2, 100.00, '2026-03-21 10:00+00', NULL, 'grant', NULL);
INSERT INTO volunteer_shift VALUES (1, 3, '2026-03-07 09:00+00', 3.50);
INSERT INTO service_visit VALUES (1, 1, '2026-03-08 10:00+00', 'Advice');
INSERT INTO survey (id, stakeholder_id, thread_id, sent_at, answered_at, csat, nps) VALUES
 (2, 2, 2, '2026-03-04 09:00+00', '2026-03-04 10:00+00', 2, 3);
