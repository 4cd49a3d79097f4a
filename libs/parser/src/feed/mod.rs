//! Stock feeds: a dealer's CSV or XML export (another dealer system, a
//! marketplace feed) read into rows, a column mapping guessed from the
//! headers through the same label vocabularies as listing pages, and each
//! row turned into a car for the inventory.
//!
//! Pure: storing the mapping, the cars and the report is the caller's job.

mod csv;
mod xml;

use std::collections::BTreeMap;

use cartie_domain::inventory::{check_listing, Fuel, ListingInput, ListingStatus, MileageUnit as Unit, Photo, Transmission};
use cartie_domain::FieldError;
use serde::{Deserialize, Serialize};

use crate::extract::Field;
use crate::mapping::{set_field, ListingDraft, MileageUnit};
use crate::vocab::{canonical_value, label_field};

/// Most rows one feed may hold (a dealer's whole stock, with room).
pub const MAX_ROWS: usize = 20_000;

/// A feed read into a table: the column names and, per row, one value per
/// column ("" where a row has none).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FeedTable {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Why a feed could not be read at all.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FeedError {
    #[error("the file is not a text file (CSV or XML)")]
    NotText,
    #[error("the file holds no rows")]
    Empty,
    #[error("the feed has more than {MAX_ROWS} rows")]
    TooManyRows,
    #[error("the XML is malformed: {0}")]
    BadXml(String),
}

/// Reads a CSV (comma, semicolon, tab or bar separated, with a header
/// row) or an XML feed (one element per car) by its content, in whatever
/// encoding [`decode`] finds.
pub fn read_feed(bytes: &[u8]) -> Result<FeedTable, FeedError> {
    let text = decode(bytes)?;
    let text = text.trim_start_matches('\u{feff}');
    let table = if text.trim_start().starts_with('<') { xml::read(text)? } else { csv::read(text)? };
    if table.rows.is_empty() {
        return Err(FeedError::Empty);
    }
    Ok(table)
}

/// The feed's text. A byte-order mark decides (UTF-8, UTF-16); else an
/// XML declaration's `encoding`; else UTF-8 if it is valid; else the
/// single-byte code page dealers' Windows tools write: Windows-1251 when
/// non-ASCII bytes come in runs (Cyrillic words), Windows-1252 when they
/// stand alone between Latin letters ("Währung", "Peugeot 208 Allure").
/// Text holding NUL is a binary file, not a feed.
pub fn decode(bytes: &[u8]) -> Result<String, FeedError> {
    use encoding_rs::{Encoding, UTF_8, WINDOWS_1251, WINDOWS_1252};
    let encoding = if let Some((enc, _)) = Encoding::for_bom(bytes) {
        enc
    } else if let Some(enc) = xml::declared_encoding(bytes).and_then(|l| Encoding::for_label(l.as_bytes())) {
        enc
    } else if std::str::from_utf8(bytes).is_ok() {
        UTF_8
    } else {
        let high = |b: &u8| *b >= 0x80;
        let in_runs = bytes.windows(2).filter(|w| high(&w[0]) && high(&w[1])).count();
        let alone = bytes.iter().filter(|b| high(b)).count().saturating_sub(2 * in_runs);
        if in_runs >= alone {
            WINDOWS_1251
        } else {
            WINDOWS_1252
        }
    };
    let (text, _, _) = encoding.decode(bytes);
    if text.contains('\0') {
        return Err(FeedError::NotText);
    }
    Ok(text.into_owned())
}

/// Where each of a car's fields comes from: field name → column name.
/// Field names are the inventory's (`make`, `price`, `photos`...), plus
/// `id`: the source's own id of the car (idempotency when there is no VIN).
pub type ColumnMapping = BTreeMap<String, String>;

/// Field names a mapping may use.
pub const MAPPED_FIELDS: &[&str] =
    &["id", "make", "model", "year", "price", "currency", "mileage", "mileage_unit", "vin", "fuel", "transmission", "body", "color", "description", "photos"];

/// Header words of the source's own id and of photo columns (the label
/// vocabularies name only a car's fields).
const ID_WORDS: &[&str] = &[
    "id",
    "stock id",
    "stock number",
    "stock no",
    "stock",
    "sku",
    "ref",
    "reference",
    "external id",
    "ad id",
    "offer id",
    "listing id",
    "код",
    "артикул",
    "номер",
];
const CURRENCY_WORDS: &[&str] =
    &["currency", "currencyid", "currency id", "currency code", "валюта", "waluta", "währung", "devise", "moneda", "moeda", "valuta"];
/// Marketplace feeds (YML offers) name the make `vendor` or `mark`.
const MAKE_WORDS: &[&str] = &["vendor", "mark", "make name", "brand name"];
const PHOTO_WORDS: &[&str] =
    &["photos", "photo", "images", "image", "pictures", "picture", "image url", "image urls", "фото", "зображення", "zdjęcia", "bilder", "fotos"];

/// A mapping guessed from the column names: a column whose header is a
/// label of a field in any language of the vocabularies ("Marke", "Рік
/// випуску", "Kilometerstand"), or names the id or the photos.
pub fn guess_mapping(columns: &[String]) -> ColumnMapping {
    let mut m = ColumnMapping::new();
    for col in columns {
        // An XML attribute column ("price@currency", "@id") is named by its
        // attribute: the element's own name belongs to its text column.
        let own = col.rsplit_once('@').map_or(col.as_str(), |(_, attr)| attr);
        let words = own.to_lowercase().replace(['_', '-', '.', '/'], " ");
        let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
        let name = if ID_WORDS.contains(&words.as_str()) {
            Some("id")
        } else if PHOTO_WORDS.contains(&words.as_str()) {
            Some("photos")
        } else if CURRENCY_WORDS.contains(&words.as_str()) {
            Some("currency")
        } else if MAKE_WORDS.contains(&words.as_str()) {
            Some("make")
        } else {
            label_field(&words).or_else(|| label_field(own)).and_then(|f| MAPPED_FIELDS.iter().copied().find(|n| *n == f.as_str()))
        };
        if let Some(name) = name {
            m.entry(name.to_string()).or_insert_with(|| col.clone());
        }
    }
    m
}

/// Refuses a mapping naming an unknown field or a column the feed lacks
/// (the field named is `mapping.<field>`).
pub fn check_mapping(mapping: &ColumnMapping, columns: Option<&[String]>) -> Result<(), FieldError> {
    for (field, col) in mapping {
        if !MAPPED_FIELDS.contains(&field.as_str()) {
            return Err(FieldError::new(format!("mapping.{field}"), format!("is not a field; use one of {}", MAPPED_FIELDS.join(", "))));
        }
        if col.trim().is_empty() || col.chars().count() > 200 {
            return Err(FieldError::new(format!("mapping.{field}"), "must name a column (1 to 200 characters)"));
        }
        if let Some(columns) = columns {
            if !columns.contains(col) {
                return Err(FieldError::new(format!("mapping.{field}"), format!("the feed has no column {col:?}")));
            }
        }
    }
    Ok(())
}

/// One row made a car: the car, and the key that identifies it across
/// imports of this source (`vin:…` or `id:…`).
#[derive(Debug, Clone, PartialEq)]
pub struct FeedCar {
    pub key: String,
    pub car: ListingInput,
}

/// Why a row was refused: the field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowProblem {
    pub field: String,
    pub message: String,
}

/// Makes a car of row `row` (values in `columns` order). `currency` is
/// the one to assume when the feed states none; `this_year` bounds years.
pub fn row_to_car(mapping: &ColumnMapping, columns: &[String], row: &[String], currency: Option<&str>, this_year: i32) -> Result<FeedCar, RowProblem> {
    let value = |field: &str| -> Option<&str> {
        let col = mapping.get(field)?;
        let i = columns.iter().position(|c| c == col)?;
        row.get(i).map(|v| v.trim()).filter(|v| !v.is_empty())
    };
    let problem = |field: &str, message: String| RowProblem { field: field.to_string(), message };
    let mut d = ListingDraft::default();
    for name in ["make", "model", "year", "currency", "price", "mileage", "mileage_unit", "vin", "body", "color", "description"] {
        let Some(v) = value(name) else { continue };
        let Some(field) = Field::ALL.iter().copied().find(|f| f.as_str() == name) else { continue };
        set_field(&mut d, field, v).map_err(|w| problem(name, w.split_once(": ").map_or(w.clone(), |(_, m)| m.to_string())))?;
    }
    let make = d.make.clone().ok_or_else(|| problem("make", "is empty".into()))?;
    let model = d.model.clone().ok_or_else(|| problem("model", "is empty".into()))?;
    let fuel = match value("fuel") {
        Some(v) => Some(fuel_of(v).ok_or_else(|| problem("fuel", format!("{v:?} is not a fuel Cartie knows")))?),
        None => None,
    };
    let transmission = match value("transmission") {
        Some(v) => Some(match canonical_value(Field::Transmission, v) {
            Some("manual") => Transmission::Manual,
            Some(_) => Transmission::Automatic,
            None => return Err(problem("transmission", format!("{v:?} is not a gearbox Cartie knows"))),
        }),
        None => None,
    };
    let photos: Vec<Photo> = value("photos")
        .map(|v| {
            v.split(|c: char| c.is_whitespace() || c == '|' || c == ',' || c == ';')
                .filter(|u| u.starts_with("http"))
                .map(|u| Photo::Url(u.to_string()))
                .collect()
        })
        .unwrap_or_default();
    let input = ListingInput {
        make,
        model,
        year: d.year.ok_or_else(|| problem("year", "is empty".into()))?,
        price: d.price.map(|p| p.round() as i64).ok_or_else(|| problem("price", "is empty".into()))?,
        currency: d.currency.clone().or(currency.map(str::to_string)).ok_or_else(|| problem("currency", "is empty and the import names none".into()))?,
        mileage: d.mileage.map(|m| m.min(i64::MAX as u64) as i64).unwrap_or(0),
        mileage_unit: match d.mileage_unit {
            Some(MileageUnit::Mi) => Unit::Mi,
            _ => Unit::Km,
        },
        vin: d.vin.clone(),
        fuel,
        transmission,
        body: d.body.clone(),
        color: d.color.clone(),
        photos,
        description: d.description.clone(),
        status: ListingStatus::Available,
        source_url: None,
    };
    let (car, _warnings) = check_listing(&input, this_year).map_err(|e| RowProblem { field: e.field.clone(), message: e.message.clone() })?;
    let key = match (&car.vin, value("id")) {
        (Some(vin), _) => format!("vin:{vin}"),
        (None, Some(id)) if id.chars().count() <= 100 => format!("id:{id}"),
        (None, Some(_)) => return Err(problem("id", "must be at most 100 characters".into())),
        (None, None) => return Err(problem("vin", "a row needs a VIN or the source's id, so importing again updates the car".into())),
    };
    Ok(FeedCar { key, car })
}

fn fuel_of(v: &str) -> Option<Fuel> {
    Some(match canonical_value(Field::Fuel, v)? {
        "petrol" => Fuel::Petrol,
        "diesel" => Fuel::Diesel,
        "hybrid" | "plug-in hybrid" => Fuel::Hybrid,
        "electric" => Fuel::Electric,
        "lpg" => Fuel::Lpg,
        _ => Fuel::Other,
    })
}

#[cfg(test)]
mod tests;
