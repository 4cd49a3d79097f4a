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

#[test]
fn a_known_model_inside_a_version_string() {
    let d = Dictionary::builtin();
    assert_eq!(d.model_in("Audi", "8J TT COUPÉ"), Some("TT"));
    assert_eq!(d.model_in("Hyundai", "IX35 GLS AUT 2012"), Some("ix35"));
    assert_eq!(d.model_in("Jeep", "Grand Cherokee Limited 3.0 CRD"), Some("Grand Cherokee"));
    assert_eq!(d.model_in("Land Rover", "Range Rover Sport HSE"), Some("Range Rover Sport"));
    // An engine size or a year is no numeric model.
    assert_eq!(d.model_in("Mazda", "2.0 Skyactiv-G 165 Revolution"), None);
    assert_eq!(d.model_in("Peugeot", "1.2 PureTech 2008 edition"), None);
    assert_eq!(d.model_in("Peugeot", "2008 GT Line"), Some("2008"));
    assert_eq!(d.model_in("Hyundai", "2.0 MPFI GLS 16V FLEX 4P AUTOMATICO"), None);
}

#[test]
fn compact_lines_and_ordinary_words() {
    let d = Dictionary::builtin();
    assert_eq!(d.canonical_model("Chrysler", "Town and Country"), Some("Town & Country"));
    assert_eq!(d.canonical_model("Škoda", "kodiaq"), Some("Kodiaq"));
    assert_eq!(d.canonical_make("GWM"), Some("Great Wall"));
    // A model that is also an ordinary word needs its make in free text.
    assert!(mentions("we play golf on Sunday").is_empty());
    assert!(mentions("a note on focus").is_empty());
    let m = mentions("VW Golf and a Kodiaq");
    let got: Vec<(&str, Option<&str>)> = m.iter().map(|x| (x.make.as_str(), x.model.as_deref())).collect();
    assert_eq!(got, vec![("Volkswagen", Some("Golf")), ("Škoda", Some("Kodiaq"))]);
}

#[test]
fn every_data_line_reads() {
    // No model name keeps a marker or an alias sign by mistake.
    let d = Dictionary::builtin();
    for m in &d.models {
        assert!(!m.name.is_empty() && !m.name.contains(['=', '*', '/']), "{:?}", m.name);
    }
    assert!(d.models.len() > 700, "{} models", d.models.len());
    assert!(d.makes.len() > 100, "{} makes", d.makes.len());
}
