//! General rules for sites the parser was never tuned on, each on the
//! smallest markup that shows it (no corpus page): spec tables in the
//! languages of the vocabularies, Scandinavian miles, photos under several
//! file names, a new car's "0 km", a model field holding a version string.

use super::*;

/// A spec table of `rows` on a page at `url` in language `lang`.
fn table(lang: &str, rows: &[(&str, &str)]) -> String {
    let body: String = rows.iter().map(|(l, v)| format!("<tr><th>{l}</th><td>{v}</td></tr>")).collect();
    format!(r#"<html lang="{lang}"><body><table>{body}</table></body></html>"#)
}

/// (language, site, year label, mileage label, mileage, fuel label, fuel
/// value, gearbox label, gearbox value, expected fuel, expected gearbox)
type SpecRow =
    (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str);

const SPEC_TABLES: &[SpecRow] = &[
    ("lv", "https://auto.example.lv/a/1", "Gads", "Nobraukums", "185 000 km", "Dzinējs", "2.0 Dīzelis", "Ātrumkārba", "Automātiskā", "diesel", "automatic"),
    ("lv", "https://auto.example.lv/a/2", "Izlaiduma gads", "Nobraukums", "95 000 km", "Degviela", "Benzīns", "Pārnesumkārba", "Mehāniskā", "petrol", "manual"),
    ("lt", "https://auto.example.lt/a/1", "Pagaminimo data", "Rida", "210 000 km", "Kuro tipas", "Dyzelinas", "Pavarų dėžė", "Mechaninė", "diesel", "manual"),
    (
        "et",
        "https://auto.example.ee/a/1",
        "Esmane registreerimine",
        "Läbisõit",
        "150 000 km",
        "Kütus",
        "Bensiin",
        "Käigukast",
        "Automaat",
        "petrol",
        "automatic",
    ),
    (
        "pl",
        "https://auto.example.pl/a/1",
        "Rok produkcji",
        "Przebieg",
        "120 000 km",
        "Rodzaj paliwa",
        "Benzyna+LPG",
        "Skrzynia biegów",
        "Manualna",
        "lpg",
        "manual",
    ),
    ("cs", "https://auto.example.cz/a/1", "Rok výroby", "Najeto", "98 000 km", "Palivo", "Nafta", "Převodovka", "Ruční", "diesel", "manual"),
    (
        "cs",
        "https://auto.example.cz/a/2",
        "První registrace",
        "Stav tachometru",
        "45 000 km",
        "Palivo",
        "Benzín",
        "Převodovka",
        "Automatická",
        "petrol",
        "automatic",
    ),
    ("sk", "https://auto.example.sk/a/1", "Rok výroby", "Najazdené km", "130 000 km", "Palivo", "Diesel", "Prevodovka", "Manuálna", "diesel", "manual"),
    (
        "hu",
        "https://auto.example.hu/a/1",
        "Évjárat",
        "Kilométeróra állása",
        "160 000 km",
        "Üzemanyag",
        "Dízel",
        "Sebességváltó",
        "Manuális",
        "diesel",
        "manual",
    ),
    (
        "ro",
        "https://auto.example.ro/a/1",
        "An fabricație",
        "Rulaj",
        "175 000 km",
        "Combustibil",
        "Motorină",
        "Cutie de viteze",
        "Automată",
        "diesel",
        "automatic",
    ),
    (
        "de",
        "https://auto.example.de/a/1",
        "Erstzulassung",
        "Kilometerstand",
        "68.000 km",
        "Kraftstoffart",
        "Benzin/Elektro",
        "Getriebe",
        "Automatik",
        "hybrid",
        "automatic",
    ),
    (
        "fr",
        "https://auto.example.fr/a/1",
        "Mise en circulation",
        "Kilométrage",
        "85 000 km",
        "Carburant",
        "Gazole",
        "Boîte de vitesse",
        "Manuelle",
        "diesel",
        "manual",
    ),
    (
        "it",
        "https://auto.example.it/a/1",
        "Immatricolazione",
        "Chilometraggio",
        "60.000 km",
        "Alimentazione",
        "Benzina",
        "Cambio",
        "Automatico",
        "petrol",
        "automatic",
    ),
    ("es", "https://auto.example.es/a/1", "Año", "Kilómetros", "110.000 km", "Combustible", "Gasolina", "Cambio", "Manual", "petrol", "manual"),
    ("pt", "https://auto.example.pt/a/1", "Ano", "Quilómetros", "90 000 km", "Combustível", "Gasóleo", "Tipo de Caixa", "Automática", "diesel", "automatic"),
    (
        "pt-BR",
        "https://auto.example.com.br/a/1",
        "Ano",
        "Quilometragem",
        "110.000",
        "Combustível",
        "Gasolina e álcool",
        "Câmbio",
        "Automático",
        "flex",
        "automatic",
    ),
    (
        "nl",
        "https://auto.example.nl/a/1",
        "Bouwjaar",
        "Kilometerstand",
        "75.000 km",
        "Brandstof",
        "Elektrisch",
        "Transmissie",
        "Automaat",
        "electric",
        "automatic",
    ),
    ("sv", "https://bil.example.se/a/1", "Modellår", "Miltal", "5 140", "Bränsle", "Bensin", "Växellåda", "Automat", "petrol", "automatic"),
    ("da", "https://bil.example.dk/a/1", "Årgang", "Kilometertal", "120.000 km", "Brændstof", "Diesel", "Gearkasse", "Manuel", "diesel", "manual"),
    (
        "nb",
        "https://bil.example.no/a/1",
        "Årsmodell",
        "Kilometerstand",
        "80 000 km",
        "Drivstoff",
        "Elektrisitet",
        "Girkasse",
        "Automat",
        "electric",
        "automatic",
    ),
    (
        "fi",
        "https://auto.example.fi/a/1",
        "Vuosimalli",
        "Mittarilukema",
        "140 000 km",
        "Polttoaine",
        "Diesel",
        "Vaihteisto",
        "Automaatti",
        "diesel",
        "automatic",
    ),
    ("tr", "https://oto.example.com.tr/a/1", "Yıl", "Kilometre", "95.000 km", "Yakıt", "Dizel", "Vites", "Otomatik", "diesel", "automatic"),
    ("el", "https://auto.example.gr/a/1", "Χρονολογία", "Χιλιόμετρα", "120.000 χλμ", "Καύσιμο", "Βενζίνη", "Σασμάν", "Χειροκίνητο", "petrol", "manual"),
    (
        "bg",
        "https://auto.example.bg/a/1",
        "Година на производство",
        "Пробег",
        "150 000 км",
        "Гориво",
        "Дизелов",
        "Скоростна кутия",
        "Ръчна",
        "diesel",
        "manual",
    ),
    ("hr", "https://auto.example.hr/a/1", "Godina proizvodnje", "Kilometraža", "180.000 km", "Gorivo", "Dizel", "Mjenjač", "Ručni", "diesel", "manual"),
    ("sr", "https://auto.example.rs/a/1", "Годиште", "Километража", "200.000 km", "Гориво", "Бензин", "Мењач", "Аутоматски", "petrol", "automatic"),
    ("sl", "https://auto.example.si/a/1", "Letnik", "Prevoženi km", "110.000 km", "Gorivo", "Bencin", "Menjalnik", "Ročni", "petrol", "manual"),
    ("uk", "https://auto.example.ua/a/1", "Рік випуску", "Пробіг", "85 тис. км", "Паливо", "Дизель", "Коробка передач", "Автомат", "diesel", "automatic"),
    (
        "ru",
        "https://auto.example.ru/a/1",
        "Год выпуска",
        "Пробег",
        "120 000 км",
        "Двигатель",
        "2.0 л / Бензин",
        "Коробка передач",
        "Механика",
        "petrol",
        "manual",
    ),
    ("ja", "https://car.example.jp/a/1", "年式", "走行距離", "3.5万km", "燃料", "ガソリン", "ミッション", "フロアAT", "petrol", "automatic"),
];

#[test]
fn spec_tables_in_every_language_of_the_vocabularies() {
    for (lang, url, year_l, km_l, km, fuel_l, fuel, gear_l, gear, want_fuel, want_gear) in SPEC_TABLES {
        let html = table(lang, &[(year_l, "2016"), (km_l, km), (fuel_l, fuel), (gear_l, gear)]);
        let e = extract(&html, url);
        assert_eq!(e.value(Field::Year), Some("2016"), "{lang}: year from {year_l}");
        assert_eq!(e.value(Field::Fuel), Some(*want_fuel), "{lang}: {fuel_l} {fuel}");
        assert_eq!(e.value(Field::Transmission), Some(*want_gear), "{lang}: {gear_l} {gear}");
        assert!(e.value(Field::Mileage).is_some(), "{lang}: mileage from {km_l} {km}");
        assert_eq!(e.value(Field::MileageUnit), Some("km"), "{lang}: unit of {km_l} {km}");
    }
}

#[test]
fn mileages_are_read_in_kilometres_whatever_the_unit_word() {
    let cases = [
        ("sv", "https://bil.example.se/a/1", "Miltal", "5 140", "51400"),
        ("sv", "https://bil.example.se/a/1", "Mätarställning", "5 140 mil", "51400"),
        ("pt-BR", "https://auto.example.com.br/a/1", "Quilometragem", "110 mil km", "110000"),
        ("de", "https://auto.example.de/a/1", "Laufleistung", "150 Tkm", "150000"),
        ("uk", "https://auto.example.ua/a/1", "Пробіг", "85 тис. км", "85000"),
        ("ja", "https://car.example.jp/a/1", "走行距離", "3.5万km", "35000"),
        ("el", "https://auto.example.gr/a/1", "Χιλιόμετρα", "120.000 χλμ", "120000"),
    ];
    for (lang, url, label, value, want) in cases {
        let e = extract(&table(lang, &[(label, value)]), url);
        assert_eq!(e.value(Field::Mileage), Some(want), "{lang}: {label} {value}");
        assert_eq!(e.value(Field::MileageUnit), Some("km"), "{lang}: {label} {value}");
    }
    // An English page's "mil" is no Swedish mile.
    let e = extract(&table("en", &[("Mileage", "5 140 mil")]), "https://cars.example.com/1");
    assert_ne!(e.value(Field::Mileage), Some("51400"));
}

#[test]
fn other_field_labels_in_many_languages() {
    let cases: &[(&str, &str, Field)] = &[
        ("Märke", "Volvo", Field::Make),
        ("Značka", "Škoda", Field::Make),
        ("Merkki", "Toyota", Field::Make),
        ("Modelis", "Golf", Field::Model),
        ("Färg", "Grå", Field::Color),
        ("Couleur extérieure", "Gris", Field::Color),
        ("Karosszéria", "Kombi", Field::Body),
        ("Kaross", "Kombi", Field::Body),
        ("Numéro VIN", "WVWZZZ1KZ8W123456", Field::Vin),
        ("Broj šasije", "WVWZZZ1KZ8W123456", Field::Vin),
        ("Alvázszám", "WVWZZZ1KZ8W123456", Field::Vin),
    ];
    for (label, value, field) in cases {
        let e = extract(&table("", &[(label, value)]), "https://cars.example.com/1");
        assert!(e.detected.iter().any(|d| d.field == *field), "{label}: {value} gave {:?}", e.detected);
    }
    // A label that holds a digit is found as a whole: Danish "1.
    // registrering".
    assert_eq!(crate::vocab::label_field("1. registrering"), Some(Field::Year));
    // Power, engine size and plates are never a field, in any language.
    for label in ["Hästkrafter", "Teljesítmény", "Cylindrée", "Pojemność skokowa", "Rekisterinumero", "Motor gücü", "Κυβικά"] {
        assert_eq!(crate::vocab::label_field(label), None, "{label}");
    }
}

#[test]
fn a_whole_price_tag_is_in_the_countrys_currency() {
    let e = extract(r#"<div class="price">285 000:-</div>"#, "https://bil.example.se/a/1");
    assert_eq!((e.value(Field::Price), e.value(Field::Currency)), (Some("285000"), Some("SEK")));
    let e = extract(r#"<div class="price">299.000,-</div>"#, "https://bil.example.no/a/1");
    assert_eq!((e.value(Field::Price), e.value(Field::Currency)), (Some("299000"), Some("NOK")));
}

#[test]
fn one_element_is_one_photo_whatever_its_file_names() {
    // Structured data names the displayed size; the element's data-full is
    // the same photo under another name.
    let html = r#"<div itemscope itemtype="http://schema.org/Product"><div class="gallery">
        <img itemprop="image" src="https://cdn.example.com/m/aa11.jpg" data-full="https://cdn.example.com/m/ff11.jpg">
        <img itemprop="image" src="https://cdn.example.com/m/aa22.jpg" data-full="https://cdn.example.com/m/ff22.jpg">
        <img itemprop="image" src="https://cdn.example.com/m/aa33.jpg" data-full="https://cdn.example.com/m/ff33.jpg"></div></div>"#;
    let e = extract(html, "https://cars.example.com/1");
    assert_eq!(e.photos, vec!["https://cdn.example.com/m/ff11.jpg", "https://cdn.example.com/m/ff22.jpg", "https://cdn.example.com/m/ff33.jpg"]);
    // A link to the large file around a small one.
    let e = extract(
        r#"<div class="photos"><a href="/big/1.jpg"><img src="/small/x1.jpg"></a><a href="/big/2.jpg"><img src="/small/x2.jpg"></a></div>"#,
        "https://cars.example.com/1",
    );
    assert_eq!(e.photos, vec!["https://cars.example.com/big/1.jpg", "https://cars.example.com/big/2.jpg"]);
}

#[test]
fn a_thumbnail_strip_repeating_the_gallery_is_not_read_twice() {
    let html = r#"<section class="listing _advert"><div class="images">
        <img src="https://cdn.example.com/m/a1.jpg"><img src="https://cdn.example.com/m/a2.jpg"><img src="https://cdn.example.com/m/a3.jpg"></div>
        <div class="thumbnails"><img src="https://cdn.example.com/m/t1.jpg"><img src="https://cdn.example.com/m/t2.jpg"><img src="https://cdn.example.com/m/t3.jpg"></div>
        </section>"#;
    let e = extract(html, "https://cars.example.com/1");
    assert_eq!(e.photos, vec!["https://cdn.example.com/m/a1.jpg", "https://cdn.example.com/m/a2.jpg", "https://cdn.example.com/m/a3.jpg"]);
    // A strip that shows more than the main view is the gallery.
    let html = r#"<div class="main-photo"><img src="https://cdn.example.com/m/a1.jpg"></div>
        <ul class="thumbs"><li><img src="https://cdn.example.com/m/t1.jpg"><li><img src="https://cdn.example.com/m/t2.jpg"><li><img src="https://cdn.example.com/m/t3.jpg"></ul>"#;
    let e = extract(html, "https://cars.example.com/1");
    assert_eq!(e.photos.len(), 4, "{:?}", e.photos);
}

#[test]
fn cards_of_similar_listings_are_not_this_car() {
    let html = r#"<div itemscope itemtype="http://schema.org/Product"><h1 itemprop="name">BMW 3-Series 2020</h1>
        <div itemprop="offers" itemscope itemtype="http://schema.org/Offer"><span itemprop="price" content="25900">€25.900</span></div>
        <div class="similar"><div itemscope itemtype="http://schema.org/Product"><span itemprop="name">BMW 3-Series 2010</span>
        <div itemprop="offers" itemscope itemtype="http://schema.org/Offer"><span itemprop="price" content="9500">€9.500</span></div>
        <img itemprop="image" src="https://cdn.example.com/other.jpg"></div></div></div>"#;
    let e = extract(html, "https://cars.example.com/1");
    assert_eq!(e.value(Field::Price), Some("25900"));
    assert!(!e.detected.iter().any(|d| d.value == "9500"), "{:?}", e.detected);
    assert!(e.photos.is_empty(), "{:?}", e.photos);
}

#[test]
fn a_new_cars_zero_km_beats_the_model_year_above_its_label() {
    let html = r#"<ul><li><span>Model year</span> <span>2026</span></li>
        <li><img src="/i/km.svg" alt=""><span>Kilometers</span> <span>0 Km</span></li></ul>"#;
    let e = extract(html, "https://cars.example.com/1");
    assert_eq!(e.value(Field::Mileage), Some("0"));
    assert_eq!(e.value(Field::Year), Some("2026"));
    // Unlabelled, a number above a unit word on the next line is no distance.
    let e = extract("<div><span>2026</span><span>Kilometers</span></div>", "https://cars.example.com/1");
    assert_eq!(e.value(Field::Mileage), None);
    // An empty odometer field is still unknown, not a new car.
    let e = extract(&table("en", &[("Mileage", "0")]), "https://cars.example.com/1");
    assert_eq!(e.value(Field::Mileage), None);
}

#[test]
fn a_model_field_holding_a_version_string_gives_the_dictionarys_model() {
    let html = r#"<html><head><title>IX35 GLS AUT 2012</title></head><body>
        <script type="application/ld+json">{"@type":"Car","brand":"HYUNDAI","model":"2.0 MPFI GLS 16V FLEX 4P AUTOMATICO","name":"IX35 GLS AUT 2012"}</script>
        </body></html>"#;
    let e = extract(html, "https://cars.example.com.br/1");
    assert_eq!(e.value(Field::Model), Some("ix35"));
    // A generation code and a body around the model.
    let e = extract(&table("sv", &[("Märke", "Audi"), ("Modell", "8J TT COUPÉ")]), "https://bil.example.se/a/1");
    assert_eq!(e.value(Field::Model), Some("TT"));
    // A two-word model the dictionary does not know stays as written.
    let e = extract(&table("pt", &[("Marca", "Peugeot"), ("Modelo", "508 SW")]), "https://auto.example.pt/1");
    assert_eq!(e.value(Field::Model), Some("508 SW"));
}
