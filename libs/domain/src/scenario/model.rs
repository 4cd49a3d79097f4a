//! A scenario as the dealer draws it: nodes (steps) joined by `next`
//! targets, and triggers that start it. This is the JSON the editor saves
//! and the API stores per version; the engine (`engine.rs`) runs it and
//! `validate.rs` checks it before publishing.
//!
//! Example (a two-step greeting):
//! ```json
//! { "triggers": [{ "kind": "start", "value": "", "node": "hello" }],
//!   "nodes": [
//!     { "id": "hello", "position": { "x": 0, "y": 0 },
//!       "step": { "kind": "message", "text": "Hi {first_name}!", "media": null,
//!                 "buttons": [], "keyboard": "inline", "next": "name" } },
//!     { "id": "name", "position": { "x": 0, "y": 120 },
//!       "step": { "kind": "question", "text": "What car are you looking for?",
//!                 "variable": "make", "answer": "text", "choices": [],
//!                 "retry_text": "", "next": null } } ] }
//! ```

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A node id: 1..=24 chars of `a-z A-Z 0-9 _ -`, unique in its scenario
/// (short, because it travels in Telegram's 64-byte callback data).
pub type NodeId = String;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Default)]
pub struct Scenario {
    #[serde(default)]
    pub triggers: Vec<Trigger>,
    #[serde(default)]
    pub nodes: Vec<Node>,
}

impl Scenario {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

/// What starts a scenario for a buyer who is not inside one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Trigger {
    pub kind: TriggerKind,
    /// `start`: the deep-link payload (`t.me/bot?start=PAYLOAD`), empty = any
    /// `/start`; `keyword`: words separated by commas (case-insensitive,
    /// whole words); `menu`: the reply-keyboard/menu button label;
    /// `callback`: the inline button's callback data.
    #[serde(default)]
    pub value: String,
    /// The node the scenario starts at.
    pub node: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TriggerKind {
    Start,
    Keyword,
    Menu,
    Callback,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Node {
    pub id: String,
    /// Where the editor draws it; the engine ignores it.
    #[serde(default)]
    pub position: Position,
    pub step: Step,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema, Default)]
pub struct Position {
    pub x: f64,
    pub y: f64,
}

/// What a node does. Text fields may hold variables as `{name}`: a contact
/// variable captured by a question, or `first_name`, `username`, `phone`.
/// `next: null` ends the scenario after the node (like an `end` node).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    /// Send a message. With buttons that have a `next`, waits for a press;
    /// otherwise goes straight on to `next`.
    Message {
        #[serde(default)]
        text: String,
        #[serde(default)]
        media: Option<Media>,
        #[serde(default)]
        buttons: Vec<Button>,
        #[serde(default)]
        keyboard: Keyboard,
        #[serde(default)]
        next: Option<String>,
    },
    /// Ask, wait for the answer, check it, store it in `variable`; re-ask
    /// with `retry_text` when it does not fit `answer`.
    Question {
        text: String,
        variable: String,
        #[serde(default)]
        answer: AnswerKind,
        /// For `answer: choice`: the options, shown as reply buttons.
        #[serde(default)]
        choices: Vec<String>,
        #[serde(default)]
        retry_text: String,
        #[serde(default)]
        next: Option<String>,
    },
    /// The first branch whose test holds wins; else `otherwise`.
    Condition {
        #[serde(default)]
        branches: Vec<Branch>,
        #[serde(default)]
        otherwise: Option<String>,
    },
    /// Wait, then go on. Up to 15 minutes runs through an SQS delay, longer
    /// through the scheduler.
    Delay {
        seconds: u64,
        #[serde(default)]
        next: Option<String>,
    },
    /// Search the workspace's available stock with filters taken from
    /// variables (a variable name, or empty for no filter), send the matches
    /// as a carousel of car cards, then go to `next`; `no_match` if none.
    Search {
        #[serde(default)]
        make_var: String,
        #[serde(default)]
        model_var: String,
        /// Maximum price.
        #[serde(default)]
        budget_var: String,
        /// Minimum year.
        #[serde(default)]
        year_var: String,
        /// How many cards at most (1..=10).
        #[serde(default = "default_limit")]
        limit: u8,
        #[serde(default)]
        next: Option<String>,
        #[serde(default)]
        no_match: Option<String>,
    },
    /// Create a B2B car request from variables (make and model required at
    /// run time; a missing one takes the scenario to `next` with no request).
    CreateRequest {
        #[serde(default)]
        make_var: String,
        #[serde(default)]
        model_var: String,
        #[serde(default)]
        year_var: String,
        #[serde(default)]
        budget_var: String,
        #[serde(default)]
        note: String,
        #[serde(default)]
        next: Option<String>,
    },
    /// Post to a channel the bot administers (`@channel` or `-100…` id).
    ChannelPost {
        channel: String,
        #[serde(default)]
        text: String,
        #[serde(default)]
        media: Option<Media>,
        #[serde(default)]
        next: Option<String>,
    },
    /// A car card from the stock with a "book a viewing" button. Pressing it
    /// goes to `booked`; `next` goes on without waiting when `booked` is
    /// empty.
    Offer {
        listing_id: String,
        #[serde(default)]
        text: String,
        #[serde(default = "default_book_label")]
        button_label: String,
        #[serde(default)]
        booked: Option<String>,
        #[serde(default)]
        next: Option<String>,
    },
    /// Hand the conversation to a person: flag it in the Inbox and keep the
    /// bot quiet until released, or for `quiet_minutes` (0 = until released).
    Handoff {
        #[serde(default)]
        text: String,
        #[serde(default)]
        quiet_minutes: u32,
    },
    /// A/B split: picks a branch by weight; each pick is counted.
    Split {
        #[serde(default)]
        branches: Vec<SplitBranch>,
    },
    /// Ask for the phone number or location with Telegram's own
    /// `request_contact` / `request_location` button.
    AskContact {
        text: String,
        #[serde(default)]
        request: ContactRequest,
        #[serde(default)]
        button_label: String,
        /// Where the phone (or `lat,lon`) is stored.
        variable: String,
        #[serde(default)]
        next: Option<String>,
    },
    /// Go to another node.
    Jump { target: String },
    /// Stop here.
    End {},
}

fn default_limit() -> u8 {
    5
}
fn default_book_label() -> String {
    "Book a viewing".to_string()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Media {
    pub kind: MediaKind,
    /// A Telegram `file_id` this bot can send (e.g. copied from the Inbox).
    pub file_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Photo,
    Video,
    Audio,
    Voice,
    Document,
    Animation,
    Sticker,
    VideoNote,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Button {
    pub label: String,
    /// Where a press leads.
    #[serde(default)]
    pub next: Option<String>,
    /// An inline button may open a link instead.
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Keyboard {
    /// Buttons under the message (callback data).
    #[default]
    Inline,
    /// Buttons in place of the keyboard; a press sends the label as text.
    Reply,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum AnswerKind {
    #[default]
    Text,
    Number,
    Phone,
    Year,
    Choice,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Branch {
    pub variable: String,
    pub op: Op,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub next: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// Equal, ignoring case.
    Eq,
    Ne,
    /// Numeric comparisons (false when either side is not a number).
    Gt,
    Gte,
    Lt,
    Lte,
    /// Contains, ignoring case.
    Contains,
    IsSet,
    IsNotSet,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SplitBranch {
    pub weight: u32,
    #[serde(default)]
    pub next: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum ContactRequest {
    #[default]
    Phone,
    Location,
}
