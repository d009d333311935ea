DROP TABLE case_transfers;
DROP TABLE case_events;
DROP TABLE cases;
