//! Charts as PNG or SVG (by the file's extension): price histogram with mean and median,
//! supplier comparison bars, scorecard radar, price-ladder steps, price history. An embedded
//! CJK-capable font (WenQuanYi Micro Hei, Apache-2.0) makes Chinese titles render in PNGs on any
//! machine.

use std::path::Path;
use std::sync::Once;

use chrono::{DateTime, Utc};
use plotters::coord::Shift;
use plotters::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use sourcing::market::Bin;

use crate::error::{JobError, Result};

static FONT: &[u8] = include_bytes!("../assets/wqy-microhei.ttc");
const FAMILY: &str = "sans-serif";
const SIZE: (u32, u32) = (960, 600);

/// What a drawing step returns: plotters' errors carry their backend's error type.
type Drawn = std::result::Result<(), Box<dyn std::error::Error + Send + Sync>>;

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The font is compiled in; registration only fails on a corrupt build.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, FONT);
    });
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or_default()
}

/// Whether `path` names a chart file this module can write (`.png` or `.svg`).
pub fn check_extension(path: &Path) -> Result<()> {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("png" | "svg") => Ok(()),
        _ => Err(JobError::invalid("chart", format!("chart file {} must end in .png or .svg", path.display()))),
    }
}

/// Draws on a PNG or SVG file chosen by extension. PNGs are drawn into a pixel buffer and encoded
/// with the `image` crate the SDK already uses (plotters' own encoder would pull in a second,
/// older `image`).
fn draw(
    path: &Path,
    paint: impl FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>) -> Drawn,
    paint_svg: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Drawn,
) -> Result<()> {
    check_extension(path)?;
    register_font();
    let svg = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    let drawn: Drawn = if svg {
        let root = SVGBackend::new(path, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(Box::from).and_then(|()| paint_svg(&root)).and_then(|()| Ok(root.present()?))
    } else {
        let (width, height) = SIZE;
        let mut pixels = vec![0u8; width as usize * height as usize * 3];
        let painted: Drawn = {
            let root = BitMapBackend::with_buffer(&mut pixels, SIZE).into_drawing_area();
            root.fill(&WHITE).map_err(Box::from).and_then(|()| paint(&root)).and_then(|()| Ok(root.present()?))
        };
        painted.and_then(|()| {
            let picture =
                image::RgbImage::from_raw(width, height, pixels).ok_or("the chart buffer has the wrong size")?;
            Ok(picture.save_with_format(path, image::ImageFormat::Png)?)
        })
    };
    drawn.map_err(|e| JobError::output(path, e))
}

macro_rules! both {
    ($path:expr, |$root:ident| $body:block) => {
        draw($path, |$root| $body, |$root| $body)
    };
}

/// Histogram of unit prices from a market report's bins, with mean and median lines.
pub fn price_histogram(path: &Path, title: &str, bins: &[Bin], mean: Decimal, median: Decimal) -> Result<()> {
    let Some(first) = bins.first() else {
        return Err(JobError::NoAnswer("no prices to draw".into()));
    };
    let lo = f(first.from);
    let hi = bins.last().map_or(lo, |b| f(b.to)).max(lo + 0.01);
    let top = bins.iter().map(|b| u32::try_from(b.count).unwrap_or(u32::MAX)).max().unwrap_or(1).saturating_add(1);
    both!(path, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FAMILY, 28))
            .margin(20)
            .x_label_area_size(50)
            .y_label_area_size(60)
            .build_cartesian_2d(lo..hi, 0u32..top)?;
        chart
            .configure_mesh()
            .x_desc("单价 unit price (¥)")
            .y_desc("商品数 offers")
            .label_style((FAMILY, 16))
            .draw()?;
        chart.draw_series(bins.iter().map(|b| {
            let count = u32::try_from(b.count).unwrap_or(u32::MAX);
            // A bin of zero width (all prices equal) still shows as a bar.
            let to = f(b.to).max(f(b.from) + (hi - lo) / 100.0);
            Rectangle::new([(f(b.from), 0), (to, count)], RGBColor(70, 130, 180).filled())
        }))?;
        // Labels from the exact decimals, rounded as the tables round them.
        for (value, label, colour) in [(mean, "mean 均值", RED), (median, "median 中位数", GREEN)] {
            let x = f(value);
            chart
                .draw_series(LineSeries::new([(x, 0), (x, top)], colour.stroke_width(3)))?
                .label(format!("{label} ¥{:.2}", value.round_dp(2)))
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(3)));
        }
        chart
            .configure_series_labels()
            .label_font((FAMILY, 18))
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()?;
        Ok(())
    })
}

/// Bars of landed cost per unit by supplier.
pub fn supplier_bars(path: &Path, title: &str, rows: &[(String, Decimal)]) -> Result<()> {
    let max = rows.iter().map(|r| f(r.1)).fold(0.0, f64::max) * 1.15 + 0.01;
    let n = rows.len().max(1);
    // The first row (the cheapest) on top, each bar centred on its supplier's name.
    let name = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
            rows.get(n - 1 - i).map_or(String::new(), |r| r.0.chars().take(14).collect())
        }
        SegmentValue::Last => String::new(),
    };
    both!(path, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FAMILY, 28))
            .margin(20)
            .x_label_area_size(50)
            .y_label_area_size(260)
            // Plotters ranges include their end: 0..n-1 gives exactly n slots.
            .build_cartesian_2d(0.0..max, (0..n - 1).into_segmented())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&name)
            .x_desc("到岸单价 landed cost per unit (¥)")
            .label_style((FAMILY, 16))
            .draw()?;
        chart.draw_series(rows.iter().enumerate().map(|(i, r)| {
            let slot = n - 1 - i;
            let mut bar = Rectangle::new(
                [(0.0, SegmentValue::Exact(slot)), (f(r.1), SegmentValue::Exact(slot + 1))],
                RGBColor(230, 126, 34).filled(),
            );
            bar.set_margin(4, 4, 0, 0);
            bar
        }))?;
        Ok(())
    })
}

/// Radar of a scorecard's sub-scores (0–100).
pub fn scorecard_radar(path: &Path, title: &str, criteria: &[(String, Decimal)]) -> Result<()> {
    let n = criteria.len().max(3);
    both!(path, |root| {
        let root = root.titled(title, (FAMILY, 28))?;
        let (w, h) = root.dim_in_pixel();
        let (cx, cy) = (w as i32 / 2, h as i32 / 2 + 10);
        let radius = (h.min(w) as f64 * 0.36) as i32;
        let point = |i: usize, v: f64| {
            let a = std::f64::consts::TAU * i as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
            (cx + (a.cos() * radius as f64 * v / 100.0) as i32, cy + (a.sin() * radius as f64 * v / 100.0) as i32)
        };
        for ring in [25.0, 50.0, 75.0, 100.0] {
            let pts: Vec<(i32, i32)> = (0..=n).map(|i| point(i % n, ring)).collect();
            root.draw(&PathElement::new(pts, BLACK.mix(0.2)))?;
        }
        for (i, (name, _)) in criteria.iter().enumerate() {
            root.draw(&PathElement::new([point(i, 0.0), point(i, 100.0)], BLACK.mix(0.3)))?;
            let (x, y) = point(i, 112.0);
            root.draw(&Text::new(name.clone(), (x - 40, y - 8), (FAMILY, 15)))?;
        }
        let pts: Vec<(i32, i32)> = criteria.iter().enumerate().map(|(i, (_, v))| point(i, f(*v))).collect();
        root.draw(&Polygon::new(pts.clone(), RGBColor(52, 152, 219).mix(0.35)))?;
        root.draw(&PathElement::new(
            pts.iter().chain(pts.first()).copied().collect::<Vec<_>>(),
            RGBColor(41, 128, 185).stroke_width(2),
        ))?;
        Ok(())
    })
}

/// The price ladder as steps: unit price against quantity.
pub fn ladder_steps(path: &Path, title: &str, tiers: &[(i64, Decimal)], up_to: i64) -> Result<()> {
    if tiers.is_empty() {
        return Err(JobError::NoAnswer("no price tiers to draw".into()));
    }
    let end = up_to.max(tiers.last().map_or(1, |t| t.0) * 2);
    let mut pts = Vec::new();
    for (i, &(start, price)) in tiers.iter().enumerate() {
        let next = tiers.get(i + 1).map_or(end, |t| t.0);
        pts.push((start as f64, f(price)));
        pts.push((next as f64, f(price)));
    }
    let max_price = tiers.iter().map(|t| f(t.1)).fold(0.0, f64::max) * 1.2;
    both!(path, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FAMILY, 28))
            .margin(20)
            .x_label_area_size(50)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..end as f64, 0.0..max_price)?;
        chart
            .configure_mesh()
            .x_desc("数量 quantity")
            .y_desc("单价 unit price (¥)")
            .label_style((FAMILY, 16))
            .draw()?;
        chart.draw_series(LineSeries::new(pts.clone(), RGBColor(39, 174, 96).stroke_width(3)))?;
        chart.draw_series(
            tiers.iter().map(|&(q, p)| Circle::new((q as f64, f(p)), 5, RGBColor(39, 174, 96).filled())),
        )?;
        Ok(())
    })
}

/// One named line of a history chart: (time, price) points.
pub type Series = (String, Vec<(chrono::DateTime<chrono::Utc>, Decimal)>);

/// Price history: one line per tier over time, and stock on a second axis when known.
pub fn history_lines(path: &Path, title: &str, series: &[Series], stock: &[(DateTime<Utc>, i64)]) -> Result<()> {
    let all: Vec<(i64, f64)> =
        series.iter().flat_map(|(_, pts)| pts.iter().map(|(t, p)| (t.timestamp(), f(*p)))).collect();
    if all.is_empty() {
        return Err(JobError::NoAnswer("no history to draw".into()));
    }
    let (t0, days) = history_span(all.iter().map(|p| p.0).chain(stock.iter().map(|(t, _)| t.timestamp())));
    let day = |t: &DateTime<Utc>| (t.timestamp() - t0) as f64 / 86_400.0;
    let max = all.iter().map(|p| p.1).fold(0.0, f64::max) * 1.2 + 0.01;
    let max_stock = stock.iter().map(|(_, s)| *s as f64).fold(0.0, f64::max) * 1.2 + 1.0;
    let colours = [RGBColor(41, 128, 185), RGBColor(192, 57, 43), RGBColor(39, 174, 96), RGBColor(142, 68, 173)];
    let stock_colour = RGBColor(127, 140, 141);
    both!(path, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FAMILY, 28))
            .margin(20)
            .x_label_area_size(50)
            .y_label_area_size(60)
            .right_y_label_area_size(if stock.is_empty() { 0 } else { 70 })
            .build_cartesian_2d(0f64..days, 0.0..max)?
            .set_secondary_coord(0f64..days, 0.0..max_stock);
        chart
            .configure_mesh()
            .x_desc("天 days")
            .y_desc("单价 unit price (¥)")
            .x_label_formatter(&|d| format!("{d:.0}"))
            .y_label_formatter(&|v| format!("¥{v:.2}"))
            .label_style((FAMILY, 16))
            .draw()?;
        for (i, (name, pts)) in series.iter().enumerate() {
            let colour = colours[i % colours.len()];
            chart
                .draw_series(LineSeries::new(pts.iter().map(|(t, p)| (day(t), f(*p))), colour.stroke_width(3)))?
                .label(name.clone())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(3)));
            // A mark on each observation: a single snapshot is a point, which a line cannot draw.
            chart.draw_series(pts.iter().map(|(t, p)| Circle::new((day(t), f(*p)), 4, colour.filled())))?;
        }
        if !stock.is_empty() {
            chart
                .configure_secondary_axes()
                .y_desc("库存 stock")
                .y_label_formatter(&|v| format!("{v:.0}"))
                .label_style((FAMILY, 16))
                .draw()?;
            chart
                .draw_secondary_series(LineSeries::new(
                    stock.iter().map(|(t, s)| (day(t), *s as f64)),
                    stock_colour.stroke_width(2),
                ))?
                .label("库存 stock")
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], stock_colour.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .label_font((FAMILY, 16))
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()?;
        Ok(())
    })
}

/// The first moment of a history (epoch seconds) and the days its x axis spans: at least one
/// day, so a history of one snapshot (or of several within seconds) gets a readable axis
/// instead of one from 0 to 0.00001.
fn history_span(times: impl Iterator<Item = i64>) -> (i64, f64) {
    let (t0, t1) = times.fold((i64::MAX, i64::MIN), |(a, b), t| (a.min(t), b.max(t)));
    if t0 > t1 {
        return (0, 1.0);
    }
    let days = (t1 - t0) as f64 / 86_400.0;
    (t0, days.max(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_history_axis_spans_at_least_a_day() {
        assert_eq!(history_span([1_700_000_000].into_iter()), (1_700_000_000, 1.0), "one snapshot");
        assert_eq!(history_span([5, 65].into_iter()).1, 1.0, "a minute apart");
        assert_eq!(history_span([0, 3 * 86_400, 86_400].into_iter()), (0, 3.0), "three days, in any order");
        assert_eq!(history_span(std::iter::empty()), (0, 1.0));
    }

    #[test]
    fn a_history_of_one_snapshot_draws_its_point() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.png");
        let at = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let series: Vec<Series> = vec![("≥1".into(), vec![(at, Decimal::new(820, 2))])];
        history_lines(&path, "offer 1 price history", &series, &[(at, 500)]).unwrap();
        let img = image::open(&path).unwrap().to_rgb8();
        // The observation sits at day 0, at the left of the plot; the legend is on the right.
        let left = img.width() / 3;
        let blue = img.enumerate_pixels().filter(|(x, _, p)| *x < left && p.0 == [41, 128, 185]).count();
        assert!(blue > 20, "the one observation is drawn ({blue} pixels of its colour on the left)");
    }
}
