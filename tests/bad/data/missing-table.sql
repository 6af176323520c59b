-- A table of the contract missing altogether.
-- exit: 65
-- stderr: rapport: table $S.survey does not exist (see sql/schema.sql)
DROP TABLE survey;
