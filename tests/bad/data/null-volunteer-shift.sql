-- NULL where a value is required: volunteer_shift.id, stakeholder_id,
-- started_at, hours.
-- skip: volunteer_shift|null id|1
-- skip: volunteer_shift|null stakeholder_id|1
-- skip: volunteer_shift|null started_at|1
-- skip: volunteer_shift|null hours|1
INSERT INTO volunteer_shift VALUES (NULL, 3, '2026-03-10 09:00+00', 2),
 (20, NULL, '2026-03-10 09:00+00', 2), (21, 3, NULL, 2), (22, 3, '2026-03-10 09:00+00', NULL);
