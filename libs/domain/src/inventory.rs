//! Car listings in a dealer's stock, the checks on them, and VINs.

use crate::vin::{check_vin, normalize_vin, VinCheck};
use crate::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MileageUnit {
    Km,
    Mi,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Fuel {
    Petrol,
    Diesel,
    Hybrid,
    Electric,
    Lpg,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Transmission {
    Manual,
    Automatic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListingStatus {
    Available,
    Reserved,
    Sold,
    Draft,
}

impl ListingStatus {
    pub fn parse(s: &str) -> Option<ListingStatus> {
        match s {
            "available" => Some(ListingStatus::Available),
            "reserved" => Some(ListingStatus::Reserved),
            "sold" => Some(ListingStatus::Sold),
            "draft" => Some(ListingStatus::Draft),
            _ => None,
        }
    }
}

/// A photo of a car: an address on the web (typed by a dealer, or found by
/// an import) or a photo uploaded to Cartie's file store. In JSON a plain
/// string is an address and `{"file_id": "..."}` an upload, so stored cars
/// and clients that send addresses keep working.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum Photo {
    Url(String),
    Uploaded { file_id: String },
}

impl Photo {
    /// The uploaded file's id, if this is an upload.
    pub fn file_id(&self) -> Option<&str> {
        match self {
            Photo::Uploaded { file_id } => Some(file_id),
            Photo::Url(_) => None,
        }
    }

    /// A key that names this photo for caches (e.g. Telegram's file_id of it).
    pub fn cache_key(&self) -> String {
        match self {
            Photo::Url(u) => u.clone(),
            Photo::Uploaded { file_id } => format!("file:{file_id}"),
        }
    }
}

/// What a dealer enters (or an import fills in) for one car.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ListingInput {
    pub make: String,
    pub model: String,
    pub year: i32,
    /// Whole units of `currency`.
    pub price: i64,
    /// ISO 4217, e.g. EUR.
    pub currency: String,
    pub mileage: i64,
    pub mileage_unit: MileageUnit,
    pub vin: Option<String>,
    pub fuel: Option<Fuel>,
    pub transmission: Option<Transmission>,
    pub body: Option<String>,
    pub color: Option<String>,
    /// In order; the first is the cover.
    #[serde(default)]
    pub photos: Vec<Photo>,
    pub description: Option<String>,
    pub status: ListingStatus,
    pub source_url: Option<String>,
}

/// Something worth a second look that does not stop saving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Warning {
    pub field: String,
    pub message: String,
}

fn optional_text(field: &str, v: &Option<String>, max: usize) -> Result<Option<String>, FieldError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if s.chars().count() > max => Err(FieldError::new(field, format!("must be at most {max} characters"))),
        Some(s) => Ok(Some(s.to_string())),
    }
}

fn url(field: &str, s: &str) -> Result<String, FieldError> {
    let s = s.trim();
    if !(s.starts_with("https://") || s.starts_with("http://")) || s.len() > 2048 || s.contains(char::is_whitespace) {
        return Err(FieldError::new(field, "must be an http(s) URL"));
    }
    Ok(s.to_string())
}

/// An address must be http(s); an upload's id must look like one (whether
/// it exists in the workspace is the caller's check: it needs storage).
fn photo(field: &str, p: &Photo) -> Result<Photo, FieldError> {
    match p {
        Photo::Url(u) => Ok(Photo::Url(url(field, u)?)),
        Photo::Uploaded { file_id } if crate::id::is_ulid(file_id.trim()) => Ok(Photo::Uploaded { file_id: file_id.trim().to_string() }),
        Photo::Uploaded { .. } => Err(FieldError::new(field, "is not an uploaded photo's id")),
    }
}

/// Checks and normalises a listing; `this_year` bounds the model year.
/// Returns the clean listing and the warnings to show.
pub fn check_listing(input: &ListingInput, this_year: i32) -> Result<(ListingInput, Vec<Warning>), FieldError> {
    let make = crate::validate::name("make", &input.make, 40)?;
    let model = crate::validate::name("model", &input.model, 60)?;
    if !(1950..=this_year + 1).contains(&input.year) {
        return Err(FieldError::new("year", format!("must be between 1950 and {}", this_year + 1)));
    }
    if !(0..=100_000_000).contains(&input.price) {
        return Err(FieldError::new("price", "must be between 0 and 100,000,000"));
    }
    let currency = input.currency.trim().to_uppercase();
    if currency.len() != 3 || !currency.bytes().all(|c| c.is_ascii_uppercase()) {
        return Err(FieldError::new("currency", "must be a 3-letter ISO code like EUR or USD"));
    }
    if !(0..=5_000_000).contains(&input.mileage) {
        return Err(FieldError::new("mileage", "must be between 0 and 5,000,000"));
    }
    let mut warnings = Vec::new();
    let vin = match input.vin.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => {
            let vin = normalize_vin(v);
            match check_vin(&vin) {
                VinCheck::Valid => Some(vin),
                VinCheck::CheckDigitMismatch { .. } => {
                    warnings.push(Warning {
                        field: "vin".into(),
                        message: "the check digit does not match; normal for many European and Asian cars, but check it for a North American one".into(),
                    });
                    Some(vin)
                }
                VinCheck::Invalid { reason } => return Err(FieldError::new("vin", reason)),
            }
        }
    };
    if input.photos.len() > 30 {
        return Err(FieldError::new("photos", "at most 30 photos"));
    }
    let photos = input.photos.iter().enumerate().map(|(i, p)| photo(&format!("photos[{i}]"), p)).collect::<Result<Vec<_>, _>>()?;
    let mut seen = std::collections::HashSet::new();
    if let Some(i) = photos.iter().position(|p| !seen.insert(p.clone())) {
        return Err(FieldError::new(format!("photos[{i}]"), "is already one of this car's photos"));
    }
    let source_url = match input.source_url.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(url("source_url", s)?),
        None => None,
    };
    Ok((
        ListingInput {
            make,
            model,
            year: input.year,
            price: input.price,
            currency,
            mileage: input.mileage,
            mileage_unit: input.mileage_unit,
            vin,
            fuel: input.fuel,
            transmission: input.transmission,
            body: optional_text("body", &input.body, 40)?,
            color: optional_text("color", &input.color, 40)?,
            photos,
            description: optional_text("description", &input.description, 5000)?,
            status: input.status,
            source_url,
        },
        warnings,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn car() -> ListingInput {
        ListingInput {
            make: " BMW ".into(),
            model: "X5 xDrive30d".into(),
            year: 2019,
            price: 41990,
            currency: "eur".into(),
            mileage: 85000,
            mileage_unit: MileageUnit::Km,
            vin: None,
            fuel: Some(Fuel::Diesel),
            transmission: Some(Transmission::Automatic),
            body: Some("SUV".into()),
            color: Some(" ".into()),
            photos: vec![Photo::Url("https://cdn.dealer.test/x5/1.jpg".into()), Photo::Uploaded { file_id: "01KBZ4T3D4N5M6P7Q8R9S0T1V2".into() }],
            description: None,
            status: ListingStatus::Available,
            source_url: None,
        }
    }

    #[test]
    fn listings_are_normalised_and_checked() {
        let (ok, warnings) = check_listing(&car(), 2026).unwrap();
        assert_eq!((ok.make.as_str(), ok.currency.as_str(), ok.color.as_deref()), ("BMW", "EUR", None));
        assert!(warnings.is_empty());
        assert_eq!(ok.photos[1].file_id(), Some("01KBZ4T3D4N5M6P7Q8R9S0T1V2"));
        let with_vin = ListingInput { vin: Some("wvwzzz1kz8w123456".into()), ..car() };
        let (ok, warnings) = check_listing(&with_vin, 2026).unwrap();
        assert_eq!(ok.vin.as_deref(), Some("WVWZZZ1KZ8W123456"));
        assert_eq!(warnings[0].field, "vin");
        for (bad, field) in [
            (ListingInput { year: 1900, ..car() }, "year"),
            (ListingInput { year: 2028, ..car() }, "year"),
            (ListingInput { price: -1, ..car() }, "price"),
            (ListingInput { currency: "EURO".into(), ..car() }, "currency"),
            (ListingInput { mileage: -5, ..car() }, "mileage"),
            (ListingInput { vin: Some("SHORT".into()), ..car() }, "vin"),
            (ListingInput { make: "".into(), ..car() }, "make"),
            (ListingInput { photos: vec![Photo::Url("ftp://x/y.jpg".into())], ..car() }, "photos[0]"),
            (ListingInput { photos: vec![Photo::Uploaded { file_id: "../other-ws/x".into() }], ..car() }, "photos[0]"),
            (ListingInput { photos: vec![Photo::Url("https://a.test/1.jpg".into()), Photo::Url("https://a.test/1.jpg".into())], ..car() }, "photos[1]"),
            (ListingInput { source_url: Some("javascript:alert(1)".into()), ..car() }, "source_url"),
        ] {
            assert_eq!(check_listing(&bad, 2026).unwrap_err().field, field);
        }
    }
}

/// `41990, "EUR"` -> `41 990 EUR` (thin grouping that reads in every market).
pub fn format_price(amount: i64, currency: &str) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(' ');
        }
        grouped.push(ch);
    }
    let sign = if amount < 0 { "-" } else { "" };
    format!("{sign}{grouped} {currency}")
}

/// A car as a buyer sees it in a chat: title line, then price and facts.
pub fn card_text(c: &ListingInput) -> String {
    let unit = match c.mileage_unit {
        MileageUnit::Km => "km",
        MileageUnit::Mi => "mi",
    };
    let mut facts = vec![format_price(c.price, &c.currency), format!("{} {unit}", format_price(c.mileage, "").trim_end())];
    if let Some(f) = c.fuel {
        facts.push(format!("{f:?}").to_lowercase());
    }
    if let Some(t) = c.transmission {
        facts.push(format!("{t:?}").to_lowercase());
    }
    format!("{} {} {}\n{}", c.year, c.make, c.model, facts.join(" · "))
}

#[cfg(test)]
mod photo_tests {
    use super::Photo;
    use serde::de::value::{Error, MapDeserializer, StrDeserializer};
    use serde::Deserialize;

    #[test]
    fn photos_read_as_addresses_or_uploads() {
        let url = Photo::deserialize(StrDeserializer::<Error>::new("https://a.test/1.jpg")).unwrap();
        assert_eq!(url, Photo::Url("https://a.test/1.jpg".into()));
        let upload = Photo::deserialize(MapDeserializer::<_, Error>::new([("file_id", "01KBZ4T3D4N5M6P7Q8R9S0T1V2")].into_iter())).unwrap();
        assert_eq!(upload.file_id(), Some("01KBZ4T3D4N5M6P7Q8R9S0T1V2"));
        assert_eq!(upload.cache_key(), "file:01KBZ4T3D4N5M6P7Q8R9S0T1V2");
        assert_eq!(url.cache_key(), "https://a.test/1.jpg");
    }
}

#[cfg(test)]
mod card_tests {
    #[test]
    fn prices_are_grouped() {
        assert_eq!(super::format_price(41990, "EUR"), "41 990 EUR");
        assert_eq!(super::format_price(999, "USD"), "999 USD");
        assert_eq!(super::format_price(1_250_000, "JPY"), "1 250 000 JPY");
    }
}
