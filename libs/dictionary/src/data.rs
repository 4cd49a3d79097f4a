//! The built-in data files and their line format.

use crate::Dictionary;

pub(crate) const MAKES: &str = include_str!("../data/makes.txt");
pub(crate) const MODELS: &str = include_str!("../data/models.txt");

/// Reads `Canonical = alias, alias` (makes; a `*` after the name marks a
/// make that is also an ordinary word), `Make / Model = alias, alias`
/// (one model with its aliases) and `Make: Model, Model*, ...` (models
/// without aliases; `*` marks a model that is also an ordinary word).
/// Blank lines and `#` comments are skipped.
pub(crate) fn load(d: &mut Dictionary, makes: &str, models: &str) {
    for line in lines(makes) {
        let (name, aliases) = line.split_once('=').unwrap_or((line, ""));
        let name = name.trim();
        let (name, ambiguous) = match name.strip_suffix('*') {
            Some(n) => (n.trim(), true),
            None => (name, false),
        };
        let m = d.add_make(name, ambiguous);
        for a in aliases.split(',') {
            d.add_make_alias(a, m);
        }
    }
    for line in lines(models) {
        let (head, aliases) = line.split_once('=').unwrap_or((line, ""));
        if let Some((make, model)) = head.split_once('/') {
            let m = d.add_make(make.trim(), false);
            let (model, ambiguous) = marked(model);
            let i = d.add_model(m, model, ambiguous);
            for a in aliases.split(',') {
                d.add_model_alias(a, i);
            }
        } else if let Some((make, list)) = line.split_once(':') {
            let m = d.add_make(make.trim(), false);
            for model in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let (model, ambiguous) = marked(model);
                d.add_model(m, model, ambiguous);
            }
        }
    }
}

fn lines(s: &str) -> impl Iterator<Item = &str> {
    s.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// A name without its trailing `*`, and whether it had one.
fn marked(name: &str) -> (&str, bool) {
    let name = name.trim();
    match name.strip_suffix('*') {
        Some(n) => (n.trim(), true),
        None => (name, false),
    }
}
