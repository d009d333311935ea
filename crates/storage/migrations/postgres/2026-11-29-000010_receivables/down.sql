ALTER TABLE payment_lines DROP COLUMN offset_fen;
DROP TABLE receivable_entries;
DROP TABLE receivables;
