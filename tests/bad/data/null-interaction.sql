-- NULL where a value is required: interaction.id, thread_id, direction,
-- occurred_at.
-- skip: interaction|null id|1
-- skip: interaction|null thread_id|1
-- skip: interaction|null direction|1
-- skip: interaction|null occurred_at|1
INSERT INTO interaction VALUES (NULL, 2, 2, 'email', 'o', '2026-03-03 11:00+00', 1),
 (20, NULL, 2, 'email', 'o', '2026-03-03 11:00+00', 1),
 (21, 2, 2, 'email', NULL, '2026-03-03 11:00+00', 1),
 (22, 2, 2, 'email', 'o', NULL, 1);
