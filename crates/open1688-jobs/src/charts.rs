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

use crate::chart_glyphs::Glyphs;
use crate::chart_words::ChartWords;
use crate::error::{JobError, Result};

use crate::chart_glyphs::FONT;
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
    paint: impl FnOnce(&DrawingArea<Glyphs<'_>, Shift>) -> Drawn,
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
            let root = Glyphs(BitMapBackend::with_buffer(&mut pixels, SIZE)).into_drawing_area();
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

/// The series' legend in the plot's upper right (where each chart keeps room for it).
fn draw_legend<'a, DB: DrawingBackend + 'a, X: Ranged, Y: Ranged>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
) -> Drawn
where
    DB::ErrorType: Send + Sync + 'static,
{
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font((FAMILY, 18))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}

macro_rules! both {
    ($path:expr, |$root:ident| $body:block) => {
        draw($path, |$root| $body, |$root| $body)
    };
}

/// Histogram of unit prices from a market report's bins, with mean and median lines.
pub fn price_histogram(
    path: &Path,
    words: &ChartWords,
    title: &str,
    bins: &[Bin],
    mean: Decimal,
    median: Decimal,
) -> Result<()> {
    let Some(first) = bins.first() else {
        return Err(JobError::NoAnswer("no prices to draw".into()));
    };
    let lo = f(first.from);
    let hi = bins.last().map_or(lo, |b| f(b.to)).max(lo + 0.01);
    let tallest = bins.iter().map(|b| u32::try_from(b.count).unwrap_or(u32::MAX)).max().unwrap_or(1);
    // A third more height above the tallest bar: the legend sits there, over no bar.
    let top = tallest.saturating_add(tallest / 3).saturating_add(2);
    both!(path, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FAMILY, 28))
            .margin(20)
            .x_label_area_size(50)
            .y_label_area_size(60)
            .build_cartesian_2d(lo..hi, 0u32..top)?;
        chart
            .configure_mesh()
            .x_desc(words.unit_price_axis)
            .y_desc(words.offers_axis)
            .x_label_formatter(&|v| yuan_tick(*v))
            .label_style((FAMILY, 16))
            .draw()?;
        chart.draw_series(bins.iter().map(|b| {
            let count = u32::try_from(b.count).unwrap_or(u32::MAX);
            // A bin of zero width (all prices equal) still shows as a bar.
            let to = f(b.to).max(f(b.from) + (hi - lo) / 100.0);
            Rectangle::new([(f(b.from), 0), (to, count)], RGBColor(70, 130, 180).filled())
        }))?;
        // Labels from the exact decimals, rounded as the tables round them.
        for (value, label, colour) in [(mean, words.mean, RED), (median, words.median, GREEN)] {
            let x = f(value);
            chart
                .draw_series(LineSeries::new([(x, 0), (x, top)], colour.stroke_width(3)))?
                .label(format!("{label} ¥{:.2}", value.round_dp(2)))
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(3)));
        }
        draw_legend(&mut chart)?;
        Ok(())
    })
}

/// What the decision made of a supplier in a bar chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarMark {
    /// The pick.
    Picked,
    /// Its score band blocks it.
    Blocked,
    /// Neither.
    Other,
}

/// One supplier's bar: its name, its landed cost per unit needed, and what the decision made of
/// it.
#[derive(Debug, Clone, PartialEq)]
pub struct SupplierBar {
    /// The supplier's name.
    pub name: String,
    /// Landed cost per unit needed.
    pub landed: Decimal,
    /// Picked, blocked or neither.
    pub mark: BarMark,
}

/// The name beside a bar: at most 14 characters, the pick and a blocked supplier said in words
/// (the colour says it too).
fn bar_label(words: &ChartWords, bar: &SupplierBar) -> String {
    let name: String = bar.name.chars().take(14).collect();
    match bar.mark {
        BarMark::Picked => format!("★ {name}"),
        BarMark::Blocked => format!("{name}{}", words.not_advised),
        BarMark::Other => name,
    }
}

/// Bars of landed cost per unit by supplier; the pick in green with a star, a blocked supplier
/// in grey.
pub fn supplier_bars(path: &Path, words: &ChartWords, title: &str, rows: &[SupplierBar]) -> Result<()> {
    let max = rows.iter().map(|r| f(r.landed)).fold(0.0, f64::max) * 1.15 + 0.01;
    let n = rows.len().max(1);
    // The first row (the cheapest) on top, each bar centred on its supplier's name.
    let name = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
            rows.get(n - 1 - i).map_or(String::new(), |bar| bar_label(words, bar))
        }
        SegmentValue::Last => String::new(),
    };
    both!(path, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FAMILY, 28))
            .margin(20)
            .x_label_area_size(50)
            .y_label_area_size(300)
            // Plotters ranges include their end: 0..n-1 gives exactly n slots.
            .build_cartesian_2d(0.0..max, (0..n - 1).into_segmented())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&name)
            .x_desc(words.landed_per_unit_axis)
            .x_label_formatter(&|v| yuan_tick(*v))
            .label_style((FAMILY, 16))
            .draw()?;
        chart.draw_series(rows.iter().enumerate().map(|(i, r)| {
            let slot = n - 1 - i;
            let colour = match r.mark {
                BarMark::Picked => RGBColor(39, 174, 96),
                BarMark::Blocked => RGBColor(160, 160, 160),
                BarMark::Other => RGBColor(230, 126, 34),
            };
            let mut bar = Rectangle::new(
                [(0.0, SegmentValue::Exact(slot)), (f(r.landed), SegmentValue::Exact(slot + 1))],
                colour.filled(),
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
        // A margin above the title: drawn at the very top, its Chinese glyphs lost their tops.
        let root = root.margin(16, 10, 10, 10).titled(title, (FAMILY, 28))?;
        let (w, h) = root.dim_in_pixel();
        let (cx, cy) = (w as i32 / 2, h as i32 / 2 + 4);
        let radius = (h.min(w) as f64 * 0.33) as i32;
        let point = |i: usize, v: f64| {
            let a = std::f64::consts::TAU * i as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
            (cx + (a.cos() * radius as f64 * v / 100.0) as i32, cy + (a.sin() * radius as f64 * v / 100.0) as i32)
        };
        // The scale: rings at 25, 50, 75 and 100 points, each named on the first axis.
        for ring in [25.0, 50.0, 75.0, 100.0] {
            let pts: Vec<(i32, i32)> = (0..=n).map(|i| point(i % n, ring)).collect();
            root.draw(&PathElement::new(pts, BLACK.mix(0.2)))?;
            let (x, y) = point(0, ring);
            root.draw(&Text::new(
                format!("{ring:.0}"),
                (x + 4, y - 6),
                (FAMILY, 13).into_font().color(&BLACK.mix(0.6)),
            ))?;
        }
        for (i, (name, _)) in criteria.iter().enumerate() {
            root.draw(&PathElement::new([point(i, 0.0), point(i, 100.0)], BLACK.mix(0.3)))?;
            // A name left of the centre ends at its axis, one right of it starts there.
            let (x, y) = point(i, 114.0);
            // About half a character's size for Latin letters, a whole one for Chinese.
            let width: i32 = name.chars().map(|c| if c.is_ascii() { 8 } else { 15 }).sum();
            let x = if x < cx - 10 {
                x - width
            } else if x > cx + 10 {
                x
            } else {
                x - width / 2
            };
            root.draw(&Text::new(name.clone(), (x, y - 8), (FAMILY, 15)))?;
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

/// A quantity marked on a ladder chart: the need, or the quantity bought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LadderMark {
    /// Units needed.
    Need(i64),
    /// Units bought.
    Buy(i64),
}

/// The price ladder as steps: unit price against quantity, with the need and the quantity
/// bought marked when given.
pub fn ladder_steps(
    path: &Path,
    words: &ChartWords,
    title: &str,
    tiers: &[(i64, Decimal)],
    up_to: i64,
    marks: &[LadderMark],
) -> Result<()> {
    if tiers.is_empty() {
        return Err(JobError::NoAnswer("no price tiers to draw".into()));
    }
    let furthest = marks.iter().map(|m| match m {
        LadderMark::Need(q) | LadderMark::Buy(q) => *q,
    });
    let end = up_to.max(tiers.last().map_or(1, |t| t.0) * 2).max(furthest.max().unwrap_or(0).saturating_mul(5) / 4);
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
            .x_desc(words.quantity_axis)
            .y_desc(words.unit_price_axis)
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| yuan_tick(*v))
            .label_style((FAMILY, 16))
            .draw()?;
        chart.draw_series(LineSeries::new(pts.clone(), RGBColor(39, 174, 96).stroke_width(3)))?;
        chart.draw_series(
            tiers.iter().map(|&(q, p)| Circle::new((q as f64, f(p)), 5, RGBColor(39, 174, 96).filled())),
        )?;
        for mark in marks {
            let (quantity, label, colour) = match *mark {
                LadderMark::Need(q) => (q, format!("{} {q}", words.need), RGBColor(26, 86, 219)),
                LadderMark::Buy(q) => (q, format!("{} {q}", words.buy), RGBColor(179, 64, 10)),
            };
            let x = quantity as f64;
            chart
                .draw_series(DashedLineSeries::new([(x, 0.0), (x, max_price)], 8, 5, colour.stroke_width(2)))?
                .label(label)
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(2)));
        }
        if !marks.is_empty() {
            draw_legend(&mut chart)?;
        }
        Ok(())
    })
}

/// One named line of a history chart: (time, price) points.
pub type Series = (String, Vec<(chrono::DateTime<chrono::Utc>, Decimal)>);

/// Price history: one line per tier over time, and stock on a second axis when known.
pub fn history_lines(
    path: &Path,
    words: &ChartWords,
    title: &str,
    series: &[Series],
    stock: &[(DateTime<Utc>, i64)],
) -> Result<()> {
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
            .x_desc(words.days_axis)
            .y_desc(words.unit_price_axis)
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
                .y_desc(words.stock)
                .y_label_formatter(&|v| format!("{v:.0}"))
                .label_style((FAMILY, 16))
                .draw()?;
            chart
                .draw_secondary_series(LineSeries::new(
                    stock.iter().map(|(t, s)| (day(t), *s as f64)),
                    stock_colour.stroke_width(2),
                ))?
                .label(words.stock)
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

/// A money tick: `¥12.50`, or `¥120` once the grid steps are whole yuan.
fn yuan_tick(v: f64) -> String {
    if v.abs() >= 100.0 { format!("¥{v:.0}") } else { format!("¥{v:.2}") }
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

    fn zh_words() -> &'static ChartWords {
        ChartWords::of(sourcing::Language::Zh)
    }

    #[test]
    fn money_ticks_carry_the_yuan_sign() {
        assert_eq!(yuan_tick(12.5), "¥12.50");
        assert_eq!(yuan_tick(250.0), "¥250");
    }

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
        history_lines(&path, ChartWords::of(sourcing::Language::En), "offer 1 price history", &series, &[(at, 500)])
            .unwrap();
        let img = image::open(&path).unwrap().to_rgb8();
        // The observation sits at day 0, at the left of the plot; the legend is on the right.
        let left = img.width() / 3;
        let blue = img.enumerate_pixels().filter(|(x, _, p)| *x < left && p.0 == [41, 128, 185]).count();
        assert!(blue > 20, "the one observation is drawn ({blue} pixels of its colour on the left)");
    }

    /// Pixels of exactly `colour` in the picture at `path`.
    fn pixels(path: &Path, colour: [u8; 3]) -> usize {
        image::open(path).unwrap().to_rgb8().pixels().filter(|p| p.0 == colour).count()
    }

    #[test]
    fn the_pick_and_a_blocked_supplier_are_coloured_apart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("suppliers.png");
        let bar =
            |name: &str, landed: i64, mark| SupplierBar { name: name.into(), landed: Decimal::from(landed), mark };
        let rows = [
            bar("台州天誉日用品有限公司", 10, BarMark::Picked),
            bar("义乌市某某工厂", 11, BarMark::Other),
            bar("永康某某贸易", 12, BarMark::Blocked),
        ];
        let zh = zh_words();
        supplier_bars(&path, zh, "保温杯: 到岸单价", &rows).unwrap();
        assert!(pixels(&path, [39, 174, 96]) > 1_000, "the pick in green");
        assert!(pixels(&path, [160, 160, 160]) > 1_000, "the blocked supplier in grey");
        assert!(pixels(&path, [230, 126, 34]) > 1_000, "the others in orange");
        assert_eq!(bar_label(zh, &rows[0]), "★ 台州天誉日用品有限公司");
        assert_eq!(bar_label(zh, &rows[2]), "永康某某贸易（不建议）");
        let en = ChartWords::of(sourcing::Language::En);
        assert_eq!(bar_label(en, &rows[2]), "永康某某贸易 (not advised)");
    }

    #[test]
    fn a_ladder_marks_the_need_and_the_quantity_bought() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ladder.png");
        let tiers = [(2, Decimal::from(12)), (100, Decimal::from(10)), (500, Decimal::from(9))];
        let zh = zh_words();
        ladder_steps(&path, zh, "阶梯价", &tiers, 0, &[LadderMark::Need(300), LadderMark::Buy(500)]).unwrap();
        assert!(pixels(&path, [26, 86, 219]) > 100, "the need's dashed line");
        assert!(pixels(&path, [179, 64, 10]) > 100, "the quantity bought's dashed line");
        let plain = dir.path().join("plain.png");
        ladder_steps(&plain, zh, "阶梯价", &tiers, 0, &[]).unwrap();
        assert_eq!(pixels(&plain, [26, 86, 219]), 0, "no marks asked, none drawn");
    }
}
