//! A person's own account: the UI language they chose, password changes
//! (which end every session issued before them), and one-time links to set
//! a new password when the old one is forgotten (issued by an owner, an
//! admin or the superadmin, or sent to the person's linked Telegram).
//!
//! | PK                       | SK      | item                                    |
//! |--------------------------|---------|-----------------------------------------|
//! | `RESET#{sha256(token)}`  | `RESET` | a reset link: whose, by whom; TTL 24 h  |
//!
//! Only a hash of a link's token is stored; the link works once (a
//! conditional delete in the same transaction that sets the password).

use crate::team::Login;
use crate::{keys, util, Store, StoreError};
use aws_sdk_dynamodb::types::{AttributeValue, Delete, TransactWriteItem, Update};
use cartie_domain::Language;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A reset link works this long.
pub const RESET_TTL_SECS: i64 = 24 * 3600;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PasswordReset {
    pub email: String,
    pub issued_by: String,
    /// Epoch seconds; also the TTL attribute.
    pub expires_at: i64,
}

fn key(pk: String, sk: &str) -> HashMap<String, AttributeValue> {
    [("PK".to_string(), AttributeValue::S(pk)), ("SK".to_string(), AttributeValue::S(sk.to_string()))].into()
}

impl Store {
    pub async fn set_language(&self, email: &str, language: Language) -> Result<(), StoreError> {
        self.ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::user(email), keys::LOGIN)))
            .update_expression("SET #l = :l")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_names("#l", "language")
            .expression_attribute_values(":l", AttributeValue::S(language.as_str().into()))
            .send()
            .await
            .map_err(StoreError::aws)?;
        Ok(())
    }

    /// Changes a person's display name on their login and their membership.
    pub async fn rename_person(&self, email: &str, ws: Option<&str>, name: &str) -> Result<(), StoreError> {
        let set = |pk: String, sk: String| -> Result<TransactWriteItem, StoreError> {
            Ok(TransactWriteItem::builder()
                .update(
                    Update::builder()
                        .table_name(&self.table)
                        .set_key(Some(key(pk, &sk)))
                        .update_expression("SET #n = :n")
                        .condition_expression("attribute_exists(PK)")
                        .expression_attribute_names("#n", "name")
                        .expression_attribute_values(":n", AttributeValue::S(name.into()))
                        .build()
                        .map_err(StoreError::aws)?,
                )
                .build())
        };
        let mut steps = vec![(set(keys::user(email), keys::LOGIN.into())?, "the account no longer exists")];
        if let Some(ws) = ws {
            steps.push((set(keys::ws(ws), keys::member(email))?, "no longer a member"));
        }
        self.transact(steps).await
    }

    /// The writes that set a login's password hash and stamp the change on
    /// the login and on its member item (where requests check it).
    fn password_writes(&self, login: &Login, hash: &str, at_ms: i64) -> Result<Vec<TransactWriteItem>, StoreError> {
        let mut writes = vec![TransactWriteItem::builder()
            .update(
                Update::builder()
                    .table_name(&self.table)
                    .set_key(Some(key(keys::user(&login.email), keys::LOGIN)))
                    .update_expression("SET password_hash = :h, password_changed_at_ms = :t")
                    .condition_expression("attribute_exists(PK)")
                    .expression_attribute_values(":h", AttributeValue::S(hash.into()))
                    .expression_attribute_values(":t", AttributeValue::N(at_ms.to_string()))
                    .build()
                    .map_err(StoreError::aws)?,
            )
            .build()];
        if let Some(ws) = &login.workspace_id {
            writes.push(
                TransactWriteItem::builder()
                    .update(
                        Update::builder()
                            .table_name(&self.table)
                            .set_key(Some(key(keys::ws(ws), &keys::member(&login.email))))
                            .update_expression("SET password_changed_at_ms = :t")
                            .condition_expression("attribute_exists(PK)")
                            .expression_attribute_values(":t", AttributeValue::N(at_ms.to_string()))
                            .build()
                            .map_err(StoreError::aws)?,
                    )
                    .build(),
            );
        }
        Ok(writes)
    }

    /// Sets a new password; every token issued before now stops working.
    /// Returns when the change happened (epoch ms).
    pub async fn change_password(&self, login: &Login, hash: &str) -> Result<i64, StoreError> {
        let at = util::now_ms();
        let steps = self.password_writes(login, hash, at)?.into_iter().map(|w| (w, "the account no longer exists")).collect();
        self.transact(steps).await?;
        Ok(at)
    }

    /// A new reset link's token for `email` (shown once; only its hash is kept).
    pub async fn create_password_reset(&self, email: &str, issued_by: &str) -> Result<(String, PasswordReset), StoreError> {
        let token = util::random_token();
        let reset = PasswordReset { email: email.into(), issued_by: issued_by.into(), expires_at: util::now_secs() + RESET_TTL_SECS };
        let mut item = crate::encode(&reset)?;
        item.extend(key(keys::password_reset(&util::sha256_hex(&token)), keys::PASSWORD_RESET));
        item.insert(keys::TTL_ATTRIBUTE.into(), AttributeValue::N(reset.expires_at.to_string()));
        self.ddb.put_item().table_name(&self.table).set_item(Some(item)).send().await.map_err(StoreError::aws)?;
        Ok((token, reset))
    }

    /// The reset behind a link, if it exists and has not expired.
    pub async fn password_reset(&self, token: &str) -> Result<Option<PasswordReset>, StoreError> {
        let found: Option<PasswordReset> = self.get_as(&keys::password_reset(&util::sha256_hex(token)), keys::PASSWORD_RESET).await?;
        Ok(found.filter(|r| r.expires_at > util::now_secs()))
    }

    /// Uses a reset link: the link is consumed and the password set in one
    /// transaction, so a link works exactly once. `NotFound` when the link
    /// is unknown, used or expired.
    pub async fn use_password_reset(&self, token: &str, login: &Login, hash: &str) -> Result<i64, StoreError> {
        let at = util::now_ms();
        let consume = TransactWriteItem::builder()
            .delete(
                Delete::builder()
                    .table_name(&self.table)
                    .set_key(Some(key(keys::password_reset(&util::sha256_hex(token)), keys::PASSWORD_RESET)))
                    .condition_expression("attribute_exists(PK) AND expires_at > :now AND email = :e")
                    .expression_attribute_values(":now", AttributeValue::N(util::now_secs().to_string()))
                    .expression_attribute_values(":e", AttributeValue::S(login.email.clone()))
                    .build()
                    .map_err(StoreError::aws)?,
            )
            .build();
        let mut steps = vec![(consume, "this link is unknown, used or expired")];
        steps.extend(self.password_writes(login, hash, at)?.into_iter().map(|w| (w, "the account no longer exists")));
        match self.transact(steps).await {
            Err(StoreError::Conflict(m)) if m.starts_with("this link") => Err(StoreError::NotFound),
            other => other.map(|_| at),
        }
    }
}
