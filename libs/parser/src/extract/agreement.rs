//! Confidence that reflects agreement: a value that several sources state
//! gains, values that disagree with another source lose. The best value
//! per field is then the one the page supports most, not just the one
//! from the strongest single source.

use std::collections::BTreeMap;

use super::{Detected, Field};

/// Fields where disagreement between sources matters.
const WEIGHED: [Field; 8] = [Field::Make, Field::Model, Field::Year, Field::Price, Field::Currency, Field::Mileage, Field::Fuel, Field::Transmission];

pub(crate) fn weigh(detected: &mut [Detected]) {
    for field in WEIGHED {
        // value -> number of distinct sources stating it
        let mut support: BTreeMap<String, Vec<super::Source>> = BTreeMap::new();
        for d in detected.iter().filter(|d| d.field == field) {
            let key = d.value.to_lowercase();
            let sources = support.entry(key).or_default();
            if !sources.contains(&d.source) {
                sources.push(d.source);
            }
        }
        if support.is_empty() {
            continue;
        }
        let total: usize = support.values().map(Vec::len).sum();
        for d in detected.iter_mut().filter(|d| d.field == field) {
            let agree = support.get(&d.value.to_lowercase()).map_or(1, Vec::len);
            let disagree = total - agree;
            let adjusted = d.confidence + 0.04 * (agree - 1).min(3) as f32 - 0.05 * disagree.min(3) as f32;
            d.confidence = adjusted.clamp(0.05, 1.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Source;

    fn det(value: &str, source: Source, confidence: f32) -> Detected {
        Detected { field: Field::Price, value: value.to_string(), source, confidence }
    }

    #[test]
    fn agreement_raises_and_disagreement_lowers() {
        let mut d = vec![det("24990", Source::JsonLd, 0.9), det("24990", Source::Text, 0.5), det("700", Source::Text, 0.45)];
        weigh(&mut d);
        assert!(d[0].confidence > 0.9 - 0.06, "{}", d[0].confidence);
        assert!(d[2].confidence < 0.45);
        // Alone and unopposed, a value keeps its confidence.
        let mut one = vec![det("24990", Source::JsonLd, 0.9)];
        weigh(&mut one);
        assert_eq!(one[0].confidence, 0.9);
    }
}
