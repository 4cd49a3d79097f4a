//! Text folding for matching: lower case, Latin accents dropped, words split
//! on anything that is not a letter or digit.

/// Lower case with Latin accents dropped ("Citroën" → "citroen",
/// "Škoda" → "skoda"); other scripts are kept as they are.
pub fn normalise(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).map(fold).collect()
}

fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => 'a',
        'ç' | 'č' | 'ć' => 'c',
        'ď' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ě' | 'ē' | 'ę' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'ł' | 'ľ' | 'ļ' => 'l',
        'ñ' | 'ň' | 'ņ' | 'ń' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
        'ř' => 'r',
        'š' | 'ś' => 's',
        'ť' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ů' | 'ū' => 'u',
        'ý' | 'ÿ' => 'y',
        'ž' | 'ż' | 'ź' => 'z',
        'ģ' => 'g',
        'ķ' => 'k',
        'ё' => 'е',
        other => other,
    }
}

/// Normalised words with their byte ranges in `s`.
pub(crate) fn tokens(s: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in s.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                out.push((st, i, normalise(&s[st..i])));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push((st, s.len(), normalise(&s[st..])));
    }
    out
}

/// The lookup key of an alias: its normalised words joined without spaces,
/// so "RAV 4", "RAV-4" and "rav4" meet.
pub(crate) fn squash_key(s: &str) -> String {
    tokens(s).into_iter().map(|t| t.2).collect()
}
