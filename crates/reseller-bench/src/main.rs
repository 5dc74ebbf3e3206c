//! `reseller-bench`: runs the standard scenarios and writes their figures
//! and the throughput plot. Build both binaries first:
//! `cargo build --release -p reseller-cli -p reseller-bench`.

use clap::Parser;
use reseller_bench::{report, scenarios};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "reseller-bench",
    about = "Measure the reseller server against its own ceiling"
)]
struct Args {
    /// Where to write results.md and throughput.svg.
    #[arg(long, default_value = "docs/benchmarks")]
    out: PathBuf,
    /// Connections of the main scenarios.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Seconds each main scenario is measured (after a one-second warm-up).
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Rounds each scenario's time is split into, alternating with the ceiling.
    #[arg(long, default_value_t = 5)]
    rounds: u32,
    /// Orders seeded for the search scenario.
    #[arg(long, default_value_t = 1_000_000)]
    search_orders: u64,
    /// Seconds each point of the connection sweep is measured.
    #[arg(long, default_value_t = 3)]
    sweep_seconds: u64,
    /// Orders seeded for the year scenario (the clock advanced a year over them).
    #[arg(long, default_value_t = 1_000_000)]
    year_orders: u64,
    /// Only these scenarios (ceiling, read, search, write, postgres, start, sweep, year, tenants, dns); all by default.
    #[arg(long)]
    only: Vec<String>,
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
            })
        })
        .unwrap_or_else(|| "unknown CPU".to_string());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines().next().map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse::<f64>()
                    .unwrap_or(0.0)
                    / 1024.0
                    / 1024.0
            })
        })
        .unwrap_or(0.0);
    format!("{cpu}, {cores} cores, {memory:.0} GiB; server and load generator share it")
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    let wanted = |name: &str| args.only.is_empty() || args.only.iter().any(|o| o == name);
    let settings = scenarios::Settings {
        connections: args.connections,
        duration: Duration::from_secs(args.seconds),
        rounds: args.rounds,
        warmup: Duration::from_secs(1),
        search_orders: args.search_orders,
        sweep: vec![1, 4, 16, 64, 256],
        sweep_duration: Duration::from_secs(args.sweep_seconds),
    };
    std::fs::create_dir_all(&args.out).map_err(|e| e.to_string())?;
    let mut outcomes = Vec::new();
    // The ceiling server runs throughout: every scenario alternates with it,
    // and each figure is a ratio to the ceiling measured beside it.
    let ceiling_dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let top = scenarios::ceiling_server(ceiling_dir.path())?;
    eprintln!("ceiling ...");
    outcomes.push(scenarios::ceiling(&top, &settings).await?);
    if wanted("read") {
        eprintln!("read ...");
        outcomes.push(scenarios::read(&top, &settings).await?);
    }
    if wanted("search") {
        eprintln!("search (seeding {} orders) ...", settings.search_orders);
        outcomes.push(scenarios::search(&top, &settings).await?);
    }
    if wanted("write") {
        for option in ["NoInvoice", "PayInvoice"] {
            eprintln!("write {option} ...");
            outcomes.push(scenarios::write(&top, &settings, option).await?);
        }
    }
    if wanted("postgres") {
        // One customer, as in the SQLite scenario; then one per connection,
        // so that orders do not all meet on the same rows.
        for customers in [1, settings.connections] {
            for instances in [1, 2] {
                eprintln!(
                    "write on PostgreSQL, {instances} instance(s), {customers} customer(s) ..."
                );
                outcomes
                    .push(scenarios::write_postgres(&top, &settings, instances, customers).await?);
            }
        }
    }
    top.stop()?;
    let start = if wanted("start") {
        scenarios::start(10)?
    } else {
        (f64::NAN, f64::NAN)
    };
    let mut table = report::markdown(&outcomes, start, &machine());
    if wanted("year") {
        eprintln!("year (seeding {} orders) ...", args.year_orders);
        let (jobs, took, seeded) = scenarios::year(args.year_orders)?;
        table.push_str(&format!(
            "\nA year of the clock over {} seeded orders (seeded in {seeded:.1} s): one advance of 365 days ran {jobs} jobs in {took:.1} s, {:.0} jobs/s; ledger afterwards: balanced.\n",
            args.year_orders,
            jobs as f64 / took
        ));
    }
    if wanted("tenants") {
        eprintln!("tenants ...");
        table.push_str(&scenarios::tenants(1_000, 200)?);
    }
    if wanted("dns") {
        eprintln!("dns ...");
        table.push_str(&scenarios::dns(args.seconds)?);
    }
    println!("{table}");
    std::fs::write(args.out.join("results.md"), &table).map_err(|e| e.to_string())?;
    if wanted("sweep") {
        eprintln!("sweep ...");
        let series = scenarios::sweep(&settings).await?;
        for (name, points) in &series {
            let row: Vec<String> = points
                .iter()
                .map(|(c, r)| format!("{c}: {r:.0}/s"))
                .collect();
            println!("sweep {name}: {}", row.join(", "));
        }
        std::fs::write(args.out.join("throughput.svg"), report::svg(&series))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
