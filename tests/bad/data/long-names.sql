-- 10,000-character names keep their first 256 bytes, cut at a character
-- boundary: 128 two-byte letters, one letter and 63 four-byte emoji (never part of one),
-- 256 ASCII letters.  Staff are named in at-risk.csv (last_replied_by), never
-- in metrics.json.
-- jq: [.responsiveness.by_staff[]|[.staff_id, has("name")]]|[["1",false],["2",false]]
-- csv: unthanked.csv|2,1,éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé,2026-03-20T10:00:00+00:00,25.50,cash,11.6
-- csv: at-risk.csv|2,ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB,donor,donor,100,100.00,currency,DETRACTOR;UNTHANKED,Scored us 3/10 on 2026-03-04; a gift of 100.00 on 2026-03-21 not thanked after 10 days,2026-03-21,100.00,2026-03-03,a\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00
-- csv: unthanked.csv|3,2,ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB,2026-03-21T10:00:00+00:00,100.00,grant,10.6
UPDATE staff SET name = repeat('é', 10000) WHERE id = 1;
UPDATE staff SET name = 'a' || repeat(U&'\+01F600', 10000) WHERE id = 2;
UPDATE stakeholder SET display_name = repeat('é', 10000) WHERE id = 1;
UPDATE stakeholder SET display_name = repeat('AB', 5000) WHERE id = 2;
