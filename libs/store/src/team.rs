//! Workspaces, their members and invites, and login identities.
//! Multi-item changes go through one transaction each, with conditions that
//! keep the invariants (unique slug, one account per e-mail, at least one
//! owner) even when two requests race.

use crate::{decode, encode, keys, util, Item, Store, StoreError};
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, Delete, Put, TransactWriteItem, Update};
use cartie_domain::{Language, Role};
use serde::{Deserialize, Serialize};

/// Invite links live a week.
pub const INVITE_TTL_SECS: i64 = 7 * 24 * 3600;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Workspace {
    pub id: String,
    pub name: String,
    pub slug: String,
    /// How many members are owners; kept in step by the same transactions
    /// that change roles, so "the last owner" is checked atomically.
    pub owners: u32,
    pub created_at_ms: i64,
    /// IANA zone every schedule and date of the workspace is in.
    #[serde(default)]
    pub time_zone: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Member {
    pub workspace_id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub joined_at_ms: i64,
    /// When the member's password last changed (epoch ms), copied from the
    /// login: tokens issued before it are refused, and the member item is
    /// what every request reads anyway.
    #[serde(default)]
    pub password_changed_at_ms: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Invite {
    pub workspace_id: String,
    pub invite_id: String,
    pub email: String,
    pub role: Role,
    pub invited_by: String,
    pub token_hash: String,
    pub created_at_ms: i64,
    /// Epoch seconds; also the table's TTL attribute.
    pub expires_at: i64,
}

/// What a person logs in with. Holds the workspace id, not workspace data.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Login {
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub workspace_id: Option<String>,
    pub superadmin: bool,
    pub created_at_ms: i64,
    /// The UI language this person chose.
    #[serde(default)]
    pub language: Option<Language>,
    /// When the password last changed (epoch ms); older tokens are refused.
    #[serde(default)]
    pub password_changed_at_ms: Option<i64>,
}

fn with_key(mut item: Item, pk: String, sk: &str) -> Item {
    item.insert("PK".into(), AttributeValue::S(pk));
    item.insert("SK".into(), AttributeValue::S(sk.to_string()));
    item
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}

fn key(pk: String, sk: String) -> std::collections::HashMap<String, AttributeValue> {
    [("PK".to_string(), AttributeValue::S(pk)), ("SK".to_string(), AttributeValue::S(sk))].into()
}

impl Store {
    fn put_new(&self, item: Item) -> Result<TransactWriteItem, StoreError> {
        let put =
            Put::builder().table_name(&self.table).set_item(Some(item)).condition_expression("attribute_not_exists(PK)").build().map_err(StoreError::aws)?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    fn owners_delta(&self, ws: &str, delta: i32) -> Result<TransactWriteItem, StoreError> {
        let mut u = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::ws(ws), keys::PROFILE.into())))
            .update_expression("SET owners = owners + :d")
            .expression_attribute_values(":d", AttributeValue::N(delta.to_string()));
        if delta < 0 {
            u = u.condition_expression("owners > :one").expression_attribute_values(":one", AttributeValue::N("1".into()));
        } else {
            u = u.condition_expression("attribute_exists(PK)");
        }
        Ok(TransactWriteItem::builder().update(u.build().map_err(StoreError::aws)?).build())
    }

    fn workspace_steps(&self, w: &Workspace) -> Result<Vec<crate::Step>, StoreError> {
        let slug_item = with_key([("workspace_id".to_string(), s(&w.id))].into(), keys::slug(&w.slug), keys::SLUG_TARGET);
        Ok(vec![
            (self.put_new(slug_item)?, "slug is already taken"),
            (self.put_new(with_key(encode(w)?, keys::ws(&w.id), keys::PROFILE))?, "workspace exists"),
            (self.put_new(with_key(encode(w)?, keys::PLATFORM.into(), &keys::platform_workspace(&w.id)))?, "workspace exists"),
        ])
    }

    fn invite_steps(&self, inv: &Invite) -> Result<Vec<crate::Step>, StoreError> {
        let mut pointer = encode(inv)?;
        pointer.insert(keys::TTL_ATTRIBUTE.into(), AttributeValue::N(inv.expires_at.to_string()));
        Ok(vec![
            (self.put_new(with_key(encode(inv)?, keys::ws(&inv.workspace_id), &keys::invite(&inv.invite_id)))?, "invite exists"),
            (self.put_new(with_key(pointer, keys::invite_token(&inv.token_hash), keys::INVITE_TARGET))?, "invite exists"),
        ])
    }

    fn new_invite(ws: &str, email: &str, role: Role, by: &str) -> (Invite, String) {
        let token = util::random_token();
        let now = util::now_ms();
        let inv = Invite {
            workspace_id: ws.to_string(),
            invite_id: util::new_id(),
            email: email.to_string(),
            role,
            invited_by: by.to_string(),
            token_hash: util::sha256_hex(&token),
            created_at_ms: now,
            expires_at: now / 1000 + INVITE_TTL_SECS,
        };
        (inv, token)
    }

    /// A new workspace with an invite for its first owner. Returns the
    /// invite's secret token (shown once; only its hash is stored).
    pub async fn create_workspace(
        &self,
        name: &str,
        slug: &str,
        time_zone: Option<&str>,
        owner_email: &str,
        by: &str,
    ) -> Result<(Workspace, Invite, String), StoreError> {
        let w = Workspace {
            id: util::new_id(),
            name: name.into(),
            slug: slug.into(),
            owners: 0,
            created_at_ms: util::now_ms(),
            time_zone: time_zone.map(str::to_string),
        };
        let (inv, token) = Self::new_invite(&w.id, owner_email, Role::Owner, by);
        let mut steps = self.workspace_steps(&w)?;
        steps.extend(self.invite_steps(&inv)?);
        self.transact(steps).await?;
        Ok((w, inv, token))
    }

    /// A workspace with its owner account in place (the local demo seed).
    pub async fn create_workspace_with_owner(&self, w: &Workspace, owner: &Login) -> Result<(), StoreError> {
        let member = Member {
            workspace_id: w.id.clone(),
            email: owner.email.clone(),
            name: owner.name.clone(),
            role: Role::Owner,
            joined_at_ms: w.created_at_ms,
            password_changed_at_ms: None,
        };
        let mut steps = self.workspace_steps(&Workspace { owners: 1, ..w.clone() })?;
        steps.push((self.put_new(with_key(encode(owner)?, keys::user(&owner.email), keys::LOGIN))?, "e-mail already has an account"));
        steps.push((self.put_new(with_key(encode(&member)?, keys::ws(&w.id), &keys::member(&owner.email)))?, "already a member"));
        self.transact(steps).await
    }

    pub async fn workspace(&self, ws: &str) -> Result<Option<Workspace>, StoreError> {
        self.get_as(&keys::ws(ws), keys::PROFILE).await
    }

    pub async fn workspace_by_slug(&self, slug: &str) -> Result<Option<Workspace>, StoreError> {
        let Some(item) = self.get(&keys::slug(slug), keys::SLUG_TARGET).await? else { return Ok(None) };
        match item.get("workspace_id") {
            Some(AttributeValue::S(id)) => self.workspace(id).await,
            _ => Ok(None),
        }
    }

    pub async fn workspaces(&self) -> Result<Vec<Workspace>, StoreError> {
        let mut list: Vec<Workspace> =
            self.query_prefix(keys::PLATFORM, keys::PLATFORM_WORKSPACE_PREFIX).await?.into_iter().map(decode).collect::<Result<_, _>>()?;
        list.sort_by(|a, b| b.id.cmp(&a.id));
        Ok(list)
    }

    /// Renames a workspace in its profile and in the platform list together.
    pub async fn rename_workspace(&self, ws: &str, name: &str) -> Result<(), StoreError> {
        let upd = |pk: String, sk: String| -> Result<TransactWriteItem, StoreError> {
            Ok(TransactWriteItem::builder()
                .update(
                    Update::builder()
                        .table_name(&self.table)
                        .set_key(Some(key(pk, sk)))
                        .update_expression("SET #n = :n")
                        .condition_expression("attribute_exists(PK)")
                        .expression_attribute_names("#n", "name")
                        .expression_attribute_values(":n", s(name))
                        .build()
                        .map_err(StoreError::aws)?,
                )
                .build())
        };
        self.transact(vec![
            (upd(keys::ws(ws), keys::PROFILE.into())?, "workspace not found"),
            (upd(keys::PLATFORM.into(), keys::platform_workspace(ws))?, "workspace not found"),
        ])
        .await
    }

    /// Sets the workspace's time zone (an IANA name the caller checked).
    pub async fn set_time_zone(&self, ws: &str, time_zone: &str) -> Result<(), StoreError> {
        self.ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::ws(ws), keys::PROFILE.into())))
            .update_expression("SET time_zone = :tz")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":tz", s(time_zone))
            .send()
            .await
            .map_err(
                |e| if e.as_service_error().is_some_and(|x| x.is_conditional_check_failed_exception()) { StoreError::NotFound } else { StoreError::aws(e) },
            )?;
        Ok(())
    }

    pub async fn login(&self, email: &str) -> Result<Option<Login>, StoreError> {
        self.get_as(&keys::user(email), keys::LOGIN).await
    }

    /// Creates a login if the e-mail has none; `false` when it existed.
    pub async fn create_login(&self, login: &Login) -> Result<bool, StoreError> {
        let res = self
            .ddb
            .put_item()
            .table_name(&self.table)
            .set_item(Some(with_key(encode(login)?, keys::user(&login.email), keys::LOGIN)))
            .condition_expression("attribute_not_exists(PK)")
            .send()
            .await;
        match res {
            Ok(_) => Ok(true),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_conditional_check_failed_exception()) => Ok(false),
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    pub async fn set_password_hash(&self, email: &str, hash: &str) -> Result<(), StoreError> {
        self.ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::user(email), keys::LOGIN.into())))
            .update_expression("SET password_hash = :h")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":h", s(hash))
            .send()
            .await
            .map_err(StoreError::aws)?;
        Ok(())
    }

    pub async fn member(&self, ws: &str, email: &str) -> Result<Option<Member>, StoreError> {
        self.get_as(&keys::ws(ws), &keys::member(email)).await
    }

    pub async fn members(&self, ws: &str) -> Result<Vec<Member>, StoreError> {
        self.query_prefix(&keys::ws(ws), keys::MEMBER_PREFIX).await?.into_iter().map(decode).collect()
    }

    /// Pending (unexpired) invites of a workspace.
    pub async fn invites(&self, ws: &str) -> Result<Vec<Invite>, StoreError> {
        let now = util::now_secs();
        let all: Vec<Invite> = self.query_prefix(&keys::ws(ws), keys::INVITE_PREFIX).await?.into_iter().map(decode).collect::<Result<_, _>>()?;
        Ok(all.into_iter().filter(|i| i.expires_at > now).collect())
    }

    pub async fn create_invite(&self, ws: &str, email: &str, role: Role, by: &str) -> Result<(Invite, String), StoreError> {
        let (inv, token) = Self::new_invite(ws, email, role, by);
        self.transact(self.invite_steps(&inv)?).await?;
        Ok((inv, token))
    }

    /// The invite behind a link, if it exists and has not expired.
    pub async fn invite_by_token(&self, token: &str) -> Result<Option<Invite>, StoreError> {
        let found: Option<Invite> = self.get_as(&keys::invite_token(&util::sha256_hex(token)), keys::INVITE_TARGET).await?;
        Ok(found.filter(|i| i.expires_at > util::now_secs()))
    }

    /// Turns an invite into a member with a login, in one transaction: the
    /// invite is consumed exactly once and an e-mail gets one account.
    pub async fn accept_invite(&self, inv: &Invite, name: &str, password_hash: &str) -> Result<Login, StoreError> {
        let now = util::now_ms();
        let login = Login {
            email: inv.email.clone(),
            name: name.into(),
            password_hash: password_hash.into(),
            workspace_id: Some(inv.workspace_id.clone()),
            superadmin: false,
            created_at_ms: now,
            language: None,
            password_changed_at_ms: None,
        };
        let member = Member {
            workspace_id: inv.workspace_id.clone(),
            email: inv.email.clone(),
            name: name.into(),
            role: inv.role,
            joined_at_ms: now,
            password_changed_at_ms: None,
        };
        let delete = |pk: String, sk: String| {
            Delete::builder()
                .table_name(&self.table)
                .set_key(Some(key(pk, sk)))
                .condition_expression("attribute_exists(PK)")
                .build()
                .map(|d| TransactWriteItem::builder().delete(d).build())
                .map_err(StoreError::aws)
        };
        let mut steps = vec![
            (self.put_new(with_key(encode(&login)?, keys::user(&login.email), keys::LOGIN))?, "this e-mail already has an account"),
            (self.put_new(with_key(encode(&member)?, keys::ws(&inv.workspace_id), &keys::member(&inv.email)))?, "already a member"),
            (delete(keys::ws(&inv.workspace_id), keys::invite(&inv.invite_id))?, "invite was already used or revoked"),
            (delete(keys::invite_token(&inv.token_hash), keys::INVITE_TARGET.into())?, "invite was already used or revoked"),
        ];
        if inv.role == Role::Owner {
            steps.push((self.owners_delta(&inv.workspace_id, 1)?, "workspace not found"));
        }
        self.transact(steps).await?;
        Ok(login)
    }

    pub async fn revoke_invite(&self, ws: &str, invite_id: &str) -> Result<(), StoreError> {
        let Some(inv) = self.get_as::<Invite>(&keys::ws(ws), &keys::invite(invite_id)).await? else {
            return Err(StoreError::NotFound);
        };
        let del = |pk: String, sk: String| {
            Delete::builder()
                .table_name(&self.table)
                .set_key(Some(key(pk, sk)))
                .build()
                .map(|d| TransactWriteItem::builder().delete(d).build())
                .map_err(StoreError::aws)
        };
        self.transact(vec![
            (del(keys::ws(ws), keys::invite(invite_id))?, "invite not found"),
            (del(keys::invite_token(&inv.token_hash), keys::INVITE_TARGET.into())?, "invite not found"),
        ])
        .await
    }

    /// Moves a member from `from` to `to`; fails with a conflict if the role
    /// changed meanwhile or the last owner would be demoted.
    pub async fn change_role(&self, ws: &str, email: &str, from: Role, to: Role) -> Result<(), StoreError> {
        let upd = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::ws(ws), keys::member(email))))
            .update_expression("SET #r = :to")
            .condition_expression("#r = :from")
            .expression_attribute_names("#r", "role")
            .expression_attribute_values(":to", s(to.as_str()))
            .expression_attribute_values(":from", s(from.as_str()))
            .build()
            .map_err(StoreError::aws)?;
        let mut steps = vec![(TransactWriteItem::builder().update(upd).build(), "the member's role changed meanwhile; reload")];
        if from == Role::Owner && to != Role::Owner {
            steps.push((self.owners_delta(ws, -1)?, "a workspace must keep at least one owner"));
        } else if to == Role::Owner && from != Role::Owner {
            steps.push((self.owners_delta(ws, 1)?, "workspace not found"));
        }
        self.transact(steps).await
    }

    /// Removes a member and their login (so the e-mail can be invited again).
    pub async fn remove_member(&self, ws: &str, email: &str, role: Role) -> Result<(), StoreError> {
        let del_member = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::ws(ws), keys::member(email))))
            .condition_expression("#r = :role")
            .expression_attribute_names("#r", "role")
            .expression_attribute_values(":role", s(role.as_str()))
            .build()
            .map_err(StoreError::aws)?;
        let del_login = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::user(email), keys::LOGIN.into())))
            .condition_expression("workspace_id = :ws")
            .expression_attribute_values(":ws", s(ws))
            .build()
            .map_err(StoreError::aws)?;
        let mut steps: Vec<crate::Step> = vec![
            (TransactWriteItem::builder().delete(del_member).build(), "the member changed meanwhile; reload"),
            (TransactWriteItem::builder().delete(del_login).build(), "the member's login belongs elsewhere"),
        ];
        if role == Role::Owner {
            steps.push((self.owners_delta(ws, -1)?, "a workspace must keep at least one owner"));
        }
        self.transact(steps).await
    }

    /// Fails unless the workspace exists; used as a transaction guard.
    #[allow(dead_code)]
    fn workspace_exists(&self, ws: &str) -> Result<TransactWriteItem, StoreError> {
        let c = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::ws(ws), keys::PROFILE.into())))
            .condition_expression("attribute_exists(PK)")
            .build()
            .map_err(StoreError::aws)?;
        Ok(TransactWriteItem::builder().condition_check(c).build())
    }
}
