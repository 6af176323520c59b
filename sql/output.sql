-- rapport output schema.  Idempotent; the engine applies it itself when
-- rapport.run does not exist yet, or an administrator runs it once:
--   psql -v ON_ERROR_STOP=1 -f sql/output.sql
-- (Not CREATE SCHEMA IF NOT EXISTS: PostgreSQL checks the database's CREATE
-- privilege first, which a role that may only write schema rapport lacks.)
DO $$BEGIN
    IF pg_catalog.to_regnamespace('rapport') IS NULL THEN CREATE SCHEMA rapport; END IF;
END$$;

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

-- People flagged at risk by a run (README "At risk"): one row per flagged
-- (stakeholder, role).  reasons is the ordered list [{"code", "strength",
-- "contribution", "text"}], the main cause first; dates are local to the
-- run's time zone.  It names people: grant SELECT to those who work the list.
CREATE TABLE IF NOT EXISTS rapport.flag (
    run_id             bigint NOT NULL REFERENCES rapport.run (id) ON DELETE CASCADE,
    stakeholder_id     bigint NOT NULL,
    role               text   NOT NULL CHECK (role IN ('donor', 'volunteer', 'service_user')),
    score              integer NOT NULL CHECK (score BETWEEN 0 AND 100),
    value_at_risk      double precision,              -- donors: currency units; volunteers: hours
    value_unit         text CHECK (value_unit IN ('currency', 'hours')),
    reasons            jsonb  NOT NULL,
    explanation        text   NOT NULL,
    name               text,
    roles              text,                           -- all the person's roles, ';'-separated
    last_gift_date     date,
    last_gift_amount   numeric(14,2),
    last_contact_date  date,
    last_replied_by    text
);
CREATE INDEX IF NOT EXISTS flag_run_idx ON rapport.flag (run_id, role);

CREATE OR REPLACE VIEW rapport.latest_flag AS
SELECT f.*
  FROM rapport.flag f
 WHERE f.run_id = (SELECT max(id) FROM rapport.run WHERE status = 'succeeded');

-- Concurrent runs.  A run takes the session advisory lock
-- pg_advisory_lock(32195282895598196) (the bytes of "rapport"; in pg_locks
-- classid 7496048, objid 1886351988) before it writes, so two runs never
-- write at once; "risk": {"concurrent_runs": "wait"} makes the second wait,
-- the default "fail" makes it exit 75 at once.  Everything a run writes (its
-- run row, metrics, scores and flags) is written in one transaction at the
-- end; a failed run writes only its run row, with status 'failed'.
--
-- Privileges.  rapport needs no superuser.  Replace rapport_writer (the role
-- `rapport run` connects as), rapport_reader (people using `rapport at-risk`
-- or the rapport.latest_* views) and the input schema public as needed:
--
--   -- read the input tables (sql/schema.sql) and nothing else:
--   GRANT USAGE ON SCHEMA public TO rapport_writer;
--   GRANT SELECT ON public.stakeholder, public.stakeholder_role, public.staff,
--         public.thread, public.interaction, public.gift, public.volunteer_shift,
--         public.service_visit, public.survey TO rapport_writer;
--   -- write the results: only its own schema, made by an administrator:
--   CREATE SCHEMA IF NOT EXISTS rapport;
--   GRANT USAGE, CREATE ON SCHEMA rapport TO rapport_writer;
--   -- The engine then creates its tables and views itself, owned by
--   -- rapport_writer.  (PostgreSQL checks CREATE on the database before it
--   -- sees that a schema exists, so with these grants alone the script's
--   -- first statement must not run CREATE SCHEMA when the schema is there:
--   -- DO $$BEGIN IF pg_catalog.to_regnamespace('rapport') IS NULL THEN
--   -- CREATE SCHEMA rapport; END IF; END$$;)  The advisory lock needs no
--   -- privilege.
--
--   -- read the results (e.g. `rapport at-risk`), including tables the
--   -- engine creates later:
--   GRANT USAGE ON SCHEMA rapport TO rapport_reader;
--   ALTER DEFAULT PRIVILEGES FOR ROLE rapport_writer IN SCHEMA rapport
--         GRANT SELECT ON TABLES TO rapport_reader;
--   -- `rapport at-risk` reads only rapport.run and rapport.flag; dashboards
--   -- read rapport.latest_metric, rapport.latest_score, rapport.latest_flag.
