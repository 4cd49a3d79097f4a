//! A bot's menu: the `/` commands list, the menu button beside the input
//! field, and a persistent reply keyboard — and Telegram's rules for them,
//! checked before anything is sent to Telegram.

use crate::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq)]
pub struct BotCommandView {
    /// 1–32 chars of `a-z 0-9 _`, without the slash.
    pub command: String,
    /// 1–256 chars.
    pub description: String,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum MenuButtonKind {
    /// Telegram's default (the commands list when there are commands).
    #[default]
    Default,
    Commands,
    /// Opens the workspace's Mini App showcase.
    WebApp,
    /// Opens any https page inside Telegram.
    Url,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Default)]
pub struct MenuButtonView {
    pub kind: MenuButtonKind,
    /// The button's label (web_app and url), 1–64 chars.
    #[serde(default)]
    pub text: String,
    /// For `url`: an https address. For `web_app` it is the Mini App's.
    #[serde(default)]
    pub url: String,
}

/// A bot's menu: the `/` commands list, the menu button beside the input
/// field, and a persistent reply keyboard the bot shows with its greeting.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Default)]
pub struct BotMenu {
    #[serde(default)]
    pub commands: Vec<BotCommandView>,
    #[serde(default)]
    pub menu_button: MenuButtonView,
    /// Rows of button labels; empty = no keyboard.
    #[serde(default)]
    pub keyboard: Vec<Vec<String>>,
}

/// Checks a menu and returns it tidied (trimmed, leading `/` dropped, empty
/// keyboard rows removed); the error names the field as the web form does.
pub fn check_menu(m: &BotMenu) -> Result<BotMenu, FieldError> {
    let mut out = BotMenu { commands: Vec::new(), menu_button: m.menu_button.clone(), keyboard: Vec::new() };
    if m.commands.len() > 100 {
        return Err(FieldError::new("commands", "Telegram allows at most 100 commands"));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, c) in m.commands.iter().enumerate() {
        let command = c.command.trim().trim_start_matches('/').to_lowercase();
        if command.is_empty() || command.len() > 32 || !command.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            return Err(FieldError::new(format!("commands[{i}].command"), "1–32 characters: latin letters, digits and _"));
        }
        if !seen.insert(command.clone()) {
            return Err(FieldError::new(format!("commands[{i}].command"), format!("/{command} is listed twice")));
        }
        let description = c.description.trim().to_string();
        let n = description.chars().count();
        if n == 0 || n > 256 {
            return Err(FieldError::new(format!("commands[{i}].description"), "1–256 characters"));
        }
        out.commands.push(BotCommandView { command, description });
    }
    let b = &mut out.menu_button;
    b.text = b.text.trim().to_string();
    b.url = b.url.trim().to_string();
    match b.kind {
        MenuButtonKind::Default | MenuButtonKind::Commands => {
            b.text.clear();
            b.url.clear();
        }
        MenuButtonKind::WebApp | MenuButtonKind::Url => {
            let n = b.text.chars().count();
            if n == 0 || n > 64 {
                return Err(FieldError::new("menu_button.text", "the button needs a label of 1–64 characters"));
            }
            if b.kind == MenuButtonKind::Url && !(b.url.starts_with("https://") && b.url.len() > "https://".len() && !b.url.contains(char::is_whitespace)) {
                return Err(FieldError::new("menu_button.url", "Telegram opens only https:// pages"));
            }
            if b.kind == MenuButtonKind::WebApp {
                b.url.clear();
            }
        }
    }
    let rows: Vec<&Vec<String>> = m.keyboard.iter().filter(|r| r.iter().any(|l| !l.trim().is_empty())).collect();
    if rows.len() > 12 {
        return Err(FieldError::new("keyboard", "at most 12 rows"));
    }
    for (r, row) in m.keyboard.iter().enumerate() {
        let labels: Vec<String> = row.iter().map(|l| l.trim().to_string()).collect();
        if labels.iter().all(String::is_empty) {
            continue;
        }
        if labels.len() > 8 {
            return Err(FieldError::new(format!("keyboard[{r}]"), "at most 8 buttons in a row"));
        }
        for (i, l) in labels.iter().enumerate() {
            let n = l.chars().count();
            if n == 0 || n > 64 {
                return Err(FieldError::new(format!("keyboard[{r}][{i}]"), "a button needs a label of 1–64 characters"));
            }
        }
        out.keyboard.push(labels);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(c: &str, d: &str) -> BotCommandView {
        BotCommandView { command: c.into(), description: d.into() }
    }

    #[test]
    fn menus_are_tidied_and_checked_field_by_field() {
        let m = BotMenu {
            commands: vec![cmd(" /Cars ", "Our stock")],
            menu_button: MenuButtonView::default(),
            keyboard: vec![vec!["Stock".into()], vec![" ".into()]],
        };
        let ok = check_menu(&m).expect("valid");
        assert_eq!(ok.commands[0].command, "cars");
        assert_eq!(ok.keyboard, vec![vec!["Stock".to_string()]]);
        let field = |m: BotMenu| check_menu(&m).err().map(|e| e.field);
        assert_eq!(field(BotMenu { commands: vec![cmd("ok", "x"), cmd("bad-one", "x")], ..BotMenu::default() }).as_deref(), Some("commands[1].command"));
        assert_eq!(field(BotMenu { commands: vec![cmd("a", "x"), cmd("/a", "y")], ..BotMenu::default() }).as_deref(), Some("commands[1].command"));
        assert_eq!(field(BotMenu { commands: vec![cmd("a", "")], ..BotMenu::default() }).as_deref(), Some("commands[0].description"));
        let url = |u: &str| BotMenu { menu_button: MenuButtonView { kind: MenuButtonKind::Url, text: "Site".into(), url: u.into() }, ..BotMenu::default() };
        assert_eq!(field(url("http://dealer.test")).as_deref(), Some("menu_button.url"));
        assert!(check_menu(&url("https://dealer.test")).is_ok());
        let web = BotMenu { menu_button: MenuButtonView { kind: MenuButtonKind::WebApp, text: "".into(), url: "".into() }, ..BotMenu::default() };
        assert_eq!(field(web).as_deref(), Some("menu_button.text"));
        assert_eq!(field(BotMenu { keyboard: vec![vec!["x".repeat(65)]], ..BotMenu::default() }).as_deref(), Some("keyboard[0][0]"));
        assert_eq!(field(BotMenu { keyboard: vec![vec!["a".into(); 9]], ..BotMenu::default() }).as_deref(), Some("keyboard[0]"));
    }
}
