-- Control characters in names become spaces (C0, DEL and C1), so a team
-- spelt with a tab or a stray U+0085 is the same team.
-- jq: [.responsiveness.by_staff[].name]|["Riya  Shah","Tom Berg"]
-- csv: unthanked.csv|3,2,Ben  Okafor,2026-03-21T10:00:00+00:00,100.00,grant,10.6
UPDATE staff SET team = E'Supporter\tcare', name = E'Riya\x01\nShah' WHERE id = 1;
UPDATE staff SET name = E'Tom\x7fBerg' WHERE id = 2;
UPDATE stakeholder SET display_name = E'Ben\u0085\rOkafor' WHERE id = 2;
