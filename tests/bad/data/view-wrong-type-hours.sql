-- A view whose column has the wrong type: hours as an interval, csat as
-- words.  Every such row is skipped as invalid; the rest stand.  With
-- every shift skipped, rapport check calls the table unusable.
-- skip: volunteer_shift|invalid hours|1
-- skip: survey|invalid csat|1
-- figure: vol_active|0
-- figure: vol_hours|0
-- figure: csat_n|1
-- figure: csat_pct|0
-- figure: sat_sent|1
-- figure: nps|-100
-- check: 65
ALTER TABLE volunteer_shift RENAME TO shift_crm;
CREATE VIEW volunteer_shift AS
  SELECT id, stakeholder_id, started_at, make_interval(mins => (hours * 60)::int) AS hours
    FROM shift_crm;
ALTER TABLE survey RENAME TO survey_crm;
CREATE VIEW survey AS
  SELECT id, stakeholder_id, thread_id, sent_at, answered_at,
         CASE WHEN csat = 5 THEN 'very good' ELSE csat::text END AS csat, nps
    FROM survey_crm;
