//! Uploaded images: decoded, kept as a small thumbnail under an imageId, and hashed (whole or a
//! cropped region) for image search.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use image::{GenericImageView, RgbImage};

use crate::catalog::image::{ImageHash, dhash};

/// Uploads kept before the oldest is forgotten.
const CAPACITY: usize = 2_000;
/// Longest side of a stored thumbnail.
const THUMB: u32 = 256;

/// Why an upload was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UploadError {
    /// The base64 text does not decode.
    #[error("imageBase64 is not valid base64")]
    Base64,
    /// Too many bytes.
    #[error("image is {0} bytes; the limit is {1}")]
    TooLarge(usize, usize),
    /// The bytes are not an image the platform reads (JPEG, PNG, GIF, WebP, BMP).
    #[error("the uploaded file is not a supported image (JPEG, PNG, GIF, WebP, BMP)")]
    NotAnImage,
}

/// The widest or tallest upload decoded (pixels).
const MAX_DECODE_SIDE: u32 = 10_000;
/// The most memory one decode may allocate (bytes).
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;

/// A crop region `x1,x2,y1,y2` in the original image's pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// Left.
    pub x1: u32,
    /// Right.
    pub x2: u32,
    /// Top.
    pub y1: u32,
    /// Bottom.
    pub y2: u32,
}

impl Region {
    /// Parses `x1,x2,y1,y2`; `None` when malformed or empty.
    pub fn parse(text: &str) -> Option<Self> {
        let v: Vec<u32> = text.split(',').map(|p| p.trim().parse().ok()).collect::<Option<_>>()?;
        let &[x1, x2, y1, y2] = v.as_slice() else { return None };
        (x1 < x2 && y1 < y2).then_some(Self { x1, x2, y1, y2 })
    }

    /// As the wire writes it.
    pub fn to_wire(self) -> String {
        format!("{},{},{},{}", self.x1, self.x2, self.y1, self.y2)
    }
}

/// A stored upload.
#[derive(Clone, Debug)]
pub struct StoredImage {
    thumb: RgbImage,
    /// Original width.
    pub width: u32,
    /// Original height.
    pub height: u32,
}

impl StoredImage {
    /// Decodes image bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, UploadError> {
        // A few kilobytes may claim a huge canvas (a decompression bomb): the platform's own
        // pictures are at most a few thousand pixels a side, so anything beyond is refused
        // before a pixel is allocated.
        let format = image::guess_format(bytes).map_err(|_| UploadError::NotAnImage)?;
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(MAX_DECODE_SIDE);
        limits.max_image_height = Some(MAX_DECODE_SIDE);
        limits.max_alloc = Some(MAX_DECODE_BYTES);
        let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
        reader.limits(limits);
        let img = reader.decode().map_err(|_| UploadError::NotAnImage)?;
        let (width, height) = img.dimensions();
        let thumb = if width > THUMB || height > THUMB {
            img.resize(THUMB, THUMB, image::imageops::FilterType::Triangle).to_rgb8()
        } else {
            img.to_rgb8()
        };
        Ok(Self { thumb, width, height })
    }

    /// The full region of the image.
    pub fn full_region(&self) -> Region {
        Region { x1: 0, x2: self.width, y1: 0, y2: self.height }
    }

    /// dHash of the image, or of a region of it (clamped to the image).
    pub fn hash(&self, region: Option<Region>) -> ImageHash {
        let Some(r) = region else { return dhash(&self.thumb) };
        let (tw, th) = self.thumb.dimensions();
        let sx = |x: u32| (u64::from(x.min(self.width)) * u64::from(tw) / u64::from(self.width.max(1))) as u32;
        let sy = |y: u32| (u64::from(y.min(self.height)) * u64::from(th) / u64::from(self.height.max(1))) as u32;
        let (x1, x2, y1, y2) =
            (sx(r.x1), sx(r.x2).max(sx(r.x1) + 1).min(tw), sy(r.y1), sy(r.y2).max(sy(r.y1) + 1).min(th));
        if x1 >= x2 || y1 >= y2 {
            return dhash(&self.thumb);
        }
        dhash(&image::imageops::crop_imm(&self.thumb, x1, y1, x2 - x1, y2 - y1).to_image())
    }
}

#[derive(Debug, Default)]
struct Inner {
    by_id: HashMap<String, StoredImage>,
    order: VecDeque<String>,
    uploaded: u64,
}

/// Uploaded images by imageId.
#[derive(Debug, Default)]
pub struct ImageStore {
    inner: Mutex<Inner>,
}

impl ImageStore {
    /// Stores an image and returns its new imageId (19 digits, numbered per run).
    pub fn insert(&self, image: StoredImage, seed: u64) -> String {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.uploaded += 1;
        let id = format!(
            "{}",
            1_000_000_000_000_000_000 + (crate::catalog::rng::mix(seed, inner.uploaded) % 8_000_000_000_000_000_000)
        );
        inner.by_id.insert(id.clone(), image);
        inner.order.push_back(id.clone());
        if inner.order.len() > CAPACITY
            && let Some(old) = inner.order.pop_front()
        {
            inner.by_id.remove(&old);
        }
        id
    }

    /// An upload by imageId.
    pub fn get(&self, id: &str) -> Option<StoredImage> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).by_id.get(id).cloned()
    }

    /// Forgets every upload.
    pub fn clear(&self) {
        *self.inner.lock().unwrap_or_else(|e| e.into_inner()) = Inner::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::image::{Design, design_hash, distance, encode_png, render};

    #[test]
    fn upload_hash_matches_the_catalog_design() {
        let design = Design { seed: 42, badge: 0 };
        let png = encode_png(&render(design, 320));
        let stored = StoredImage::decode(&png).unwrap();
        assert!(distance(stored.hash(None), design_hash(design)) <= 30);
        assert_eq!(stored.full_region().to_wire(), "0,320,0,320");
        assert_ne!(stored.hash(Region::parse("0,160,0,160")), stored.hash(None));
    }

    #[test]
    fn non_images_and_bad_regions_are_refused() {
        assert_eq!(StoredImage::decode(b"%PDF-1.4 hello").unwrap_err(), UploadError::NotAnImage);
        assert_eq!(Region::parse("10,5,0,4"), None);
        assert_eq!(Region::parse("1,2,3"), None);
        assert_eq!(Region::parse("1,2,3,4"), Some(Region { x1: 1, x2: 2, y1: 3, y2: 4 }));
    }
}
