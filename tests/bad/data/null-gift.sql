-- NULL where a value is required: gift.id, stakeholder_id, amount,
-- received_at.  None of the amounts is counted.
-- skip: gift|null id|1
-- skip: gift|null stakeholder_id|1
-- skip: gift|null amount|1
-- skip: gift|null received_at|1
INSERT INTO gift (id, stakeholder_id, amount, received_at, kind) VALUES
 (NULL, 3, 10, '2026-03-10 10:00+00', 'cash'),
 (20, NULL, 10, '2026-03-10 10:00+00', 'cash'),
 (21, 3, NULL, '2026-03-10 10:00+00', 'cash'),
 (22, 3, 10, NULL, 'cash');
