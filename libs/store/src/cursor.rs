//! Pagination cursors: opaque tokens a client hands back to get the next
//! page. Two kinds: a whole DynamoDB key (for index queries, where the key
//! has several attributes) and a single item id (for a partition's own
//! items). Every decoder answers `Invalid("cursor")` for anything that is
//! not a cursor it made; the caller also checks the key belongs to the
//! caller's own partition.

use crate::{Item, StoreError};
use aws_sdk_dynamodb::types::AttributeValue;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use std::collections::HashMap;

fn invalid() -> StoreError {
    StoreError::Invalid("cursor".into())
}

/// A `LastEvaluatedKey` (string attributes only) as a cursor.
pub fn encode_key(k: &Item) -> Option<String> {
    let map: HashMap<String, String> = k.iter().filter_map(|(a, v)| v.as_s().ok().map(|s| (a.clone(), s.clone()))).collect();
    if map.is_empty() {
        return None;
    }
    serde_json::to_vec(&map).ok().map(|b| B64.encode(b))
}

/// A cursor made by [`encode_key`] back into an `ExclusiveStartKey`.
pub fn decode_key(c: &str) -> Result<Item, StoreError> {
    let bytes = B64.decode(c).map_err(|_| invalid())?;
    let map: HashMap<String, String> = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    Ok(map.into_iter().map(|(k, v)| (k, AttributeValue::S(v))).collect())
}

/// A list's `ExclusiveStartKey` from its cursor: the cursor must be one of
/// this very list (its partition attribute `pk_attr` is `pk`), or it is
/// `Invalid("cursor")` — another workspace's or another list's cursor is
/// never followed.
pub fn start_key(cursor: Option<&str>, pk_attr: &str, pk: &str) -> Result<Option<Item>, StoreError> {
    let Some(c) = cursor else { return Ok(None) };
    let k = decode_key(c)?;
    if k.get(pk_attr).and_then(|v| v.as_s().ok()).map(String::as_str) != Some(pk) {
        return Err(invalid());
    }
    Ok(Some(k))
}

/// An item id as a cursor.
pub fn encode_id(id: &str) -> String {
    B64.encode(id)
}

/// A cursor made by [`encode_id`] back into the id.
pub fn decode_id(c: &str) -> Result<String, StoreError> {
    String::from_utf8(B64.decode(c).map_err(|_| invalid())?).map_err(|_| invalid())
}
