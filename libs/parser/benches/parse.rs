//! Parse time per corpus page: `cargo bench -p cartie-parser`.
//! Each page is parsed (extract + draft) 50 times after one warm-up run;
//! median and p99 wall time per page and over all runs are printed, and
//! the mean time on the CPU per parse (the kernel's per-thread counter over
//! all 50 runs: it holds on a machine shared with other builds, where wall
//! time also counts waiting for a core).

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use cartie_parser::{draft, extract};

const RUNS: usize = 50;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let idx = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[idx]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// Nanoseconds this thread has spent on a CPU (Linux); None elsewhere.
fn cpu_ns() -> Option<u64> {
    let s = fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok()).filter_map(|e| e.file_name().to_str().map(str::to_string)).filter(|n| n.ends_with(".html")).collect())
        .unwrap_or_default();
    names.sort();
    let mut all = Vec::new();
    let mut all_cpu = Vec::new();
    println!("{:<44} {:>7} {:>11} {:>11} {:>11}", "page", "KB", "median", "p99", "cpu mean");
    for name in &names {
        let Ok(html) = fs::read_to_string(dir.join(name)) else {
            continue;
        };
        let url = "https://example.com/listing/1";
        // One untimed warm-up run (lazily compiled regexes, caches).
        std::hint::black_box(draft(&extract(&html, url), url));
        let mut times = Vec::with_capacity(RUNS);
        let cpu_start = cpu_ns();
        for _ in 0..RUNS {
            let start = Instant::now();
            let e = extract(&html, url);
            let d = draft(&e, url);
            std::hint::black_box(d);
            times.push(start.elapsed());
        }
        let cpu = match (cpu_start, cpu_ns()) {
            (Some(a), Some(b)) => Duration::from_nanos(b.saturating_sub(a) / RUNS as u64),
            _ => Duration::ZERO,
        };
        all_cpu.push(cpu);
        times.sort();
        println!(
            "{:<44} {:>7.1} {:>11} {:>11} {:>11}",
            name.trim_end_matches(".html"),
            html.len() as f64 / 1024.0,
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99)),
            ms(cpu)
        );
        all.extend(times);
    }
    all.sort();
    all_cpu.sort();
    println!(
        "{:<44} {:>7} {:>11} {:>11} {:>11}",
        format!("all ({} pages x {RUNS})", names.len()),
        "",
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.99)),
        format!("max {}", ms(all_cpu.last().copied().unwrap_or_default()))
    );
}
