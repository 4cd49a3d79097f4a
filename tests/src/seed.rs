//! Seeds for tests and benchmarks that need many items: written straight
//! into the table as the workers would leave them, with batch writes.

use crate::Stack;
use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use futures_util::StreamExt;
use std::collections::HashMap;

/// Seeds `n` contacts straight into the table (as the worker would leave
/// them: the contact with its activity index keys, its search entry, a
/// `budget` variable, every tenth tagged "hot"), with batch writes, several at a time.
pub async fn contacts(s: &Stack, ws: &str, from: i64, n: i64) {
    const NAMES: [&str; 10] = ["Ann", "Bohdan", "Cyril", "Daria", "Emil", "Fedir", "Halyna", "Ivan", "Kateryna", "Lev"];
    let mut writes = Vec::new();
    let now = cartie_store::util::now_ms();
    for i in from..from + n {
        let name = NAMES[(i % 10) as usize];
        let at = now - i * 1_000;
        let token = name.to_lowercase();
        let mut item: HashMap<String, AttributeValue> = [
            ("PK", AttributeValue::S(format!("WS#{ws}"))),
            ("SK", AttributeValue::S(format!("PERSON#{i}"))),
            ("GSI1PK", AttributeValue::S(format!("WS#{ws}#CONTACTS"))),
            ("GSI1SK", AttributeValue::S(format!("{at:013}#{i}"))),
            ("workspace_id", AttributeValue::S(ws.into())),
            ("user_id", AttributeValue::N(i.to_string())),
            (
                "person",
                AttributeValue::M([("id".to_string(), AttributeValue::N(i.to_string())), ("first_name".to_string(), AttributeValue::S(name.into()))].into()),
            ),
            ("channels", AttributeValue::Ss(vec!["bot:1".into()])),
            ("search_tokens", AttributeValue::Ss(vec![token.clone()])),
            ("first_seen_ms", AttributeValue::N(at.to_string())),
            ("last_active_ms", AttributeValue::N(at.to_string())),
            // A budget a scenario collected: 0 to 49,000 (over 20,000 for
            // three in five).
            ("vars", AttributeValue::M([("budget".to_string(), AttributeValue::S(((i % 50) * 1_000).to_string()))].into())),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let entry = |pk: String, sk: String| -> HashMap<String, AttributeValue> {
            [("PK".to_string(), AttributeValue::S(pk)), ("SK".to_string(), AttributeValue::S(sk))].into()
        };
        writes.push(entry(format!("WS#{ws}#CSEARCH"), format!("{token}#{i}")));
        if i % 10 == 3 {
            item.insert("tags".into(), AttributeValue::Ss(vec!["hot".into()]));
            writes.push(entry(format!("WS#{ws}#CTAG#hot"), format!("PERSON#{i}")));
        }
        writes.push(item);
    }
    let table = s.app.settings.table.clone();
    let batches: Vec<Vec<WriteRequest>> = writes
        .chunks(25)
        .map(|c| c.iter().map(|it| WriteRequest::builder().put_request(PutRequest::builder().set_item(Some(it.clone())).build().unwrap()).build()).collect())
        .collect();
    let ddb = s.app.aws.dynamodb.clone();
    let mut pending = futures_util::stream::iter(batches.into_iter().map(|b| {
        let (ddb, table) = (ddb.clone(), table.clone());
        async move {
            let mut left = b;
            while !left.is_empty() {
                let out = ddb.batch_write_item().request_items(table.clone(), left).send().await.expect("batch write");
                left = out.unprocessed_items.and_then(|mut m| m.remove(&table)).unwrap_or_default();
            }
        }
    }))
    .buffer_unordered(8);
    while pending.next().await.is_some() {}
}
