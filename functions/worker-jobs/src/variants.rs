//! Resized copies of car photos, made off the request path after an
//! upload completes: 320 and 1280 px on the longer side, JPEG, turned
//! upright by the photo's EXIF orientation, and without any metadata —
//! re-encoding writes none, so the camera's GPS position and serial number
//! stay in the original, which only the dealer's team can open.
//!
//! JPEG only: `image`'s WebP encoder is lossless, which makes photos
//! larger than a quality-82 JPEG (measured in docs/files.md); lossy WebP
//! would need libwebp (C).

use cartie_bot::BotError;
use cartie_domain::files::{FilePurpose, Variant};
use cartie_platform::Services;
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits, RgbImage};
use std::io::Cursor;

/// JPEG quality of the variants: no visible loss at these sizes.
const QUALITY: u8 = 82;
/// A photo larger than this (in pixels per side) is refused by the decoder
/// rather than exhausting the worker's memory.
const MAX_SIDE: u32 = 16_000;

/// Makes the variants of a car photo and records them. Safe to run twice
/// (the same objects are written again); a file deleted meanwhile, or one
/// that is not a car photo, is left alone.
pub async fn make(svc: &Services, ws: &str, file_id: &str) -> Result<(), BotError> {
    let Some(f) = svc.files.file(ws, file_id).await? else {
        tracing::info!(file_id, "photo gone before its variants were made");
        return Ok(());
    };
    if f.purpose != FilePurpose::CarPhoto || !f.is_ready() || Variant::ALL.iter().all(|v| f.variants.contains(v)) {
        return Ok(());
    }
    let original = svc.files.read(&f, None).await?;
    let made = tokio::task::spawn_blocking(move || resize(&original)).await.map_err(|e| BotError::Corrupt(format!("resizing stopped: {e}")))?;
    let made = match made {
        Ok(m) => m,
        // The content passed the type check but does not decode: no retry
        // will change that. The team still sees the original.
        Err(e) => {
            tracing::warn!(file_id, error = %e, "photo does not decode; no variants");
            return Ok(());
        }
    };
    for (v, jpeg) in made {
        svc.files.put_variant(&f, v, jpeg).await?;
    }
    match svc.files.set_variants(&f, &Variant::ALL).await {
        // Deleted while we worked: its objects went with it.
        Err(cartie_store::StoreError::NotFound) => return Ok(()),
        other => other?,
    }
    // A car took the photo while the variants were made (tagged to expire
    // with an unsaved photo): keep them with it.
    if f.attached_to.is_none() {
        if let Some(now) = svc.files.file(ws, file_id).await?.filter(|n| n.attached_to.is_some()) {
            svc.files.retag_photo(&now).await?;
        }
    }
    Ok(())
}

/// Decodes `original` (JPEG, PNG or WebP), turns it upright and returns
/// every [`Variant`] as JPEG bytes.
pub fn resize(original: &[u8]) -> Result<Vec<(Variant, Vec<u8>)>, image::ImageError> {
    let mut decoder = ImageReader::new(Cursor::new(original)).with_guessed_format()?.into_decoder()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    decoder.set_limits(limits)?;
    let orientation = decoder.orientation()?;
    let mut img = DynamicImage::from_decoder(decoder)?;
    img.apply_orientation(orientation);
    let mut current = flatten(img);
    let mut out = Vec::new();
    // Largest first; each smaller one from the previous (faster, same look).
    let mut sizes = Variant::ALL;
    sizes.sort_by_key(|v| std::cmp::Reverse(v.max_side()));
    for v in sizes {
        let (w, h) = fit(current.width(), current.height(), v.max_side());
        if (w, h) != (current.width(), current.height()) {
            current = image::imageops::resize(&current, w, h, FilterType::Triangle);
        }
        let mut jpeg = Vec::new();
        JpegEncoder::new_with_quality(&mut jpeg, QUALITY).encode_image(&current)?;
        out.push((v, jpeg));
    }
    Ok(out)
}

/// RGB on white: JPEG has no transparency, and a transparent PNG's hidden
/// pixels are often black.
fn flatten(img: DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    let mut rgb = RgbImage::new(rgba.width(), rgba.height());
    for (to, from) in rgb.pixels_mut().zip(rgba.pixels()) {
        let a = u16::from(from[3]);
        for c in 0..3 {
            to[c] = ((u16::from(from[c]) * a + 255 * (255 - a)) / 255) as u8;
        }
    }
    rgb
}

/// The size that fits `max` on the longer side, keeping the shape; never
/// larger than the photo.
fn fit(w: u32, h: u32, max: u32) -> (u32, u32) {
    let long = w.max(h);
    if long <= max {
        return (w, h);
    }
    let scale = f64::from(max) / f64::from(long);
    (((f64::from(w) * scale).round() as u32).max(1), ((f64::from(h) * scale).round() as u32).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90).encode_image(&img).unwrap();
        out
    }

    #[test]
    fn sizes_fit_the_longer_side() {
        assert_eq!(fit(4000, 3000, 1280), (1280, 960));
        assert_eq!(fit(3000, 4000, 320), (240, 320));
        assert_eq!(fit(200, 100, 320), (200, 100), "small photos are not enlarged");
        assert_eq!(fit(10_000, 1, 320), (320, 1));
    }

    #[test]
    fn variants_are_jpegs_of_the_right_size() {
        let made = resize(&jpeg(1600, 1200)).unwrap();
        let dims: Vec<(Variant, (u32, u32))> =
            made.iter().map(|(v, b)| (*v, image::load_from_memory(b).map(|i| (i.width(), i.height())).unwrap_or_default())).collect();
        assert!(dims.contains(&(Variant::Large, (1280, 960))), "{dims:?}");
        assert!(dims.contains(&(Variant::Thumb, (320, 240))), "{dims:?}");
        assert!(made.iter().all(|(_, b)| b.starts_with(&[0xFF, 0xD8, 0xFF])));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(resize(b"\xFF\xD8\xFF\xE0 this is not really a jpeg").is_err());
        assert!(resize(b"").is_err());
    }
}
