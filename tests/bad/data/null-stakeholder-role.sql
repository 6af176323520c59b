-- NULL where a value is required: stakeholder_role.stakeholder_id and role.
-- skip: stakeholder_role|null stakeholder_id|1
-- skip: stakeholder_role|null role|1
INSERT INTO stakeholder_role VALUES (NULL, 'donor', NULL), (3, NULL, NULL);
