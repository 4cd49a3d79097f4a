//! Scenario engine speed: a buyer's whole lead-generation run (start and
//! five answers), and validation of a scenario before publishing, small and
//! large. `cargo bench -p cartie-domain`; prints median and p99 per run.
//! (A plain harness: the numbers are wall time on this machine, so compare
//! runs on the same machine only.)

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Instant;

use cartie_domain::scenario::*;

fn measure(name: &str, runs: usize, mut f: impl FnMut()) {
    for _ in 0..runs / 10 {
        f(); // warm-up
    }
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!("{name:<44} runs {runs:>6}  median {:>8.2} µs  p99 {:>8.2} µs", at(0.5), at(0.99));
}

/// A chain of `n` questions, each re-asking once, for validation at size.
fn chain(n: usize) -> Scenario {
    let nodes = (0..n)
        .map(|i| Node {
            id: format!("q{i}"),
            position: Position::default(),
            step: Step::Question {
                text: format!("Question {i}?"),
                variable: format!("v{i}"),
                answer: AnswerKind::Number,
                choices: vec![],
                retry_text: "A number, please".into(),
                next: (i + 1 < n).then(|| format!("q{}", i + 1)),
            },
        })
        .collect();
    Scenario { triggers: vec![Trigger { kind: TriggerKind::Start, value: String::new(), node: "q0".into() }], nodes }
}

fn main() {
    let lead = Template::LeadGeneration.scenario(cartie_domain::Language::En);
    measure("lead generation: /start to hand-off", 20_000, || {
        let vars = BTreeMap::from([("first_name".to_string(), "Olga".to_string())]);
        let mut o = start(&lead, "s", 1, "welcome", vars, 7);
        for input in [
            Input::Text("BMW".into()),
            Input::Text("X5".into()),
            Input::Text("a lot".into()),
            Input::Text("30 000 €".into()),
            Input::Phone("+49 151 2345678".into()),
        ] {
            o = advance(&lead, o.session, input, 7);
        }
        black_box(o);
    });
    measure("validate: lead generation template (7 nodes)", 20_000, || {
        black_box(validate(black_box(&lead)));
    });
    let big = chain(200);
    measure("validate: 200-node scenario", 2_000, || {
        black_box(validate(black_box(&big)));
    });
    let session = start(&big, "s", 1, "q0", BTreeMap::new(), 1).session;
    measure("advance: one answer in a 200-node scenario", 20_000, || {
        black_box(advance(&big, session.clone(), Input::Text("42".into()), 1));
    });
}
