//! Importing contacts from a CSV: one row made into a contact or folded
//! into the contact it names. The import's record and report are the file
//! import's (`imports.rs`, kind `contacts`); this is the per-row write.
//!
//! Idempotent: a contact remembers the import row that last wrote it
//! (`import_row` = `{import_id}#{row}`) and what that row did, so a part run
//! again reports its rows as the first run did; importing the same file
//! again finds every contact as it left it (`unchanged`). A contact known
//! only from an import has no channel: no bot can write to them until they
//! start one (Telegram's rule); the list shows it as such.
//!
//! Who a row is: its Telegram id; else the contact whose username or phone
//! it gives (one search-index query and one batch read); else a placeholder
//! contact under a negative id derived from the username or phone (the same
//! in every import), which a manager can merge into the person once they
//! write (`merge.rs`).

use crate::contacts::{ContactFilter, ContactRecord};
use crate::merge::Fold;
use crate::{keys, Item, Store, StoreError};
use aws_sdk_dynamodb::types::AttributeValue;
use cartie_domain::contact_import::{placeholder_id, Identity, ImportedContact};
use cartie_domain::imports::RowOutcome;
use cartie_domain::inbox::Person;
use std::collections::HashMap;

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}

impl Store {
    /// The contact id a row stands for (see the module doc).
    pub async fn imported_contact_id(&self, ws: &str, c: &ImportedContact) -> Result<i64, StoreError> {
        let q = match &c.identity {
            Identity::Telegram(id) => return Ok(*id),
            Identity::Username(u) => u.clone(),
            Identity::Phone(p) => p.trim_start_matches('+').to_string(),
        };
        let same = |r: &ContactRecord| match &c.identity {
            Identity::Username(u) => r.person.as_ref().and_then(|p| p.username.as_deref()).is_some_and(|x| x.eq_ignore_ascii_case(u)),
            Identity::Phone(p) => r.phone.as_deref() == Some(p.as_str()),
            Identity::Telegram(_) => false,
        };
        let filter = ContactFilter { q: Some(q), ..Default::default() };
        let page = self.contacts(ws, &filter, 100, None).await?;
        // A real Telegram contact before a placeholder of an earlier import.
        let mut found: Vec<&ContactRecord> = page.items.iter().filter(|r| same(r)).collect();
        found.sort_by_key(|r| r.user_id < 0);
        match found.first() {
            Some(r) => Ok(r.user_id),
            None => Ok(placeholder_id(&c.identity).unwrap_or_default()),
        }
    }

    /// Writes one imported row to contact `user_id` and says what it did.
    /// A new contact gets everything the row says; a known one gets what
    /// it lacks (phone, name, language), the row's tags added, and the
    /// row's variables set — the dealer's own edits are never overwritten.
    pub async fn import_contact(&self, ws: &str, user_id: i64, c: &ImportedContact, import_row: &str, now_ms: i64) -> Result<RowOutcome, StoreError> {
        let old = self.contact_record(ws, user_id).await?;
        if let Some(old) = old.as_ref().filter(|o| o.import_row.as_deref() == Some(import_row)) {
            return Ok(old.import_outcome.unwrap_or(RowOutcome::Unchanged));
        }
        let Some(old) = old.filter(|o| !o.erasing) else {
            return self.create_imported(ws, user_id, c, import_row, now_ms).await;
        };
        let fold = Fold {
            phone: c.phone.clone(),
            name: c.name.clone(),
            language: c.language.clone(),
            tags: c.tags.clone(),
            vars: c.vars.clone(),
            vars_win: true,
            open_requests: Default::default(),
        };
        let changed = self.fold_into(ws, &old, &fold, Some(import_row)).await?;
        Ok(if changed { RowOutcome::Updated } else { RowOutcome::Unchanged })
    }

    async fn create_imported(&self, ws: &str, user_id: i64, c: &ImportedContact, import_row: &str, now_ms: i64) -> Result<RowOutcome, StoreError> {
        let mut item: Item = HashMap::from([
            ("PK".to_string(), s(&keys::ws(ws))),
            ("SK".to_string(), s(&keys::person(user_id))),
            ("workspace_id".to_string(), s(ws)),
            ("user_id".to_string(), AttributeValue::N(user_id.to_string())),
            ("source".to_string(), s("import")),
            ("first_seen_ms".to_string(), AttributeValue::N(now_ms.to_string())),
            ("last_active_ms".to_string(), AttributeValue::N("0".into())),
            ("GSI1PK".to_string(), s(&keys::contacts_index(ws))),
            // Never active: after everyone who wrote, newest import first.
            ("GSI1SK".to_string(), s(&keys::contacts_sort(0, user_id))),
            ("vars".to_string(), AttributeValue::M(c.vars.iter().map(|(k, v)| (k.clone(), s(v))).collect())),
            ("import_row".to_string(), s(import_row)),
            ("import_outcome".to_string(), outcome_value(RowOutcome::Created)?),
        ]);
        if let Some(u) = &c.username {
            let person = Person { id: user_id, first_name: String::new(), last_name: None, username: Some(u.clone()), language_code: c.language.clone() };
            item.insert("person".into(), AttributeValue::M(crate::encode(&person)?));
        }
        for (attr, v) in [("name", &c.name), ("phone", &c.phone), ("language", &c.language)] {
            if let Some(v) = v {
                item.insert(attr.into(), s(v));
            }
        }
        if !c.tags.is_empty() {
            item.insert("tags".into(), AttributeValue::Ss(c.tags.iter().cloned().collect()));
        }
        let res = self.ddb.put_item().table_name(&self.table).set_item(Some(item)).condition_expression("attribute_not_exists(PK)").send().await;
        match res {
            Ok(_) => {}
            // Written meanwhile (a buyer's first message, a parallel part):
            // fold the row in as into any known contact.
            Err(e) if e.as_service_error().is_some_and(|x| x.is_conditional_check_failed_exception()) => {
                return Box::pin(self.import_contact(ws, user_id, c, import_row, now_ms)).await;
            }
            Err(e) => return Err(StoreError::aws(e)),
        }
        let tags: Vec<String> = c.tags.iter().cloned().collect();
        self.write_tag_entries(ws, &[user_id], &tags, &[]).await?;
        self.index_contact(ws, user_id).await?;
        Ok(RowOutcome::Created)
    }
}

pub(crate) fn outcome_value(o: RowOutcome) -> Result<AttributeValue, StoreError> {
    serde_dynamo::to_attribute_value(o).map_err(|e| StoreError::Corrupt(e.to_string()))
}
