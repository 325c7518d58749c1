//! Health charts as SVG, drawn on the server with plotters (no scripts).

use jiff::Timestamp;
use plotters::prelude::*;

use crate::storage::kiosks::HealthSample;

const SIZE: (u32, u32) = (480, 180);
const LINE: RGBColor = RGBColor(0x1f, 0x5f, 0xa8);

/// One metric over the last 24 hours: x is hours before `now`.
pub struct Series<'a> {
    pub title: &'a str,
    pub unit: &'a str,
    pub points: Vec<(f64, f64)>,
}

/// CPU %, memory used %, disk free %, outbox length.
pub fn health_series(samples: &[HealthSample], now: Timestamp) -> [Series<'static>; 4] {
    let point = |sample: &HealthSample, value: f64| {
        let hours = now.duration_since(sample.at).as_secs_f64() / 3600.0;
        (-hours, value)
    };
    let share = |part: u64, whole: u64| 100.0 * part as f64 / whole.max(1) as f64;
    let outbox = |sample: &HealthSample| sample.outbox_len as f64;
    [
        Series {
            title: "CPU",
            unit: "%",
            points: samples
                .iter()
                .map(|sample| point(sample, f64::from(sample.cpu_percent)))
                .collect(),
        },
        Series {
            title: "Memory used",
            unit: "%",
            points: samples
                .iter()
                .map(|sample| {
                    point(
                        sample,
                        share(sample.memory_used_bytes, sample.memory_total_bytes),
                    )
                })
                .collect(),
        },
        Series {
            title: "Disk free",
            unit: "%",
            points: samples
                .iter()
                .map(|sample| {
                    point(
                        sample,
                        share(sample.disk_free_bytes, sample.disk_total_bytes),
                    )
                })
                .collect(),
        },
        Series {
            title: "Outbox",
            unit: "events",
            points: samples
                .iter()
                .map(|sample| point(sample, outbox(sample)))
                .collect(),
        },
    ]
}

/// The SVG markup of one chart, or `None` if plotters failed to draw it.
pub fn line_chart(series: &Series<'_>) -> Option<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let top = series
            .points
            .iter()
            .map(|(_, value)| *value)
            .fold(if series.unit == "%" { 100.0 } else { 10.0 }, f64::max);
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("{} ({})", series.title, series.unit),
                ("sans-serif", 16),
            )
            .margin(8)
            .x_label_area_size(28)
            .y_label_area_size(44)
            .build_cartesian_2d(-24.0_f64..0.0_f64, 0.0_f64..top)
            .ok()?;
        chart
            .configure_mesh()
            .x_desc("hours ago")
            .x_label_formatter(&|hours| format!("{:.0}", -hours))
            .light_line_style(WHITE)
            .draw()
            .ok()?;
        chart
            .draw_series(LineSeries::new(
                series.points.iter().copied(),
                LINE.stroke_width(2),
            ))
            .ok()?;
        root.present().ok()?;
    }
    Some(svg)
}

/// Horizontal-free simple bar chart of `(label, value)`; `None` if drawing failed
/// or there is nothing to draw.
pub fn bar_chart(title: &str, bars: &[(String, u64)]) -> Option<String> {
    if bars.is_empty() {
        return None;
    }
    let top = bars
        .iter()
        .map(|(_, value)| *value)
        .max()
        .unwrap_or(0)
        .max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (480, 220)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let count = u32::try_from(bars.len()).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(8)
            .x_label_area_size(40)
            .y_label_area_size(44)
            .build_cartesian_2d((0_u32..count).into_segmented(), 0_u64..top)
            .ok()?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(bars.len())
            .x_label_formatter(&|segment| match segment {
                SegmentValue::CenterOf(index) => usize::try_from(*index)
                    .ok()
                    .and_then(|index| bars.get(index))
                    .map(|(label, _)| label.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .draw()
            .ok()?;
        chart
            .draw_series(
                Histogram::vertical(&chart)
                    .style(LINE.filled())
                    .margin(6)
                    .data(bars.iter().enumerate().filter_map(|(index, (_, value))| {
                        u32::try_from(index).ok().map(|index| (index, *value))
                    })),
            )
            .ok()?;
        root.present().ok()?;
    }
    Some(svg)
}
