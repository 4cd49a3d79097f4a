//! The bot menu's reply keyboard and `/start` deep links.

use crate::BotError;
use cartie_domain::inbox::Message;
use cartie_platform::Services;

/// The bot menu's persistent reply keyboard as Telegram `reply_markup`, if
/// the dealer set one; it comes with the bot's greeting and with scenario
/// messages that bring no keyboard of their own.
pub async fn menu_keyboard(svc: &Services, ws: &str, bot_id: i64) -> Result<Option<serde_json::Value>, BotError> {
    let menu = svc.store.bot_menu(ws, bot_id).await?;
    Ok(menu.filter(|(m, _)| !m.keyboard.is_empty()).map(|(m, _)| {
        let rows: Vec<Vec<serde_json::Value>> = m.keyboard.iter().map(|r| r.iter().map(|l| serde_json::json!({ "text": l })).collect()).collect();
        serde_json::json!({ "keyboard": rows, "is_persistent": true, "resize_keyboard": true })
    }))
}

/// The `/start` deep-link payload, if this is a `/start` command:
/// `Some(None)` for a bare `/start`, `Some(Some(p))` for `/start p`.
pub fn start_payload(msg: &Message) -> Option<Option<String>> {
    let text = msg.text.as_deref()?.trim();
    let rest = text.strip_prefix("/start")?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    let payload = rest.trim();
    Some((!payload.is_empty()).then(|| payload.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartie_domain::inbox::Direction;

    fn text(t: &str) -> Message {
        let raw = serde_json::json!({"message_id": 1, "date": 1, "chat": {"id": 5}, "text": t});
        cartie_telegram::inbound::message_from_json(1, &raw, Direction::In).unwrap()
    }

    #[test]
    fn start_payloads() {
        assert_eq!(start_payload(&text("/start")), Some(None));
        assert_eq!(start_payload(&text("/start fb-ad-42")), Some(Some("fb-ad-42".into())));
        assert_eq!(start_payload(&text("/started")), None);
        assert_eq!(start_payload(&text("hello")), None);
    }
}
