//! Measures the variant maker on a photo: time per photo and bytes per
//! variant, against lossless WebP (what `image` can write) of the same
//! pixels. Numbers for docs/files.md.
//!
//!   cargo run --release -p worker-jobs --example variant_sizes -- photo.jpg [width]
//!
//! With `width`, the photo is first enlarged to that width and saved as a
//! quality-90 JPEG (a phone-sized photo from a small one).

use image::codecs::webp::WebPEncoder;
use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: variant_sizes <photo.jpg>");
        std::process::exit(2);
    };
    let mut original = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    if let Some(width) = std::env::args().nth(2).and_then(|w| w.parse::<u32>().ok()) {
        let img = image::load_from_memory(&original).map(|i| i.to_rgb8()).unwrap_or_default();
        let height = (u64::from(img.height()) * u64::from(width) / u64::from(img.width().max(1))) as u32;
        let big = image::imageops::resize(&img, width, height, image::imageops::FilterType::CatmullRom);
        original.clear();
        let _ = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut original, 90).encode_image(&big);
    }
    let start = Instant::now();
    let rounds = 5;
    let mut made = Vec::new();
    for _ in 0..rounds {
        made = match worker_jobs::variants::resize(&original) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        };
    }
    let per_photo = start.elapsed() / rounds;
    println!("{path}: {} bytes; all variants in {per_photo:?} per photo", original.len());
    for (v, jpeg) in &made {
        let img = image::load_from_memory(jpeg).map(|i| i.to_rgb8()).unwrap_or_default();
        let mut webp = Vec::new();
        let lossless = WebPEncoder::new_lossless(&mut webp).encode(img.as_raw(), img.width(), img.height(), image::ExtendedColorType::Rgb8);
        let webp_size = lossless.map(|_| webp.len().to_string()).unwrap_or_else(|e| e.to_string());
        println!("  {:<6} {}x{}: JPEG q82 {} bytes, lossless WebP {webp_size} bytes", format!("{v:?}"), img.width(), img.height(), jpeg.len());
    }
}
