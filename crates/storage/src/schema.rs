//! The Diesel schema shared by SQLite and PostgreSQL. `tests/migrations.rs` checks that both
//! migration directories produce exactly these tables, columns, types and keys, and that the
//! scale-ready rules of DESIGN.md hold (county_code in every per-county key).

diesel::table! {
    /// Reference: statistical divisions (city, counties, townships, villages).
    regions (code) {
        code -> Text,
        name -> Text,
        level -> Text,
        parent_code -> Nullable<Text>,
    }
}

diesel::table! {
    /// Reference: State Council holiday and make-up working days.
    holidays (date) {
        date -> Date,
        kind -> Text,
        name -> Text,
    }
}

diesel::table! {
    /// Global index: one row per ID number in the whole country, written in the same
    /// transaction as the person (DESIGN: national uniqueness of an ID number).
    person_identity (id_key) {
        id_key -> Text,
        person_id -> Text,
        county_code -> Text,
        registered_at -> Timestamp,
    }
}

diesel::table! {
    /// Per county: households (家庭).
    households (county_code, id) {
        county_code -> Text,
        id -> Text,
        region_code -> Text,
        address -> Text,
        head_person_id -> Nullable<Text>,
        head_name -> Text,
        member_count -> Integer,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    /// Per county: persons (人员).
    persons (county_code, id) {
        county_code -> Text,
        id -> Text,
        name -> Text,
        id_number -> Text,
        sex -> Text,
        birth_date -> Date,
        hukou_region_code -> Text,
        hukou_type -> Text,
        residence_region_code -> Text,
        residence_permit -> Bool,
        disability_category -> Nullable<Text>,
        disability_grade -> Nullable<Integer>,
        serious_illness -> Nullable<Text>,
        labour_capacity -> Text,
        adl_lost -> Integer,
        employment_status -> Text,
        school_stage -> Nullable<Text>,
        special_status -> Nullable<Text>,
        death_date -> Nullable<Date>,
        phone -> Nullable<Text>,
        bank_name -> Nullable<Text>,
        bank_account -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    /// Per county: who belonged to which household, from when to when (家庭成员变动).
    memberships (county_code, id) {
        county_code -> Text,
        id -> Text,
        household_id -> Text,
        person_id -> Text,
        relation -> Text,
        joined_on -> Date,
        left_on -> Nullable<Date>,
        join_reason -> Text,
        leave_reason -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Per county: income, asset and expense records (57号 Art. 13–14).
    economic_records (county_code, id) {
        county_code -> Text,
        id -> Text,
        household_id -> Text,
        person_id -> Nullable<Text>,
        kind -> Text,
        category -> Text,
        source -> Text,
        period_start -> Date,
        period_end -> Date,
        amount_fen -> BigInt,
        note -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    /// City-wide: staff accounts (one role, one region each).
    users (id) {
        id -> Text,
        username -> Text,
        display_name -> Text,
        role -> Text,
        region_code -> Text,
        password_hash -> Text,
        totp_secret -> Nullable<Text>,
        totp_enabled -> Bool,
        failed_logins -> Integer,
        locked_until -> Nullable<Timestamp>,
        disabled -> Bool,
        must_change_password -> Bool,
        password_changed_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        approval -> Text,
        requested_by -> Nullable<Text>,
        supervisor_id -> Nullable<Text>,
    }
}

diesel::table! {
    /// City-wide: one-time password letters (密码函), sealed until the supervisor opens one.
    password_letters (id) {
        id -> Text,
        user_id -> Text,
        supervisor_id -> Text,
        purpose -> Text,
        sealed -> Nullable<Text>,
        created_at -> Timestamp,
        opened_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// City-wide: signed-in sessions, by the SM3 of their token.
    sessions (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        csrf_token -> Text,
        ip -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
    }
}

diesel::table! {
    /// City-wide: staff members' near relatives (近亲属备案).
    near_relatives (id) {
        id -> Text,
        user_id -> Text,
        relative_name -> Text,
        relation -> Text,
        id_key -> Text,
        id_number -> Text,
        filed_at -> Timestamp,
        withdrawn_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Per county (and one city chain): the hash-chained audit log.
    audit_log (county_code, id) {
        county_code -> Text,
        id -> BigInt,
        at -> Timestamp,
        user_id -> Nullable<Text>,
        username -> Text,
        role -> Text,
        ip -> Text,
        action -> Text,
        outcome -> Text,
        object_kind -> Text,
        object_id -> Text,
        region_code -> Text,
        reason -> Text,
        detail -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    /// The last entry of each audit chain, sealed.
    audit_heads (chain) {
        chain -> Text,
        seq -> BigInt,
        hash -> Text,
        seal -> Text,
    }
}

diesel::table! {
    /// The set of audit chains, sealed: one row (id 1).
    audit_registry (id) {
        id -> Integer,
        chains -> Text,
        seal -> Text,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(near_relatives -> users (user_id));

diesel::table! {
    /// Agency data: one row per imported file (核对, S22).
    agency_imports (id) {
        id -> Text,
        source -> Text,
        file_name -> Text,
        file_digest -> Text,
        rows_total -> Integer,
        rows_imported -> Integer,
        rows_duplicate -> Integer,
        rows_failed -> Integer,
        imported_by -> Text,
        imported_at -> Timestamp,
    }
}

diesel::table! {
    /// Agency data: one row per record, keyed by the ID number's lookup key.
    agency_records (source, record_key) {
        source -> Text,
        record_key -> Text,
        subject_key -> Text,
        kind -> Text,
        amount_fen -> Nullable<BigInt>,
        period_start -> Nullable<Date>,
        period_end -> Nullable<Date>,
        as_of -> Date,
        agency -> Text,
        reference -> Text,
        import_id -> Text,
        row_no -> Integer,
    }
}

diesel::table! {
    /// Per county: review tasks raised by cross-matching (S7, G3).
    review_tasks (county_code, id) {
        county_code -> Text,
        id -> Text,
        person_id -> Text,
        household_id -> Text,
        kind -> Text,
        source -> Text,
        record_key -> Text,
        as_of -> Date,
        amount_fen -> Nullable<BigInt>,
        status -> Text,
        note -> Text,
        run_id -> Text,
        created_at -> Timestamp,
        closed_by -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Per county: each adult member's consent to the economic-status check (核对授权).
    verification_consents (county_code, id) {
        county_code -> Text,
        id -> Text,
        household_id -> Text,
        person_id -> Text,
        signed_on -> Date,
        method -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    verification_reports (county_code, id) {
        county_code -> Text,
        id -> Text,
        household_id -> Text,
        checked_on -> Date,
        checked_by -> Text,
        created_at -> Timestamp,
        differences -> Integer,
        body -> Text,
    }
}

diesel::table! {
    cases (county_code, id) {
        county_code -> Text,
        id -> Text,
        household_id -> Text,
        region_code -> Text,
        kind -> Text,
        channel -> Text,
        stage -> Text,
        summary -> Text,
        filed_on -> Date,
        accepted_on -> Nullable<Date>,
        due_on -> Nullable<Date>,
        decided_on -> Nullable<Date>,
        amount_fen -> Nullable<BigInt>,
        reasons -> Text,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        near_relative -> Bool,
        rules_opinion -> Text,
        hardship -> Text,
        rules_input -> Text,
    }
}

diesel::table! {
    supporters (county_code, id) {
        county_code -> Text,
        id -> Text,
        household_id -> Text,
        person_id -> Text,
        name -> Text,
        relation -> Text,
        birth_date -> Date,
        tekun -> Bool,
        dibao -> Bool,
        severe_disability -> Bool,
        incapacitated -> Bool,
        income_monthly_fen -> BigInt,
        assets_above_limit -> Bool,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    case_decisions (county_code, id) {
        county_code -> Text,
        id -> Text,
        case_id -> Text,
        seq -> Integer,
        kind -> Text,
        action -> Text,
        record_version -> Integer,
        payload -> Text,
        legacy_caregiver -> Nullable<Text>,
        decided_on -> Date,
        created_at -> Timestamp,
    }
}

diesel::table! {
    case_instalments (county_code, id) {
        county_code -> Text,
        id -> Text,
        case_id -> Text,
        seq -> Integer,
        month -> Text,
        amount_fen -> BigInt,
    }
}

diesel::table! {
    case_events (county_code, id) {
        county_code -> Text,
        id -> Text,
        case_id -> Text,
        seq -> Integer,
        action -> Text,
        from_stage -> Text,
        to_stage -> Text,
        on_date -> Date,
        actor -> Text,
        note -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    hotline_requests (county_code, id) {
        county_code -> Text,
        id -> Text,
        region_code -> Text,
        caller -> Text,
        phone -> Text,
        need -> Text,
        ticket -> Text,
        received_at -> Timestamp,
        status -> Text,
        case_id -> Nullable<Text>,
        handled_by -> Nullable<Text>,
        handled_at -> Nullable<Timestamp>,
        note -> Text,
        source -> Text,
        household_id -> Nullable<Text>,
        kinds -> Text,
    }
}

diesel::table! {
    case_transfers (county_code, id) {
        county_code -> Text,
        id -> Text,
        case_id -> Text,
        region_code -> Text,
        department -> Text,
        matter -> Text,
        sent_on -> Date,
        sent_by -> Text,
        answered_on -> Nullable<Date>,
        answered_by -> Nullable<Text>,
        answer -> Text,
    }
}

diesel::table! {
    enrolments (county_code, id) {
        county_code -> Text,
        id -> Text,
        case_id -> Text,
        household_id -> Text,
        region_code -> Text,
        programme -> Text,
        monthly_fen -> BigInt,
        start_month -> Text,
        end_month -> Nullable<Text>,
        status -> Text,
        note -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        people -> Integer,
        review_due -> Nullable<Text>,
    }
}

diesel::table! {
    payee_accounts (county_code, id) {
        county_code -> Text,
        id -> Text,
        household_id -> Text,
        bank -> Text,
        account -> Text,
        account_key -> Text,
        holder -> Text,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    payroll_runs (county_code, id) {
        county_code -> Text,
        id -> Text,
        month -> Text,
        status -> Text,
        drafted_by -> Text,
        drafted_at -> Timestamp,
        checked_by -> Nullable<Text>,
        checked_at -> Nullable<Timestamp>,
        approved_by -> Nullable<Text>,
        approved_at -> Nullable<Timestamp>,
        exported_at -> Nullable<Timestamp>,
        reconciled_at -> Nullable<Timestamp>,
        version -> Integer,
    }
}

diesel::table! {
    payment_lines (county_code, id) {
        county_code -> Text,
        id -> Text,
        run_id -> Text,
        month -> Text,
        pay_key -> Text,
        programme -> Text,
        household_id -> Text,
        region_code -> Text,
        source_id -> Text,
        amount_fen -> BigInt,
        bank -> Text,
        account -> Text,
        holder -> Text,
        status -> Text,
        reason -> Text,
        settled_at -> Nullable<Timestamp>,
        offset_fen -> BigInt,
    }
}

diesel::table! {
    reserve_funds (county_code, id) {
        county_code -> Text,
        id -> Text,
        balance_fen -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    reserve_entries (county_code, id) {
        county_code -> Text,
        id -> Text,
        township_code -> Text,
        kind -> Text,
        amount_fen -> BigInt,
        balance_after_fen -> BigInt,
        case_id -> Nullable<Text>,
        note -> Text,
        entered_by -> Text,
        entered_at -> Timestamp,
    }
}

diesel::table! {
    receivables (county_code, id) {
        county_code -> Text,
        id -> Text,
        case_id -> Text,
        household_id -> Text,
        region_code -> Text,
        cause -> Text,
        amount_fen -> BigInt,
        offset_per_month_fen -> BigInt,
        status -> Text,
        note -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        write_off_reason -> Text,
        write_off_requested_by -> Nullable<Text>,
        version -> Integer,
    }
}

diesel::table! {
    receivable_entries (county_code, id) {
        county_code -> Text,
        id -> Text,
        receivable_id -> Text,
        kind -> Text,
        amount_fen -> BigInt,
        line_id -> Nullable<Text>,
        note -> Text,
        entered_by -> Text,
        entered_at -> Timestamp,
    }
}

diesel::table! {
    budgets (county_code, id) {
        county_code -> Text,
        id -> Text,
        year -> Integer,
        programme -> Text,
        amount_fen -> BigInt,
        set_by -> Text,
        set_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    regions,
    holidays,
    person_identity,
    households,
    persons,
    memberships,
    economic_records,
    supporters,
    users,
    password_letters,
    sessions,
    near_relatives,
    audit_log,
    audit_heads,
    audit_registry,
    agency_imports,
    agency_records,
    review_tasks,
    case_decisions,
    case_instalments,
    enrolments,
    payee_accounts,
    payroll_runs,
    payment_lines,
    reserve_funds,
    reserve_entries,
    receivables,
    receivable_entries,
    budgets,
    verification_consents,
    verification_reports,
    cases,
    case_events,
    case_transfers,
    hotline_requests,
);
