-- Values outside the contract's words: direction, role.  Unknown channels
-- and kinds are not errors: they count as "other".
-- skip: interaction|direction not 'i' or 'o'|3
-- skip: stakeholder_role|unknown role|2
INSERT INTO interaction VALUES (20, 2, 2, 'email', 'x', '2026-03-03 11:00+00', 1),
 (21, 2, 2, 'email', 'I', '2026-03-03 11:00+00', 1),
 (22, 2, 2, 'email', ' ', '2026-03-03 11:00+00', 1);
INSERT INTO stakeholder_role VALUES (2, 'astronaut', NULL), (2, 'Donor', NULL);
