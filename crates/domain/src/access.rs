//! Who may do what: the business roles of the policy's staffing (G2, S22) and the three
//! separate administrators of 等保 2.0 (系统管理员, 安全管理员, 审计管理员), each with the
//! permissions it holds and the region level its holder works at. The table lives in code so
//! that a change to it is a reviewed commit, and the access-matrix tests read it.

use crate::region::{RegionCode, RegionLevel};
use crate::vocab::vocabulary;
use serde::{Deserialize, Serialize};

vocabulary! {
    /// A user's role. Every user has exactly one role and one region.
    Role {
        /// 村（社区）协理员: finds and registers households in one village.
        VillageCoordinator = ("village_coordinator", "村（社区）协理员", "village coordinator"),
        /// 乡镇经办人: the one window of a township (S20).
        TownshipCaseworker = ("township_caseworker", "乡镇经办人", "township caseworker"),
        /// 乡镇审批人: decides in the township (S21).
        TownshipApprover = ("township_approver", "乡镇审批人", "township approver"),
        /// 县级民政: the county civil-affairs bureau.
        CountyCivilAffairs = ("county_civil_affairs", "县级民政", "county civil affairs"),
        /// 县教育部门 (S12).
        CountyEducation = ("county_education", "县级教育部门", "county education"),
        /// 县人社部门 (S15).
        CountyHumanResources = ("county_human_resources", "县级人社部门", "county human resources"),
        /// 县住建部门 (S13).
        CountyHousing = ("county_housing", "县级住建部门", "county housing"),
        /// 县卫健部门 (S10).
        CountyHealth = ("county_health", "县级卫健部门", "county health"),
        /// 县应急部门 (S16).
        CountyEmergency = ("county_emergency", "县级应急管理部门", "county emergency management"),
        /// 县医保部门 (S10).
        CountyMedicalInsurance = ("county_medical_insurance", "县级医保部门", "county medical insurance"),
        /// 县司法部门 (S17).
        CountyJustice = ("county_justice", "县级司法部门", "county justice"),
        /// 县残联 (S6).
        CountyDisabledFederation = ("county_disabled_federation", "县残联", "county disabled persons' federation"),
        /// 市级督查 (G2).
        CityInspector = ("city_inspector", "市级督查", "city inspector"),
        /// 核对员: household economic-status verification (S22).
        Verifier = ("verifier", "核对员", "verification officer"),
        /// 系统管理员 (等保 三员): accounts and system settings, no personal data.
        SystemAdmin = ("system_admin", "系统管理员", "system administrator"),
        /// 安全管理员 (等保 三员): unlocks accounts and resets second factors, no personal data.
        SecurityAdmin = ("security_admin", "安全管理员", "security administrator"),
        /// 审计管理员 (等保 三员): reads and exports the audit log, nothing else.
        AuditAdmin = ("audit_admin", "审计管理员", "audit administrator"),
    }
}

vocabulary! {
    /// One thing a user may do. Routes name the permission they need.
    Permission {
        /// Read households and persons (masked).
        ViewRegistry = ("view_registry", "查看家庭档案", "view the registry"),
        /// Register and change households, members and records.
        EditRegistry = ("edit_registry", "登记和修改家庭档案", "edit the registry"),
        /// Import rosters.
        ImportRoster = ("import_roster", "导入花名册", "import rosters"),
        /// Export lists of households.
        ExportRegistry = ("export_registry", "导出家庭名单", "export the registry"),
        /// Reveal a full ID number, phone or bank account (with a reason, audited).
        RevealPersonal = ("reveal_personal", "查看完整个人信息", "reveal personal data"),
        /// Import the holiday calendar.
        ManageCalendar = ("manage_calendar", "维护节假日", "manage the calendar"),
        /// Create, disable and reset users.
        ManageUsers = ("manage_users", "管理用户", "manage users"),
        /// Unlock accounts and reset second factors.
        ManageSecurity = ("manage_security", "安全管理", "manage security"),
        /// Read the audit log.
        ViewAudit = ("view_audit", "查看审计日志", "view the audit log"),
        /// Export the audit log.
        ExportAudit = ("export_audit", "导出审计日志", "export the audit log"),
        /// Declare one's own near relatives (近亲属备案).
        FileNearRelatives = ("file_near_relatives", "近亲属备案", "file near relatives"),
        /// See which households contain a staff member's near relative.
        ViewNearRelatives = ("view_near_relatives", "查看近亲属备案", "view near-relative filings"),
        /// Confirm or dismiss the review tasks cross-matching raised (S7, G3).
        DecideReviews = ("decide_reviews", "处理复核任务", "decide review tasks"),
        /// Record consents and run a household's economic-status check (核对, S21, S22).
        VerifyHouseholds = ("verify_households", "家庭经济状况核对", "verify households"),
        /// Import other agencies' data for verification (核对, S22).
        ImportAgencyData = ("import_agency_data", "导入部门核对数据", "import agency data"),
        /// File an application for a household (window, hotline, village discovery; S20).
        FileApplications = ("file_applications", "登记救助申请", "file applications"),
        /// Work a case: accept, list missing materials, investigate, give the township's
        /// opinion, post the notice, record objections, transfer, pay 急难 advances (S21).
        HandleCases = ("handle_cases", "经办救助申请", "handle cases"),
        /// Decide a case: approve, refuse, enrol (S21; Anyang §21 delegates this to the
        /// township approver).
        DecideCases = ("decide_cases", "审批救助申请", "decide cases"),
        /// Answer the items the window transferred to one's department (一门受理、协同办理).
        AnswerTransfers = ("answer_transfers", "办理转办事项", "answer transfers"),
        /// Run a county's monthly payroll: draft, check, approve (a different person from who
        /// drafted and checked), bank files, reconciliation, payee accounts (S4, G3).
        RunPayroll = ("run_payroll", "资金发放", "run the payroll"),
        /// See budgets, spending and payment anomalies of one's counties (G2, G3 监管).
        ViewFunds = ("view_funds", "资金监管", "view funds and anomalies"),
    }
}

use Permission::*;

impl Role {
    /// The permissions of the role (the role-to-permission table).
    pub const fn permissions(self) -> &'static [Permission] {
        match self {
            Role::VillageCoordinator => &[
                ViewRegistry,
                EditRegistry,
                FileApplications,
                FileNearRelatives,
            ],
            Role::TownshipCaseworker => &[
                ViewRegistry,
                EditRegistry,
                FileApplications,
                HandleCases,
                DecideReviews,
                VerifyHouseholds,
                ImportRoster,
                ExportRegistry,
                RevealPersonal,
                FileNearRelatives,
                ViewNearRelatives,
            ],
            Role::TownshipApprover => &[
                ViewRegistry,
                DecideCases,
                ExportRegistry,
                RevealPersonal,
                FileNearRelatives,
                ViewNearRelatives,
            ],
            Role::CountyCivilAffairs => &[
                ViewRegistry,
                EditRegistry,
                FileApplications,
                HandleCases,
                DecideCases,
                AnswerTransfers,
                RunPayroll,
                ViewFunds,
                DecideReviews,
                VerifyHouseholds,
                ImportRoster,
                ExportRegistry,
                RevealPersonal,
                FileNearRelatives,
                ViewNearRelatives,
            ],
            // Departments see the registry (masked) to handle what the window transfers to them.
            Role::CountyEducation
            | Role::CountyHumanResources
            | Role::CountyHousing
            | Role::CountyHealth
            | Role::CountyEmergency
            | Role::CountyMedicalInsurance
            | Role::CountyJustice
            | Role::CountyDisabledFederation => &[ViewRegistry, AnswerTransfers, FileNearRelatives],
            Role::CityInspector => &[
                ViewRegistry,
                ExportRegistry,
                ViewFunds,
                ViewNearRelatives,
                FileNearRelatives,
            ],
            Role::Verifier => &[
                ViewRegistry,
                RevealPersonal,
                FileNearRelatives,
                ImportAgencyData,
            ],
            // 等保 三员: separate duties, none of them reads personal data.
            Role::SystemAdmin => &[ManageUsers, ManageCalendar],
            Role::SecurityAdmin => &[ManageSecurity],
            Role::AuditAdmin => &[ViewAudit, ExportAudit],
        }
    }

    /// Whether the role holds a permission.
    pub fn can(self, p: Permission) -> bool {
        self.permissions().contains(&p)
    }

    /// The region levels a holder of the role may be placed at.
    pub const fn levels(self) -> &'static [RegionLevel] {
        match self {
            Role::VillageCoordinator => &[RegionLevel::Village],
            Role::TownshipCaseworker | Role::TownshipApprover => &[RegionLevel::Township],
            Role::CityInspector => &[RegionLevel::City],
            Role::Verifier => &[RegionLevel::County, RegionLevel::City],
            Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin => &[RegionLevel::City],
            _ => &[RegionLevel::County],
        }
    }

    /// Whether the role must sign in with a second factor (the administrators, 等保 2.0
    /// 身份鉴别: two factors for privileged users).
    pub const fn requires_totp(self) -> bool {
        matches!(
            self,
            Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin
        )
    }

    /// One of the three administrators of 等保 (系统、安全、审计管理员): they hold no business
    /// permission and may never be the supervisor who hands a password letter over.
    pub const fn is_administrator(self) -> bool {
        self.requires_totp()
    }

    /// Whether a region fits the role's level.
    pub fn fits(self, region: &RegionCode) -> bool {
        self.levels().contains(&region.level())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_administrators_never_read_personal_data() {
        for r in [Role::SystemAdmin, Role::SecurityAdmin, Role::AuditAdmin] {
            assert!(!r.can(ViewRegistry) && !r.can(RevealPersonal), "{r}");
            assert!(r.requires_totp());
        }
        // And their duties do not overlap.
        assert!(Role::SystemAdmin.can(ManageUsers) && !Role::SystemAdmin.can(ViewAudit));
        assert!(Role::AuditAdmin.can(ViewAudit) && !Role::AuditAdmin.can(ManageUsers));
        assert!(Role::SecurityAdmin.can(ManageSecurity) && !Role::SecurityAdmin.can(ManageUsers));
    }

    #[test]
    fn business_roles_do_not_need_a_second_factor_and_all_may_file_relatives() {
        for r in Role::ALL.iter().filter(|r| !r.requires_totp()) {
            assert!(r.can(FileNearRelatives), "{r}");
            assert!(r.can(ViewRegistry), "{r}");
        }
    }

    #[test]
    fn roles_sit_at_their_level() {
        let village = RegionCode::parse("410502001001").unwrap();
        let township = RegionCode::parse("410502001").unwrap();
        let county = RegionCode::parse("410502").unwrap();
        let city = RegionCode::parse("4105").unwrap();
        assert!(Role::VillageCoordinator.fits(&village));
        assert!(!Role::VillageCoordinator.fits(&township));
        assert!(Role::TownshipCaseworker.fits(&township));
        assert!(!Role::TownshipCaseworker.fits(&county));
        assert!(Role::CountyHealth.fits(&county));
        assert!(Role::Verifier.fits(&county) && Role::Verifier.fits(&city));
        assert!(Role::AuditAdmin.fits(&city) && !Role::AuditAdmin.fits(&county));
        assert_eq!(Role::parse("乡镇经办人"), Some(Role::TownshipCaseworker));
        assert!(Role::TownshipCaseworker.can(EditRegistry));
        assert!(!Role::TownshipApprover.can(EditRegistry));
        assert!(!Role::CountyHealth.can(ExportRegistry));
    }
}
