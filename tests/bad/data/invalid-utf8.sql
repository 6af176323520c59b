-- Invalid UTF-8 in names (only a SQL_ASCII database can hold it): a stray
-- byte, a surrogate, an overlong '/', a code point above U+10FFFF and a
-- sequence cut short each become U+FFFD, so metrics.json and the CSV files
-- stay valid UTF-8.
-- database: sql_ascii
-- jq: [.responsiveness.by_staff[]|[.staff_id, has("name")]]|[["1",false],["2",false]]
-- csv: at-risk.csv|2,Ben \ufffd\ufffd\ufffd\ufffdOkafor,donor,donor,100,100.00,currency,DETRACTOR;UNTHANKED,Scored us 3/10 on 2026-03-04; a gift of 100.00 on 2026-03-21 not thanked after 10 days,2026-03-21,100.00,2026-03-03,Tom \ufffd\ufffd Berg
-- csv: unthanked.csv|3,2,Ben \ufffd\ufffd\ufffd\ufffdOkafor,2026-03-21T10:00:00+00:00,100.00,grant,10.6
UPDATE staff SET name = E'Riya\xff\xed\xa0' WHERE id = 1;
UPDATE staff SET name = E'Tom \xc0\xaf Berg' WHERE id = 2;
UPDATE stakeholder SET display_name = E'Ben \xf4\x90\x80\x80Okafor' WHERE id = 2;
