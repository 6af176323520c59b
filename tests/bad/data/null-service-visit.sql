-- NULL where a value is required: service_visit.id, stakeholder_id,
-- occurred_at.
-- skip: service_visit|null id|1
-- skip: service_visit|null stakeholder_id|1
-- skip: service_visit|null occurred_at|1
INSERT INTO service_visit VALUES (NULL, 2, '2026-03-10 09:00+00', 'Advice'),
 (20, NULL, '2026-03-10 09:00+00', 'Advice'), (21, 2, NULL, 'Advice');
