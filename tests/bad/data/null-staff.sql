-- NULL where a value is required: staff.id.
-- skip: staff|null id|1
INSERT INTO staff VALUES (NULL, 'Nameless', 'Programs');
