//! Car makes: kept for callers of `cartie_parser::makes`; the list itself
//! lives in the `cartie-dictionary` crate.

pub use cartie_dictionary::{canonical_make, find_make};
