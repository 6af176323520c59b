-- An outbound message before the first inbound one is no reply: thread 5's
-- first response is the reply 2 h after the request (first responses
-- 2, 2, 4, 6, 30 h).  A reply at the very instant of the request is 0 h.
-- figure: threads|6
-- figure: fr|{"median":3,"p90":18,"mean":7.33333333333333,"n":6}
-- figure: within_sla|83.3333333333333
-- figure: staff|[["1",2],["2",4]]
-- figure: teams|[["Supporter care",2],["Programs",4]]
INSERT INTO thread VALUES (5, 2, 'email', 'question', '2026-03-12 09:00+00', NULL),
 (6, 3, 'email', 'question', '2026-03-13 09:00+00', NULL);
INSERT INTO interaction VALUES (20, 5, 2, 'email', 'o', '2026-03-12 08:00+00', 1),
 (21, 5, 2, 'email', 'i', '2026-03-12 10:00+00', NULL),
 (22, 5, 2, 'email', 'o', '2026-03-12 12:00+00', 2),
 (23, 6, 3, 'email', 'i', '2026-03-13 09:00+00', NULL),
 (24, 6, 3, 'email', 'o', '2026-03-13 09:00+00', 2);
