-- The old columns come back empty: decisions sealed since cannot be unsealed in SQL.
ALTER TABLE cases ADD COLUMN review_months INTEGER;
ALTER TABLE cases ADD COLUMN care_tier TEXT;
ALTER TABLE cases ADD COLUMN care_mode TEXT;
ALTER TABLE cases ADD COLUMN caregiver TEXT;
DROP TABLE case_decisions;
