//! Import from URL end to end: an SSRF-safe preview of a page served
//! locally, refusals for private addresses, a saved mapping applied on the
//! next preview of the same site, and the import into inventory.

use axum::response::{Html, Redirect};
use cartie_e2e::{Method, Stack, StatusCode};
use serde_json::{json, Value};

const PAGE: &str = r#"<!doctype html><html><head><title>Skoda Superb Combi 2.0 TDI 2020 | Test Motors</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Car","name":"Skoda Superb Combi 2.0 TDI",
"brand":{"@type":"Brand","name":"Skoda"},"model":"Superb","vehicleModelDate":"2020",
"mileageFromOdometer":{"@type":"QuantitativeValue","value":64000,"unitCode":"KMT"},"fuelType":"Diesel",
"image":["/img/1.png","/img/2.png"],"offers":{"@type":"Offer","price":"24900","priceCurrency":"EUR"}}</script>
</head><body><h1>Skoda Superb Combi</h1><div class="spec"><span class="colour">Moon white</span></div></body></html>"#;

/// A local site: the listing, a redirect to a private address, and a loop.
async fn site() -> String {
    let app = axum::Router::new()
        .route("/listing/superb", axum::routing::get(|| async { Html(PAGE) }))
        .route("/go-private", axum::routing::get(|| async { Redirect::temporary("http://127.0.0.2:9/secret") }))
        .route("/go-metadata", axum::routing::get(|| async { Redirect::temporary("http://169.254.169.254/latest/meta-data/") }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

fn detected(p: &Value, field: &str) -> Vec<String> {
    p["detected"].as_array().unwrap().iter().filter(|d| d["field"] == field).map(|d| d["value"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn preview_map_and_import_a_car_page() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Import Motors", "owner@import.test").await;
    let base = site().await;
    let url = format!("{base}/listing/superb");

    let a = s.call(Method::POST, "/api/parser/preview", Some(&owner), Some(json!({"url": url}))).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["mapping_applied"], false);
    assert!(detected(&a.body, "make").contains(&"Škoda".to_string()), "the canonical make name: {}", a.body);
    let d = &a.body["draft"];
    assert_eq!(
        (d["make"].as_str(), d["model"].as_str(), d["year"].as_i64(), d["price"].as_i64(), d["currency"].as_str()),
        (Some("Škoda"), Some("Superb"), Some(2020), Some(24900), Some("EUR"))
    );
    assert_eq!((d["mileage"].as_i64(), d["mileage_unit"].as_str(), d["fuel"].as_str()), (Some(64000), Some("km"), Some("diesel")));
    assert_eq!(d["photos"].as_array().unwrap().len(), 2);
    assert!(d["photos"][0].as_str().unwrap().starts_with(&base), "photos are absolute URLs");
    assert!(d["color"].is_null());

    // The dealer maps the colour from the page's markup, once for the site.
    let rules = json!([{"field": "color", "from": null, "selector": ".spec .colour", "fixed": null}]);
    let bad = s
        .call(
            Method::PUT,
            "/api/parser/mappings",
            Some(&owner),
            Some(json!({"url": url, "rules": [{"field": "colour", "from": null, "selector": null, "fixed": "x"}]})),
        )
        .await;
    assert_eq!((bad.status, bad.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("rules[0].field")), "{}", bad.body);
    let m = s.call(Method::PUT, "/api/parser/mappings", Some(&owner), Some(json!({"url": url, "rules": rules}))).await;
    assert_eq!(m.status, StatusCode::OK, "{}", m.body);
    let again = s.call(Method::POST, "/api/parser/preview", Some(&owner), Some(json!({"url": url}))).await;
    assert_eq!(again.body["mapping_applied"], true, "the next preview of the site applies the mapping: {}", again.body);
    assert_eq!(again.body["draft"]["color"], "Moon white");
    assert_eq!(s.get("/api/parser/mappings", &owner).await.body["mappings"].as_array().unwrap().len(), 1);

    // Import what the dealer confirmed.
    let mut car = again.body["draft"].clone();
    car["status"] = json!("available");
    car["vin"] = Value::Null;
    let a = s.call(Method::POST, "/api/parser/import", Some(&owner), Some(car)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.body["source_url"], url);
    let stock = s.get("/api/inventory?q=superb", &owner).await;
    assert_eq!(stock.body["items"][0]["color"], "Moon white");

    // Re-mapping: forget it, and the next preview is raw again.
    let domain = again.body["domain"].as_str().unwrap().to_string();
    assert_eq!(s.call(Method::DELETE, &format!("/api/parser/mappings/{domain}"), Some(&owner), None).await.status, StatusCode::NO_CONTENT);
    let raw = s.call(Method::POST, "/api/parser/preview", Some(&owner), Some(json!({"url": url}))).await;
    assert_eq!(raw.body["mapping_applied"], false);

    // A mapping for pages under a path beats the whole-site one there, and
    // only there; removing it leaves the site's mapping in charge again.
    let whole = json!([{"field": "color", "from": null, "selector": null, "fixed": "Whole-site blue"}]);
    let listing = json!([{"field": "color", "from": null, "selector": null, "fixed": "Listing red"}]);
    s.call(Method::PUT, "/api/parser/mappings", Some(&owner), Some(json!({"url": url, "rules": whole}))).await;
    let p = s.call(Method::PUT, "/api/parser/mappings", Some(&owner), Some(json!({"url": url, "path_prefix": "/listing/", "rules": listing}))).await;
    assert_eq!((p.status, p.body["path_prefix"].clone()), (StatusCode::OK, json!("/listing/")), "{}", p.body);
    assert_eq!(
        s.call(Method::PUT, "/api/parser/mappings", Some(&owner), Some(json!({"url": url, "path_prefix": "listing x", "rules": listing}))).await.field(),
        Some("path_prefix")
    );
    let color = |u: String| {
        let (s, owner) = (&s, owner.clone());
        async move { s.call(Method::POST, "/api/parser/preview", Some(&owner), Some(json!({"url": u}))).await.body["draft"]["color"].clone() }
    };
    assert_eq!(color(url.clone()).await, "Listing red");
    assert_eq!(s.get("/api/parser/mappings", &owner).await.body["mappings"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        s.call(Method::DELETE, &format!("/api/parser/mappings/{domain}?path_prefix=%2Flisting%2F"), Some(&owner), None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(color(url.clone()).await, "Whole-site blue");
    s.call(Method::DELETE, &format!("/api/parser/mappings/{domain}"), Some(&owner), None).await;

    // Mappings are per workspace.
    let (_b, other) = s.workspace("Other Import", "owner@other-import.test").await;
    s.call(Method::PUT, "/api/parser/mappings", Some(&owner), Some(json!({"url": url, "rules": rules}))).await;
    assert_eq!(s.get("/api/parser/mappings", &other).await.body["mappings"].as_array().unwrap().len(), 0);
    assert_eq!(s.call(Method::POST, "/api/parser/preview", Some(&other), Some(json!({"url": url}))).await.body["mapping_applied"], false);
}

#[tokio::test]
async fn private_addresses_and_other_schemes_are_refused_naming_the_url() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Safe Motors", "owner@safe.test").await;
    let base = site().await;
    for url in [
        "http://127.0.0.2/".to_string(),
        "http://[::1]/".to_string(),
        "http://10.0.0.1/".to_string(),
        "http://169.254.169.254/latest/meta-data/".to_string(),
        "file:///etc/passwd".to_string(),
        "ftp://example.com/car".to_string(),
        format!("{base}/go-private"),
        format!("{base}/go-metadata"),
        "not a url".to_string(),
    ] {
        let a = s.call(Method::POST, "/api/parser/preview", Some(&owner), Some(json!({"url": url}))).await;
        assert!(a.status.is_client_error(), "{url}: {} {}", a.status, a.body);
        assert_eq!(a.field(), Some("url"), "{url}: {}", a.body);
    }
    let viewer = s.member(&owner, "viewer@safe.test", "viewer").await;
    let a = s.call(Method::POST, "/api/parser/preview", Some(&viewer), Some(json!({"url": format!("{base}/listing/superb")}))).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = s.call(Method::POST, "/api/parser/import", Some(&owner), Some(json!({"make": "Skoda", "model": "Superb", "year": 2020, "price": 1, "currency": "EUR", "mileage": 1, "mileage_unit": "km", "vin": null, "fuel": null, "transmission": null, "body": null, "color": null, "photos": [], "description": null, "status": "available", "source_url": null}))).await;
    assert_eq!(a.field(), Some("source_url"));
}
