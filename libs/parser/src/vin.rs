//! VINs are checked by the domain crate; re-exported here for the parser.
pub use cartie_domain::vin::*;
