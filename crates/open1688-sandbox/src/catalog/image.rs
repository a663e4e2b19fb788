//! Product images: procedural pictures rendered from a seed, encoded as PNG, and the
//! perceptual hash (dHash) the image search ranks by.
//!
//! Listings of one factory item share a design and differ only by a small seller badge in a
//! corner, so their hashes are a few bits apart while unrelated designs are about 30 apart.

use image::{ImageBuffer, Rgb, RgbImage};

use super::rng::Rng;

/// Side of the images the sandbox serves, in pixels.
pub const IMAGE_SIZE: u32 = 320;

/// What an image looks like: a seed for its shapes and an optional seller badge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Design {
    /// Seed of the shapes and colours.
    pub seed: u64,
    /// Seller badge (0 = none); siblings in a same-factory group get different badges.
    pub badge: u8,
}

#[derive(Clone, Copy)]
enum Shape {
    Circle { cx: f32, cy: f32, r2: f32 },
    Rect { x0: f32, y0: f32, x1: f32, y1: f32 },
}

struct Scene {
    top: [f32; 3],
    bottom: [f32; 3],
    /// Background wave: t = 0.5 + 0.5·sin(2π(fx·x + fy·y) + phase).
    wave: (f32, f32, f32),
    shapes: Vec<(Shape, [f32; 3])>,
    badge: Option<[f32; 3]>,
}

impl Scene {
    fn new(design: Design) -> Self {
        let mut rng = Rng::new(design.seed);
        let colour = |rng: &mut Rng| [rng.f32() * 255.0, rng.f32() * 255.0, rng.f32() * 255.0];
        // A light/dark wave across the background gives neighbouring cells a clear order (so hash
        // bits do not hinge on rounding where the picture is flat) that differs between designs.
        // order, so hash bits do not hinge on rounding where the picture is flat.
        let light = 170.0 + rng.f32() * 80.0;
        let dark = 20.0 + rng.f32() * 60.0;
        let tint = colour(&mut rng);
        let top = [(light + tint[0]) / 2.0 + 40.0, (light + tint[1]) / 2.0 + 40.0, (light + tint[2]) / 2.0 + 40.0];
        let bottom = [(dark + tint[0] * 0.2), (dark + tint[1] * 0.2), (dark + tint[2] * 0.2)];
        let count = 5 + rng.below(4) as usize;
        let shapes = (0..count)
            .map(|_| {
                let shape = match rng.below(5) {
                    0 | 1 | 4 => {
                        let r = 0.08 + rng.f32() * 0.25;
                        Shape::Circle { cx: rng.f32(), cy: rng.f32(), r2: r * r }
                    }
                    _ => {
                        let (x, y) = (rng.f32() * 0.8, rng.f32() * 0.8);
                        Shape::Rect { x0: x, y0: y, x1: x + 0.1 + rng.f32() * 0.35, y1: y + 0.1 + rng.f32() * 0.35 }
                    }
                };
                (shape, colour(&mut rng))
            })
            .collect();
        let badge = (design.badge > 0).then(|| {
            let mut b = Rng::new(design.seed ^ u64::from(design.badge).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            colour(&mut b)
        });
        let wave = (0.6 + rng.f32() * 1.2, rng.f32() * 0.8 - 0.4, rng.f32() * std::f32::consts::TAU);
        Self { top, bottom, wave, shapes, badge }
    }

    /// Renders the scene on a `w`×`h` pixel grid, sampling pixel centres. The background wave
    /// is split with sin(a+b) = sin a·cos b + cos a·sin b so each pixel costs two products.
    fn fill(&self, w: u32, h: u32) -> RgbImage {
        let (fx, fy, phase) = self.wave;
        let tau = std::f32::consts::TAU;
        let xs: Vec<f32> = (0..w).map(|x| (x as f32 + 0.5) / w as f32).collect();
        let ys: Vec<f32> = (0..h).map(|y| (y as f32 + 0.5) / h as f32).collect();
        let col: Vec<(f32, f32)> = xs.iter().map(|&x| (tau * fx * x + phase).sin_cos()).collect();
        let row: Vec<(f32, f32)> = ys.iter().map(|&y| (tau * fy * y).sin_cos()).collect();
        ImageBuffer::from_fn(w, h, |px, py| {
            let (x, y) = (xs[px as usize], ys[py as usize]);
            let (sa, ca) = col[px as usize];
            let (sb, cb) = row[py as usize];
            let c = self.colour(x, y, 0.5 + 0.5 * (sa * cb + ca * sb));
            Rgb([c[0] as u8, c[1] as u8, c[2] as u8])
        })
    }

    /// Colour at normalized coordinates, given the background wave value there.
    fn colour(&self, x: f32, y: f32, t: f32) -> [f32; 3] {
        if let Some(badge) = self.badge
            && x > 0.93
            && y > 0.92
        {
            return badge;
        }
        let mut c: [f32; 3] = std::array::from_fn(|i| self.top[i] + (self.bottom[i] - self.top[i]) * t);
        for (shape, colour) in &self.shapes {
            let inside = match *shape {
                Shape::Circle { cx, cy, r2 } => (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r2,
                Shape::Rect { x0, y0, x1, y1 } => x >= x0 && x <= x1 && y >= y0 && y <= y1,
            };
            if inside {
                c = *colour;
            }
        }
        c
    }
}

/// Renders a design as a `size`×`size` RGB image.
pub fn render(design: Design, size: u32) -> RgbImage {
    Scene::new(design).fill(size, size)
}

/// Renders a design tinted towards a colour (SKU images of colour variants).
pub fn render_tinted(design: Design, size: u32, tint: [u8; 3]) -> RgbImage {
    let mut img = render(design, size);
    for p in img.pixels_mut() {
        for (channel, t) in p.0.iter_mut().zip(tint) {
            *channel = ((u16::from(*channel) + u16::from(t)) / 2) as u8;
        }
    }
    img
}

/// Encodes an image as PNG bytes (deterministic: same pixels, same bytes).
pub fn encode_png(img: &RgbImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::with_capacity(64 * 1024));
    img.write_to(&mut out, image::ImageFormat::Png).expect("encoding an in-memory RGB image as PNG cannot fail");
    out.into_inner()
}

/// A 256-bit perceptual hash.
pub type ImageHash = [u64; 4];

/// Hash grid: 17 columns give 16 left/right comparisons in each of 16 rows.
const COLS: usize = 17;
const ROWS: usize = 16;

/// dHash of an image: 17×16 area-averaged luminance, one bit per horizontal gradient sign.
pub fn dhash(img: &RgbImage) -> ImageHash {
    let (w, h) = img.dimensions();
    let mut sums = [[0f64; COLS]; ROWS];
    let mut counts = [[0u32; COLS]; ROWS];
    for (x, y, p) in img.enumerate_pixels() {
        let cx = (x as u64 * COLS as u64 / w as u64) as usize;
        let cy = (y as u64 * ROWS as u64 / h as u64) as usize;
        sums[cy][cx] += luminance(p);
        counts[cy][cx] += 1;
    }
    let mut hash = [0u64; 4];
    for row in 0..ROWS {
        for col in 0..COLS - 1 {
            let left = sums[row][col] / f64::from(counts[row][col].max(1));
            let right = sums[row][col + 1] / f64::from(counts[row][col + 1].max(1));
            let bit = row * (COLS - 1) + col;
            hash[bit / 64] |= u64::from(left < right) << (bit % 64);
        }
    }
    hash
}

/// The hash of a design, computed on a small rendering (4×4 samples per hash cell).
pub fn design_hash(design: Design) -> ImageHash {
    dhash(&Scene::new(design).fill(COLS as u32 * 4, ROWS as u32 * 4))
}

/// Number of differing bits between two hashes.
pub fn distance(a: ImageHash, b: ImageHash) -> u32 {
    a.iter().zip(b).map(|(x, y)| (x ^ y).count_ones()).sum()
}

fn luminance(p: &Rgb<u8>) -> f64 {
    0.299 * f64::from(p.0[0]) + 0.587 * f64::from(p.0[1]) + 0.114 * f64::from(p.0[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_rendering_hashes_close_to_the_design_hash() {
        let mut total = 0;
        for seed in 0..20 {
            let design = Design { seed, badge: 0 };
            let d = distance(dhash(&render(design, IMAGE_SIZE)), design_hash(design));
            assert!(d <= 30, "seed {seed}: {d} bits apart");
            total += d;
        }
        assert!(total / 20 <= 15, "average {}", total / 20);
    }

    #[test]
    fn siblings_are_close_and_strangers_far() {
        let mut near = 0;
        let mut far = 0;
        for seed in 0..50u64 {
            let a = design_hash(Design { seed, badge: 0 });
            let b = design_hash(Design { seed, badge: 3 });
            let c = design_hash(Design { seed: seed + 1000, badge: 0 });
            near += distance(a, b);
            far += distance(a, c);
        }
        assert!(near / 50 <= 8, "siblings average {}", near / 50);
        assert!(far / 50 >= 80, "strangers average {}", far / 50);
    }

    #[test]
    fn png_is_deterministic_and_decodes() {
        let design = Design { seed: 7, badge: 1 };
        let a = encode_png(&render(design, 64));
        assert_eq!(a, encode_png(&render(design, 64)));
        let decoded = image::load_from_memory(&a).unwrap().to_rgb8();
        assert_eq!(decoded.dimensions(), (64, 64));
    }
}
