//! The working-day calendar kept in the database: seeded from the bundled 2021–2026 data, and
//! extended by an administrator importing a new year's State Council notice (CSV).

use jiuzhu_domain::{CalendarDay, DayKind, WorkingDayCalendar};
use jiuzhu_storage::models::HolidayRow;
use jiuzhu_storage::{DbConnection, calendar};

use crate::AppError;

fn to_row(d: &CalendarDay) -> HolidayRow {
    HolidayRow {
        date: d.date,
        kind: d.kind.as_str().to_owned(),
        name: d.name.clone(),
    }
}

/// Seeds the bundled holidays if the table is empty, then builds the calendar from the table.
pub fn load(conn: &mut DbConnection) -> Result<WorkingDayCalendar, AppError> {
    let mut rows = calendar::all(conn)?;
    if rows.is_empty() {
        let bundled =
            WorkingDayCalendar::parse_csv(jiuzhu_domain::calendar::BUNDLED_CSV.as_bytes())
                .map_err(|e| AppError::BadFile(e.to_string()))?;
        calendar::upsert(conn, &bundled.iter().map(to_row).collect::<Vec<_>>())?;
        rows = calendar::all(conn)?;
    }
    let days = rows.into_iter().map(|r| CalendarDay {
        date: r.date,
        kind: if r.kind == "workday" {
            DayKind::Workday
        } else {
            DayKind::Holiday
        },
        name: r.name,
    });
    Ok(WorkingDayCalendar::new(days))
}

/// Imports a holiday CSV (`date,kind,name`): all rows or none. Returns the rows stored and the
/// calendar rebuilt from the database.
pub fn import_csv(
    conn: &mut DbConnection,
    csv_bytes: &[u8],
) -> Result<(usize, WorkingDayCalendar), AppError> {
    let days =
        WorkingDayCalendar::parse_csv(csv_bytes).map_err(|e| AppError::BadFile(e.to_string()))?;
    let n = calendar::upsert(conn, &days.iter().map(to_row).collect::<Vec<_>>())?;
    Ok((n, load(conn)?))
}
