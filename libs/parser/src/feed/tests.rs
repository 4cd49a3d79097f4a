use super::*;

const CSV: &str = "\u{feff}Stock No;Marke;Modell;Baujahr;Preis;Währung;Kilometerstand;FIN;Kraftstoff;Getriebe;Bilder\n\
A-1;BMW;320d;2018;\"21.500\";EUR;\"98.000 km\";WBA8E9C50JA123456;Diesel;Automatik;https://img.example.com/a1.jpg | https://img.example.com/a2.jpg\n\
A-2;Skoda;Octavia;2019;15900;EUR;120000;;Benzin;Schaltgetriebe;\n\
A-3;Skoda;\"Octavia; Combi\";1890;9000;EUR;1;;Benzin;Manuell;\n";

#[test]
fn a_csv_feed_with_local_headers_maps_itself() {
    let t = read_feed(CSV.as_bytes()).unwrap();
    assert_eq!(t.columns.len(), 11);
    assert_eq!(t.rows.len(), 3);
    assert_eq!(t.rows[2][2], "Octavia; Combi");
    let m = guess_mapping(&t.columns);
    for (field, col) in [
        ("id", "Stock No"),
        ("make", "Marke"),
        ("model", "Modell"),
        ("year", "Baujahr"),
        ("price", "Preis"),
        ("vin", "FIN"),
        ("photos", "Bilder"),
        ("mileage", "Kilometerstand"),
    ] {
        assert_eq!(m.get(field).map(String::as_str), Some(col), "{field} in {m:?}");
    }
    let car = row_to_car(&m, &t.columns, &t.rows[0], None, 2026).unwrap();
    assert_eq!(car.key, "vin:WBA8E9C50JA123456");
    assert_eq!((car.car.make.as_str(), car.car.model.as_str(), car.car.year, car.car.price, car.car.mileage), ("BMW", "320d", 2018, 21500, 98000));
    assert_eq!((car.car.fuel, car.car.transmission), (Some(Fuel::Diesel), Some(Transmission::Automatic)));
    assert_eq!(car.car.photos.len(), 2);
    // No VIN: the source's id keys the car.
    let car = row_to_car(&m, &t.columns, &t.rows[1], None, 2026).unwrap();
    assert_eq!(car.key, "id:A-2");
    assert_eq!(car.car.transmission, Some(Transmission::Manual));
    // A bad row names its field.
    let bad = row_to_car(&m, &t.columns, &t.rows[2], None, 2026).unwrap_err();
    assert_eq!(bad.field, "year");
}

#[test]
fn a_row_without_vin_or_id_or_currency_is_refused_by_field() {
    let cols: Vec<String> = ["make", "model", "year", "price"].map(String::from).to_vec();
    let m = guess_mapping(&cols);
    let row: Vec<String> = ["Kia", "Ceed", "2020", "12000"].map(String::from).to_vec();
    assert_eq!(row_to_car(&m, &cols, &row, None, 2026).unwrap_err().field, "currency");
    assert_eq!(row_to_car(&m, &cols, &row, Some("EUR"), 2026).unwrap_err().field, "vin");
    let empty_model: Vec<String> = ["Kia", "", "2020", "12000"].map(String::from).to_vec();
    assert_eq!(row_to_car(&m, &cols, &empty_model, Some("EUR"), 2026).unwrap_err().field, "model");
}

#[test]
fn an_xml_feed_is_one_element_per_car() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed><meta><generated>today</generated></meta>
  <offers>
    <offer id="77"><mark>Toyota</mark><model>RAV4</model><year>2021</year><price currency="UAH">1 250 000</price>
      <mileage>35 000 км</mileage><fuel>Гібрид</fuel><gearbox>Автомат</gearbox>
      <images><image>https://img.example.com/1.jpg</image><image>https://img.example.com/2.jpg</image></images></offer>
    <offer id="78"><mark>Renault</mark><model><![CDATA[Megane & Co]]></model><year>2016</year><price currency="UAH">420000</price>
      <mileage>180000</mileage><fuel>Дизель</fuel><gearbox>Механіка</gearbox></offer>
  </offers></feed>"#;
    let t = read_feed(xml.as_bytes()).unwrap();
    assert_eq!(t.rows.len(), 2, "{t:?}");
    let col = |name: &str| t.columns.iter().position(|c| c == name).unwrap();
    assert_eq!(t.rows[0][col("@id")], "77");
    assert_eq!(t.rows[0][col("image")], "https://img.example.com/1.jpg https://img.example.com/2.jpg");
    assert_eq!(t.rows[1][col("model")], "Megane & Co");
    let m = guess_mapping(&t.columns);
    for (field, col) in [("id", "@id"), ("currency", "price@currency"), ("photos", "image"), ("make", "mark"), ("price", "price"), ("mileage", "mileage")] {
        assert_eq!(m.get(field).map(String::as_str), Some(col), "{field} in {m:?}");
    }
    check_mapping(&m, Some(&t.columns)).unwrap();
    let car = row_to_car(&m, &t.columns, &t.rows[0], None, 2026).unwrap();
    assert_eq!(car.key, "id:77");
    assert_eq!((car.car.currency.as_str(), car.car.price, car.car.mileage), ("UAH", 1_250_000, 35_000));
    assert_eq!((car.car.fuel, car.car.transmission, car.car.photos.len()), (Some(Fuel::Hybrid), Some(Transmission::Automatic), 2));
    let car = row_to_car(&m, &t.columns, &t.rows[1], None, 2026).unwrap();
    assert_eq!((car.car.fuel, car.car.transmission), (Some(Fuel::Diesel), Some(Transmission::Manual)));
}

#[test]
fn unreadable_feeds_and_mappings_are_refused() {
    assert_eq!(read_feed(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Err(FeedError::NotText));
    assert_eq!(read_feed(b"make,model\n"), Err(FeedError::Empty));
    assert!(matches!(read_feed(b"<feed><car><make>x</make></feed>"), Err(FeedError::BadXml(_))));
    let deep = "<a>".repeat(100) + &"</a>".repeat(100);
    assert!(matches!(read_feed(deep.as_bytes()), Err(FeedError::BadXml(_))));
    let cols = vec!["Make".to_string()];
    let bad: ColumnMapping = [("wheels".to_string(), "Make".to_string())].into();
    assert_eq!(check_mapping(&bad, Some(&cols)).unwrap_err().field, "mapping.wheels");
    let missing: ColumnMapping = [("make".to_string(), "Brand".to_string())].into();
    assert_eq!(check_mapping(&missing, Some(&cols)).unwrap_err().field, "mapping.make");
}

#[test]
fn windows_code_pages_and_declared_encodings_are_read() {
    // "Марка;Модель;Рік;Ціна\nВАЗ;Нива;2015;4500" in Windows-1251.
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("Марка;Модель;Рік випуску;Ціна;Валюта;VIN\nВАЗ;Нива;2015;\"4 500\";USD;XTA212140F2212345\n");
    let t = read_feed(&cp1251).unwrap();
    assert_eq!(t.columns, ["Марка", "Модель", "Рік випуску", "Ціна", "Валюта", "VIN"]);
    assert_eq!(t.rows[0][1], "Нива");
    let m = guess_mapping(&t.columns);
    for (field, col) in [("make", "Марка"), ("model", "Модель"), ("year", "Рік випуску"), ("price", "Ціна"), ("currency", "Валюта"), ("vin", "VIN")]
    {
        assert_eq!(m.get(field).map(String::as_str), Some(col), "{field} in {m:?}");
    }
    // German in Windows-1252: lone accented letters.
    let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode("Marke,Währung\nPeugeot,EUR\n");
    assert_eq!(read_feed(&cp1252).unwrap().columns[1], "Währung");
    // An XML feed that says what it is in.
    let (xml, _, _) = encoding_rs::WINDOWS_1251
        .encode("<?xml version=\"1.0\" encoding=\"windows-1251\"?><cars><car><make>Лада</make></car><car><make>ЗАЗ</make></car></cars>");
    let t = read_feed(&xml).unwrap();
    assert_eq!((t.columns[0].as_str(), t.rows[1][0].as_str()), ("make", "ЗАЗ"));
    // UTF-16 with its byte-order mark (Excel's "Unicode text").
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("make\tmodel\nKia\tRio\n".encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(read_feed(&utf16).unwrap().rows, [["Kia", "Rio"]]);
}
