DROP TABLE verification_consents;
DROP TABLE review_tasks;
DROP TABLE agency_records;
DROP TABLE agency_imports;
