//! Roles of a person in a workspace, ordered by power.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a member may do. The order matters: a route that needs `Manager`
/// admits `Manager`, `Admin` and `Owner`. `Superadmin` runs the platform
/// (creates workspaces) and belongs to no workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Manager,
    Admin,
    Owner,
    Superadmin,
}

impl Role {
    pub const WORKSPACE_ROLES: [Role; 4] = [Role::Viewer, Role::Manager, Role::Admin, Role::Owner];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Manager => "manager",
            Role::Admin => "admin",
            Role::Owner => "owner",
            Role::Superadmin => "superadmin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "viewer" => Some(Role::Viewer),
            "manager" => Some(Role::Manager),
            "admin" => Some(Role::Admin),
            "owner" => Some(Role::Owner),
            "superadmin" => Some(Role::Superadmin),
            _ => None,
        }
    }

    /// Whether someone with this role passes a check that needs `min`.
    pub fn at_least(self, min: Role) -> bool {
        self >= min
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_by_power() {
        assert!(Role::Owner.at_least(Role::Admin));
        assert!(Role::Manager.at_least(Role::Manager));
        assert!(!Role::Viewer.at_least(Role::Manager));
        for r in Role::WORKSPACE_ROLES {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
