//! A small built-in list of car makes with aliases, used to recognise the make
//! in a page title and to canonicalise makes found elsewhere (VW ->
//! Volkswagen, MERCEDES-BENZ -> Mercedes-Benz). Workspace dictionaries can
//! extend this later; this list only has to cover the common cases.

use std::sync::OnceLock;

/// (canonical name, aliases). The canonical name itself always matches too.
const MAKES: &[(&str, &[&str])] = &[
    ("Abarth", &[]),
    ("Acura", &[]),
    ("Alfa Romeo", &["alfa", "альфа ромео"]),
    ("Aston Martin", &[]),
    ("Audi", &["ауди"]),
    ("Bentley", &[]),
    ("BMW", &["бмв", "b.m.w."]),
    ("Buick", &[]),
    ("BYD", &[]),
    ("Cadillac", &["кадиллак"]),
    ("Chery", &["чери"]),
    ("Chevrolet", &["chevy", "шевроле"]),
    ("Chrysler", &[]),
    ("Citroën", &["citroen", "ситроен"]),
    ("Cupra", &[]),
    ("Dacia", &[]),
    ("Daewoo", &["дэу"]),
    ("Daihatsu", &["ダイハツ"]),
    ("Dodge", &[]),
    ("DS", &["ds automobiles"]),
    ("Ferrari", &[]),
    ("Fiat", &["фиат"]),
    ("Ford", &["форд"]),
    ("Geely", &["джили"]),
    ("Genesis", &[]),
    ("GMC", &[]),
    ("Haval", &["хавал"]),
    ("Honda", &["хонда", "ホンダ"]),
    ("Hyundai", &["хендай", "хёндэ", "хендэ", "хундай"]),
    ("Infiniti", &["инфинити"]),
    ("Isuzu", &["いすゞ"]),
    ("Jaguar", &["ягуар"]),
    ("Jeep", &["джип"]),
    ("Kia", &["киа"]),
    ("Lada", &["ваз", "vaz", "лада", "ваз (lada)"]),
    ("Lamborghini", &[]),
    ("Land Rover", &["range rover", "ленд ровер"]),
    ("Lexus", &["лексус", "レクサス"]),
    ("Lincoln", &[]),
    ("Maserati", &[]),
    ("Mazda", &["мазда", "マツダ"]),
    ("McLaren", &[]),
    (
        "Mercedes-Benz",
        &[
            "mercedes",
            "mercedes benz",
            "merc",
            "мерседес",
            "мерседес-бенц",
        ],
    ),
    ("MG", &[]),
    ("Mini", &["мини"]),
    ("Mitsubishi", &["мицубиси", "митсубиси", "三菱"]),
    ("Nissan", &["ниссан", "日産", "ニッサン"]),
    ("Opel", &["опель", "vauxhall"]),
    ("Peugeot", &["пежо"]),
    ("Polestar", &[]),
    ("Porsche", &["порше"]),
    ("Ram", &[]),
    ("Renault", &["рено"]),
    ("Rolls-Royce", &["rolls royce"]),
    ("Seat", &["сеат"]),
    ("Škoda", &["skoda", "шкода"]),
    ("Smart", &[]),
    ("SsangYong", &["ssang yong"]),
    ("Subaru", &["субару", "スバル"]),
    ("Suzuki", &["сузуки", "スズキ"]),
    ("Tesla", &["тесла"]),
    ("Toyota", &["тойота", "トヨタ"]),
    ("Volkswagen", &["vw", "фольксваген", "volkswagon"]),
    ("Volvo", &["вольво"]),
];

/// Makes that are also ordinary words ("7 seat", "smart key", "16 GB RAM").
const AMBIGUOUS: &[&str] = &["Seat", "Smart", "Mini", "Ram", "DS", "MG", "Genesis"];

/// Splits into lower-case alphanumeric tokens with their byte ranges.
pub(crate) fn tokens(s: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in s.char_indices() {
        let word = c.is_alphanumeric();
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                out.push((st, i, s[st..i].to_lowercase()));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push((st, s.len(), s[st..].to_lowercase()));
    }
    out
}

fn alias_tokens(alias: &str) -> Vec<String> {
    tokens(alias).into_iter().map(|t| t.2).collect()
}

/// (alias tokens, canonical name), longest aliases first so "Mercedes-Benz"
/// wins over "Mercedes" and "Land Rover" over "Rover". Built once.
fn candidates() -> &'static [(Vec<String>, &'static str)] {
    static CELL: OnceLock<Vec<(Vec<String>, &'static str)>> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut out: Vec<(Vec<String>, &'static str)> = Vec::new();
        for (name, aliases) in MAKES {
            out.push((alias_tokens(name), name));
            for a in *aliases {
                out.push((alias_tokens(a), name));
            }
        }
        out.sort_by_key(|c| std::cmp::Reverse(c.0.len()));
        out
    })
}

/// Canonical make for a string that is exactly a make or an alias
/// ("VW" -> "Volkswagen", "MERCEDES-BENZ" -> "Mercedes-Benz").
pub fn canonical_make(raw: &str) -> Option<&'static str> {
    let want = alias_tokens(raw);
    if want.is_empty() {
        return None;
    }
    candidates()
        .iter()
        .find(|(alias, _)| *alias == want)
        .map(|(_, name)| *name)
}

/// Finds the first make mentioned in `text`. Returns the canonical name and
/// the byte offset just after the match (where the model usually starts).
pub fn find_make(text: &str) -> Option<(&'static str, usize)> {
    let toks = tokens(text);
    for i in 0..toks.len() {
        for (alias, name) in candidates() {
            let n = alias.len();
            if n == 0 || i + n > toks.len() {
                continue;
            }
            if toks[i..i + n].iter().map(|t| &t.2).eq(alias.iter()) {
                // Makes that are also common words only count when capitalised.
                let capital = text[toks[i].0..]
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase);
                if AMBIGUOUS.contains(name) && !capital {
                    continue;
                }
                return Some((name, toks[i + n - 1].1));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases() {
        assert_eq!(canonical_make("VW"), Some("Volkswagen"));
        assert_eq!(canonical_make("MERCEDES-BENZ"), Some("Mercedes-Benz"));
        assert_eq!(canonical_make("Mercedes"), Some("Mercedes-Benz"));
        assert_eq!(canonical_make("skoda"), Some("Škoda"));
        assert_eq!(canonical_make("Тойота"), Some("Toyota"));
        assert_eq!(canonical_make("トヨタ"), Some("Toyota"));
        assert_eq!(canonical_make("Banana"), None);
        assert_eq!(canonical_make(""), None);
    }

    #[test]
    fn find_in_title() {
        let t = "Used 2016 Mercedes-Benz C 300 for sale";
        let (make, end) = find_make(t).unwrap();
        assert_eq!(make, "Mercedes-Benz");
        assert_eq!(&t[end..], " C 300 for sale");
        assert_eq!(find_make("VW Golf VII").unwrap().0, "Volkswagen");
        assert_eq!(find_make("Land Rover Discovery").unwrap().0, "Land Rover");
        assert!(find_make("nothing here").is_none());
    }
}
