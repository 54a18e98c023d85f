//! `--chart OUT.svg`: accuracy by complexity and the latency distribution of a bench
//! run, drawn with plotters' SVG backend (no fonts or image libraries needed).

use super::{Accuracy, Report};
use plotters::prelude::*;
use std::path::Path;

const METRICS: [(&str, RGBColor); 4] = [
    ("JSONExact", RGBColor(31, 119, 180)),
    ("Field F1", RGBColor(255, 127, 14)),
    ("compliance", RGBColor(44, 160, 44)),
    ("schema-valid", RGBColor(148, 103, 189)),
];

/// Slots per complexity group on the x axis: one per metric and a gap.
const SLOTS: usize = METRICS.len() + 1;

/// Latency histogram buckets.
const BUCKETS: u32 = 12;

fn err(e: impl std::fmt::Display) -> String {
    format!("drawing the chart: {e}")
}

fn values(a: &Accuracy) -> [f64; 4] {
    [a.json_exact, a.field_f1, a.schema_compliance, a.schema_valid]
}

/// Draws the chart of one run; only `.svg` is supported.
pub fn draw(path: &Path, report: &Report, latencies_ms: &[f64]) -> Result<(), String> {
    if path.extension().and_then(|e| e.to_str()) != Some("svg") {
        return Err(format!("--chart {}: only .svg charts are supported", path.display()));
    }
    let order = ["simple", "medium", "complex"];
    let mut groups: Vec<(String, &Accuracy)> =
        order.iter().filter_map(|c| report.by_complexity.get(*c).map(|a| (c.to_string(), a))).collect();
    groups
        .extend(report.by_complexity.iter().filter(|(c, _)| !order.contains(&c.as_str())).map(|(c, a)| (c.clone(), a)));
    groups.push(("overall".into(), &report.overall));

    let root = SVGBackend::new(path, (1200, 480)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let title = format!(
        "{} ({}, {})",
        report.model.name,
        report.model.quant.as_deref().unwrap_or("?"),
        if report.constrained { "constrained" } else { "unconstrained" }
    );
    let root = root.titled(&title, ("sans-serif", 22)).map_err(err)?;
    let (left, right) = root.split_horizontally(680);

    let slots = groups.len() * SLOTS;
    let mut chart = ChartBuilder::on(&left)
        .caption("Accuracy by complexity", ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(45)
        .build_cartesian_2d((0..slots).into_segmented(), 0f64..1.3f64)
        .map_err(err)?;
    let label_of = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(k) if k % SLOTS == METRICS.len() / 2 => {
            groups.get(k / SLOTS).map(|(name, a)| format!("{name} (n={})", a.n)).unwrap_or_default()
        }
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(slots)
        .x_label_formatter(&label_of)
        .y_desc("fraction")
        .draw()
        .map_err(err)?;
    for (m, (name, color)) in METRICS.iter().enumerate() {
        let bars = groups.iter().enumerate().map(|(g, (_, a))| {
            let slot = g * SLOTS + m;
            let mut bar = Rectangle::new(
                [(SegmentValue::Exact(slot), 0.0), (SegmentValue::Exact(slot + 1), values(a)[m])],
                color.filled(),
            );
            bar.set_margin(0, 0, 2, 2);
            bar
        });
        chart
            .draw_series(bars)
            .map_err(err)?
            .label(*name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperMiddle)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(err)?;

    let max = latencies_ms.iter().copied().fold(0.0_f64, f64::max).max(1.0);
    let width = max / f64::from(BUCKETS);
    let bucket = |ms: f64| ((ms / width).floor() as u32).min(BUCKETS - 1);
    let mut counts = [0u32; BUCKETS as usize];
    for ms in latencies_ms {
        counts[bucket(*ms) as usize] += 1;
    }
    let top = counts.iter().copied().max().unwrap_or(1).max(1);
    let mut hist = ChartBuilder::on(&right)
        .caption(
            format!("Latency per example (p50 {:.0} ms, p95 {:.0} ms)", report.latency_ms.p50, report.latency_ms.p95),
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(40)
        .build_cartesian_2d((0..BUCKETS).into_segmented(), 0u32..top + 1)
        .map_err(err)?;
    let ms_label = |v: &SegmentValue<u32>| match v {
        SegmentValue::CenterOf(k) if k % 3 == 0 => format!("{:.0}", f64::from(*k) * width),
        _ => String::new(),
    };
    hist.configure_mesh()
        .disable_x_mesh()
        .x_labels(BUCKETS as usize)
        .x_label_formatter(&ms_label)
        .x_desc("ms (bucket start)")
        .y_desc("examples")
        .draw()
        .map_err(err)?;
    hist.draw_series(
        Histogram::vertical(&hist)
            .style(RGBColor(31, 119, 180).filled())
            .margin(3)
            .data(latencies_ms.iter().map(|ms| (bucket(*ms), 1))),
    )
    .map_err(err)?;
    root.present().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::{Latency, ModelReport};

    #[test]
    fn draws_an_svg_with_every_group() {
        let a = Accuracy {
            n: 3,
            json_exact: 0.33,
            field_f1: 0.7,
            schema_compliance: 0.66,
            schema_valid: 1.0,
            ..Accuracy::default()
        };
        let report = Report {
            model: ModelReport {
                name: "m".into(),
                file: "f".into(),
                quant: Some("Q4_1".into()),
                params: 1,
                adapter: None,
            },
            overall: a.clone(),
            by_complexity: [("simple".to_string(), a.clone()), ("complex".to_string(), a)].into_iter().collect(),
            latency_ms: Latency { mean: 500.0, p50: 450.0, p95: 900.0 },
            prompt_tokens_per_s: 1.0,
            gen_tokens_per_s: 1.0,
            peak_rss_bytes: 1,
            energy_j_per_job: None,
            energy_source: "none".into(),
            threads: 2,
            constrained: true,
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.svg");
        draw(&path, &report, &[300.0, 450.0, 900.0]).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("simple (n=3)") && svg.contains("overall"), "{svg}");
        assert!(svg.contains("Latency per example"));
        assert!(draw(&dir.path().join("c.png"), &report, &[1.0]).unwrap_err().contains(".svg"));
    }
}
