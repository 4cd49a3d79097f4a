//! Who may change whom in a workspace team. Kept pure so the rules are
//! tested here once and every route uses the same answer.

use crate::{FieldError, Role};

/// Why a team change is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeamRefusal {
    /// The actor's role is too low for what they try (403).
    Forbidden(&'static str),
    /// The change would break the team (409), e.g. remove the last owner.
    Conflict(&'static str),
    /// The input is wrong (422).
    Invalid(FieldError),
}

/// Roles that can be granted inside a workspace (never superadmin).
pub fn grantable_role(field: &str, role: Role) -> Result<Role, TeamRefusal> {
    if role == Role::Superadmin {
        return Err(TeamRefusal::Invalid(FieldError::new(field, "must be one of viewer, manager, admin, owner")));
    }
    Ok(role)
}

/// May `actor` invite someone with role `role`? Admins invite up to admin;
/// only owners create owners.
pub fn may_invite(actor: Role, role: Role) -> Result<(), TeamRefusal> {
    grantable_role("role", role)?;
    if !actor.at_least(Role::Admin) {
        return Err(TeamRefusal::Forbidden("only admins and owners invite people"));
    }
    if role == Role::Owner && actor != Role::Owner {
        return Err(TeamRefusal::Forbidden("only an owner can invite another owner"));
    }
    Ok(())
}

/// May `actor` issue a password reset link for a member with role
/// `target`? Owners for anyone; admins for managers and viewers (never for
/// someone who could then act as an admin or owner).
pub fn may_reset_password(actor: Role, target: Role) -> Result<(), TeamRefusal> {
    match actor {
        Role::Owner | Role::Superadmin => Ok(()),
        Role::Admin if !target.at_least(Role::Admin) => Ok(()),
        Role::Admin => Err(TeamRefusal::Forbidden("only an owner can reset an admin's or an owner's password")),
        _ => Err(TeamRefusal::Forbidden("only admins and owners reset passwords")),
    }
}

/// May `actor` move a member from `current` to `new`? `owners` is how many
/// owners the workspace has now; the last owner cannot be demoted.
pub fn may_change_role(actor: Role, current: Role, new: Role, owners: usize) -> Result<(), TeamRefusal> {
    grantable_role("role", new)?;
    if !actor.at_least(Role::Admin) {
        return Err(TeamRefusal::Forbidden("only admins and owners change roles"));
    }
    if (current == Role::Owner || new == Role::Owner) && actor != Role::Owner {
        return Err(TeamRefusal::Forbidden("only an owner can grant or take the owner role"));
    }
    if current == Role::Owner && new != Role::Owner && owners <= 1 {
        return Err(TeamRefusal::Conflict("a workspace must keep at least one owner"));
    }
    Ok(())
}

/// May `actor` remove a member whose role is `target`?
pub fn may_remove(actor: Role, target: Role, owners: usize) -> Result<(), TeamRefusal> {
    if !actor.at_least(Role::Admin) {
        return Err(TeamRefusal::Forbidden("only admins and owners remove people"));
    }
    if target == Role::Owner && actor != Role::Owner {
        return Err(TeamRefusal::Forbidden("only an owner can remove an owner"));
    }
    if target == Role::Owner && owners <= 1 {
        return Err(TeamRefusal::Conflict("a workspace must keep at least one owner"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::*;

    #[test]
    fn invites() {
        assert!(may_invite(Admin, Manager).is_ok());
        assert!(may_invite(Admin, Admin).is_ok());
        assert!(matches!(may_invite(Admin, Owner), Err(TeamRefusal::Forbidden(_))));
        assert!(may_invite(Owner, Owner).is_ok());
        assert!(matches!(may_invite(Manager, Viewer), Err(TeamRefusal::Forbidden(_))));
        assert!(matches!(may_invite(Owner, Superadmin), Err(TeamRefusal::Invalid(_))));
    }

    #[test]
    fn role_changes_keep_an_owner() {
        assert!(may_change_role(Owner, Owner, Admin, 2).is_ok());
        assert!(matches!(may_change_role(Owner, Owner, Admin, 1), Err(TeamRefusal::Conflict(_))));
        assert!(matches!(may_change_role(Admin, Owner, Admin, 3), Err(TeamRefusal::Forbidden(_))));
        assert!(matches!(may_change_role(Admin, Manager, Owner, 1), Err(TeamRefusal::Forbidden(_))));
        assert!(may_change_role(Admin, Viewer, Manager, 1).is_ok());
    }

    #[test]
    fn removals() {
        assert!(may_remove(Admin, Manager, 1).is_ok());
        assert!(matches!(may_remove(Admin, Owner, 2), Err(TeamRefusal::Forbidden(_))));
        assert!(matches!(may_remove(Owner, Owner, 1), Err(TeamRefusal::Conflict(_))));
        assert!(matches!(may_remove(Viewer, Viewer, 1), Err(TeamRefusal::Forbidden(_))));
    }
}
