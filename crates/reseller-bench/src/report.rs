//! The run's figures as a Markdown table (each scenario as a ratio to the
//! ceiling of the same run) and the throughput sweep as an SVG line chart.

use crate::scenarios::Outcome;
use std::fmt::Write;

pub fn markdown(outcomes: &[Outcome], start: (f64, f64), machine: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Machine: {machine}\n");
    let _ = writeln!(
        out,
        "| scenario | conns | requests/s | ceiling requests/s | of ceiling | server CPU µs/request | p50 ms | p99 ms | max ms | errors | server RSS MiB (peak) | notes |"
    );
    let _ = writeln!(
        out,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    );
    for o in outcomes {
        let f = &o.figures;
        let _ = writeln!(
            out,
            "| {} | {} | {:.0} | {:.0} | {:.0}% | {:.1} | {:.2} | {:.2} | {:.2} | {} | {:.0} ({:.0}) | {} |",
            o.name,
            o.connections,
            f.per_second(),
            o.ceiling.per_second(),
            100.0 * o.ratio,
            o.cpu_us,
            f.p50_ms(),
            f.p99_ms(),
            f.max_ms(),
            f.errors,
            o.rss_mib,
            o.peak_rss_mib,
            o.note
        );
    }
    let _ = writeln!(
        out,
        "\nStart on an empty database, spawn to first answered `/health`: median {:.1} ms, max {:.1} ms.",
        start.0, start.1
    );
    for o in outcomes {
        if let Some(error) = &o.figures.first_error {
            let _ = writeln!(
                out,
                "\nFirst error in {}: `{}`",
                o.name,
                error.chars().take(200).collect::<String>()
            );
        }
    }
    out
}

/// A line chart of requests/s against connections (log scale), one line a series.
pub fn svg(series: &[(String, Vec<(usize, f64)>)]) -> String {
    let (width, height, left, right, top, bottom) = (720.0, 420.0, 80.0, 180.0, 30.0, 50.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let max_rps = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|&(_, r)| r))
        .fold(1.0f64, f64::max);
    let y_max = nice_ceiling(max_rps);
    let connections: Vec<usize> = series
        .first()
        .map(|(_, p)| p.iter().map(|&(c, _)| c).collect())
        .unwrap_or_default();
    let (c_min, c_max) = (
        connections.first().copied().unwrap_or(1).max(1) as f64,
        connections.last().copied().unwrap_or(2).max(2) as f64,
    );
    let x = |c: usize| {
        left + plot_w * ((c.max(1) as f64).ln() - c_min.ln()) / (c_max.ln() - c_min.ln()).max(1e-9)
    };
    let y = |r: f64| top + plot_h * (1.0 - r / y_max);
    let colors = ["#1f77b4", "#2ca02c", "#d62728", "#9467bd"];
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        out,
        r#"<text x="{}" y="18" text-anchor="middle" font-size="14">Throughput against connections</text>"#,
        left + plot_w / 2.0
    );
    for i in 0..=5 {
        let value = y_max * f64::from(i) / 5.0;
        let yy = y(value);
        let _ = writeln!(
            out,
            r##"<line x1="{left}" y1="{yy}" x2="{}" y2="{yy}" stroke="#ddd"/>"##,
            left + plot_w
        );
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" text-anchor="end">{:.0}</text>"#,
            left - 6.0,
            yy + 4.0,
            value
        );
    }
    for &c in &connections {
        let xx = x(c);
        let _ = writeln!(
            out,
            r##"<line x1="{xx}" y1="{top}" x2="{xx}" y2="{}" stroke="#eee"/>"##,
            top + plot_h
        );
        let _ = writeln!(
            out,
            r#"<text x="{xx}" y="{}" text-anchor="middle">{c}</text>"#,
            top + plot_h + 16.0
        );
    }
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" text-anchor="middle">connections (log scale)</text>"#,
        left + plot_w / 2.0,
        height - 10.0
    );
    let _ = writeln!(
        out,
        r#"<text x="16" y="{}" text-anchor="middle" transform="rotate(-90 16 {})">requests per second</text>"#,
        top + plot_h / 2.0,
        top + plot_h / 2.0
    );
    let _ = writeln!(
        out,
        r##"<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#333"/>"##
    );
    for (i, (name, points)) in series.iter().enumerate() {
        let color = colors[i % colors.len()];
        let path: Vec<String> = points
            .iter()
            .map(|&(c, r)| format!("{:.1},{:.1}", x(c), y(r)))
            .collect();
        let _ = writeln!(
            out,
            r#"<polyline fill="none" stroke="{color}" stroke-width="2" points="{}"/>"#,
            path.join(" ")
        );
        for &(c, r) in points {
            let _ = writeln!(
                out,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{color}"/>"#,
                x(c),
                y(r)
            );
        }
        let ly = top + 20.0 + 20.0 * i as f64;
        let lx = left + plot_w + 12.0;
        let _ = writeln!(
            out,
            r#"<line x1="{lx}" y1="{ly}" x2="{}" y2="{ly}" stroke="{color}" stroke-width="2"/>"#,
            lx + 20.0
        );
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}">{name}</text>"#,
            lx + 26.0,
            ly + 4.0
        );
    }
    out.push_str("</svg>\n");
    out
}

fn nice_ceiling(value: f64) -> f64 {
    let magnitude = 10f64.powf(value.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if step * magnitude >= value {
            return step * magnitude;
        }
    }
    10.0 * magnitude
}
