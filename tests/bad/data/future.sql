-- Rows dated after the period end (the as-of rule): ignored and counted
-- as rows_after_period in every table, never in a figure.  A thread opened
-- after the end does not exist yet, and neither do its messages.
-- after: stakeholder_role|1
-- after: thread|1
-- after: interaction|2
-- after: gift|1
-- after: volunteer_shift|1
-- after: service_visit|1
-- after: survey|1
INSERT INTO stakeholder_role VALUES (2, 'volunteer', '2031-01-01');
INSERT INTO thread VALUES (20, 2, 'phone', 'complaint', '2030-06-01 09:00+00', NULL);
INSERT INTO interaction VALUES (20, 20, 2, 'phone', 'i', '2030-06-01 09:00+00', NULL),
 (21, 1, 1, 'email', 'o', '2026-04-01 00:00+00', 1);
INSERT INTO gift VALUES (20, 3, 1000, '2030-01-01 10:00+00', NULL, 'cash', NULL);
INSERT INTO volunteer_shift VALUES (20, 3, '2199-12-31 09:00+00', 8);
INSERT INTO service_visit VALUES (20, 2, '2026-04-01 00:00:00.000001+00', 'Advice');
INSERT INTO survey (id, stakeholder_id, sent_at, answered_at, csat) VALUES
 (20, 3, '2027-01-01 09:00+00', '2027-01-02 09:00+00', 1);
