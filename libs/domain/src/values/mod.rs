//! Typed values as people write them on pages, in chats and in channel
//! posts: numbers ("25 000", "12,5", "25k", "25 тис"), money with its
//! currency ("42 500 $", "R$ 45.900", "25 тис. грн"), phone numbers (E.164),
//! years and year ranges, mileages with units.
//!
//! Shared by the scenario engine (checking a buyer's answer) and the page
//! parser (reading a listing), so both read "25 000 грн" the same way.
//! Pure: no clock (callers pass the current year), no I/O, never panics.

pub mod mileage;
pub mod money;
pub mod number;
pub mod phone;
pub mod year;

pub use mileage::{parse_mileage, Mileage, MileageUnit};
pub use money::{currency_for_country, currency_iso, parse_money, Money, ISO_CODES};
pub use number::{format_amount, normalise_number, parse_amount, parse_number, parse_quantity};
pub use phone::{e164, normalise_phone};
pub use year::{first_year, registration_year, year_range};
