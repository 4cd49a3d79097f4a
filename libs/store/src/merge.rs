//! Two contacts that are one person (the same phone: a buyer imported from
//! a CSV who later wrote to a bot, or a row of an old CRM) merged into one.
//! The kept contact gets what it lacks from the other (phone, name,
//! language), their tags and open requests together, and the other's
//! variables where it has none of that name; then the other is erased
//! (`erase.rs`). Only a contact without chats can be folded into another:
//! chats belong to the Telegram account that wrote them, so two contacts
//! who both wrote to bots stay two (Telegram sees two accounts).
//!
//! A CSV import folds a row into a known contact the same way ([`Fold`]),
//! its row's variables winning.

use crate::contact_imports::outcome_value;
use crate::contacts::ContactRecord;
use crate::{keys, Store, StoreError};
use aws_sdk_dynamodb::types::AttributeValue;
use cartie_domain::imports::RowOutcome;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What is folded into a contact.
#[derive(Debug, Clone, Default)]
pub struct Fold {
    pub phone: Option<String>,
    pub name: Option<String>,
    pub language: Option<String>,
    pub tags: BTreeSet<String>,
    pub vars: BTreeMap<String, String>,
    /// The folded variables replace the contact's of the same name (an
    /// import) or only fill in the names it lacks (a merge).
    pub vars_win: bool,
    pub open_requests: BTreeSet<String>,
}

/// Why two contacts cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeRefused {
    Same,
    /// Either is gone (or being erased).
    NotFound,
    /// Both wrote to bots: two Telegram accounts.
    BothHaveChats,
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}

impl Store {
    /// Folds `f` into contact `old` in one UpdateItem (also writing the
    /// import row's record when `import_row` is given) and the new tag and
    /// search index entries. Answers whether anything changed.
    pub(crate) async fn fold_into(&self, ws: &str, old: &ContactRecord, f: &Fold, import_row: Option<&str>) -> Result<bool, StoreError> {
        let mut sets: Vec<String> = Vec::new();
        let mut values: HashMap<String, AttributeValue> = HashMap::new();
        let mut names: HashMap<String, String> = HashMap::new();
        let mut changed = false;
        for (attr, new, have) in [("phone", &f.phone, &old.phone), ("name", &f.name, &old.name), ("language", &f.language, &old.language)] {
            if let (Some(v), None) = (new, have) {
                sets.push(format!("#{attr} = :{attr}"));
                names.insert(format!("#{attr}"), attr.to_string());
                values.insert(format!(":{attr}"), s(v));
                changed = true;
            }
        }
        let new_vars: Vec<(&String, &String)> =
            f.vars.iter().filter(|(k, v)| if f.vars_win { old.vars.get(*k) != Some(*v) } else { !old.vars.contains_key(*k) }).collect();
        if !new_vars.is_empty() {
            // No variables yet (maybe no map either): these are the map.
            if old.vars.is_empty() {
                let all = new_vars.iter().map(|(k, v)| (k.to_string(), s(v))).collect();
                sets.push("vars = :vars".into());
                values.insert(":vars".into(), AttributeValue::M(all));
            } else {
                for (i, (k, v)) in new_vars.iter().enumerate() {
                    sets.push(format!("vars.#v{i} = :v{i}"));
                    names.insert(format!("#v{i}"), k.to_string());
                    values.insert(format!(":v{i}"), s(v));
                }
            }
            changed = true;
        }
        let mut adds = Vec::new();
        let added: Vec<String> = f.tags.difference(&old.tags).cloned().collect();
        if !added.is_empty() {
            adds.push("tags :tags");
            values.insert(":tags".into(), AttributeValue::Ss(added.clone()));
            changed = true;
        }
        let requests: Vec<String> = f.open_requests.difference(&old.open_requests).cloned().collect();
        if !requests.is_empty() {
            adds.push("open_requests :reqs");
            values.insert(":reqs".into(), AttributeValue::Ss(requests));
            changed = true;
        }
        if let Some(row) = import_row {
            sets.push("import_row = :row".into());
            sets.push("import_outcome = :outcome".into());
            values.insert(":row".into(), s(row));
            values.insert(":outcome".into(), outcome_value(if changed { RowOutcome::Updated } else { RowOutcome::Unchanged })?);
        }
        if sets.is_empty() && adds.is_empty() {
            return Ok(false);
        }
        let mut expr = String::new();
        if !sets.is_empty() {
            expr.push_str(&format!("SET {} ", sets.join(", ")));
        }
        if !adds.is_empty() {
            expr.push_str(&format!("ADD {}", adds.join(", ")));
        }
        self.ddb
            .update_item()
            .table_name(&self.table)
            .key("PK", s(&keys::ws(ws)))
            .key("SK", s(&keys::person(old.user_id)))
            .condition_expression("attribute_exists(PK)")
            .update_expression(expr.trim_end())
            .set_expression_attribute_names((!names.is_empty()).then_some(names))
            .set_expression_attribute_values(Some(values))
            .send()
            .await
            .map_err(StoreError::aws)?;
        self.write_tag_entries(ws, &[old.user_id], &added, &[]).await?;
        if changed {
            self.index_contact(ws, old.user_id).await?;
        }
        Ok(changed)
    }

    /// Merges contacts `a` and `b` (one person): the one with chats is kept
    /// (else `a`), the other folded into it and marked for erasing. Answers
    /// the kept id and the erased one; the caller queues the erasure. Safe
    /// to repeat: a second run finds the other being erased.
    pub async fn merge_contacts(&self, ws: &str, a: i64, b: i64) -> Result<Result<(i64, i64), MergeRefused>, StoreError> {
        let Some(ca) = self.contact_record(ws, a).await? else { return Ok(Err(MergeRefused::NotFound)) };
        if a == b {
            return Ok(Err(MergeRefused::Same));
        }
        let Some(cb) = self.contact_record(ws, b).await? else { return Ok(Err(MergeRefused::NotFound)) };
        if ca.erasing || cb.erasing {
            return Ok(Err(MergeRefused::NotFound));
        }
        let (keep, gone) = match (ca.reachable(), cb.reachable()) {
            (true, true) => return Ok(Err(MergeRefused::BothHaveChats)),
            (false, true) => (cb, ca),
            // Neither wrote: a real Telegram id before a placeholder.
            (false, false) if a < 0 && b > 0 => (cb, ca),
            _ => (ca, cb),
        };
        let fold = Fold {
            phone: gone.phone.clone(),
            name: gone.name.clone(),
            language: gone.language.clone(),
            tags: gone.tags.clone(),
            vars: gone.vars.clone(),
            vars_win: false,
            open_requests: gone.open_requests.clone(),
        };
        self.fold_into(ws, &keep, &fold, None).await?;
        // The other's requests now belong to the kept contact: erasing it
        // must not unlink them.
        if !gone.open_requests.is_empty() {
            self.ddb
                .update_item()
                .table_name(&self.table)
                .key("PK", s(&keys::ws(ws)))
                .key("SK", s(&keys::person(gone.user_id)))
                .update_expression("REMOVE open_requests")
                .send()
                .await
                .map_err(StoreError::aws)?;
        }
        self.start_erasing(ws, gone.user_id).await?;
        Ok(Ok((keep.user_id, gone.user_id)))
    }

    /// Other contacts that may be this person: the same phone, or (for a
    /// contact known only from an import) the same username. One search
    /// query and one batch read.
    pub async fn possible_duplicates(&self, c: &ContactRecord) -> Result<Vec<ContactRecord>, StoreError> {
        let username = c.person.as_ref().and_then(|p| p.username.clone());
        let q = match (&c.phone, &username) {
            (Some(p), _) => p.trim_start_matches('+').to_string(),
            (None, Some(u)) => u.clone(),
            (None, None) => return Ok(Vec::new()),
        };
        let filter = crate::contacts::ContactFilter { q: Some(q), ..Default::default() };
        let page = self.contacts(&c.workspace_id, &filter, 100, None).await?;
        let same = |o: &ContactRecord| {
            let phone = c.phone.is_some() && o.phone == c.phone;
            let user = username.is_some()
                && o.person.as_ref().and_then(|p| p.username.as_ref()).map(|u| u.to_lowercase()) == username.as_ref().map(|u| u.to_lowercase());
            o.user_id != c.user_id && (phone || user) && !(o.reachable() && c.reachable())
        };
        Ok(page.items.into_iter().filter(same).take(5).collect())
    }
}
