-- The corrupt amounts are not restored.
SELECT 1;
