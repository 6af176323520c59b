-- one_thread.sql - over data/base.sql: thread 9, one chat with :n messages,
-- inbound and outbound in turn, one second apart, from 1 March 2026.
INSERT INTO thread VALUES (9, 3, 'chat', 'question', '2026-03-01 00:00+00', NULL);
INSERT INTO interaction (id, thread_id, stakeholder_id, channel, direction, occurred_at, staff_id)
SELECT 1000 + g, 9, 3, 'chat', CASE WHEN g % 2 = 0 THEN 'i' ELSE 'o' END,
       timestamptz '2026-03-01 00:00+00' + g * interval '1 second', 1 + g % 2
  FROM generate_series(0, :n - 1) g;
