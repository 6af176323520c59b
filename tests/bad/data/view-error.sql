-- A view that fails while it is read (division by zero in the CRM's
-- view): the run stops with the server's message and writes nothing.
-- exit: 70
-- stderr: rapport: reading survey failed: ERROR: division by zero
ALTER TABLE survey RENAME TO survey_crm;
CREATE VIEW survey AS SELECT id, stakeholder_id, thread_id, sent_at, answered_at,
    (csat / (id - 2))::smallint AS csat, nps FROM survey_crm;
