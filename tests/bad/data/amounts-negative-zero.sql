-- Negative and zero amounts are refunds and corrections: kept, but no gift
-- (giving counts amounts above 0), so no donor and no sum changes.
INSERT INTO gift VALUES (20, 3, 0, '2026-03-10 10:00+00', NULL, 'cash', NULL),
 (21, 3, -500.00, '2026-03-11 10:00+00', NULL, 'cash', NULL),
 (22, 1, -0.01, '2026-03-11 10:00+00', NULL, 'cash', NULL);
