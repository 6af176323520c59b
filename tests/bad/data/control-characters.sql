-- Control characters in names become spaces (C0, DEL and C1), so a team
-- spelt with a tab or a stray U+0085 is the same team.  Staff are named in
-- at-risk.csv (last_replied_by), never in metrics.json.
-- jq: [.responsiveness.by_staff[]|[.staff_id, has("name")]]|[["1",false],["2",false]]
-- csv: at-risk.csv|2,Ben  Okafor,donor,donor,100,100.00,currency,DETRACTOR;UNTHANKED,Scored us 3/10 on 2026-03-04; a gift of 100.00 on 2026-03-21 not thanked after 10 days,2026-03-21,100.00,2026-03-03,Tom Berg
-- csv: unthanked.csv|3,2,Ben  Okafor,2026-03-21T10:00:00+00:00,100.00,grant,10.6
UPDATE staff SET team = E'Supporter\tcare', name = E'Riya\x01\nShah' WHERE id = 1;
UPDATE staff SET name = E'Tom\x7fBerg' WHERE id = 2;
UPDATE stakeholder SET display_name = E'Ben\u0085\rOkafor' WHERE id = 2;
