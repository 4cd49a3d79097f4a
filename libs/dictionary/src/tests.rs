use super::*;

#[test]
fn canonical_makes_from_aliases() {
    assert_eq!(canonical_make("VW"), Some("Volkswagen"));
    assert_eq!(canonical_make("MERCEDES-BENZ"), Some("Mercedes-Benz"));
    assert_eq!(canonical_make("Mercedes Benz"), Some("Mercedes-Benz"));
    assert_eq!(canonical_make("skoda"), Some("Škoda"));
    assert_eq!(canonical_make("Тойота"), Some("Toyota"));
    assert_eq!(canonical_make("Фольксваген"), Some("Volkswagen"));
    assert_eq!(canonical_make("トヨタ"), Some("Toyota"));
    assert_eq!(canonical_make("Volkswagon"), Some("Volkswagen"));
    assert_eq!(canonical_make("citroën"), Some("Citroën"));
    assert_eq!(canonical_make("Banana"), None);
    assert_eq!(canonical_make(""), None);
}

#[test]
fn canonical_models() {
    let d = Dictionary::builtin();
    assert_eq!(d.canonical_model("Toyota", "rav 4"), Some("RAV4"));
    assert_eq!(d.canonical_model("toyota", "РАВ-4"), Some("RAV4"));
    assert_eq!(d.canonical_model("MG", "MG 4"), Some("4"));
    assert_eq!(d.canonical_model("BMW", "3er"), Some("3 Series"));
    assert_eq!(d.canonical_model("Toyota", "Golf"), None);
    assert_eq!(d.without_make("Toyota", "Toyota Camry"), "Camry");
}

#[test]
fn make_in_a_title() {
    let t = "Used 2016 Mercedes-Benz C 300 for sale";
    let (make, end) = find_make(t).unwrap();
    assert_eq!(make, "Mercedes-Benz");
    assert_eq!(&t[end..], " C 300 for sale");
    assert_eq!(find_make("VW Golf VII").unwrap().0, "Volkswagen");
    assert_eq!(find_make("Land Rover Discovery").unwrap().0, "Land Rover");
    assert!(find_make("a 7 seat family car with smart key").is_none());
    assert!(find_make("nothing here").is_none());
}

#[test]
fn mentions_in_free_text() {
    let m = mentions("Toyota RAV4 2019-2021 under $25k");
    assert_eq!(m.len(), 1);
    assert_eq!((m[0].make.as_str(), m[0].model.as_deref()), ("Toyota", Some("RAV4")));
    assert_eq!(&"Toyota RAV4 2019-2021 under $25k"[m[0].start..m[0].end], "Toyota RAV4");

    let m = mentions("шукаю рав4 до 25к");
    assert_eq!(m.len(), 1);
    assert_eq!((m[0].make.as_str(), m[0].model.as_deref()), ("Toyota", Some("RAV4")));

    let m = mentions("VW Golf or BMW 3er, maybe a Тойота Камри");
    let got: Vec<(&str, Option<&str>)> = m.iter().map(|x| (x.make.as_str(), x.model.as_deref())).collect();
    assert_eq!(got, vec![("Volkswagen", Some("Golf")), ("BMW", Some("3 Series")), ("Toyota", Some("Camry"))]);
    // A bare number is no model without its make.
    assert!(mentions("price 500 USD").is_empty());
}

#[test]
fn workspace_aliases_layer_on_top() {
    let d = Dictionary::builtin().with_aliases(&[
        Alias { alias: "Тигуанчик".into(), of: AliasOf::Model("Volkswagen".into(), "Tiguan".into()) },
        Alias { alias: "Жигули".into(), of: AliasOf::Make("Lada".into()) },
        Alias { alias: "Москвич".into(), of: AliasOf::Make("Moskvich".into()) },
    ]);
    assert_eq!(d.canonical_make("жигули"), Some("Lada"));
    assert_eq!(d.canonical_make("Москвич"), Some("Moskvich"));
    let m = d.mentions("продам тигуанчик 2018");
    assert_eq!((m[0].make.as_str(), m[0].model.as_deref()), ("Volkswagen", Some("Tiguan")));
    // The built-in dictionary is unchanged.
    assert_eq!(canonical_make("жигули"), None);
}
