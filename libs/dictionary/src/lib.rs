//! # cartie-dictionary
//!
//! One make/model dictionary for every part of Cartie that reads what people
//! write about cars: the page parser, B2B request matching, "create a
//! request from chat" and search. It owns the canonical makes and models
//! with their aliases (Latin, Cyrillic and Japanese spellings, common
//! misspellings: "VW" = "Volkswagen", "Тойота" = "Toyota", "рав4" = RAV4),
//! read from the data files in `data/`, and the rules for finding them in
//! free text ("Toyota RAV4 2019-2021 under $25k", "шукаю рав4 до 25к").
//!
//! A workspace's own aliases are layered on top with
//! [`Dictionary::with_aliases`]; storing them is the caller's job.
//!
//! It must not: do I/O, know about workspaces or storage, or panic on any
//! input.

mod data;
mod text;

use std::collections::HashMap;
use std::sync::OnceLock;

pub use text::normalise;
use text::{squash_key, tokens};

/// Whether an alias names a make or a model of a make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AliasOf {
    Make(String),
    /// (canonical make, canonical model)
    Model(String, String),
}

/// One extra alias, e.g. a workspace's "Тигуан" for Volkswagen Tiguan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    pub alias: String,
    pub of: AliasOf,
}

/// A make (and maybe its model) found in free text, with the byte range it
/// covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub make: String,
    pub model: Option<String>,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone)]
struct Make {
    name: String,
    /// Also an ordinary word: counts in free text only when capitalised.
    ambiguous: bool,
}

#[derive(Debug, Clone)]
struct Model {
    make: usize,
    name: String,
    /// Also an ordinary word ("Golf", "Focus"): counts in free text only
    /// after its make.
    ambiguous: bool,
}

/// Canonical makes and models with their aliases.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    makes: Vec<Make>,
    models: Vec<Model>,
    /// squashed alias key -> make index
    make_keys: HashMap<String, usize>,
    /// squashed alias key -> model indexes (one alias may fit several makes)
    model_keys: HashMap<String, Vec<usize>>,
    /// Longest alias, in tokens, so lookups try no longer windows.
    max_tokens: usize,
}

/// Aliases longer than this many tokens are not looked up in free text.
const MAX_ALIAS_TOKENS: usize = 4;

impl Dictionary {
    /// The built-in dictionary, parsed once from `data/`.
    pub fn builtin() -> &'static Dictionary {
        static CELL: OnceLock<Dictionary> = OnceLock::new();
        CELL.get_or_init(|| {
            let mut d = Dictionary::default();
            data::load(&mut d, data::MAKES, data::MODELS);
            d
        })
    }

    /// A copy with `extra` aliases layered on top. An alias for a make or
    /// model the dictionary does not know adds that make or model.
    pub fn with_aliases(&self, extra: &[Alias]) -> Dictionary {
        let mut d = self.clone();
        for a in extra {
            match &a.of {
                AliasOf::Make(make) => {
                    let m = d.add_make(make, false);
                    d.add_make_alias(&a.alias, m);
                }
                AliasOf::Model(make, model) => {
                    let m = d.add_make(make, false);
                    let i = d.add_model(m, model, false);
                    d.add_model_alias(&a.alias, i);
                }
            }
        }
        d
    }

    fn add_make(&mut self, name: &str, ambiguous: bool) -> usize {
        let key = squash_key(name);
        if let Some(i) = self.make_keys.get(&key) {
            return *i;
        }
        self.makes.push(Make { name: name.trim().to_string(), ambiguous });
        let i = self.makes.len() - 1;
        self.add_make_alias(name, i);
        i
    }

    fn add_make_alias(&mut self, alias: &str, make: usize) {
        let key = squash_key(alias);
        if key.is_empty() {
            return;
        }
        self.max_tokens = self.max_tokens.max(tokens(alias).len().min(MAX_ALIAS_TOKENS));
        self.make_keys.insert(key, make);
    }

    fn add_model(&mut self, make: usize, name: &str, ambiguous: bool) -> usize {
        let key = squash_key(name);
        let existing = self.model_keys.get(&key).and_then(|list| list.iter().copied().find(|m| self.models.get(*m).is_some_and(|x| x.make == make)));
        if let Some(i) = existing {
            return i;
        }
        self.models.push(Model { make, name: name.trim().to_string(), ambiguous });
        let i = self.models.len() - 1;
        self.add_model_alias(name, i);
        i
    }

    fn add_model_alias(&mut self, alias: &str, model: usize) {
        let key = squash_key(alias);
        if key.is_empty() {
            return;
        }
        self.max_tokens = self.max_tokens.max(tokens(alias).len().min(MAX_ALIAS_TOKENS));
        let list = self.model_keys.entry(key).or_default();
        if !list.contains(&model) {
            list.push(model);
        }
    }

    /// Canonical make for a string that is exactly a make or an alias
    /// ("VW" → "Volkswagen", "MERCEDES-BENZ" → "Mercedes-Benz").
    pub fn canonical_make(&self, raw: &str) -> Option<&str> {
        let i = self.make_keys.get(&squash_key(raw))?;
        self.makes.get(*i).map(|m| m.name.as_str())
    }

    /// Canonical model of `make` for `raw` ("rav 4" → "RAV4"). `raw` may
    /// start with the make ("MG 4" → "4", "Toyota Camry" → "Camry"). None
    /// when the dictionary does not know that model.
    pub fn canonical_model(&self, make: &str, raw: &str) -> Option<&str> {
        let make_i = *self.make_keys.get(&squash_key(make))?;
        let strip = self.strip_make(make_i, raw);
        let list = self.model_keys.get(&squash_key(strip))?;
        list.iter().filter_map(|i| self.models.get(*i)).find(|m| m.make == make_i).map(|m| m.name.as_str())
    }

    /// `raw` without a leading make name or alias ("MG 4" → "4").
    fn strip_make<'a>(&self, make: usize, raw: &'a str) -> &'a str {
        let toks = tokens(raw);
        for n in (1..=self.max_tokens.min(toks.len().saturating_sub(1))).rev() {
            let key: String = toks[..n].iter().map(|t| t.2.as_str()).collect();
            if self.make_keys.get(&key) == Some(&make) {
                return raw.get(toks[n].0..).unwrap_or(raw);
            }
        }
        raw
    }

    /// `raw` without a leading mention of `make` (by name or alias).
    pub fn without_make<'a>(&self, make: &str, raw: &'a str) -> &'a str {
        match self.make_keys.get(&squash_key(make)) {
            Some(i) => self.strip_make(*i, raw),
            None => raw,
        }
    }

    /// The first make mentioned in `text`, as its canonical name and the
    /// byte offset just after the match (where the model usually starts).
    pub fn find_make(&self, text: &str) -> Option<(&str, usize)> {
        let toks = tokens(text);
        (0..toks.len()).find_map(|i| {
            let (make, n) = self.make_at(text, &toks, i)?;
            let end = toks.get(i + n - 1)?.1;
            self.makes.get(make).map(|m| (m.name.as_str(), end))
        })
    }

    /// Longest make alias starting at token `i`: (make index, tokens used).
    fn make_at(&self, text: &str, toks: &[(usize, usize, String)], i: usize) -> Option<(usize, usize)> {
        for n in (1..=self.max_tokens.min(toks.len() - i)).rev() {
            let key: String = toks[i..i + n].iter().map(|t| t.2.as_str()).collect();
            if let Some(m) = self.make_keys.get(&key) {
                let make = self.makes.get(*m)?;
                // Makes that are also common words count only when capitalised.
                let capital = text.get(toks[i].0..).and_then(|s| s.chars().next()).is_some_and(char::is_uppercase);
                if make.ambiguous && !capital {
                    continue;
                }
                return Some((*m, n));
            }
        }
        None
    }

    /// Longest model alias starting at token `i`, optionally only of `make`.
    fn model_at(&self, toks: &[(usize, usize, String)], i: usize, make: Option<usize>) -> Option<(usize, usize)> {
        for n in (1..=self.max_tokens.min(toks.len() - i)).rev() {
            let key: String = toks[i..i + n].iter().map(|t| t.2.as_str()).collect();
            let Some(list) = self.model_keys.get(&key) else {
                continue;
            };
            let pick = match make {
                Some(mk) => list.iter().copied().find(|m| self.models.get(*m).is_some_and(|x| x.make == mk)),
                // A model alone must be unambiguous and wordy enough not to
                // be an ordinary number ("500", "x5" need their make).
                None => {
                    let wordy = key.chars().count() >= 4 && key.chars().any(char::is_alphabetic);
                    let plain = self.models.get(list[0]).is_some_and(|m| !m.ambiguous);
                    (list.len() == 1 && wordy && plain).then(|| list[0])
                }
            };
            if let Some(m) = pick {
                return Some((m, n));
            }
        }
        None
    }

    /// The known model of `make` named inside a longer text, such as a
    /// version string or a generation code with a body ("8J TT COUPÉ" →
    /// TT, "IX35 GLS AUT 2012" → ix35, "Grand Cherokee Limited" → Grand
    /// Cherokee). The longest name wins, then the first. A model that is
    /// only a number ("3", "2008", "308") counts only as the text's first
    /// word, so an engine size or a year is never read as one.
    pub fn model_in(&self, make: &str, text: &str) -> Option<&str> {
        let make_i = *self.make_keys.get(&squash_key(make))?;
        let toks = tokens(text);
        let mut best: Option<(usize, usize)> = None;
        for i in 0..toks.len() {
            let Some((m, n)) = self.model_at(&toks, i, Some(make_i)) else {
                continue;
            };
            let numeric = toks[i..i + n].iter().all(|t| t.2.chars().all(|c| c.is_ascii_digit()));
            let first = toks[..i].iter().all(|t| self.make_keys.get(&t.2) == Some(&make_i));
            // "2.0": an engine size, not Mazda's 2.
            let decimal = text.get(toks[i + n - 1].1..).is_some_and(|r| {
                let mut ch = r.chars();
                matches!(ch.next(), Some('.' | ',')) && ch.next().is_some_and(|c| c.is_ascii_digit())
            });
            if numeric && (!first || decimal) {
                continue;
            }
            if best.is_none_or(|(_, bn)| n > bn) {
                best = Some((m, n));
            }
        }
        best.and_then(|(m, _)| self.models.get(m)).map(|m| m.name.as_str())
    }

    /// Every make (with its model when one follows or stands alone) in
    /// free text, in order: "Toyota RAV4 2019-2021 under $25k" → Toyota
    /// RAV4; "шукаю рав4 до 25к" → Toyota RAV4; "VW Golf or BMW 3er" →
    /// Volkswagen Golf, BMW 3 Series.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        let toks = tokens(text);
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            if let Some((make, n)) = self.make_at(text, &toks, i) {
                let start = toks[i].0;
                let mut end = toks[i + n - 1].1;
                let mut model = None;
                if i + n < toks.len() {
                    if let Some((m, k)) = self.model_at(&toks, i + n, Some(make)) {
                        model = self.models.get(m).map(|x| x.name.clone());
                        end = toks[i + n + k - 1].1;
                        i += k;
                    }
                }
                let name = self.makes.get(make).map(|m| m.name.clone()).unwrap_or_default();
                out.push(Mention { make: name, model, start, end });
                i += n;
                continue;
            }
            if let Some((m, k)) = self.model_at(&toks, i, None) {
                if let Some(model) = self.models.get(m) {
                    let make = self.makes.get(model.make).map(|x| x.name.clone()).unwrap_or_default();
                    out.push(Mention { make, model: Some(model.name.clone()), start: toks[i].0, end: toks[i + k - 1].1 });
                }
                i += k;
                continue;
            }
            i += 1;
        }
        out
    }

    /// Every canonical make, in data-file order.
    pub fn makes(&self) -> impl Iterator<Item = &str> {
        self.makes.iter().map(|m| m.name.as_str())
    }
}

/// [`Dictionary::canonical_make`] on the built-in dictionary.
pub fn canonical_make(raw: &str) -> Option<&'static str> {
    Dictionary::builtin().canonical_make(raw)
}

/// [`Dictionary::find_make`] on the built-in dictionary.
pub fn find_make(text: &str) -> Option<(&'static str, usize)> {
    Dictionary::builtin().find_make(text)
}

/// [`Dictionary::mentions`] on the built-in dictionary.
pub fn mentions(text: &str) -> Vec<Mention> {
    Dictionary::builtin().mentions(text)
}

#[cfg(test)]
mod tests;
