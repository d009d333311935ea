DROP TABLE economic_records;
DROP TABLE memberships;
DROP TABLE households;
DROP TABLE persons;
DROP TABLE person_identity;
DROP TABLE holidays;
DROP TABLE regions;
