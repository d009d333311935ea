-- Issue 15 F7: the set of audit chains, kept outside the chains' own rows and heads, so that a
-- county's chain deleted together with its head is named by `audit verify`. One row, sealed by
-- the application over the sorted chain names whenever a chain is created. A database that had
-- chains before this migration gets their names here with an empty seal; the first
-- verification seals them (and says so in the city chain).
CREATE TABLE audit_registry (
    id INTEGER NOT NULL PRIMARY KEY,
    -- Sorted chain names, comma-separated.
    chains TEXT NOT NULL,
    -- Keyed seal of `chains`; empty until the application first seals it.
    seal TEXT NOT NULL
);
INSERT INTO audit_registry (id, chains, seal)
    SELECT 1, (SELECT string_agg(chain, ',' ORDER BY chain) FROM audit_heads), ''
    WHERE EXISTS (SELECT 1 FROM audit_heads);
