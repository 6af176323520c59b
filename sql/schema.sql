-- rapport input data contract.
--
-- Idempotent DDL for the tables rapport reads.  Run it inside the schema the
-- engine is pointed at (`rapport run --schema NAME`, default public), e.g.
--   psql -v ON_ERROR_STOP=1 -c 'SET search_path = myschema' -f sql/schema.sql
--
-- The engine relies on NO constraint declared here: organisations point it at
-- their own tables or views with these names and columns.  Every row is
-- validated by the engine itself; invalid rows are skipped and counted by
-- table and reason (metrics.json "data_quality").  The constraints below are
-- only a convenience for organisations that load data into these tables.

CREATE TABLE IF NOT EXISTS stakeholder (
    id            bigint,
    display_name  text,
    email         text,
    phone         text,
    household_id  bigint NULL,
    created_at    timestamptz
);

-- role: service_user | volunteer | donor.  One person may hold several roles.
CREATE TABLE IF NOT EXISTS stakeholder_role (
    stakeholder_id bigint,
    role           text,
    since          date
);

CREATE TABLE IF NOT EXISTS staff (
    id    bigint,
    name  text,
    team  text
);

-- A conversation or case.
-- channel: email | phone | social | chat | letter | in_person | web_form
--          (anything else is counted as "other")
-- kind:    question | concern | complaint | praise | request | update
--          (update = outbound-only news or appeals)
CREATE TABLE IF NOT EXISTS thread (
    id              bigint,
    stakeholder_id  bigint,
    channel         text,
    kind            text,
    opened_at       timestamptz,
    resolved_at     timestamptz NULL
);

-- One message or call.  direction: 'i' inbound from the stakeholder,
-- 'o' outbound from the organisation.
CREATE TABLE IF NOT EXISTS interaction (
    id              bigint,
    thread_id       bigint,
    stakeholder_id  bigint,
    channel         text,
    direction       char(1),
    occurred_at     timestamptz,
    staff_id        bigint NULL
);

-- kind: cash | in_kind | grant | sponsorship | bequest | pledge_payment
CREATE TABLE IF NOT EXISTS gift (
    id               bigint,
    stakeholder_id   bigint,
    amount           numeric(14,2),
    received_at      timestamptz,
    acknowledged_at  timestamptz NULL,
    kind             text,
    campaign         text NULL
);

CREATE TABLE IF NOT EXISTS volunteer_shift (
    id              bigint,
    stakeholder_id  bigint,
    started_at      timestamptz,
    hours           numeric(6,2)
);

CREATE TABLE IF NOT EXISTS service_visit (
    id              bigint,
    stakeholder_id  bigint,
    occurred_at     timestamptz,
    program         text
);

-- csat 1-5, nps 0-10; answered_at NULL = sent and not answered.
CREATE TABLE IF NOT EXISTS survey (
    id              bigint,
    stakeholder_id  bigint,
    thread_id       bigint NULL,
    sent_at         timestamptz,
    answered_at     timestamptz NULL,
    csat            smallint NULL,
    nps             smallint NULL
);
