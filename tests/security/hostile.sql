-- hostile.sql - over tests/bad/data/base.sql: names that would be SQL, COPY
-- control characters or spreadsheet formulas if pasted anywhere unquoted.
UPDATE staff SET team = $$'); DROP TABLE public.canary; --$$ WHERE id = 1;
UPDATE staff SET team = E'Ops\t1\t2\n3\\.\\N', name = $$Robert"); DROP TABLE rapport.run; --$$ WHERE id = 2;
UPDATE stakeholder SET display_name = '=HYPERLINK("http://example.invalid/x","click")' WHERE id = 2;
