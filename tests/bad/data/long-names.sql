-- 10,000-character names keep their first 256 bytes, cut at a character
-- boundary: 128 two-byte letters, one letter and 63 four-byte emoji (never part of one),
-- 256 ASCII letters.
-- jq: [.responsiveness.by_staff[].name|utf8bytelength]|[256,253]
-- jq: .responsiveness.by_staff[1].name[0:3]|"a\ud83d\ude00\ud83d\ude00"
-- csv: unthanked.csv|3,2,ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB,2026-03-21T10:00:00+00:00,100.00,grant,10.6
UPDATE staff SET name = repeat('é', 10000) WHERE id = 1;
UPDATE staff SET name = 'a' || repeat(U&'\+01F600', 10000) WHERE id = 2;
UPDATE stakeholder SET display_name = repeat('AB', 5000) WHERE id = 2;
