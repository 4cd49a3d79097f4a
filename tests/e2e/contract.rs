//! The route table is the one source of truth: `template.yaml` deploys
//! exactly its routes to exactly its functions, and the committed OpenAPI
//! document (from which the web app's types are generated) is current.

use cartie_apikit::routes::{Function, ROUTES};
use std::collections::BTreeSet;

fn template() -> serde_yaml::Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../template.yaml")).expect("template.yaml");
    serde_yaml::from_str(&text).expect("template.yaml parses")
}

#[test]
fn template_serves_exactly_the_route_table() {
    let t = template();
    let resources = t["Resources"].as_mapping().expect("Resources");
    let mut deployed = BTreeSet::new();
    for (id, res) in resources {
        let id = id.as_str().unwrap();
        if res["Type"] != "AWS::Serverless::Function" {
            continue;
        }
        let Some(events) = res["Properties"]["Events"].as_mapping() else { continue };
        for (_, ev) in events {
            if ev["Type"] == "HttpApi" {
                let method = ev["Properties"]["Method"].as_str().unwrap().to_uppercase();
                let path = ev["Properties"]["Path"].as_str().unwrap().to_string();
                deployed.insert((method, path, id.to_string()));
            }
        }
    }
    let table: BTreeSet<(String, String, String)> = ROUTES.iter().map(|r| (r.method.to_string(), r.path.to_string(), r.function().logical_id())).collect();
    let missing: Vec<_> = table.difference(&deployed).collect();
    let extra: Vec<_> = deployed.difference(&table).collect();
    assert!(missing.is_empty(), "routes in the table but not in template.yaml: {missing:?}");
    assert!(extra.is_empty(), "routes in template.yaml but not in the table: {extra:?}");
    for f in Function::ALL {
        let res = &resources[&serde_yaml::Value::from(f.logical_id())];
        assert_eq!(res["Metadata"]["BuildMethod"], "rust-cargolambda", "{}", f.logical_id());
        assert_eq!(res["Properties"]["CodeUri"].as_str().unwrap().trim_end_matches('/'), format!("functions/{}", f.name()).as_str());
    }
}

#[test]
fn committed_openapi_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../web/openapi.json");
    let committed = std::fs::read_to_string(path).expect("web/openapi.json");
    let generated = cartie_apikit::openapi::json();
    assert!(committed.trim() == generated.trim(), "web/openapi.json is stale: run `cargo run -p cartie -- openapi > web/openapi.json` and rebuild the web app");
}
