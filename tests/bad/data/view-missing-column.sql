-- A table replaced by a view that lacks a column: the run stops before
-- reading anything, naming the table and the column.
-- exit: 65
-- stderr: rapport: table $S.gift has no column "acknowledged_at" (see sql/schema.sql)
ALTER TABLE gift RENAME TO gift_crm;
CREATE VIEW gift AS SELECT id, stakeholder_id, amount, received_at, kind, campaign FROM gift_crm;
