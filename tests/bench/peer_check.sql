-- peer_check.sql - is the SQL peer computing the same figures as rapport?
--
-- psql variables: config, period (as for peer.sql, which must be loaded
-- first in the same session) and metrics, the absolute path of the
-- metrics.json of a rapport run with write-back (read by the server with
-- pg_read_file, as tests/integration/demo.sh does); the per-donor figures
-- are compared with rapport.latest_score, so that run must be the latest.
--
-- Prints lines, '|'-separated:
--   summary|FAMILY|FIGURES COMPARED|MISMATCHES
--   mismatch|FAMILY|ITEM|FIELD|PEER|RAPPORT       (at most 40)
--   note|TEXT
-- Counts and amounts (in cents) must be equal; durations, percentages and
-- rates within 1e-9; a figure rapport withholds (null, n below min_n) must
-- rest on fewer than min_n items in the peer too.

-- n: figures a row stands for; bad: mismatches it stands for
CREATE TEMP TABLE chk (seq bigserial, family text, item text, field text, peer text, rapport text,
                       ok boolean, n bigint DEFAULT 1, bad bigint);
CREATE TEMP TABLE doc AS SELECT pg_read_file(:'metrics')::jsonb AS j;

-- a float figure: equal within 1e-9, or withheld by rapport where the peer's
-- base is below min_n
CREATE FUNCTION pg_temp.feq(p float8, r float8, base bigint, min_n bigint) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN r IS NULL THEN p IS NULL OR base < min_n
                WHEN p IS NULL THEN false
                ELSE abs(p - r) <= 1e-9 END $$;

-- What the peer does not implement.
INSERT INTO chk (family, item, field, peer, rapport, ok)
SELECT 'preconditions', 'rows skipped by rapport', 'data_quality.rows_skipped', '0',
       j #>> '{data_quality,rows_skipped}', (j #>> '{data_quality,rows_skipped}')::bigint = 0
  FROM doc
UNION ALL
SELECT 'preconditions', 'SLA clock of ' || channel, 'clock', 'calendar', clock, clock = 'calendar'
  FROM peer_sla
UNION ALL
SELECT 'preconditions', 'giving unit', 'unit', 'individual', j #>> '{donors,unit}',
       j #>> '{donors,unit}' = 'individual'
  FROM doc;

-- First response: the period (responsiveness.overall and .by_channel) and
-- each of the 13 months (responsiveness.by_month), per channel and 'all'.
INSERT INTO chk (family, item, field, peer, rapport, ok)
WITH r AS (
    SELECT 'first response, period' AS family, :'period' AS month, 'all' AS channel,
           j #> '{responsiveness,overall}' AS c
      FROM doc
    UNION ALL
    SELECT 'first response, period', :'period', ch ->> 'channel', ch
      FROM doc, jsonb_array_elements(j #> '{responsiveness,by_channel}') ch
    UNION ALL
    SELECT 'first response, 13 months', bm ->> 'month', 'all', bm
      FROM doc, jsonb_array_elements(j #> '{responsiveness,by_month}') bm
    UNION ALL
    SELECT 'first response, 13 months', bm ->> 'month', ch ->> 'channel', ch
      FROM doc, jsonb_array_elements(j #> '{responsiveness,by_month}') bm,
           jsonb_array_elements(bm -> 'by_channel') ch),
fam AS (SELECT DISTINCT family, month FROM r),
p AS (SELECT fam.family, pr.* FROM peer_responsiveness pr JOIN fam ON fam.month = pr.month),
m AS (
    SELECT coalesce(p.family, r.family) AS family,
           coalesce(p.month, r.month) || ' ' || coalesce(p.channel, r.channel) AS item,
           p.threads, p.n, p.median, p.p90, p.within, p.past, p.pending, p.within_sla_pct, r.c,
           (SELECT (j #>> '{responsiveness,min_n}')::bigint FROM doc) AS min_n
      FROM p FULL JOIN (SELECT * FROM r WHERE (c ->> 'threads')::bigint > 0) r
        ON r.family = p.family AND r.month = p.month AND r.channel = p.channel)
SELECT family, item, f.field, f.pv, f.rv, coalesce(f.ok, false)
  FROM m, LATERAL (VALUES
    ('threads', m.threads::text, c ->> 'threads', m.threads = (c ->> 'threads')::bigint),
    ('first_response_hours.n', m.n::text, c #>> '{first_response_hours,n}',
     m.n = (c #>> '{first_response_hours,n}')::bigint),
    ('first_response_hours.median', m.median::text, c #>> '{first_response_hours,median}',
     pg_temp.feq(m.median, (c #>> '{first_response_hours,median}')::float8, m.n, m.min_n)),
    ('first_response_hours.p90', m.p90::text, c #>> '{first_response_hours,p90}',
     pg_temp.feq(m.p90, (c #>> '{first_response_hours,p90}')::float8, m.n, m.min_n)),
    ('answered_within_sla', m.within::text, c ->> 'answered_within_sla',
     m.within = (c ->> 'answered_within_sla')::bigint),
    ('unanswered_past_sla', m.past::text, c ->> 'unanswered_past_sla',
     m.past = (c ->> 'unanswered_past_sla')::bigint),
    ('pending', m.pending::text, c ->> 'pending', m.pending = (c ->> 'pending')::bigint),
    ('within_sla_pct', m.within_sla_pct::text, c ->> 'within_sla_pct',
     pg_temp.feq(m.within_sla_pct, (c ->> 'within_sla_pct')::float8, m.n + m.past, m.min_n))
  ) AS f(field, pv, rv, ok);

-- FEP retention, every fiscal year (donors.retention), every PAIR field.
INSERT INTO chk (family, item, field, peer, rapport, ok)
WITH r AS (SELECT y ->> 'year' AS year, y FROM doc, jsonb_array_elements(j #> '{donors,retention}') y),
m AS (SELECT coalesce(p.year, r.year) AS year, to_jsonb(p) AS pj, r.y
        FROM peer_retention p FULL JOIN r ON r.year = p.year)
SELECT 'FEP retention', m.year, f.key, m.pj ->> f.key, m.y ->> f.key,
       coalesce(CASE
           WHEN f.key = 'partial' THEN (m.pj -> f.key) = (m.y -> f.key)
           WHEN f.key IN ('amount', 'amount_prior', 'amount_retained')
               THEN round((m.pj ->> f.key)::numeric * 100) = round((m.y ->> f.key)::numeric * 100)
           WHEN f.key IN ('rate', 'new_donor_rate', 'repeat_donor_rate', 'recapture_rate',
                          'dollar_retention')
               THEN pg_temp.feq((m.pj ->> f.key)::float8, (m.y ->> f.key)::float8, 0, 0)
           ELSE (m.pj ->> f.key)::bigint = (m.y ->> f.key)::bigint END, false)
  FROM m, unnest(ARRAY['partial', 'donors', 'amount', 'new_donors', 'donors_prior', 'amount_prior',
                       'retained', 'rate', 'new_donors_prior', 'new_donors_retained',
                       'new_donor_rate', 'repeat_donors_prior', 'repeat_donors_retained',
                       'repeat_donor_rate', 'lapsed_pool', 'recaptured', 'recapture_rate',
                       'amount_retained', 'dollar_retention']) AS f(key);

-- LYBUNT (donors.lybunt).
INSERT INTO chk (family, item, field, peer, rapport, ok)
SELECT 'LYBUNT', coalesce(p.fiscal_year, 'none'), f.field, f.pv, f.rv, coalesce(f.ok, false)
  FROM doc LEFT JOIN peer_lybunt p ON true,
       LATERAL (VALUES
         ('fiscal_year', p.fiscal_year, j #>> '{donors,lybunt,fiscal_year}',
          p.fiscal_year = j #>> '{donors,lybunt,fiscal_year}'),
         ('donors', coalesce(p.donors, 0)::text, j #>> '{donors,lybunt,donors}',
          coalesce(p.donors, 0) = (j #>> '{donors,lybunt,donors}')::bigint),
         ('last_year_amount', coalesce(p.last_year_amount, 0)::text,
          j #>> '{donors,lybunt,last_year_amount}',
          round(coalesce(p.last_year_amount, 0) * 100)
              = round((j #>> '{donors,lybunt,last_year_amount}')::numeric * 100))
       ) AS f(field, pv, rv, ok);

-- Per-donor x, t_x, T: every donor, against rapport.latest_score.
CREATE TEMP TABLE score_cmp AS
SELECT coalesce(p.stakeholder_id, s.stakeholder_id) AS stakeholder_id,
       p.x AS px, p.t_x AS ptx, p."T" AS pt, s.x AS rx, s.t_x AS rtx, s."T" AS rt,
       coalesce(p.x = s.x AND abs(p.t_x - s.t_x) <= 1e-9 AND abs(p."T" - s."T") <= 1e-9, false) AS ok
  FROM peer_history p
  FULL JOIN (SELECT * FROM rapport.latest_score WHERE x IS NOT NULL) s
    ON s.stakeholder_id = p.stakeholder_id;
INSERT INTO chk (family, item, field, peer, rapport, ok, n, bad)
SELECT 'x, t_x, T per donor', 'every donor', 'donors scored',
       count(px)::text, count(rx)::text, count(px) = count(rx) AND count(*) > 0, 3 * count(*),
       (NOT (count(px) = count(rx) AND count(*) > 0))::int + count(*) FILTER (WHERE NOT ok)
  FROM score_cmp;
INSERT INTO chk (family, item, field, peer, rapport, ok, n, bad)
SELECT 'x, t_x, T per donor', 'stakeholder ' || stakeholder_id, 'x, t_x, T',
       concat_ws(', ', px, ptx, pt), concat_ws(', ', rx, rtx, rt), false, 0, 0
  FROM (SELECT * FROM score_cmp WHERE NOT ok ORDER BY stakeholder_id LIMIT 40) s;
UPDATE chk SET bad = (NOT ok)::int WHERE bad IS NULL;

\pset format unaligned
\pset tuples_only on
\pset fieldsep '|'
\pset null ''
SELECT 'summary', family, sum(n), sum(bad) FROM chk GROUP BY family ORDER BY min(seq);
SELECT 'mismatch', family, item, field, peer, rapport FROM chk WHERE NOT ok ORDER BY seq LIMIT 40;
SELECT 'note', 'last complete fiscal year ' || r.year || ': retention rate ' || coalesce(r.rate::text, 'null')
       || ' (' || r.retained || ' of ' || r.donors_prior || ' donors), peer = rapport: '
       || (SELECT CASE WHEN bool_and(ok) THEN 'yes' ELSE 'NO' END FROM chk
            WHERE family = 'FEP retention' AND item = r.year)
  FROM peer_retention r
 WHERE NOT r.partial
 ORDER BY r.year DESC LIMIT 1;
