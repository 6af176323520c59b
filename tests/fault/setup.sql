-- setup.sql - the fault suite's hooks, over tests/bad/data/base.sql in the
-- current schema (and sql/output.sql applied): fault_ctl says how long the
-- read of survey and the write of rapport.metric take, so a test can catch
-- the engine in the middle of either and stop the server, cut the
-- connection, let a timeout fire or hold a lock there.
CREATE TABLE fault_ctl (read_secs float8 NOT NULL, write_secs float8 NOT NULL);
INSERT INTO fault_ctl VALUES (0, 0);
ALTER TABLE survey RENAME TO survey_data;
CREATE VIEW survey AS
  SELECT s.* FROM fault_ctl c CROSS JOIN LATERAL pg_sleep(c.read_secs) d, survey_data s;
CREATE FUNCTION slow_write() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  PERFORM pg_sleep(write_secs) FROM fault_ctl;
  RETURN NULL;
END $$;
CREATE TRIGGER slow_write BEFORE INSERT ON rapport.metric
  FOR EACH STATEMENT EXECUTE FUNCTION slow_write();
