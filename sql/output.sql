-- rapport output schema.  Idempotent; the engine applies it itself when
-- rapport.run does not exist yet, or an administrator runs it once:
--   psql -v ON_ERROR_STOP=1 -f sql/output.sql
CREATE SCHEMA IF NOT EXISTS rapport;

-- One row per engine run.  status: succeeded | failed.
CREATE TABLE IF NOT EXISTS rapport.run (
    id              bigserial PRIMARY KEY,
    period          text        NOT NULL,          -- 'YYYY-MM'
    period_start    timestamptz,
    period_end      timestamptz,                   -- the as-of instant
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    engine_version  text        NOT NULL,
    config          jsonb       NOT NULL,
    status          text        NOT NULL CHECK (status IN ('succeeded', 'failed')),
    error           text
);

-- Metrics in long form: one row per figure.  month is the first day of the
-- month the figure describes; dims holds the breakdown (e.g. {"channel":
-- "email"}; {} for all channels together).
CREATE TABLE IF NOT EXISTS rapport.metric (
    run_id  bigint NOT NULL REFERENCES rapport.run (id) ON DELETE CASCADE,
    month   date   NOT NULL,
    name    text   NOT NULL,
    dims    jsonb  NOT NULL DEFAULT '{}',
    value   double precision,                      -- NULL when undefined (n = 0)
    n       bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS metric_run_idx ON rapport.metric (run_id, name);

-- The newest successful run's metrics.
CREATE OR REPLACE VIEW rapport.latest_metric AS
SELECT m.*
  FROM rapport.metric m
 WHERE m.run_id = (SELECT max(id) FROM rapport.run WHERE status = 'succeeded');

-- Per-stakeholder model scores of a run (README "Models"): NULL where the
-- person has no counted gift or the model could not be fitted.
CREATE TABLE IF NOT EXISTS rapport.score (
    run_id              bigint NOT NULL REFERENCES rapport.run (id) ON DELETE CASCADE,
    stakeholder_id      bigint NOT NULL,
    x                   double precision,
    t_x                 double precision,
    "T"                 double precision,
    p_alive             double precision,
    expected_gifts_52w  double precision,
    expected_avg_gift   double precision,
    expected_value_52w  double precision
);
CREATE INDEX IF NOT EXISTS score_run_idx ON rapport.score (run_id, stakeholder_id);

CREATE OR REPLACE VIEW rapport.latest_score AS
SELECT s.*
  FROM rapport.score s
 WHERE s.run_id = (SELECT max(id) FROM rapport.run WHERE status = 'succeeded');
