//! Rules learnt from real listing pages (see `tests/corpus`), each on the
//! smallest markup that shows it.

use super::*;

const URL: &str = "https://dealer.example.com/cars/123";

#[test]
fn a_hydration_array_that_holds_the_main_photo_is_the_gallery() {
    let html = r#"<html><head><meta property="og:image" content="https://img.example.com/original/03b8/aaaaaaaaaaaa">
        <script>window.__state = {"offer":{"images":[{"original":"https:\u002F\u002Fimg.example.com\u002Foriginal\u002F03b8\u002Faaaaaaaaaaaa","thumbnail":"https://img.example.com/s128/03b8/aaaaaaaaaaaa"},
        {"original":"https://img.example.com/original/03c1/bbbbbbbbbbbb","thumbnail":"https://img.example.com/s128/03c1/bbbbbbbbbbbb"},
        {"original":"https://img.example.com/original/03d2/cccccccccccc","thumbnail":"https://img.example.com/s128/03d2/cccccccccccc"}]},
        "similar":[{"photo":"https://img.example.com/original/0999/dddddddddddd"},{"photo":"https://img.example.com/original/0998/eeeeeeeeeeee"}]};</script>
        </head><body></body></html>"#;
    let e = extract(html, URL);
    assert_eq!(
        e.photos,
        vec![
            "https://img.example.com/original/03b8/aaaaaaaaaaaa",
            "https://img.example.com/original/03c1/bbbbbbbbbbbb",
            "https://img.example.com/original/03d2/cccccccccccc"
        ]
    );
}

#[test]
fn a_site_wide_share_image_is_dropped_when_the_gallery_says_otherwise() {
    let html = r#"<html><head><meta property="og:image" content="https://assets.example.com/site-share.webp"></head><body>
        <vdp-gallery><gallery-slides><img src="https://cdn.example.com/p/1111.jpg"><img src="https://cdn.example.com/p/2222.jpg">
        <img src="https://cdn.example.com/p/3333.jpg"></gallery-slides></vdp-gallery></body></html>"#;
    let e = extract(html, URL);
    assert_eq!(e.photos.len(), 3, "{:?}", e.photos);
    assert!(e.photos.iter().all(|p| p.starts_with("https://cdn.example.com/p/")));
}

#[test]
fn breadcrumbs_name_make_and_model_and_series_names_are_read() {
    let html = r#"<ol itemscope itemtype="https://schema.org/BreadcrumbList">
        <li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem"><span itemprop="name">Osobowe</span></li>
        <li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem"><span itemprop="name">BMW</span></li>
        <li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem"><span itemprop="name">Seria 5</span></li>
        <li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem"><span itemprop="name">E60 (2003-2010)</span></li></ol>
        <h1>BMW E60 530i 306 KM tylko 74 356 km</h1>"#;
    let e = extract(html, URL);
    assert_eq!(e.value(Field::Make), Some("BMW"));
    assert_eq!(e.value(Field::Model), Some("5 Series"));
}

#[test]
fn a_series_alone_is_a_family_and_the_title_names_the_model() {
    let html = "<h1>Usado BMW X5 2021</h1><div><p>Modelo</p><p>Série X</p></div>";
    let e = extract(html, URL);
    assert_eq!(e.value(Field::Model), Some("X5"));
}

#[test]
fn a_year_make_model_line_names_the_car_old_cars_included() {
    let e = extract("<h2>RELIABLE # nice car !!</h2><p class=attrgroup><span><b>2013 chevrolet impala ltz</b></span></p>", URL);
    assert_eq!(e.value(Field::Make), Some("Chevrolet"));
    assert_eq!(e.value(Field::Model), Some("Impala"));
    assert_eq!(e.value(Field::Year), Some("2013"));
    let e = extract("<p><span><b>1929 Ford A Model</b></span></p>", URL);
    assert_eq!(e.value(Field::Year), Some("1929"));
    // A lone "1920" elsewhere is not a year: a picture size, a number.
    let e = extract("<p>Screen 1920 x 1080</p>", URL);
    assert_eq!(e.value(Field::Year), None);
}

#[test]
fn a_make_with_one_slip_is_still_the_make() {
    let e = extract("<p><b>2009 Huyndai Tucson</b></p>", URL);
    assert_eq!(e.value(Field::Make), Some("Hyundai"));
    assert_eq!(e.value(Field::Model), Some("Tucson"));
    assert!(text::one_slip("hyundai", "huyndai"));
    assert!(text::one_slip("toyota", "toyta"));
    assert!(!text::one_slip("toyota", "toyota"));
    assert!(!text::one_slip("porsche", "porch"));
}

#[test]
fn the_marked_price_wins_over_other_listings_prices() {
    let html = r#"<div class="similarads"><p class="price">3 700 zł</p><p class="price">7 290 zł</p></div>
        <div class="offer"><div class="price-label"><strong>21 200 zł</strong></div></div>
        <div class="price-old">25 000 zł</div>"#;
    let e = extract(html, "https://classifieds.example.com/oferta/1");
    assert_eq!(e.value(Field::Price), Some("21200"));
    assert_eq!(e.value(Field::Currency), Some("PLN"));
}

#[test]
fn a_label_with_its_value_in_the_last_child() {
    let html = "<ul><li>Marke<span>BMW</span></li><li>Modell<span>320</span></li><li>Kilometerstand<span>68.000 km</span></li>\
                <li>Kraftstoffart<span>Diesel</span></li><li>Getriebe<span>Automatik</span></li></ul>";
    let e = extract(html, URL);
    assert_eq!(e.value(Field::Model), Some("320"));
    assert_eq!(e.value(Field::Mileage), Some("68000"));
    assert_eq!(e.value(Field::Fuel), Some("diesel"));
    assert_eq!(e.value(Field::Transmission), Some("automatic"));
}

#[test]
fn a_yearly_distance_is_not_the_odometer() {
    let html =
        "<h1>2012 Porsche Cayman</h1><p>Coupe 2D • 66,282 miles</p><h3>Low Annual Mileage</h3><ul><li>Less than 9,000 miles per year on average</li></ul>";
    let e = extract(html, "https://www.cars.example.com/vehicle/1");
    assert_eq!(e.value(Field::Mileage), Some("66282"));
}

#[test]
fn the_mileage_unit_follows_the_label_then_the_site() {
    // An American classified: English, priced in dollars, odometer without a unit.
    let html = r#"<html lang="en"><body><h1>2011 Nissan Rogue - $3,999</h1><p class="attrgroup"><span>odometer: <b>120000</b></span></p></body></html>"#;
    let e = extract(html, "https://greenville.classifieds.example.org/cto/1.html");
    assert_eq!(e.value(Field::Mileage), Some("120000"));
    assert_eq!(e.value(Field::MileageUnit), Some("mi"));
    // A Spanish label names the kilometre.
    let e = extract("<div><span>Kilometraje</span><span>49.831</span></div>", "https://autos.example.com/auto/1");
    assert_eq!(e.value(Field::MileageUnit), Some("km"));
}

#[test]
fn a_company_name_is_read_as_its_make() {
    let html = "<h1>KIA MOTORS SONET EX 1.5 AUT. AÑO 2024</h1><div><span>Marca</span><span>Kia Motors</span></div>";
    let e = extract(html, "https://seminuevos.example.com/auto/1");
    assert_eq!(e.value(Field::Make), Some("Kia"));
    assert_eq!(e.value(Field::Model).map(str::to_lowercase).as_deref(), Some("sonet"));
}

#[test]
fn reais_are_brazilian() {
    let e = extract("<h1>IX35 GLS AUT 2012</h1><h2>R$ 65.999</h2>", "https://classifieds.example.com/autos/1");
    assert_eq!(e.value(Field::Price), Some("65999"));
    assert_eq!(e.value(Field::Currency), Some("BRL"));
}
