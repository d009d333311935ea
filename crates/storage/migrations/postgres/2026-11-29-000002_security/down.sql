DROP TABLE audit_heads;
DROP TABLE audit_log;
DROP TABLE near_relatives;
DROP TABLE sessions;
DROP TABLE users;
