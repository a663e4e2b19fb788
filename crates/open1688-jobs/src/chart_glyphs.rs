//! Text in PNG charts, placed where the font puts it. Plotters 0.3.7 draws each glyph of a
//! string from the left edge of its advance, dropping the glyph's left side bearing: a narrow
//! glyph (日, 1) then sits too far left and leaves a gap after it ("台州天誉日 用品有限公司").
//! [`Glyphs`] is the bitmap backend with its text drawn by `ab_glyph` (the rasterizer plotters
//! uses) with the bearing kept; every other drawing is the bitmap backend's own.

use ab_glyph::{Font, FontRef, ScaleFont};
use plotters::prelude::{BitMapBackend, DrawingBackend};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, text_anchor::HPos, text_anchor::VPos,
};

/// The embedded font's file (WenQuanYi Micro Hei, Apache-2.0): Chinese renders in PNGs on any
/// machine.
pub(crate) static FONT: &[u8] = include_bytes!("../assets/wqy-microhei.ttc");

/// The font every chart's text is in (the collection's first face).
fn font() -> Option<&'static FontRef<'static>> {
    static PARSED: std::sync::OnceLock<Option<FontRef<'static>>> = std::sync::OnceLock::new();
    PARSED.get_or_init(|| FontRef::try_from_slice_and_index(FONT, 0).ok()).as_ref()
}

/// A bitmap backend whose text keeps each glyph's side bearings.
pub struct Glyphs<'a>(pub BitMapBackend<'a>);

type Failure<'a> = DrawingErrorKind<<BitMapBackend<'a> as DrawingBackend>::ErrorType>;

impl<'a> DrawingBackend for Glyphs<'a> {
    type ErrorType = <BitMapBackend<'a> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), Failure<'a>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), Failure<'a>> {
        self.0.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), Failure<'a>> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), Failure<'a>> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), Failure<'a>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, (iw, ih): (u32, u32), src: &[u8]) -> Result<(), Failure<'a>> {
        self.0.blit_bitmap(pos, (iw, ih), src)
    }

    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Result<(), Failure<'a>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let Some(font) = font() else {
            // Without the font the backend's own drawing is the best there is.
            return self.0.draw_text(text, style, pos);
        };
        // Anchored as plotters anchors text (its layout box measures advances, which are right).
        let ((min_x, min_y), (max_x, max_y)) =
            style.layout_box(text).map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let (width, height) = (max_x - min_x, max_y - min_y);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let transform = style.transform();
        let (w, h) = self.get_size();
        let mut result = Ok(());
        for_each_pixel(font, style.size() as f32, text, |x, y, coverage| {
            if result.is_err() || coverage <= 0.0 {
                return;
            }
            let (x, y) = transform.transform(x + dx - min_x, y + dy - min_y);
            let (x, y) = (pos.0 + x, pos.1 + y);
            if x >= 0 && x < w as i32 && y >= 0 && y < h as i32 {
                let alpha = color.alpha * f64::from(coverage.min(1.0));
                result = self.0.draw_pixel((x, y), BackendColor { alpha, rgb: color.rgb });
            }
        });
        result
    }
}

/// Calls `paint` with each inked pixel of `text` at `size` (relative to the text's origin) and
/// its coverage: glyphs one advance (and kerning) after another, each at its own left bearing.
/// Vertically as plotters places them, so charts keep their layout.
pub fn for_each_pixel(font: &FontRef<'_>, size: f32, text: &str, mut paint: impl FnMut(i32, i32, f32)) {
    let scaled = font.as_scaled(size);
    let mut x = 0f32;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(before) = previous {
            x += scaled.kern(before, id);
        }
        previous = Some(id);
        let glyph = id.with_scale(size);
        if let Some(outline) = scaled.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            let left = (x + bounds.min.x).round() as i32;
            let top = (size / 2.0 + bounds.min.y) as i32;
            outline.draw(|gx, gy, coverage| paint(left + gx as i32, top + gy as i32, coverage));
        }
        x += scaled.h_advance(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ab_glyph::Font;

    /// The first and last inked columns of `text`.
    fn ink(text: &str) -> (i32, i32) {
        let (mut first, mut last) = (i32::MAX, i32::MIN);
        for_each_pixel(font().unwrap(), 40.0, text, |x, _, coverage| {
            if coverage > 0.5 {
                (first, last) = (first.min(x), last.max(x));
            }
        });
        (first, last)
    }

    #[test]
    fn a_glyph_keeps_its_left_bearing() {
        let font = font().unwrap();
        let scaled = font.as_scaled(40.0);
        for c in ['日', '1', '用'] {
            let glyph = scaled.glyph_id(c).with_scale(40.0);
            let bearing = scaled.outline_glyph(glyph).unwrap().px_bounds().min.x;
            let (first, _) = ink(&c.to_string());
            assert!((first as f32 - bearing).abs() <= 1.5, "{c}: ink at {first}, bearing {bearing}");
        }
        // 日 is narrow in its square: drawn from its advance's edge, it sat several pixels left.
        let (first, _) = ink("日");
        assert!(first >= 3, "日 starts at {first}");
    }

    #[test]
    fn the_gap_after_a_narrow_glyph_is_the_fonts() {
        // Between 日 and 用 the space is 日's right bearing plus 用's left one, nothing more.
        let (_, end) = ink("日");
        let (start, _) = ink("用");
        let advance = font().unwrap().as_scaled(40.0).h_advance(font().unwrap().glyph_id('日')).round() as i32;
        let (_, both_end) = ink("日用");
        assert_eq!(both_end, advance + ink("用").1, "用 follows 日 by exactly 日's advance");
        assert!(advance + start - end < 12, "a gap of {} px", advance + start - end);
    }
}
