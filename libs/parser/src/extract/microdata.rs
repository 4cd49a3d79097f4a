//! schema.org microdata: `itemprop`s inside a vehicle, product or offer
//! `itemscope`.

use scraper::{ElementRef, Html};

use super::collector::Collector;
use super::distance::{mileage_unit, unit_in_text};
use super::text::{currency_near, other_listings};
use super::{selector, squash, Field, Source};

fn item_value(el: &ElementRef) -> String {
    if let Some(v) = el.attr("content") {
        return v.to_string();
    }
    let attr = match el.value().name() {
        "a" | "link" | "area" => "href",
        "img" | "source" | "video" | "audio" | "embed" | "iframe" => "src",
        "data" | "meter" => "value",
        "time" => "datetime",
        _ => "",
    };
    if !attr.is_empty() {
        if let Some(v) = el.attr(attr) {
            return v.to_string();
        }
    }
    squash(&el.text().collect::<String>())
}

/// itemtype of the item that owns this property (nearest itemscope ancestor).
fn owner_type(el: &ElementRef) -> Option<String> {
    el.ancestors().filter_map(ElementRef::wrap).find(|a| a.attr("itemscope").is_some()).map(|a| a.attr("itemtype").unwrap_or("").to_lowercase())
}

fn vehicle_scope(t: &str) -> bool {
    ["car", "vehicle", "product", "offer", "automobile", "motorcycle", "pricespecification"].iter().any(|w| t.contains(w))
}

/// Value of the first descendant property `prop` inside `el`.
fn child_prop(el: &ElementRef, prop: &str) -> Option<String> {
    el.descendent_elements().skip(1).find(|d| d.attr("itemprop").is_some_and(|p| p.split_whitespace().any(|x| x == prop))).map(|d| item_value(&d))
}

/// Reads `itemprop`s owned by a vehicle, product or offer item.
pub(crate) fn read(doc: &Html, c: &mut Collector) {
    let Some(props) = selector!("[itemprop]") else {
        return;
    };
    let conf = 0.85;
    for el in doc.select(props) {
        let Some(owner) = owner_type(&el) else {
            continue;
        };
        if !vehicle_scope(&owner) {
            continue;
        }
        // Cards of similar listings are items too: not this car's.
        if el.ancestors().filter_map(ElementRef::wrap).take(16).any(|a| other_listings(a.value())) {
            continue;
        }
        let nested = el.attr("itemscope").is_some();
        let names: Vec<String> = el.attr("itemprop").unwrap_or("").split_whitespace().map(str::to_string).collect();
        for name in names {
            let value = || item_value(&el);
            match name.as_str() {
                "name" => {
                    c.push(Field::Title, &value(), Source::Microdata, conf - 0.05);
                }
                "brand" | "manufacturer" => {
                    let v = if nested { child_prop(&el, "name") } else { Some(value()) };
                    if let Some(v) = v {
                        c.push(Field::Make, &v, Source::Microdata, conf);
                    }
                }
                "model" => {
                    let v = if nested { child_prop(&el, "name") } else { Some(value()) };
                    if let Some(v) = v {
                        c.push(Field::Model, &v, Source::Microdata, conf);
                    }
                }
                "vehicleModelDate" | "modelDate" | "productionDate" | "releaseDate" | "dateVehicleFirstRegistered" => {
                    c.push(Field::Year, &value(), Source::Microdata, conf - 0.05);
                }
                "mileageFromOdometer" => {
                    let (v, unit) = if nested {
                        (child_prop(&el, "value"), child_prop(&el, "unitCode").or_else(|| child_prop(&el, "unitText")))
                    } else {
                        (Some(value()), None)
                    };
                    if let Some(v) = v {
                        if c.push(Field::Mileage, &v, Source::Microdata, conf) {
                            let u = unit.as_deref().and_then(mileage_unit).or_else(|| unit_in_text(&v));
                            if let Some(u) = u {
                                c.push(Field::MileageUnit, u, Source::Microdata, conf);
                            }
                        }
                    }
                }
                "vehicleIdentificationNumber" => {
                    c.push(Field::Vin, &value(), Source::Microdata, conf);
                }
                "fuelType" => {
                    c.push(Field::Fuel, &value(), Source::Microdata, conf);
                }
                "vehicleTransmission" => {
                    c.push(Field::Transmission, &value(), Source::Microdata, conf);
                }
                "bodyType" => {
                    c.push(Field::Body, &value(), Source::Microdata, conf);
                }
                "color" => {
                    c.push(Field::Color, &value(), Source::Microdata, conf);
                }
                "description" => {
                    c.push(Field::Description, &value(), Source::Microdata, conf - 0.1);
                }
                "price" | "lowPrice" => {
                    let v = value();
                    c.push(Field::Price, &v, Source::Microdata, conf);
                    if let Some(cur) = currency_near(&v, &c.country.clone()) {
                        c.push(Field::Currency, cur, Source::Microdata, conf - 0.1);
                    }
                }
                "priceCurrency" => {
                    c.push(Field::Currency, &value(), Source::Microdata, conf);
                }
                "image" => {
                    if nested {
                        if let Some(u) = child_prop(&el, "contentUrl").or_else(|| child_prop(&el, "url")) {
                            c.photo(&u);
                        }
                    } else {
                        c.photo(&value());
                    }
                }
                _ => {}
            }
        }
    }
}
