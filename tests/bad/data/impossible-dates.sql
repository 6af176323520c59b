-- Implausible timestamps: year 0001, 9999, before 1900, BC, infinity.
-- Skipped as invalid, whatever the table.
-- skip: thread|invalid opened_at|2
-- skip: interaction|invalid occurred_at|3
-- skip: gift|invalid received_at|1
-- skip: gift|invalid acknowledged_at|1
-- skip: survey|invalid sent_at|1
-- skip: stakeholder_role|invalid since|1
INSERT INTO stakeholder_role VALUES (2, 'volunteer', '0001-01-01');
INSERT INTO thread VALUES (20, 2, 'email', 'question', '0001-01-01 00:00+00', NULL),
 (21, 2, 'email', 'question', 'infinity', NULL);
INSERT INTO interaction VALUES (20, 2, 2, 'email', 'o', '9999-12-31 23:59+00', 1),
 (21, 2, 2, 'email', 'o', '1899-12-31 23:59:59+00', 1),
 (22, 2, 2, 'email', 'o', '0044-03-15 12:00+00 BC', 1);
INSERT INTO gift VALUES (20, 3, 10, '-infinity', NULL, 'cash', NULL),
 (21, 3, 10, '2026-03-10 10:00+00', '9999-01-01 00:00+00', 'cash', NULL);
INSERT INTO survey (id, stakeholder_id, sent_at) VALUES (20, 3, '0001-06-01 00:00+00');
