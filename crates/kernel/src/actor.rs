//! S22: who performs an action — a signed-in user with their region's scope, or the platform
//! itself — and the audit chain a region writes to.

use jiuzhu_domain::{Permission, RegionCode, Role, Scope};

/// The chain of city-level audit events (users placed at the city, logins of unknown names).
pub const CITY_CHAIN: &str = "410500";

/// Who performs an action: the signed-in user with their region's scope, or the platform
/// itself (command line, demo generation). Every service that reads or writes personal data
/// takes one, so the scope and the audit trail cannot be forgotten.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The user's id (`None` for the platform itself).
    pub user_id: Option<String>,
    /// Login name (`system` for the platform).
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Role (`None` for the platform, which may do everything).
    pub role: Option<Role>,
    /// The user's region.
    pub region: RegionCode,
    /// The region subtree the user may see and change.
    pub scope: Scope,
    /// Client address.
    pub ip: String,
    /// The platform itself (command line, system jobs): the only actor without a role that
    /// holds permissions. Private, so only [`Actor::system`] makes one — an actor built any
    /// other way without a role holds nothing (fail closed, issue 15).
    platform: bool,
}

impl Actor {
    /// The platform itself acting over a scope (command line, demo, tests of services).
    pub fn system(scope: Scope) -> Actor {
        Actor {
            user_id: None,
            username: "system".into(),
            display_name: "系统".into(),
            role: None,
            region: scope.root().clone(),
            scope,
            ip: "local".into(),
            platform: true,
        }
    }

    /// A signed-in user acting in their role over their region's scope (built by sign-in).
    pub fn user(
        user_id: String,
        username: String,
        display_name: String,
        role: Role,
        region: RegionCode,
        scope: Scope,
        ip: String,
    ) -> Actor {
        Actor {
            user_id: Some(user_id),
            username,
            display_name,
            role: Some(role),
            region,
            scope,
            ip,
            platform: false,
        }
    }

    /// Whether the actor holds a permission: a role's own, all of them for the platform,
    /// none for anybody else without a role (a visitor of the public online form).
    pub fn can(&self, p: Permission) -> bool {
        match self.role {
            Some(r) => r.can(p),
            None => self.platform,
        }
    }

    /// The platform itself (command line, demo, system jobs), not a person.
    pub fn is_platform(&self) -> bool {
        self.platform && self.role.is_none()
    }

    /// Refuses unless the actor holds the permission; the message names it.
    pub fn require(&self, p: Permission) -> Result<(), crate::AppError> {
        if self.can(p) {
            Ok(())
        } else {
            Err(crate::AppError::Forbidden(format!(
                "您的角色没有“{}”权限",
                p.zh()
            )))
        }
    }

    /// Somebody not signed in, as far as they said who they are (a refused sign-in), for the
    /// audit log. Holds no permission an actual request could use: it is never a session.
    pub fn anonymous(scope: Scope, username: &str, ip: &str) -> Actor {
        Actor {
            username: username.chars().take(64).collect(),
            display_name: String::new(),
            ip: ip.to_owned(),
            platform: false,
            ..Actor::system(scope)
        }
    }

    /// The role's stored code: `system` for the platform, `anonymous` for somebody not signed in.
    pub fn role_code(&self) -> &'static str {
        match (
            self.role,
            self.user_id.is_some() || self.username == "system",
        ) {
            (Some(r), _) => r.code(),
            (None, true) if self.platform => "system",
            (None, _) => "anonymous",
        }
    }
}

/// The audit chain of a region: its county, or the city chain above county level.
pub fn chain_of(region: &str) -> String {
    match RegionCode::parse(region)
        .ok()
        .and_then(|r| r.county_code().map(str::to_owned))
    {
        Some(c) => c,
        None => CITY_CHAIN.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    //! S22: fail closed — only the platform acts without a role.
    use super::*;

    fn scope() -> Scope {
        Scope::new(RegionCode::parse("4105").unwrap(), vec!["410502".into()])
    }

    #[test]
    fn a_visitor_without_a_role_holds_no_permission() {
        let visitor = Actor::anonymous(scope(), "网上申请", "127.0.0.1");
        for p in Permission::ALL {
            assert!(!visitor.can(*p), "a visitor holds {p:?}");
        }
        assert!(visitor.require(Permission::ViewRegistry).is_err());
        assert_eq!(visitor.role_code(), "anonymous");
        // Even named "system", a visitor is not the platform.
        let spoof = Actor::anonymous(scope(), "system", "127.0.0.1");
        assert!(!spoof.can(Permission::ViewRegistry));
        assert_eq!(spoof.role_code(), "anonymous");
    }

    #[test]
    fn the_platform_holds_every_permission_and_a_role_only_its_own() {
        let platform = Actor::system(scope());
        assert!(Permission::ALL.iter().all(|p| platform.can(*p)));
        assert_eq!(platform.role_code(), "system");
        let mut village = Actor::system(scope());
        village.role = Some(Role::VillageCoordinator);
        assert!(!village.can(Permission::DecideCases));
        assert!(village.can(Permission::ViewRegistry));
    }
}
