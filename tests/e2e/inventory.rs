//! Inventory end to end: add, validate, search and filter with pagination,
//! edit, delete — and another workspace sees none of it.

use cartie_e2e::{Method, Stack, StatusCode};
use serde_json::{json, Value};

fn car(make: &str, model: &str, year: i32, price: i64, mileage: i64) -> Value {
    json!({"make": make, "model": model, "year": year, "price": price, "currency": "EUR", "mileage": mileage, "mileage_unit": "km",
           "vin": null, "fuel": "diesel", "transmission": "automatic", "body": "SUV", "color": "black",
           "photos": ["https://cdn.dealer.test/1.jpg"], "description": null, "status": "available", "source_url": null})
}

#[tokio::test]
async fn stock_can_be_added_found_edited_and_removed() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Stock Motors", "owner@stock.test").await;
    let viewer = s.member(&owner, "viewer@stock.test", "viewer").await;
    let cars = [
        ("BMW", "X5", 2019, 41990, 85000),
        ("BMW", "X3", 2021, 38900, 30000),
        ("Audi", "A4 Avant", 2018, 21500, 120000),
        ("Volkswagen", "Golf", 2020, 17900, 60000),
        ("Toyota", "RAV4", 2022, 33900, 15000),
    ];
    for (mk, md, y, p, m) in cars {
        let a = s.call(Method::POST, "/api/inventory", Some(&owner), Some(car(mk, md, y, p, m))).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    }
    // Bad input names the field and stores nothing.
    let mut bad = car("BMW", "X1", 1800, 100, 0);
    let a = s.call(Method::POST, "/api/inventory", Some(&owner), Some(bad.clone())).await;
    assert_eq!((a.status, a.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("year")));
    bad["year"] = json!(2020);
    bad["vin"] = json!("WVWZZZ1KZ8W12345O");
    assert_eq!(s.call(Method::POST, "/api/inventory", Some(&owner), Some(bad.clone())).await.field(), Some("vin"));
    bad["vin"] = json!("WVWZZZ1KZ8W123456");
    let a = s.call(Method::POST, "/api/inventory", Some(&owner), Some(bad)).await;
    assert_eq!(a.status, StatusCode::CREATED, "a European VIN is kept with a warning: {}", a.body);
    assert_eq!(a.body["warnings"][0]["field"], "vin");
    let x1 = a.body["id"].as_str().unwrap().to_string();
    assert_eq!(s.call(Method::POST, "/api/inventory", Some(&viewer), Some(car("Kia", "Ceed", 2020, 1, 1))).await.status, StatusCode::FORBIDDEN);

    let list = |q: &'static str| {
        let s = &s;
        let t = viewer.clone();
        async move { s.get(&format!("/api/inventory{q}"), &t).await }
    };
    let all = list("").await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 6, "{}", all.body);
    assert_eq!(all.body["items"][0]["model"], "X1", "newest first");
    let names = |a: &cartie_e2e::Answer| -> Vec<String> {
        a.body["items"]
            .as_array()
            .unwrap_or_else(|| panic!("not a page: {}", a.body))
            .iter()
            .map(|c| format!("{} {}", c["make"].as_str().unwrap(), c["model"].as_str().unwrap()))
            .collect()
    };
    let a = list("?make=bmw&year_min=2020").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(names(&a), vec!["BMW X1", "BMW X3"]);
    assert_eq!(names(&list("?price_max=22000&mileage_min=50000").await), vec!["Volkswagen Golf", "Audi A4 Avant"]);
    assert_eq!(names(&list("?q=a4%20avant").await), vec!["Audi A4 Avant"]);
    assert_eq!(list("?year_min=2022&year_max=2019").await.field(), Some("year_max"));
    assert_eq!(list("?price_min=cheap").await.field(), Some("price_min"));
    assert_eq!(list("?status=gone").await.field(), Some("status"));
    // Pages of 2 walk the whole stock once.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let a = s.get(&format!("/api/inventory?limit=2{cursor}"), &viewer).await;
        seen.extend(names(&a));
        match a.body["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 6);

    // Edit, then delete.
    let mut edited = car("BMW", "X1 sDrive18i", 2020, 19990, 40000);
    edited["status"] = json!("reserved");
    let a = s.call(Method::PUT, &format!("/api/inventory/{x1}"), Some(&owner), Some(edited)).await;
    assert_eq!((a.status, a.body["status"].as_str()), (StatusCode::OK, Some("reserved")), "{}", a.body);
    assert_eq!(names(&list("?status=reserved").await), vec!["BMW X1 sDrive18i"]);

    // Another workspace cannot see, change or delete it.
    let (_b, other) = s.workspace("Other Stock", "owner@other-stock.test").await;
    assert_eq!(s.get("/api/inventory", &other).await.body["items"].as_array().unwrap().len(), 0);
    assert_eq!(s.get(&format!("/api/inventory/{x1}"), &other).await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.call(Method::PUT, &format!("/api/inventory/{x1}"), Some(&other), Some(car("BMW", "X1", 2020, 1, 1))).await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.call(Method::DELETE, &format!("/api/inventory/{x1}"), Some(&other), None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.get(&format!("/api/inventory/{x1}"), &owner).await.body["model"], "X1 sDrive18i");

    let a = s.call(Method::DELETE, &format!("/api/inventory/{x1}"), Some(&owner), None).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    assert_eq!(s.get(&format!("/api/inventory/{x1}"), &owner).await.status, StatusCode::NOT_FOUND);
}
