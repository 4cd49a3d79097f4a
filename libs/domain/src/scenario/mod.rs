//! Bot scenarios: the graph a dealer draws (`model`), the checks before it
//! may be published (`validate`), the pure engine that moves one buyer's
//! session through it (`engine`), and the starter templates (`templates`).
//! No I/O here: the update worker performs the engine's effects.

pub mod engine;
pub mod model;
pub mod templates;
pub mod validate;

pub use engine::*;
pub use model::*;
pub use templates::Template;
pub use validate::{validate, Problem};
