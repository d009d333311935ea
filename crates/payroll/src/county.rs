//! The county a payroll action is for: the one a county user belongs to, or the one a
//! city user names — never a county outside the actor's scope.

use jiuzhu_domain::{Permission, RegionCode, RegionLevel};

use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;

/// The county code (6 digits) the actor may pay in: a code that is not a county is named, a
/// county outside the actor's region is "not found".
pub(crate) fn county_in_scope(who: &Actor, county: &str) -> Result<String, AppError> {
    who.require(Permission::RunPayroll)?;
    let code = RegionCode::parse(county.trim())
        .ok()
        .filter(|c| c.level() == RegionLevel::County)
        .ok_or_else(|| {
            AppError::Invalid(vec![jiuzhu_kernel::FieldError::new(
                "county",
                "请选择县（市、区），如 410526",
                "county must be a county code",
            )])
        })?;
    if !who.scope.contains(&code) {
        return Err(AppError::NotFound);
    }
    Ok(code.short().to_owned())
}

/// The county of a run addressed by path: anything but a county of the actor's region is
/// "not found".
pub(crate) fn county_of_path(who: &Actor, county: &str) -> Result<String, AppError> {
    match county_in_scope(who, county) {
        Err(AppError::Invalid(_)) => Err(AppError::NotFound),
        other => other,
    }
}
