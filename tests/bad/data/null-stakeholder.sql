-- NULL where a value is required: stakeholder.id.
-- skip: stakeholder|null id|1
INSERT INTO stakeholder (id, display_name) VALUES (NULL, 'Nobody');
