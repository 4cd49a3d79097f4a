//! The built-in data files and their line format.

use crate::Dictionary;

pub(crate) const MAKES: &str = include_str!("../data/makes.txt");
pub(crate) const MODELS: &str = include_str!("../data/models.txt");

/// Reads `Canonical = alias, alias` (makes; a `*` after the name marks a
/// make that is also an ordinary word) and `Make / Model = alias, alias`
/// (models). Blank lines and `#` comments are skipped.
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
        let Some((make, model)) = head.split_once('/') else {
            continue;
        };
        let m = d.add_make(make.trim(), false);
        let i = d.add_model(m, model.trim());
        for a in aliases.split(',') {
            d.add_model_alias(a, i);
        }
    }
}

fn lines(s: &str) -> impl Iterator<Item = &str> {
    s.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}
