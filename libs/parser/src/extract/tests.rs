use super::text::model_after;
use super::*;

const URL: &str = "https://dealer.example.com/cars/123";

#[test]
fn json_ld_car_with_offer_and_graph() {
    let html = r#"<html><head><script type="application/ld+json">
    {"@context":"https://schema.org","@graph":[{"@type":"Organization","name":"Dealer"},
     {"@type":["Product","Car"],"name":"2019 VW Golf 1.5 TSI","brand":{"@type":"Brand","name":"VW"},
      "model":"Golf","vehicleModelDate":"2019","vehicleIdentificationNumber":"1M8GDM9AXKP042788",
      "mileageFromOdometer":{"@type":"QuantitativeValue","value":"52300","unitCode":"SMI"},
      "fuelType":"https://schema.org/Gasoline","image":["/img/1.jpg","https://cdn.example.com/2.jpg"],
      "offers":{"@type":"Offer","price":"18,500.00","priceCurrency":"USD"}}]}
    </script></head><body></body></html>"#;
    let e = extract(html, URL);
    assert_eq!(e.value(Field::Make), Some("Volkswagen"));
    assert_eq!(e.value(Field::Model), Some("Golf"));
    assert_eq!(e.value(Field::Year), Some("2019"));
    assert_eq!(e.value(Field::Price), Some("18500"));
    assert_eq!(e.value(Field::Currency), Some("USD"));
    assert_eq!(e.value(Field::Mileage), Some("52300"));
    assert_eq!(e.value(Field::MileageUnit), Some("mi"));
    assert_eq!(e.value(Field::Vin), Some("1M8GDM9AXKP042788"));
    assert_eq!(e.value(Field::Fuel), Some("petrol"));
    assert_eq!(e.best_of(Field::Make).map(|d| d.source), Some(Source::JsonLd));
    assert_eq!(e.photos, vec!["https://dealer.example.com/img/1.jpg", "https://cdn.example.com/2.jpg"]);
}

#[test]
fn json_ld_array_and_km() {
    let html = r#"<script type="application/ld+json">[{"@type":"Vehicle","manufacturer":"Mercedes",
      "model":{"name":"C 200"},"mileageFromOdometer":{"value":85000,"unitCode":"KMT"},
      "offers":[{"@type":"Offer","priceSpecification":{"price":24990,"priceCurrency":"EUR"}}]}]</script>"#;
    let e = extract(html, URL);
    assert_eq!(e.value(Field::Make), Some("Mercedes-Benz"));
    assert_eq!(e.value(Field::Model), Some("C 200"));
    assert_eq!(e.value(Field::Price), Some("24990"));
    assert_eq!(e.value(Field::Currency), Some("EUR"));
    assert_eq!(e.value(Field::MileageUnit), Some("km"));
}

#[test]
fn microdata_car() {
    let html = r#"<div itemscope itemtype="https://schema.org/Car">
      <h2 itemprop="name">Škoda Octavia Combi</h2>
      <span itemprop="brand" itemscope itemtype="https://schema.org/Brand"><span itemprop="name">Skoda</span></span>
      <span itemprop="model">Octavia</span>
      <div itemprop="mileageFromOdometer" itemscope itemtype="https://schema.org/QuantitativeValue">
        <span itemprop="value">120000</span><meta itemprop="unitCode" content="KMT"></div>
      <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
        <span itemprop="price" content="11900">11 900 €</span><meta itemprop="priceCurrency" content="EUR"></div>
      <img itemprop="image" src="/p/1.jpg"></div>
      <div itemscope itemtype="https://schema.org/Organization"><span itemprop="name">Autohaus</span></div>"#;
    let e = extract(html, URL);
    assert_eq!(e.value(Field::Make), Some("Škoda"));
    assert_eq!(e.value(Field::Model), Some("Octavia"));
    assert_eq!(e.value(Field::Price), Some("11900"));
    assert_eq!(e.value(Field::Currency), Some("EUR"));
    assert_eq!(e.value(Field::Mileage), Some("120000"));
    assert_eq!(e.value(Field::MileageUnit), Some("km"));
    assert!(!e.detected.iter().any(|d| d.value == "Autohaus"));
    assert_eq!(e.photos, vec!["https://dealer.example.com/p/1.jpg"]);
}

#[test]
fn opengraph_meta() {
    let html = r#"<head><meta property="og:title" content="2017 Toyota RAV4 XLE">
      <meta property="product:price:amount" content="21995"><meta property="product:price:currency" content="USD">
      <meta property="og:image" content="https://img.example.com/a.jpg"></head>"#;
    let e = extract(html, URL);
    assert_eq!(e.value(Field::Price), Some("21995"));
    assert_eq!(e.value(Field::Currency), Some("USD"));
    assert_eq!(e.value(Field::Make), Some("Toyota"));
    assert_eq!(e.value(Field::Model), Some("RAV4"));
    assert_eq!(e.value(Field::Year), Some("2017"));
    assert_eq!(e.photos, vec!["https://img.example.com/a.jpg"]);
}

#[test]
fn text_prices_in_many_styles() {
    for (html, price, cur) in [
        ("<p>Preis: € 24.990</p>", "24990", "EUR"),
        ("<p>Price 24,990 $</p>", "24990", "USD"),
        ("<p>USD 18 500</p>", "18500", "USD"),
        ("<p>Cena 45 900 zł</p>", "45900", "PLN"),
        ("<p>Цена 1 250 000 ₽</p>", "1250000", "RUB"),
        ("<p>£12,495</p>", "12495", "GBP"),
    ] {
        let e = extract(html, URL);
        assert_eq!(e.value(Field::Price), Some(price), "{html}");
        assert_eq!(e.value(Field::Currency), Some(cur), "{html}");
    }
}

#[test]
fn monthly_rates_are_not_prices() {
    let e = extract("<p>ab 299 €/Monat</p>", URL);
    assert_eq!(e.value(Field::Price), None);
}

#[test]
fn text_mileage_vin_year() {
    let html = "<ul><li>Mileage: 52,300 miles</li><li>VIN: 1M8GDM9AXKP042788</li><li>Baujahr 2014</li>\
                <li>Verbrauch 5,1 l/100km</li><li>Höchstgeschwindigkeit 210 km/h</li></ul>";
    let e = extract(html, URL);
    assert_eq!(e.value(Field::Mileage), Some("52300"));
    assert_eq!(e.value(Field::MileageUnit), Some("mi"));
    assert_eq!(e.value(Field::Vin), Some("1M8GDM9AXKP042788"));
    assert_eq!(e.value(Field::Year), Some("2014"));
    let e = extract("<p>85 000 km</p>", URL);
    assert_eq!(e.value(Field::Mileage), Some("85000"));
    assert_eq!(e.value(Field::MileageUnit), Some("km"));
}

#[test]
fn unlabelled_random_ids_are_not_vins() {
    // Fails the check digit and has no VIN label nearby.
    let e = extract("<p>ref WP0ZZZY1ZNSA75297</p>", URL);
    assert_eq!(e.value(Field::Vin), None);
    let e = extract("<p>FIN: WP0ZZZY1ZNSA75297</p>", URL);
    assert_eq!(e.value(Field::Vin), Some("WP0ZZZY1ZNSA75297"));
}

#[test]
fn label_value_pairs() {
    let html = "<dl><dt>Kilometerstand</dt><dd>70.000 km</dd><dt>Erstzulassung</dt><dd>10/2012</dd>\
                <dt>Getriebe</dt><dd>Automatik</dd><dt>Kraftstoff</dt><dd>Benzin</dd><dt>Farbe</dt><dd>Blau</dd></dl>\
                <table><tr><th>Марка</th><td>Тойота</td></tr><tr><th>Модель</th><td>Camry</td></tr></table>";
    let e = extract(html, URL);
    assert_eq!(e.value(Field::Mileage), Some("70000"));
    assert_eq!(e.value(Field::Year), Some("2012"));
    assert_eq!(e.value(Field::Transmission), Some("automatic"));
    assert_eq!(e.value(Field::Fuel), Some("petrol"));
    assert_eq!(e.value(Field::Color), Some("Blau"));
    assert_eq!(e.value(Field::Make), Some("Toyota"));
    assert_eq!(e.value(Field::Model), Some("Camry"));
}

#[test]
fn gallery_photos_are_absolute_and_deduplicated() {
    let html = r#"<div class="vehicle-gallery"><img src="/a.jpg"><img data-src="/b.jpg" src="data:image/gif;base64,AAA">
        <img src="/a.jpg"><img src="/logo.png"></div><img src="/unrelated.jpg">"#;
    let e = extract(html, URL);
    assert_eq!(e.photos, vec!["https://dealer.example.com/a.jpg", "https://dealer.example.com/b.jpg"]);
}

#[test]
fn model_after_make() {
    assert_eq!(model_after(" Golf VI Cabriolet").as_deref(), Some("Golf"));
    assert_eq!(model_after(" Model 3 Long Range").as_deref(), Some("Model 3"));
    assert_eq!(model_after(" für € 34.990"), None);
    assert_eq!(model_after(" 2019"), None);
    assert_eq!(model_after(" CR-V EX").as_deref(), Some("CR-V"));
}

#[test]
fn garbage_never_panics() {
    for html in [
        "",
        "<",
        "<<<>>>",
        "<script type=application/ld+json>{{{</script>",
        "\u{0}\u{ffff}",
        "<script type=\"application/ld+json\">[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]</script>",
        "<div itemscope itemprop=brand itemtype=Car>",
        "€ 9999999999999999999999",
        "VIN: ÄÖÜ",
    ] {
        let _ = extract(html, "not a url");
        let _ = extract(html, "");
    }
}
