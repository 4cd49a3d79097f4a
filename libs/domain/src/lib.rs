//! Cartie's domain: the dealer's words as types (workspaces, members, roles,
//! invites) and the rules about them. Pure: no I/O, no AWS, no HTTP — so every
//! rule here is unit-tested without a network. Storage lives in `cartie-store`,
//! HTTP in `cartie-apikit`.

pub mod b2b;
pub mod botmenu;
pub mod calendar;
pub mod campaigns;
pub mod contact_import;
pub mod contacts;
pub mod csv;
pub mod files;
pub mod id;
pub mod imports;
pub mod inbox;
pub mod inventory;
pub mod jobs;
pub mod locale;
pub mod notify;
pub mod partners;
pub mod request_draft;
pub mod role;
pub mod scenario;
pub mod segments;
pub mod team;
pub mod tg_accounts;
pub mod validate;
pub mod values;
pub mod vin;

pub use locale::Language;
pub use role::Role;
pub use validate::FieldError;
