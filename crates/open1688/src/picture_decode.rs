//! Decoding a picture from an untrusted source within a memory budget. A small file may claim a
//! huge canvas (a 445 KB PNG of one colour, 12,000 × 12,000, decodes to 432 MB), so a picture's
//! size is read from its header first and refused when it is beyond what a search needs; the
//! decode then runs under [`image::Limits`]; and the process decodes at most
//! [`CONCURRENT_DECODES`] pictures at once (the others wait), so many at a time cost no more.

use std::io::Cursor;

use image::{DynamicImage, ImageReader};
use tokio::sync::{Semaphore, SemaphorePermit};

/// The longest side decoded at all.
pub const MAX_DECODE_SIDE: u32 = 12_000;
/// The most pixels decoded: a 24-megapixel photo (6,000 × 4,000), more than any search needs.
pub const MAX_DECODE_PIXELS: u64 = 24_000_000;
/// The most memory one decode may allocate: the pixels at 4 bytes each (RGBA), with room for the
/// decoder's own buffers.
pub const MAX_DECODE_BYTES: u64 = MAX_DECODE_PIXELS * 4 + 16 * 1024 * 1024;
/// Pictures decoded at once in this process: the worst case costs about this many times
/// [`MAX_DECODE_BYTES`].
pub const CONCURRENT_DECODES: usize = 2;

static DECODES: Semaphore = Semaphore::const_new(CONCURRENT_DECODES);

/// Waits for a turn to decode (held while decoding and working on the pixels).
pub async fn decode_turn() -> SemaphorePermit<'static> {
    // The semaphore is never closed.
    DECODES.acquire().await.expect("the decode semaphore is never closed")
}

/// Reads a picture's format and size from its header, refusing one beyond the limits; then
/// decodes it under them. The reason names what was wrong.
pub fn decode_bounded(bytes: &[u8]) -> Result<DynamicImage, String> {
    let reader = || {
        ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| format!("cannot read the picture: {e}"))
    };
    let probe = reader()?;
    if probe.format().is_none() {
        return Err("not a picture in a known format".into());
    }
    let (width, height) = probe.into_dimensions().map_err(|e| format!("cannot read the picture's size: {e}"))?;
    check_size(width, height)?;
    let mut decoder = reader()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_DECODE_SIDE);
    limits.max_image_height = Some(MAX_DECODE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    decoder.limits(limits);
    decoder.decode().map_err(|e| format!("cannot decode: {e}"))
}

/// Whether a picture of `width` × `height` may be decoded.
pub fn check_size(width: u32, height: u32) -> Result<(), String> {
    let pixels = u64::from(width) * u64::from(height);
    if width.max(height) > MAX_DECODE_SIDE || pixels > MAX_DECODE_PIXELS {
        return Err(format!(
            "a {width} × {height} picture is too large to decode (at most {MAX_DECODE_SIDE} px a side and {} megapixels); send a smaller one",
            MAX_DECODE_PIXELS / 1_000_000
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        image::GrayImage::new(width, height).write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_huge_canvas_is_refused_from_its_header() {
        assert!(decode_bounded(&png(300, 200)).is_ok());
        let err = decode_bounded(&png(6_001, 4_001)).unwrap_err();
        assert!(err.contains("6001 × 4001") && err.contains("too large"), "{err}");
        assert!(decode_bounded(&png(MAX_DECODE_SIDE + 1, 1)).unwrap_err().contains("too large"));
        assert!(decode_bounded(b"not a picture").is_err());
        assert!(check_size(6_000, 4_000).is_ok());
        assert!(check_size(u32::MAX, u32::MAX).is_err(), "no overflow");
    }

    #[tokio::test]
    async fn turns_are_limited() {
        let first = decode_turn().await;
        let second = decode_turn().await;
        assert!(tokio::time::timeout(std::time::Duration::from_millis(50), decode_turn()).await.is_err());
        drop((first, second));
        let _third = decode_turn().await;
    }
}
