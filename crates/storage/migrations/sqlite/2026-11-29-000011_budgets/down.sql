DROP INDEX person_identity_person;
DROP TABLE budgets;
