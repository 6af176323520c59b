-- The server's or role's settings do not change what is read: the run's
-- session has DateStyle SQL, DMY, a far time zone, a tiny
-- extra_float_digits and a search_path elsewhere; every figure is the
-- base's.
-- env: PGOPTIONS=-c DateStyle=SQL,DMY -c TimeZone=Pacific/Kiritimati -c IntervalStyle=sql_standard -c extra_float_digits=-15 -c search_path=pg_catalog
SELECT 1;
