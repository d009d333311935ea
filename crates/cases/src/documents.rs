//! S21, 57号 Art. 19, 21: the documents of a case — the notice list, the letters to the
//! applicant, the investigation record and the application form — and the township board.

use crate::model::*;
use crate::views::get;

/// One household on a public notice (57号 Art. 19, 24: name, household size and what is
/// proposed, privacy protected — the name is masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct NoticeLine {
    /// Village or community.
    pub place: String,
    /// The head of household, masked.
    pub head_masked: String,
    /// Members.
    pub members: usize,
    /// Programme.
    pub kind_name: String,
    /// First day of the notice.
    pub from: String,
    /// Last day (7 calendar days).
    pub until: String,
}

/// The cases of the viewer's region now on public notice, for the printed notice list.
pub fn notice_list(ctx: &Context, who: &Actor) -> Result<Vec<NoticeLine>, AppError> {
    who.require(Permission::ViewRegistry)?;
    let mut conn = ctx.db.conn()?;
    let rows = cases::list(&mut conn, &who.scope, Some(&[Stage::Notice.code()]), 1000)?;
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        let from = cases::events(&mut conn, &c.county_code, &c.id)?
            .into_iter()
            .rev()
            .find(|e| e.to_stage == Stage::Notice.code())
            .map(|e| e.on_date)
            .unwrap_or(c.filed_on);
        let members =
            households::members(&mut conn, &who.scope, &c.county_code, &c.household_id, None)?;
        let head = members
            .iter()
            .find(|(m, _)| m.relation == jiuzhu_domain::person::Relation::Head.code())
            .or(members.first())
            .map(|(_, p)| jiuzhu_kernel::masking::mask_name(&p.name))
            .unwrap_or_default();
        let days = limits_of(
            ctx,
            &c.region_code,
            jiuzhu_programmes::kind(&c.kind).ok_or(AppError::NotFound)?,
            jiuzhu_domain::time::today(),
        )?
        .notice_days;
        out.push(NoticeLine {
            place: RegionCode::parse(&c.region_code)
                .map(|r| ctx.regions.path(&r))
                .unwrap_or_else(|_| c.region_code.clone()),
            head_masked: head,
            members: members.len(),
            kind_name: jiuzhu_programmes::kind(&c.kind)
                .map(|k| k.zh().to_owned())
                .unwrap_or_default(),
            from: from.to_string(),
            until: (from + chrono::Days::new(u64::from(days.saturating_sub(1)))).to_string(),
        });
    }
    drop(conn);
    ctx.audit.record_view(
        &ctx.db,
        who,
        Event::new("case.notice_list", "case", "", &who.region.to_string())
            .detail(serde_json::json!({"shown": out.len()})),
    )?;
    Ok(out)
}

/// What a printed decision or refusal letter says besides the case itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Letter {
    /// The case.
    pub case: CaseView,
    /// Where it is handled, by name.
    pub place: String,
    /// The head of household (in full for those allowed to reveal names, else masked).
    pub head_masked: String,
    /// 批准通知书, 不予批准通知书, 不予受理通知书 or 救助申请受理回执.
    pub title: String,
    /// A refusal reaches the applicant by this day (3 working days, 57号 Art. 21).
    pub serve_by: Option<String>,
}

/// The letter for a case in its current stage.
pub fn letter(
    ctx: &Context,
    cal: &WorkingDayCalendar,
    who: &Actor,
    county: &str,
    id: &str,
) -> Result<Letter, AppError> {
    let case = get(ctx, cal, who, county, id)?;
    let stage = Stage::parse(&case.stage).ok_or(AppError::NotFound)?;
    let title = match stage {
        Stage::Approved | Stage::Enrolled => "批准通知书",
        Stage::Refused => "不予批准通知书",
        Stage::NotAccepted => "不予受理通知书",
        _ => "救助申请受理回执",
    };
    let refusal_notice = limits_of(
        ctx,
        &case.region_code,
        jiuzhu_programmes::kind(&case.kind).ok_or(AppError::NotFound)?,
        jiuzhu_domain::time::today(),
    )?
    .refusal_notice;
    let serve_by = matches!(stage, Stage::Refused | Stage::NotAccepted)
        .then(|| {
            case.decided_on
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        })
        .flatten()
        .map(|d| cal.add_working_days(d, refusal_notice).date.to_string());
    let mut conn = ctx.db.conn()?;
    let members = households::members(&mut conn, &who.scope, county, &case.household_id, None)?;
    drop(conn);
    // The letter goes to the applicant by name: in full for those allowed to reveal it
    // (recorded), masked for everyone else.
    let full = who.can(Permission::RevealPersonal);
    let head_masked = members
        .iter()
        .find(|(m, _)| m.relation == jiuzhu_domain::person::Relation::Head.code())
        .or(members.first())
        .map(|(_, p)| {
            if full {
                p.name.clone()
            } else {
                jiuzhu_kernel::masking::mask_name(&p.name)
            }
        })
        .unwrap_or_default();
    ctx.audit.record_view(
        &ctx.db,
        who,
        Event::new("case.letter", "case", id, &case.region_code)
            .detail(serde_json::json!({"title": title, "full_name": full})),
    )?;
    // The deciding township signs and seals.
    let township = RegionCode::parse(&case.region_code)
        .ok()
        .map(|r| r.township());
    Ok(Letter {
        place: township
            .map(|r| ctx.regions.path(&r))
            .unwrap_or_else(|| case.region_code.clone()),
        head_masked,
        title: title.into(),
        serve_by,
        case,
    })
}

/// One member line of a printed application form or investigation record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberLine {
    /// Name (in full for those allowed to reveal names, else masked).
    pub name: String,
    /// ID number, masked.
    pub id_masked: String,
    /// Relation to the head, in Chinese.
    pub relation: String,
    /// Sex, in Chinese.
    pub sex: String,
    /// Age on the day of printing.
    pub age: i32,
    /// Labour capacity, in Chinese.
    pub labour: String,
    /// Disability grade or serious illness, if any.
    pub health: String,
}

/// What a printed application form (救助申请书) or home-investigation record (入户调查记录)
/// shows: the case, the household as registered, and the recorded findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseDocument {
    /// The case.
    pub case: CaseView,
    /// The household's village, by name.
    pub address: String,
    /// The township that handles it, by name.
    pub township: String,
    /// The head of household (name as in [`MemberLine`]).
    pub head: String,
    /// The members.
    pub members: Vec<MemberLine>,
    /// The investigators and findings recorded with the opinion (blank: not yet investigated,
    /// the form is filled by hand).
    pub findings: String,
    /// The day it is printed.
    pub printed_on: String,
}

/// The data of a printed application form or investigation record (audited: it names the
/// household's members).
pub fn document(
    ctx: &Context,
    cal: &WorkingDayCalendar,
    who: &Actor,
    county: &str,
    id: &str,
    what: &str,
) -> Result<CaseDocument, AppError> {
    let case = get(ctx, cal, who, county, id)?;
    let today = jiuzhu_domain::time::today();
    let (household, members) = {
        let mut conn = ctx.db.conn()?;
        let h = households::find(&mut conn, &who.scope, &case.household_id)?;
        let m = households::members(&mut conn, &who.scope, county, &case.household_id, None)?;
        (h, m)
    };
    let full = who.can(Permission::RevealPersonal);
    let name_of = |n: &str| {
        if full {
            n.to_owned()
        } else {
            jiuzhu_kernel::masking::mask_name(n)
        }
    };
    use jiuzhu_domain::person::{LabourCapacity, Relation, Sex};
    let lines = members
        .iter()
        .map(|(m, p)| -> Result<MemberLine, AppError> {
            let id = jiuzhu_kernel::sealing::open(&ctx.keys, "id_number", &p.id_number)?;
            let age = today.years_since(p.birth_date).unwrap_or(0);
            let mut health = Vec::new();
            if let Some(g) = p.disability_grade {
                health.push(format!("残疾{g}级"));
            }
            if p.serious_illness.as_deref().is_some_and(|s| !s.is_empty()) {
                health.push("重病".to_owned());
            }
            Ok(MemberLine {
                name: name_of(&p.name),
                id_masked: jiuzhu_kernel::masking::mask_id_number(&id),
                relation: Relation::parse(&m.relation)
                    .map(|r| r.zh().to_owned())
                    .unwrap_or(m.relation.clone()),
                sex: Sex::parse(&p.sex)
                    .map(|s| s.zh().to_owned())
                    .unwrap_or_default(),
                age: i32::try_from(age).unwrap_or(0),
                labour: LabourCapacity::parse(&p.labour_capacity)
                    .map(|l| l.zh().to_owned())
                    .unwrap_or_default(),
                health: health.join("，"),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let head = members
        .iter()
        .zip(&lines)
        .find(|((m, _), _)| m.relation == jiuzhu_domain::person::Relation::Head.code())
        .or(members.iter().zip(&lines).next())
        .map(|(_, l)| l.name.clone())
        .unwrap_or_default();
    let findings = case
        .events
        .iter()
        .rev()
        .find(|e| e.action == Action::RecordOpinion.zh())
        .map(|e| e.note.clone())
        .unwrap_or_default();
    ctx.audit.record_view(
        &ctx.db,
        who,
        Event::new("case.print", "case", id, &case.region_code)
            .detail(serde_json::json!({"document": what, "full_names": full})),
    )?;
    let place = |code: &str| {
        RegionCode::parse(code)
            .map(|r| ctx.regions.path(&r))
            .unwrap_or_else(|_| code.to_owned())
    };
    Ok(CaseDocument {
        address: place(&household.region_code),
        township: RegionCode::parse(&case.region_code)
            .map(|r| ctx.regions.path(&r.township()))
            .unwrap_or_default(),
        head,
        members: lines,
        findings,
        printed_on: today.to_string(),
        case,
    })
}

/// One township's line on the overdue board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BoardRow {
    /// Township (or the place itself when it is above a township).
    pub township: String,
    /// Its name with its county.
    pub name: String,
    /// Open cases.
    pub open: usize,
    /// Of which past their due date.
    pub overdue: usize,
}

/// The overdue board: open and overdue cases per township, most overdue first.
pub fn board(regions: &jiuzhu_kernel::regions::RegionCache, cases: &[CaseView]) -> Vec<BoardRow> {
    let mut rows: std::collections::BTreeMap<String, BoardRow> = Default::default();
    for c in cases
        .iter()
        .filter(|c| Stage::parse(&c.stage).is_some_and(|s| !s.is_final()))
    {
        let Ok(code) = RegionCode::parse(&c.region_code).map(|r| r.township()) else {
            continue;
        };
        let row = rows.entry(code.as_str().to_owned()).or_insert(BoardRow {
            township: code.as_str().to_owned(),
            name: regions.path(&code),
            open: 0,
            overdue: 0,
        });
        row.open += 1;
        row.overdue += usize::from(c.overdue);
    }
    let mut out: Vec<BoardRow> = rows.into_values().collect();
    out.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(a.township.cmp(&b.township)));
    out
}
