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
    contacts_of_bot(s, ws, 1, from, n).await
}

/// [`contacts`] who wrote to the bot `bot_id` (their channel).
pub async fn contacts_of_bot(s: &Stack, ws: &str, bot_id: i64, from: i64, n: i64) {
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
            ("channels", AttributeValue::Ss(vec![format!("bot:{bot_id}")])),
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
    put_all(s, writes).await;
}

/// Seeds a bot-1 conversation for each of the contacts `from..from+n` (as
/// the worker leaves them: the conversation with its Inbox index keys, open,
/// every third unread, every seventh asking about a "RAV4" with that word
/// in the Inbox search index).
pub async fn conversations(s: &Stack, ws: &str, from: i64, n: i64) {
    const NAMES: [&str; 10] = ["Ann", "Bohdan", "Cyril", "Daria", "Emil", "Fedir", "Halyna", "Ivan", "Kateryna", "Lev"];
    let now = cartie_store::util::now_ms();
    let mut writes = Vec::new();
    for i in from..from + n {
        let at = now - i * 1_000;
        let sort = format!("{at:013}#1#{i}");
        let rav = i % 7 == 0;
        let text = if rav { "Is the RAV4 still there?" } else { "Hello" };
        let mut item: HashMap<String, AttributeValue> = [
            ("PK", AttributeValue::S(format!("WS#{ws}"))),
            ("SK", AttributeValue::S(format!("CONV#1#{i}"))),
            ("GSI1PK", AttributeValue::S(format!("WS#{ws}#INBOX"))),
            ("GSI1SK", AttributeValue::S(sort.clone())),
            ("GSI2PK", AttributeValue::S(format!("WS#{ws}#INBOX#1"))),
            ("GSI2SK", AttributeValue::S(sort)),
            ("workspace_id", AttributeValue::S(ws.into())),
            ("bot_id", AttributeValue::N("1".into())),
            ("chat_id", AttributeValue::N(i.to_string())),
            (
                "contact",
                AttributeValue::M(
                    [("id".to_string(), AttributeValue::N(i.to_string())), ("first_name".to_string(), AttributeValue::S(NAMES[(i % 10) as usize].into()))]
                        .into(),
                ),
            ),
            ("last_message_at_ms", AttributeValue::N(at.to_string())),
            ("preview", AttributeValue::S(text.into())),
            ("last_direction", AttributeValue::S("in".into())),
            ("unread", AttributeValue::N(if i % 3 == 0 { "1" } else { "0" }.into())),
            ("seq", AttributeValue::N("1".into())),
            ("created_at_ms", AttributeValue::N(at.to_string())),
            ("blocked", AttributeValue::Bool(false)),
            ("status", AttributeValue::S("open".into())),
            ("rev", AttributeValue::N("1".into())),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        if rav {
            item.insert("search_words".into(), AttributeValue::Ss(vec!["rav4".into()]));
            writes.push(
                [("PK".to_string(), AttributeValue::S(format!("WS#{ws}#MSEARCH#r"))), ("SK".to_string(), AttributeValue::S(format!("rav4#1#{i}")))].into(),
            );
        }
        writes.push(item);
    }
    put_all(s, writes).await;
}

/// Puts items with batch writes, several at a time.
async fn put_all(s: &Stack, writes: Vec<HashMap<String, AttributeValue>>) {
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

/// A Telegram account of `ws` as a started login leaves it (awaiting its
/// code), written straight to the table: for tests that need one to exist
/// without a host.
pub async fn tg_account(s: &Stack, ws: &str, phone: &str) -> cartie_domain::tg_accounts::TelegramAccount {
    let a = cartie_domain::tg_accounts::TelegramAccount::starting_login(ws, cartie_store::util::new_id(), phone.into(), cartie_store::util::now_ms());
    s.app.store.create_tg_account(&a).await.expect("seed a Telegram account");
    a
}

/// Ids of a seeded channel, template and post.
pub struct SeededCalendar {
    pub channel_id: i64,
    pub template_id: String,
    pub post_id: String,
}

/// A channel of `bot_id`, a template and a scheduled post of `ws`, written
/// straight to the table (no Telegram needed).
pub async fn calendar(s: &Stack, ws: &str, bot_id: i64) -> SeededCalendar {
    use cartie_domain::calendar::{ChannelPost, ChannelRights, PostChannel, PostStatus};
    use cartie_domain::campaigns::CampaignContent;
    let now = cartie_store::util::now_ms();
    let channel = PostChannel {
        workspace_id: ws.into(),
        id: -1_001_234_567_890,
        bot_id,
        title: "Seeded channel".into(),
        username: Some("seeded_cars".into()),
        group: false,
        rights: ChannelRights { post: true, edit: true, delete: true, pin: true },
        connected_at_ms: now,
        slots: vec![],
        slot_time_zone: None,
    };
    s.app.store.save_post_channel(&channel).await.expect("seed a channel");
    let content = CampaignContent { text: "{make} {model}".into(), media: vec![], buttons: vec![] };
    let template = cartie_store::calendar::PostTemplate {
        workspace_id: ws.into(),
        id: cartie_store::util::new_id(),
        name: "Seeded".into(),
        content: content.clone(),
        updated_at_ms: now,
    };
    s.app.store.save_post_template(&template).await.expect("seed a template");
    let post = ChannelPost {
        workspace_id: ws.into(),
        id: cartie_store::util::new_id(),
        channel_id: channel.id,
        bot_id,
        content,
        car_id: None,
        status: PostStatus::Scheduled,
        send_at: None,
        time_zone: "UTC".into(),
        due_ms: Some(now + 86_400_000),
        dst_shift: None,
        message_ids: vec![],
        posted_at_ms: None,
        error: None,
        auto_delete_hours: None,
        pinned: false,
        sold_action: None,
        created_by: "seed@test".into(),
        updated_at_ms: now,
        rev: 0,
    };
    s.app.store.create_post(&post).await.expect("seed a post");
    SeededCalendar { channel_id: channel.id, template_id: template.id, post_id: post.id }
}
