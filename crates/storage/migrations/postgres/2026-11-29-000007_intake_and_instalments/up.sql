-- Near-relative applications (近亲属备案, 低保审核确认办法 art. 7): flagged when filed, so they are
-- listed apart and decided by county civil affairs rather than the township.
ALTER TABLE cases ADD COLUMN near_relative BOOLEAN NOT NULL DEFAULT FALSE;
-- The rules' answer for the case's programme when the opinion was recorded and again at the
-- decision (S21: the opinion comes with the rules' explanation); sealed JSON, empty before.
ALTER TABLE cases ADD COLUMN rules_opinion TEXT NOT NULL DEFAULT '';

-- The intake queue takes more than 12345 calls (S20): village discovery reports and online
-- applications wait in the same township queue. `household_id` is set when the reporter named a
-- registered household; `kinds` lists the programmes asked for (comma-separated codes).
ALTER TABLE hotline_requests ADD COLUMN source TEXT NOT NULL DEFAULT '12345热线';
ALTER TABLE hotline_requests ADD COLUMN household_id TEXT;
ALTER TABLE hotline_requests ADD COLUMN kinds TEXT NOT NULL DEFAULT '';

-- 一次审批、分阶段救助 (S14): one approval of temporary assistance paid as a schedule of
-- instalments, month by month; the instalments sum to the approved amount. The monthly payroll
-- pays each in its month.
CREATE TABLE case_instalments (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    -- YYYY-MM
    month TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    PRIMARY KEY (county_code, id),
    UNIQUE (county_code, case_id, seq)
);
