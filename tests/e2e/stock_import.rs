//! Bulk stock import end to end: a dealer's CSV feed uploaded through the
//! file store, previewed with a guessed mapping, imported by the jobs
//! worker a part (200 rows) at a time; importing it again changes nothing;
//! a changed row updates its car and keeps what the team decided (sold);
//! a bad row is reported with its field; the mapping is remembered for the
//! source; another workspace cannot see the import or use the file. An XML
//! offers feed maps itself; a car listed twice is refused the second time;
//! a part delivered again changes nothing.

use cartie_e2e::{Method, Stack, StatusCode};
use serde_json::{json, Value};

const MAKES: [(&str, &str); 4] = [("BMW", "320d"), ("Skoda", "Octavia"), ("Toyota", "RAV4"), ("Volkswagen", "Passat")];

/// A semicolon CSV as a German dealer system exports it (BOM, German
/// headers, quoted prices), `good` cars and then one from the year 1890.
/// `price_of_first` changes the first car's price.
fn feed(good: usize, price_of_first: u32) -> Vec<u8> {
    let mut csv = String::from("\u{feff}Stock No;Marke;Modell;Baujahr;Preis;Währung;Kilometerstand\r\n");
    for i in 0..good {
        let (make, model) = MAKES[i % MAKES.len()];
        let price = if i == 0 { price_of_first } else { 9_000 + i as u32 };
        csv.push_str(&format!("S-{i};{make};{model};{};\"{price}\";EUR;{} km\r\n", 2010 + i % 14, 20_000 + i * 100));
    }
    csv.push_str("S-OLD;Ford;Model T;1890;5000;EUR;1\r\n");
    csv.into_bytes()
}

async fn upload(s: &Stack, token: &str, name: &str, bytes: &[u8]) -> String {
    let done = s.upload(token, "stock_feed", name, "text/csv", bytes).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    done.body["id"].as_str().expect("file id").to_string()
}

async fn import(s: &Stack, token: &str, file_id: &str, mapping: &Value) -> Value {
    let started =
        s.call(Method::POST, "/api/parser/feeds/imports", Some(token), Some(json!({"source": "Dealer system", "file_id": file_id, "mapping": mapping}))).await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
    assert_eq!(started.body["status"], "running");
    s.drain_jobs().await;
    let id = started.body["id"].as_str().unwrap();
    let got = s.get(&format!("/api/parser/feeds/imports/{id}"), token).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    got.body
}

async fn stock_count(s: &Stack, token: &str) -> usize {
    let (mut n, mut cursor) = (0, String::new());
    loop {
        let page = s.get(&format!("/api/inventory?limit=100&cursor={cursor}"), token).await;
        n += page.body["items"].as_array().expect("items").len();
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => return n,
        }
    }
}

#[tokio::test]
async fn a_csv_feed_imports_once_and_reimports_idempotently() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Feed Motors", "owner@feed.test").await;
    let (_ws_b, other) = s.workspace("Other Motors", "owner@other-feed.test").await;
    let n = 230;
    let file_id = upload(&s, &owner, "stock.csv", &feed(n, 15_000)).await;

    // The preview guesses the mapping from the German headers.
    let preview = s.call(Method::POST, "/api/parser/feeds/preview", Some(&owner), Some(json!({"source": "Dealer system", "file_id": file_id}))).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert_eq!(preview.body["rows"], n + 1);
    assert_eq!(preview.body["remembered"], false);
    let mapping = preview.body["mapping"].clone();
    for (field, column) in [
        ("id", "Stock No"),
        ("make", "Marke"),
        ("model", "Modell"),
        ("year", "Baujahr"),
        ("price", "Preis"),
        ("currency", "Währung"),
        ("mileage", "Kilometerstand"),
    ] {
        assert_eq!(mapping[field], column, "{field} in {mapping}");
    }

    // A mapping that names no field, or no key, is refused by its field.
    let bad = s
        .call(
            Method::POST,
            "/api/parser/feeds/imports",
            Some(&owner),
            Some(json!({"source": "Dealer system", "file_id": file_id, "mapping": {"wheels": "Marke"}})),
        )
        .await;
    assert_eq!((bad.status, bad.body["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("mapping.wheels")));
    let mut keyless = mapping.clone();
    keyless.as_object_mut().unwrap().remove("id");
    let bad =
        s.call(Method::POST, "/api/parser/feeds/imports", Some(&owner), Some(json!({"source": "Dealer system", "file_id": file_id, "mapping": keyless}))).await;
    assert_eq!(bad.body["error"]["field"], "mapping.id", "{}", bad.body);

    // First import: every good row is a new car; the bad row names its field.
    let first = import(&s, &owner, &file_id, &mapping).await;
    assert_eq!(first["status"], "done", "{first}");
    assert_eq!((first["total_rows"].as_u64(), first["done_rows"].as_u64()), (Some(n as u64 + 1), Some(n as u64 + 1)));
    assert_eq!(first["counts"], json!({"created": n, "updated": 0, "unchanged": 0, "rejected": 1}));
    let report = first["report"].as_array().unwrap();
    assert_eq!(report.len(), n + 1, "both parts in the report");
    let old = &report[n];
    assert_eq!((old["row"].as_u64(), old["outcome"].as_str(), old["field"].as_str()), (Some(n as u64 + 1), Some("rejected"), Some("year")), "{old}");
    assert_eq!(stock_count(&s, &owner).await, n);

    // The team sells the first car in Cartie.
    let first_car = report[0]["listing_id"].as_str().unwrap().to_string();
    let mut car = s.get(&format!("/api/inventory/{first_car}"), &owner).await.body;
    assert_eq!((car["make"].as_str(), car["price"].as_i64()), (Some("BMW"), Some(15_000)));
    car["status"] = json!("sold");
    assert_eq!(s.call(Method::PUT, &format!("/api/inventory/{first_car}"), Some(&owner), Some(car)).await.status, StatusCode::OK);

    // The mapping is remembered for the source.
    let again = s.call(Method::POST, "/api/parser/feeds/preview", Some(&owner), Some(json!({"source": " dealer SYSTEM", "file_id": file_id}))).await;
    assert_eq!((again.body["remembered"].as_bool(), &again.body["mapping"]), (Some(true), &mapping));

    // The same feed again: nothing new, nothing changed.
    let second = import(&s, &owner, &file_id, &mapping).await;
    assert_eq!(second["counts"], json!({"created": 0, "updated": 0, "unchanged": n, "rejected": 1}), "{second}");
    assert_eq!(stock_count(&s, &owner).await, n);

    // A new export where the first car's price dropped: that car is updated
    // and stays sold.
    let changed = upload(&s, &owner, "stock-2.csv", &feed(n, 14_500)).await;
    let third = import(&s, &owner, &changed, &mapping).await;
    assert_eq!(third["counts"], json!({"created": 0, "updated": 1, "unchanged": n - 1, "rejected": 1}), "{third}");
    assert_eq!(third["report"][0]["listing_id"], first_car.as_str());
    let car = s.get(&format!("/api/inventory/{first_car}"), &owner).await.body;
    assert_eq!((car["price"].as_i64(), car["status"].as_str()), (Some(14_500), Some("sold")));
    assert_eq!(stock_count(&s, &owner).await, n);

    // Another workspace: cannot read the import, nor import A's file.
    let id = first["id"].as_str().unwrap();
    assert_eq!(s.get(&format!("/api/parser/feeds/imports/{id}"), &other).await.status, StatusCode::NOT_FOUND);
    let theirs = s.call(Method::POST, "/api/parser/feeds/preview", Some(&other), Some(json!({"source": "Dealer system", "file_id": file_id}))).await;
    assert_eq!((theirs.status, theirs.body["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("file_id")));
    assert_eq!(stock_count(&s, &other).await, 0);
}

#[tokio::test]
async fn an_xml_offers_feed_imports_by_the_sources_ids() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Offers Motors", "owner@offers.test").await;
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<yml_catalog><shop><currencies><currency id="UAH" rate="1"/></currencies><offers>
  <offer id="77"><vendor>Toyota</vendor><model>RAV4</model><year>2021</year><price>1250000</price><currencyId>UAH</currencyId>
    <picture>https://img.example.com/1.jpg</picture><picture>https://img.example.com/2.jpg</picture></offer>
  <offer id="78"><vendor>Renault</vendor><model>Megane</model><year>2016</year><price>420000</price><currencyId>UAH</currencyId></offer>
  <offer id="77"><vendor>Toyota</vendor><model>RAV4</model><year>2021</year><price>1200000</price><currencyId>UAH</currencyId></offer>
</offers></shop></yml_catalog>"#;
    // XML is declared as text (never stored under a type a browser renders).
    let refused = s.start_upload(&owner, "stock_feed", "offers.xml", "application/xml", xml.len()).await;
    assert_eq!(refused.body["error"]["field"], "content_type", "{}", refused.body);
    let done = s.upload(&owner, "stock_feed", "offers.xml", "text/plain", xml.as_bytes()).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let file_id = done.body["id"].as_str().unwrap();
    let preview = s.call(Method::POST, "/api/parser/feeds/preview", Some(&owner), Some(json!({"source": "Site YML", "file_id": file_id}))).await;
    assert_eq!(preview.body["rows"], 3, "{}", preview.body);
    let mapping = &preview.body["mapping"];
    for (field, column) in
        [("id", "@id"), ("make", "vendor"), ("model", "model"), ("year", "year"), ("price", "price"), ("currency", "currencyId"), ("photos", "picture")]
    {
        assert_eq!(mapping[field], column, "{field} in {mapping}");
    }
    let started =
        s.call(Method::POST, "/api/parser/feeds/imports", Some(&owner), Some(json!({"source": "Site YML", "file_id": file_id, "mapping": mapping}))).await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
    s.drain_jobs().await;
    let import_id = started.body["id"].as_str().unwrap().to_string();
    let got = s.get(&format!("/api/parser/feeds/imports/{import_id}"), &owner).await;
    let counts = json!({"created": 2, "updated": 0, "unchanged": 0, "rejected": 1});
    assert_eq!(got.body["counts"], counts, "{}", got.body);
    // The same offer twice in one feed: the second is refused by its id.
    let twice = &got.body["report"][2];
    assert_eq!((twice["field"].as_str(), twice["message"].as_str()), (Some("id"), Some("the same car as row 1")), "{twice}");
    // A part delivered again (SQS is at least once) changes nothing.
    let job = cartie_domain::jobs::Job::ImportStock { workspace_id: ws.clone(), import_id: import_id.clone(), part: 0 };
    s.app.queues.send("jobs", &job).await.unwrap();
    s.drain_jobs().await;
    let again = s.get(&format!("/api/parser/feeds/imports/{import_id}"), &owner).await;
    assert_eq!((&again.body["counts"], again.body["report"].as_array().map(Vec::len)), (&counts, Some(3)));
    assert_eq!(s.get("/api/inventory", &owner).await.body["items"].as_array().map(Vec::len), Some(2));
    let car = s.get(&format!("/api/inventory/{}", got.body["report"][0]["listing_id"].as_str().unwrap()), &owner).await.body;
    assert_eq!((car["make"].as_str(), car["price"].as_i64(), car["currency"].as_str()), (Some("Toyota"), Some(1_250_000), Some("UAH")));
    assert_eq!(car["photos"].as_array().map(Vec::len), Some(2));
}
