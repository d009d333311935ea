-- Issue 15 F2: amounts above MAX_PAYMENT_FEN (1,000,000.00 yuan) stored before approvals were
-- bounded are corrupt. Lines not yet sent to the bank are held at 0 with the reason, and such
-- enrolments suspended, so they are never paid and a county's totals cannot overflow.
UPDATE payment_lines SET amount_fen = 0, status = 'held', reason = '登记金额异常，待核实'
    WHERE amount_fen > 100000000 AND status IN ('pending', 'held');
UPDATE enrolments SET status = 'suspended', note = '登记金额异常，待核实（迁移检查）'
    WHERE monthly_fen > 100000000 AND status = 'active';
