-- peer.sql - the SQL peer of the benchmark: rapport's headline figures
-- computed by plain SQL in PostgreSQL, from the same tables, with the same
-- definitions (README "Responsiveness", "Giving and retention", "Models").
--
-- psql variables:  config   the JSON configuration given to rapport (text)
--                  period   the month reported, YYYY-MM
-- Run it in the database holding the input tables (search_path); it only
-- creates TEMP views, so nothing is computed until they are queried:
--
--   peer_responsiveness  first response per thread, then per month (the
--                        period and the 12 months before) and channel (and
--                        'all'): threads, n, median, p90, mean, within SLA
--   peer_retention       FEP retention per fiscal year (every PAIR field)
--   peer_lybunt          LYBUNT of the current fiscal year
--   peer_history         per donor x, t_x, T (BG/NBD inputs, in weeks)
--
-- tests/bench/run.sh times a SELECT * of each; tests/bench/peer_check.sql
-- compares them with rapport's metrics.json and rapport.score.
--
-- The input contract promises no constraint and rapport validates every row;
-- the peer keeps the checks that decide these figures (the as-of rule,
-- interactions of a known thread, threads and gifts of a known
-- stakeholder, direction, counted gifts) and assumes the others hold.
-- peer_check.sql asserts that rapport skipped no row, so on the data checked
-- the two read the same rows.  Business-hours SLAs and household units are
-- outside the peer's scope (the demo configuration uses neither; the check
-- says so if they are asked for).

-- The run's parameters, from the configuration as rapport reads it.
CREATE TEMP VIEW peer_params AS
SELECT c.tz, c.fy_start, c.label_end, c.kinds, c.household,
       c.m0 AT TIME ZONE c.tz                          AS s,     -- first instant of the period
       (c.m0 + interval '1 month') AT TIME ZONE c.tz   AS e,     -- first instant after it
       (c.m0 - interval '12 months') AT TIME ZONE c.tz AS w0,    -- first of the 13 months
       ((c.m0 + interval '1 month') AT TIME ZONE c.tz - interval '1 microsecond')
           AT TIME ZONE c.tz                             AS as_of_local,
       -- the current fiscal year, by its first calendar year
       extract(year FROM c.m0)::int - (extract(month FROM c.m0)::int < c.fy_start)::int AS cur_fy
  FROM (SELECT coalesce(j ->> 'timezone', 'UTC') AS tz,
               coalesce((j ->> 'fiscal_year_start_month')::int, 1) AS fy_start,
               coalesce(j #>> '{giving,fiscal_year_label}', 'end') = 'end' AS label_end,
               CASE WHEN jsonb_typeof(j #> '{giving,kinds}') = 'array'
                    THEN ARRAY(SELECT jsonb_array_elements_text(j #> '{giving,kinds}'))
                    ELSE ARRAY['cash', 'grant', 'sponsorship', 'bequest', 'pledge_payment', 'other']
               END AS kinds,
               coalesce(j #>> '{giving,unit}', 'individual') = 'household' AS household,
               (:'period' || '-01')::timestamp AS m0
          FROM (SELECT (:'config')::jsonb AS j) cfg) c;

-- Each channel's SLA in microseconds (24 calendar hours unless configured).
CREATE TEMP VIEW peer_sla AS
SELECT ch AS channel,
       round(coalesce(CASE jsonb_typeof(v) WHEN 'number' THEN (v #>> '{}')::float8
                                           WHEN 'object' THEN (v ->> 'hours')::float8 END,
                      24) * 3600e6)::bigint AS sla_us,
       coalesce(CASE jsonb_typeof(v) WHEN 'object' THEN v ->> 'clock' END, 'calendar') AS clock
  FROM unnest(ARRAY['email', 'phone', 'social', 'chat', 'letter', 'in_person', 'web_form',
                    'other']) AS ch,
       LATERAL (SELECT (:'config')::jsonb -> 'sla_hours' -> ch AS v) s;

-- First response per thread whose first inbound message falls in the 13
-- months: t = the first inbound interaction, r = the first outbound one at or
-- after it (NULL: unanswered as of the period end).
CREATE TEMP VIEW peer_first_response AS
WITH p AS (SELECT * FROM peer_params),
fi AS (
    SELECT i.thread_id, min(i.occurred_at) AS t
      FROM interaction i, p
     WHERE i.direction = 'i' AND i.occurred_at < p.e
     GROUP BY i.thread_id
    HAVING min(i.occurred_at) >= min(p.w0)),
fo AS (
    SELECT i.thread_id, min(i.occurred_at) AS r
      FROM interaction i JOIN fi ON fi.thread_id = i.thread_id, p
     WHERE i.direction = 'o' AND i.occurred_at >= fi.t AND i.occurred_at < p.e
     GROUP BY i.thread_id)
SELECT th.id AS thread_id,
       CASE WHEN lower(th.channel) IN ('email', 'phone', 'social', 'chat', 'letter', 'in_person',
                                       'web_form')
            THEN lower(th.channel) ELSE 'other' END AS channel,
       fi.t, fo.r
  FROM thread th
  JOIN fi ON fi.thread_id = th.id
  LEFT JOIN fo ON fo.thread_id = th.id
 WHERE th.stakeholder_id IN (SELECT id FROM stakeholder);

CREATE TEMP VIEW peer_responsiveness AS
WITH p AS (SELECT * FROM peer_params),
f AS (
    SELECT to_char(f.t AT TIME ZONE p.tz, 'YYYY-MM') AS month, f.channel,
           (extract(epoch FROM f.r - f.t) / 3600)::float8 AS h,
           f.r IS NOT NULL AS answered,
           extract(epoch FROM coalesce(f.r, p.e) - f.t) * 1000000 AS wait_us,
           s.sla_us
      FROM peer_first_response f JOIN peer_sla s ON s.channel = f.channel, p),
agg AS (
    SELECT month, coalesce(channel, 'all') AS channel,
           count(*) AS threads,
           count(h) AS n,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY h) AS median,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY h) AS p90,
           avg(h) AS mean,
           count(*) FILTER (WHERE answered AND wait_us <= sla_us) AS within,
           count(*) FILTER (WHERE NOT answered AND wait_us > sla_us) AS past,
           count(*) FILTER (WHERE NOT answered AND wait_us <= sla_us) AS pending
      FROM f
     GROUP BY GROUPING SETS ((month, channel), (month)))
SELECT month, channel, threads, n, median, p90, mean, within, past, pending,
       (100.0 * within / nullif(n + past, 0))::float8 AS within_sla_pct
  FROM agg;

-- Counted gifts (README "What counts"), with their local time.
CREATE TEMP VIEW peer_counted_gift AS
SELECT g.stakeholder_id AS donor, g.received_at AT TIME ZONE p.tz AS lt, g.amount
  FROM gift g, peer_params p
 WHERE g.amount > 0 AND g.received_at < p.e
   AND (CASE WHEN g.kind IN ('cash', 'in_kind', 'grant', 'sponsorship', 'bequest',
                             'pledge_payment') THEN g.kind ELSE 'other' END) = ANY (p.kinds)
   AND g.stakeholder_id IN (SELECT id FROM stakeholder);

-- FEP retention per fiscal year: every field of PAIR, for every fiscal year
-- from the first counted gift's to the current one.
CREATE TEMP VIEW peer_retention AS
WITH p AS (SELECT * FROM peer_params),
dy AS (    -- each donor's total per fiscal year (by its first calendar year)
    SELECT donor, extract(year FROM lt)::int - (extract(month FROM lt)::int < p.fy_start)::int AS fy,
           sum(amount) AS amt
      FROM peer_counted_gift, p
     GROUP BY 1, 2),
x AS (
    SELECT donor, fy, amt,
           min(fy) OVER w AS f,
           CASE WHEN lag(fy) OVER w = fy - 1 THEN lag(amt) OVER w END AS prev,
           CASE WHEN lead(fy) OVER w = fy + 1 THEN lead(amt) OVER w END AS next
      FROM dy
    WINDOW w AS (PARTITION BY donor ORDER BY fy)),
cur AS (
    SELECT fy AS k, count(*) AS donors, sum(amt) AS amount,
           count(*) FILTER (WHERE f = fy) AS new_donors,
           count(prev) AS retained,
           coalesce(sum(amt) FILTER (WHERE prev IS NOT NULL), 0) AS amount_retained,
           count(*) FILTER (WHERE prev IS NULL AND f < fy) AS recaptured
      FROM x GROUP BY fy),
pri AS (
    SELECT fy + 1 AS k, count(*) AS donors_prior, sum(amt) AS amount_prior,
           count(*) FILTER (WHERE f = fy) AS new_donors_prior,
           count(next) FILTER (WHERE f = fy) AS new_donors_retained,
           count(*) FILTER (WHERE f < fy) AS repeat_donors_prior,
           count(next) FILTER (WHERE f < fy) AS repeat_donors_retained
      FROM x GROUP BY fy),
firsts AS (SELECT f, count(*) AS donors FROM x WHERE fy = f GROUP BY f),
years AS (
    SELECT generate_series(least(min(x.f), min(p.cur_fy)), min(p.cur_fy)) AS k FROM x, p),
y AS (
    SELECT years.k,
           coalesce(cur.donors, 0) AS donors, coalesce(cur.amount, 0) AS amount,
           coalesce(cur.new_donors, 0) AS new_donors,
           coalesce(pri.donors_prior, 0) AS donors_prior,
           coalesce(pri.amount_prior, 0) AS amount_prior,
           coalesce(cur.retained, 0) AS retained,
           coalesce(pri.new_donors_prior, 0) AS new_donors_prior,
           coalesce(pri.new_donors_retained, 0) AS new_donors_retained,
           coalesce(pri.repeat_donors_prior, 0) AS repeat_donors_prior,
           coalesce(pri.repeat_donors_retained, 0) AS repeat_donors_retained,
           CASE WHEN years.k = (SELECT min(k) FROM years) THEN 0
                ELSE coalesce((SELECT sum(donors) FROM firsts WHERE firsts.f < years.k - 1), 0)
                     - coalesce(pri.repeat_donors_prior, 0) END AS lapsed_pool,
           coalesce(cur.recaptured, 0) AS recaptured,
           coalesce(cur.amount_retained, 0) AS amount_retained
      FROM years
      LEFT JOIN cur ON cur.k = years.k
      LEFT JOIN pri ON pri.k = years.k)
SELECT 'FY' || lpad((y.k + (p.label_end AND p.fy_start <> 1)::int)::text, 4, '0') AS year,
       y.k = p.cur_fy AND p.fy_start <> extract(month FROM p.as_of_local + interval '1 microsecond')::int
           AS partial,
       y.donors, y.amount, y.new_donors, y.donors_prior, y.amount_prior, y.retained,
       (y.retained::float8 / nullif(y.donors_prior, 0)) AS rate,
       y.new_donors_prior, y.new_donors_retained,
       (y.new_donors_retained::float8 / nullif(y.new_donors_prior, 0)) AS new_donor_rate,
       y.repeat_donors_prior, y.repeat_donors_retained,
       (y.repeat_donors_retained::float8 / nullif(y.repeat_donors_prior, 0)) AS repeat_donor_rate,
       y.lapsed_pool, y.recaptured,
       (y.recaptured::float8 / nullif(y.lapsed_pool, 0)) AS recapture_rate,
       y.amount_retained,
       (y.amount_retained / nullif(y.amount_prior, 0))::float8 AS dollar_retention
  FROM y, p;

-- LYBUNT: last fiscal year's donors with no counted gift (yet) in the
-- current one, and their last-year total.
CREATE TEMP VIEW peer_lybunt AS
WITH p AS (SELECT * FROM peer_params),
d AS (
    SELECT donor,
           sum(amount) FILTER (WHERE fy = p.cur_fy - 1) AS last_year,
           bool_or(fy = p.cur_fy) AS this_year
      FROM (SELECT donor, amount,
                   extract(year FROM lt)::int - (extract(month FROM lt)::int < p.fy_start)::int AS fy
              FROM peer_counted_gift, p
             WHERE lt >= make_date(p.cur_fy - 1, p.fy_start, 1)) g, p
     GROUP BY donor)
SELECT 'FY' || lpad((p.cur_fy + (p.label_end AND p.fy_start <> 1)::int)::text, 4, '0') AS fiscal_year,
       count(*) AS donors, coalesce(sum(last_year), 0) AS last_year_amount
  FROM d, p
 WHERE last_year IS NOT NULL AND NOT this_year
 GROUP BY p.cur_fy, p.label_end, p.fy_start;

-- BG/NBD inputs per donor (README "Models"): gifts with amount above 0 of
-- any kind but in_kind; a donor's gifts on one local day are one gift day.
-- x = gift days - 1, t_x = weeks from the first gift day to the last,
-- T = weeks from the first gift day to the period's last day.
CREATE TEMP VIEW peer_history AS
SELECT g.stakeholder_id,
       count(DISTINCT (g.received_at AT TIME ZONE p.tz)::date) - 1 AS x,
       (max((g.received_at AT TIME ZONE p.tz)::date) - min((g.received_at AT TIME ZONE p.tz)::date))
           / 7.0::float8 AS t_x,
       (min(p.as_of_local)::date - min((g.received_at AT TIME ZONE p.tz)::date)) / 7.0::float8 AS "T"
  FROM gift g, peer_params p
 WHERE g.amount > 0 AND g.received_at < p.e AND g.kind IS DISTINCT FROM 'in_kind'
   AND g.stakeholder_id IN (SELECT id FROM stakeholder)
 GROUP BY g.stakeholder_id;
