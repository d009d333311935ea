DROP TABLE audit_registry;
