DROP TABLE reserve_entries;
DROP TABLE reserve_funds;
