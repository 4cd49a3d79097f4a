//! # cartie-parser
//!
//! Turns a car page URL into a draft inventory item.
//!
//! It owns three steps:
//! 1. [`fetch()`] — an SSRF-safe HTTP fetch: http/https only, DNS resolved and
//!    checked here (no loopback, private, link-local/metadata, CGNAT,
//!    multicast or reserved addresses, also after every redirect), at most 5
//!    redirects, a size cap and one deadline. [`fetch_image`] does the same
//!    for a JPEG/PNG/WebP/GIF image (e.g. a car photo to send to Telegram).
//! 2. [`extract()`] — pure extraction of every variable it can detect
//!    (schema.org JSON-LD, microdata, OpenGraph/meta, then text heuristics),
//!    each with its source and a confidence; [`vin`] validates VINs.
//! 3. [`mapping`] — applies a user's saved per-domain mapping to get a
//!    [`ListingDraft`].
//!
//! [`extract_post`] does step 2 for a Telegram channel post (plain text with
//! entities) with the same dictionary (`cartie-dictionary`), vocabularies
//! (`data/`) and value parsers (`cartie_domain::values`).
//!
//! It must not: store anything (mappings and listings are persisted by the
//! caller), know about HTTP routes, users or workspaces, or panic on any
//! input — every HTML string and URL is untrusted. Extraction and mapping do
//! no I/O and can run on saved HTML (see `tests/corpus`).

pub mod extract;
pub mod feed;
pub mod fetch;
pub mod makes;
pub mod mapping;
pub mod post;
mod util;
pub mod vin;
mod vocab;

pub use extract::{extract, Detected, Extraction, Field, Source};
pub use fetch::{blocked_reason, fetch, fetch_image, FetchError, FetchLimits, Image, Page};
pub use mapping::{apply, domain_of, draft, DomainMapping, ListingDraft, MileageUnit, Rule};
pub use post::{extract_post, PostEntity};
pub use vin::{check_vin, VinCheck};
