//! Perceptual hashes of product pictures (`image_hasher`'s gradient hash, 8 × 8 = 64 bits):
//! listings of one factory item share the factory's photo under each seller's badge or crop, so
//! their hashes differ in a few bits while different products differ in about half.

use image_hasher::{HashAlg, HasherConfig, ImageHash};

/// Bits in a picture hash.
pub const PICTURE_BITS: u32 = 64;

/// The hash of a picture's bytes (JPEG, PNG, GIF, WebP or BMP), or why it cannot be read. The
/// picture is decoded within the SDK's bounds (its size read from its header first); callers
/// take a decode turn ([`open1688::picture_decode::decode_turn`]) around it.
pub fn picture_hash(bytes: &[u8]) -> Result<ImageHash, String> {
    let picture = open1688::picture_decode::decode_bounded(bytes)?;
    let hasher = HasherConfig::new().hash_alg(HashAlg::Gradient).hash_size(8, 8).to_hasher();
    Ok(hasher.hash_image(&picture))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32, pixel: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
        let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb(pixel(x, y)));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_badge_moves_few_bits_a_different_picture_many() {
        let scene = |x: u32, y: u32| [((x * 7 + y * 3) % 256) as u8, ((x * x + y) % 256) as u8, ((y * 5) % 256) as u8];
        let base = picture_hash(&png(200, 200, scene)).unwrap();
        let badged =
            picture_hash(&png(200, 200, |x, y| if x > 170 && y > 170 { [255, 0, 0] } else { scene(x, y) })).unwrap();
        let other =
            picture_hash(&png(200, 200, |x, y| [((x * 13) % 256) as u8, ((y * 11 + x) % 256) as u8, 90])).unwrap();
        assert!(base.dist(&badged) <= 8, "{}", base.dist(&badged));
        assert!(base.dist(&other) >= 16, "{}", base.dist(&other));
        assert_eq!(base.as_bytes().len() as u32 * 8, PICTURE_BITS);
    }

    #[test]
    fn unreadable_bytes_are_an_error_not_a_panic() {
        assert!(picture_hash(b"not a picture").is_err());
        assert!(picture_hash(&[]).is_err());
    }
}
