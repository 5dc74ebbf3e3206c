//! The standard scenarios, each against a fresh server on a fresh database:
//! ceiling (health), read (backup details), search (1,000,000 orders), write
//! (backup add with NoInvoice and with PayInvoice), start, and the
//! throughput-against-connections sweep behind the plot.

use crate::load::{self, Figures, Load, Requests};
use crate::server::{self, API_KEY, Server};
use hyper::Method;
use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Settings {
    pub connections: usize,
    /// Measured time of a scenario, split into `rounds` rounds that
    /// alternate with rounds of the ceiling.
    pub duration: Duration,
    pub rounds: u32,
    pub warmup: Duration,
    pub search_orders: u64,
    pub sweep: Vec<usize>,
    pub sweep_duration: Duration,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub name: String,
    pub connections: usize,
    pub figures: Figures,
    /// The ceiling measured in the rounds alternating with this scenario's.
    pub ceiling: Figures,
    /// Median over the rounds of this scenario's throughput over the ceiling's.
    pub ratio: f64,
    /// Server CPU time per request, in microseconds (user + system).
    pub cpu_us: f64,
    pub rss_mib: f64,
    pub peak_rss_mib: f64,
    pub note: String,
}

/// A blocking one-shot HTTP request for setting up a scenario.
pub fn call(addr: SocketAddr, method: &str, path: &str) -> Result<serde_json::Value, String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).map_err(|e| e.to_string())?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut reply = String::new();
    stream
        .read_to_string(&mut reply)
        .map_err(|e| e.to_string())?;
    let body = reply
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or_default();
    let value: serde_json::Value =
        serde_json::from_str(body).map_err(|e| format!("{e}: {body}"))?;
    if value.get("status").and_then(|s| s.as_str()) == Some("ERROR") {
        return Err(format!("{method} {path}: {body}"));
    }
    Ok(value)
}

/// A blocking control plane call with a JSON body.
pub fn control(addr: SocketAddr, path: &str, body: &str) -> Result<serde_json::Value, String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).map_err(|e| e.to_string())?;
    write!(
        stream,
        "POST /_reseller/{path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\nAuthorization: Bearer {}\r\nContent-Length: {}\r\n\r\n{body}",
        server::ADMIN_TOKEN,
        body.len()
    )
    .map_err(|e| e.to_string())?;
    let mut reply = String::new();
    stream
        .read_to_string(&mut reply)
        .map_err(|e| e.to_string())?;
    let (head, body) = reply.split_once("\r\n\r\n").unwrap_or((&reply, ""));
    if !head.starts_with("HTTP/1.1 200") {
        return Err(format!("POST /_reseller/{path}: {head} {body}"));
    }
    serde_json::from_str(body).map_err(|e| format!("{e}: {body}"))
}

/// A year of the clock over `orders` seeded backup orders (monthly, without
/// auto-renewal: each expires, is suspended, then deleted) and their
/// 10,000 VPS hosts: one advance of 365 days. Answers the jobs run, the
/// seconds the advance took and the seconds seeding took.
pub fn year(orders: u64) -> Result<(u64, f64, f64), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = server::database_url(dir.path());
    let seeding = server::seed(&url, 10_000, orders)?;
    let server = Server::start(&url)?;
    let started = Instant::now();
    let moved = control(server.addr, "clock/advance", r#"{"days": 365}"#)?;
    let took = started.elapsed().as_secs_f64();
    let jobs = moved["jobs_run"]
        .as_u64()
        .ok_or("no jobs_run in the advance")?;
    server.stop()?;
    if !server::ledger_balanced(&url)? {
        return Err("the ledger does not balance after the year".into());
    }
    Ok((jobs, took, seeding.as_secs_f64()))
}

fn auth() -> String {
    format!("auth-userid=1&api-key={API_KEY}")
}

/// A customer with funds and an Active VPS for backups to attach to.
fn buyer(addr: SocketAddr) -> Result<(i64, i64), String> {
    numbered_buyer(addr, 0)
}

/// Buyer number `n`: its own customer, funds and VPS.
fn numbered_buyer(addr: SocketAddr, n: usize) -> Result<(i64, i64), String> {
    let customer = call(
        addr,
        "POST",
        &format!("/api/customers/signup.json?{}&username=bench{n}@example.com&passwd=bench1234&name=Bench&company=Bench&address-line-1=1+Road&city=X&state=Y&country=US&zipcode=1&phone-cc=1&phone=5550100", auth()),
    )?
    .as_i64()
    .ok_or("signup answered no id")?;
    call(
        addr,
        "POST",
        &format!(
            "/api/billing/add-customer-fund.json?{}&customer-id={customer}&amount=1000000000&description=bench&transaction-type=receipt&transaction-key=bench{n}",
            auth()
        ),
    )?;
    let vps = call(
        addr,
        "POST",
        &format!(
            "/api/vps/linux/us/add.json?{}&domain-name=bench{n}.example.com&customer-id={customer}&months=1&plan-id=101&invoice-option=NoInvoice",
            auth()
        ),
    )?;
    let vps = vps["entityid"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .ok_or("vps add answered no id")?;
    Ok((customer, vps))
}

/// Cheap, repeatable pseudo-random numbers for picking ids and pages.
fn mix(connection: usize, sequence: u64) -> u64 {
    let mut x = (connection as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ sequence.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 31;
    x.wrapping_mul(0x94D0_49BB_1331_11EB)
}

async fn once(
    target: SocketAddr,
    connections: usize,
    duration: Duration,
    warmup: Duration,
    requests: Requests,
) -> Result<Figures, String> {
    load::run(Load {
        target,
        connections,
        duration,
        warmup,
        requests,
    })
    .await
}

/// Requests answered during a warm-up, estimated at the measured rate: the
/// server's CPU time covers them too.
fn warmup_requests(figures: &Figures, round: Duration, warmup: Duration) -> u64 {
    (figures.requests as f64 * warmup.as_secs_f64() / round.as_secs_f64()) as u64
}

/// Measures `server` in rounds that alternate with rounds of the ceiling
/// server, so that both see the same moments of a shared, noisy machine.
async fn measure(
    ceiling: &Server,
    server: &Server,
    name: &str,
    connections: usize,
    settings: &Settings,
    requests: Requests,
) -> Result<Outcome, String> {
    measure_instances(ceiling, &[server], name, connections, settings, requests).await
}

/// Like `measure`, with the connections split evenly over several server
/// instances that share one database.
async fn measure_instances(
    ceiling: &Server,
    servers: &[&Server],
    name: &str,
    connections: usize,
    settings: &Settings,
    requests: Requests,
) -> Result<Outcome, String> {
    let rounds = settings.rounds.max(1);
    let round = settings.duration / rounds;
    let mut measured: Option<(Figures, Figures)> = None;
    let mut ratios = Vec::new();
    let (mut cpu_used, mut sent) = (0.0, 0u64);
    for r in 0..rounds {
        let warmup = if r == 0 {
            settings.warmup
        } else {
            Duration::ZERO
        };
        let top = once(ceiling.addr, connections, round, warmup, health()).await?;
        let cpu_before: f64 = servers.iter().map(|s| s.cpu_seconds()).sum();
        let share = connections / servers.len();
        let loads = servers
            .iter()
            .map(|s| once(s.addr, share, round, warmup, requests.clone()));
        let mut this: Option<Figures> = None;
        for figures in futures_join_all(loads).await {
            let figures = figures?;
            match this.as_mut() {
                // Concurrent loads: requests add up over the same seconds.
                Some(total) => {
                    let seconds = total.seconds;
                    total.merge(&figures)?;
                    total.seconds = seconds;
                }
                None => this = Some(figures),
            }
        }
        let this = this.ok_or("no servers")?;
        cpu_used += servers.iter().map(|s| s.cpu_seconds()).sum::<f64>() - cpu_before;
        sent += this.requests + warmup_requests(&this, round, warmup);
        ratios.push(this.per_second() / top.per_second());
        match measured.as_mut() {
            Some((figures, ceiling)) => {
                figures.merge(&this)?;
                ceiling.merge(&top)?;
            }
            None => measured = Some((this, top)),
        }
    }
    ratios.sort_by(f64::total_cmp);
    let (figures, ceiling) = measured.ok_or("no rounds")?;
    let (rss, peak) = servers
        .iter()
        .map(|s| s.memory_mib())
        .fold((0.0f64, 0.0f64), |(r, p), (r2, p2)| (r.max(r2), p.max(p2)));
    Ok(Outcome {
        name: name.to_string(),
        connections,
        figures,
        ceiling,
        ratio: ratios[ratios.len() / 2],
        cpu_us: cpu_used * 1e6 / sent.max(1) as f64,
        rss_mib: rss,
        peak_rss_mib: peak,
        note: String::new(),
    })
}

/// Runs futures concurrently and collects their outputs in order.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let mut set = Vec::new();
    for future in futures {
        set.push(tokio::spawn(future));
    }
    let mut outputs = Vec::with_capacity(set.len());
    for handle in set {
        outputs.push(handle.await.expect("a load task"));
    }
    outputs
}

fn health() -> Requests {
    Arc::new(|_, _| (Method::GET, "/health".to_string()))
}

fn backup_add(customer: i64, host: i64, option: &'static str) -> Requests {
    let path = format!(
        "/api/backup/us/add.json?{}&storage-size-gb=20&customer-id={customer}&hosting-order-id={host}&months=1&plan-id=301&invoice-option={option}",
        auth()
    );
    Arc::new(move |_, _| (Method::POST, path.clone()))
}

/// Backup adds spread over many buyers: connection `c` orders for buyer `c`.
fn backup_add_spread(buyers: Vec<(i64, i64)>, option: &'static str) -> Requests {
    let paths: Vec<String> = buyers
        .iter()
        .map(|(customer, host)| {
            format!(
                "/api/backup/us/add.json?{}&storage-size-gb=20&customer-id={customer}&hosting-order-id={host}&months=1&plan-id=301&invoice-option={option}",
                auth()
            )
        })
        .collect();
    Arc::new(move |c, _| (Method::POST, paths[c % paths.len()].clone()))
}

/// Backup order ids of a seeded database, collected through search.
fn backup_ids(addr: SocketAddr, pages: u32) -> Result<Vec<String>, String> {
    let mut ids = Vec::new();
    for page in 1..=pages {
        let found = call(
            addr,
            "GET",
            &format!(
                "/api/backup/us/search.json?{}&no-of-records=500&page-no={page}",
                auth()
            ),
        )?;
        for n in 1..=500 {
            if let Some(id) = found[n.to_string()]["orders.orderid"].as_str() {
                ids.push(id.to_string());
            }
        }
    }
    Ok(ids)
}

fn details(ids: Vec<String>) -> Requests {
    let ids = Arc::new(ids);
    let prefix = format!("/api/backup/us/details.json?{}&order-id=", auth());
    Arc::new(move |c, s| {
        (
            Method::GET,
            format!("{prefix}{}", ids[(mix(c, s) % ids.len() as u64) as usize]),
        )
    })
}

/// The ceiling server: the same binary on an empty database, answering
/// `/health` (no auth, no database). It runs for the whole benchmark.
pub fn ceiling_server(dir: &std::path::Path) -> Result<Server, String> {
    Server::start(&server::database_url(dir))
}

pub async fn ceiling(top: &Server, settings: &Settings) -> Result<Outcome, String> {
    measure(
        top,
        top,
        "ceiling: GET /health",
        settings.connections,
        settings,
        health(),
    )
    .await
}

pub async fn read(top: &Server, settings: &Settings) -> Result<Outcome, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = server::database_url(dir.path());
    server::seed(&url, 1_000, 10_000)?;
    let server = Server::start(&url)?;
    let ids = backup_ids(server.addr, 20)?;
    let mut outcome = measure(
        top,
        &server,
        "read: backup/us/details",
        settings.connections,
        settings,
        details(ids),
    )
    .await?;
    outcome.note = "10,000 seeded orders, random order ids".to_string();
    server.stop()?;
    Ok(outcome)
}

pub async fn search(top: &Server, settings: &Settings) -> Result<Outcome, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = server::database_url(dir.path());
    let seeding = server::seed(&url, 10_000, settings.search_orders)?;
    let server = Server::start(&url)?;
    let prefix = format!(
        "/api/backup/us/search.json?{}&no-of-records=10&page-no=",
        auth()
    );
    let requests: Requests =
        Arc::new(move |c, s| (Method::GET, format!("{prefix}{}", 1 + mix(c, s) % 100)));
    let mut outcome = measure(
        top,
        &server,
        "search: backup/us/search, 10 a page",
        settings.connections,
        settings,
        requests,
    )
    .await?;
    outcome.note = format!(
        "{} seeded orders (seeded in {:.1} s), random page 1 to 100",
        settings.search_orders,
        seeding.as_secs_f64()
    );
    server.stop()?;
    Ok(outcome)
}

pub async fn write(
    top: &Server,
    settings: &Settings,
    option: &'static str,
) -> Result<Outcome, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = server::database_url(dir.path());
    let server = Server::start(&url)?;
    let (customer, host) = buyer(server.addr)?;
    let name = format!("write: backup/us/add, {option}");
    let mut outcome = measure(
        top,
        &server,
        &name,
        settings.connections,
        settings,
        backup_add(customer, host, option),
    )
    .await?;
    server.stop()?;
    let balanced = server::ledger_balanced(&url)?;
    outcome.note = format!(
        "durable commits; ledger afterwards: {}",
        if balanced { "balanced" } else { "NOT BALANCED" }
    );
    if !balanced {
        return Err(format!("{name}: the ledger does not balance after the run"));
    }
    Ok(outcome)
}

/// Start-up time on an empty database, over `runs` starts: (median, max) ms.
pub fn start(runs: usize) -> Result<(f64, f64), String> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let server = Server::start(&server::database_url(dir.path()))?;
        times.push(server.startup.as_secs_f64() * 1000.0);
        server.stop()?;
    }
    times.sort_by(f64::total_cmp);
    Ok((times[times.len() / 2], times[times.len() - 1]))
}

/// Requests per second at each connection count, for ceiling, read and write.
pub async fn sweep(settings: &Settings) -> Result<Vec<(String, Vec<(usize, f64)>)>, String> {
    let short = Settings {
        duration: settings.sweep_duration,
        ..settings.clone()
    };
    let mut series = Vec::new();
    for name in ["ceiling", "read", "write NoInvoice"] {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let url = server::database_url(dir.path());
        if name == "read" {
            server::seed(&url, 1_000, 10_000)?;
        }
        let server = Server::start(&url)?;
        let requests = match name {
            "ceiling" => health(),
            "read" => details(backup_ids(server.addr, 20)?),
            _ => {
                let (customer, host) = buyer(server.addr)?;
                backup_add(customer, host, "NoInvoice")
            }
        };
        let mut points = Vec::new();
        for &connections in &settings.sweep {
            let figures = once(
                server.addr,
                connections,
                short.duration,
                short.warmup,
                requests.clone(),
            )
            .await?;
            points.push((connections, figures.per_second()));
        }
        server.stop()?;
        series.push((name.to_string(), points));
    }
    Ok(series)
}

/// Writes on PostgreSQL with one or more server instances sharing a
/// throwaway database.
pub async fn write_postgres(
    top: &Server,
    settings: &Settings,
    instances: usize,
    customers: usize,
) -> Result<Outcome, String> {
    let scratch = reseller_testdb::ScratchDatabase::create().map_err(|e| e.to_string())?;
    let mut servers = Vec::new();
    for _ in 0..instances {
        servers.push(Server::start(&scratch.url)?);
    }
    let buyers = (0..customers)
        .map(|n| numbered_buyer(servers[0].addr, n))
        .collect::<Result<Vec<_>, _>>()?;
    let name = format!(
        "write on PostgreSQL, {instances} instance{}, {customers} customer{}: backup/us/add, PayInvoice",
        if instances == 1 { "" } else { "s" },
        if customers == 1 { "" } else { "s" }
    );
    let refs: Vec<&Server> = servers.iter().collect();
    let mut outcome = measure_instances(
        top,
        &refs,
        &name,
        settings.connections,
        settings,
        backup_add_spread(buyers, "PayInvoice"),
    )
    .await?;
    for server in servers {
        server.stop()?;
    }
    let balanced = server::ledger_balanced(&scratch.url)?;
    outcome.note = format!(
        "serializable transactions; ledger afterwards: {}",
        if balanced { "balanced" } else { "NOT BALANCED" }
    );
    if !balanced {
        return Err(format!("{name}: the ledger does not balance after the run"));
    }
    Ok(outcome)
}

/// The queries the DNS scenario sends in turn, with the answer code each
/// must get.
const DNS_QUERIES: [(&str, &str, &str); 4] = [
    ("www.bench-zone.com", "A", "NOERROR"),
    ("bench-zone.com", "MX", "NOERROR"),
    ("bench-zone.com", "SOA", "NOERROR"),
    ("nothing.bench-zone.com", "A", "NXDOMAIN"),
];

/// What `dnsperf` printed: its summary and, with `-v`, a line per query.
fn dnsperf(
    server: SocketAddr,
    queries: &std::path::Path,
    seconds: u64,
    rate: u64,
    verbose: bool,
) -> Result<String, String> {
    let mut command = Command::new("dnsperf");
    command
        .args([
            "-s",
            &server.ip().to_string(),
            "-p",
            &server.port().to_string(),
        ])
        .args([
            "-d",
            &queries.display().to_string(),
            "-l",
            &seconds.to_string(),
        ])
        .args(["-c", "8", "-Q", &rate.to_string()]);
    if verbose {
        command.arg("-v");
    }
    let output = command.output().map_err(|e| format!("dnsperf: {e}"))?;
    Ok(String::from_utf8_lossy(&output.stdout).to_string())
}

fn dnsperf_figure(summary: &str, label: &str) -> String {
    summary
        .lines()
        .find_map(|l| l.trim().strip_prefix(label))
        .map(|v| v.trim().to_string())
        .unwrap_or_else(|| "?".to_string())
}

/// DNS answers per second of the server's own listener, driven by
/// Debian's `dnsperf`: as fast as it answers, then at 50,000 queries/s
/// with each query's latency, every answer's code checked. A paragraph
/// for the report.
pub fn dns(seconds: u64) -> Result<String, String> {
    if Command::new("dnsperf").arg("-h").output().is_err() {
        return Ok(
            "\nDNS: not measured: `dnsperf` is not installed (Debian's package dnsperf).\n"
                .to_string(),
        );
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = server::database_url(dir.path());
    let (server, dns) = Server::start_with_dns(&url, "127.0.0.1:0")?;
    let dns = dns.ok_or("the server printed no DNS address")?;
    let api = |method: &str, path: &str, params: &str| {
        call(
            server.addr,
            method,
            &format!(
                "/api/{path}.json?auth-userid=1&api-key={}&{params}",
                server::API_KEY
            ),
        )
    };
    let customer = api(
        "POST",
        "customers/signup",
        "username=dns@bench.example&passwd=secret123&name=B&company=B&address-line-1=1+Road&city=X&state=Y&country=US&zipcode=1&phone-cc=1&phone=5550100&lang-pref=en",
    )?;
    let customer = customer
        .as_i64()
        .map(|c| c.to_string())
        .unwrap_or_else(|| customer.to_string());
    let contact = api(
        "POST",
        "contacts/add",
        &format!(
            "name=B&company=B&email=dns@bench.example&address-line-1=1+Road&city=X&country=US&zipcode=1&phone-cc=1&phone=5550100&customer-id={customer}&type=Contact"
        ),
    )?;
    let contact = contact
        .as_i64()
        .map(|c| c.to_string())
        .unwrap_or_else(|| contact.to_string());
    let registered = api(
        "POST",
        "domains/register",
        &format!(
            "domain-name=bench-zone.com&years=1&ns=ns1.example.net&customer-id={customer}&reg-contact-id={contact}&admin-contact-id={contact}&tech-contact-id={contact}&billing-contact-id={contact}&invoice-option=NoInvoice"
        ),
    )?;
    let order = registered["entityid"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    api("POST", "dns/activate", &format!("order-id={order}"))?;
    api(
        "POST",
        "dns/manage/add-ipv4-record",
        "domain-name=bench-zone.com&host=www&value=192.0.2.1",
    )?;
    api(
        "POST",
        "dns/manage/add-mx-record",
        "domain-name=bench-zone.com&value=mail.bench-zone.com",
    )?;
    let queries = dir.path().join("queries.txt");
    let lines: Vec<String> = DNS_QUERIES
        .iter()
        .map(|(n, t, _)| format!("{n} {t}"))
        .collect();
    std::fs::write(&queries, lines.join("\n") + "\n").map_err(|e| e.to_string())?;

    let ours = measure_dns(dns, &queries, seconds)?;
    server.stop()?;
    let theirs = match nsd(dir.path(), &queries, seconds) {
        Ok(Some(figures)) => format!("NSD, the same zone from a zone file, measured the same way right after: {figures}"),
        Ok(None) => "NSD is not installed (Debian's package nsd), so no well-known server was measured beside it.".to_string(),
        Err(error) => format!("NSD could not be measured: {error}."),
    };
    Ok(format!(
        "\nDNS (dnsperf, 8 clients, one zone; queries {}): the server's own listener: {ours} {theirs}\n",
        DNS_QUERIES
            .iter()
            .map(|(n, t, c)| format!("{n} {t} -> {c}"))
            .collect::<Vec<_>>()
            .join(", "),
    ))
}

/// dnsperf against `server`: as fast as it answers, then at 50,000
/// queries/s with each answer's code checked and its latency kept.
fn measure_dns(
    server: SocketAddr,
    queries: &std::path::Path,
    seconds: u64,
) -> Result<String, String> {
    let flat_out = dnsperf(server, queries, seconds, 10_000_000, false)?;
    let paced = dnsperf(server, queries, seconds, 50_000, true)?;
    let (mut latencies, mut wrong, mut answered) = (Vec::new(), 0u64, 0u64);
    for line in paced.lines().filter(|l| l.starts_with("> ")) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let (code, name) = (
            parts.get(1).copied().unwrap_or_default(),
            parts.get(2).copied().unwrap_or_default(),
        );
        let expected = DNS_QUERIES
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, _, c)| *c);
        if expected != Some(code) {
            wrong += 1;
        }
        answered += 1;
        if let Some(latency) = parts.last().and_then(|l| l.parse::<f64>().ok()) {
            latencies.push(latency * 1000.0);
        }
    }
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64) * q) as usize)
            .copied()
            .unwrap_or(f64::NAN)
    };
    Ok(format!(
        "as fast as it answers, {} answers/s ({}); at 50,000 queries/s offered, {} answers/s, {answered} answers of which {wrong} with a wrong code, latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms.",
        dnsperf_figure(&flat_out, "Queries per second:"),
        dnsperf_figure(&flat_out, "Response codes:"),
        dnsperf_figure(&paced, "Queries per second:"),
        at(0.5),
        at(0.99),
        latencies.last().copied().unwrap_or(f64::NAN),
    ))
}

/// The same measurement against NSD serving the same zone from a zone
/// file, its response rate limiting off (it is on by default and would
/// answer a benchmark's one client address a few hundred times a second);
/// `None` when NSD is not installed.
fn nsd(
    dir: &std::path::Path,
    queries: &std::path::Path,
    seconds: u64,
) -> Result<Option<String>, String> {
    if Command::new("nsd").arg("-v").output().is_err() {
        return Ok(None);
    }
    let port = std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let zone = "$ORIGIN bench-zone.com.\n$TTL 14400\n\
        @ IN SOA dns1.reseller.example. hostmaster.reseller.example. 2026120501 7200 7200 172800 14400\n\
        @ IN NS dns1.reseller.example.\n@ IN NS dns2.reseller.example.\n\
        www IN A 192.0.2.1\n@ IN MX 10 mail.bench-zone.com.\n";
    std::fs::write(dir.join("bench-zone.com.zone"), zone).map_err(|e| e.to_string())?;
    let d = dir.display();
    let config = format!(
        "server:\n  ip-address: 127.0.0.1@{port}\n  username: \"\"\n  zonesdir: \"{d}\"\n  pidfile: \"{d}/nsd.pid\"\n  xfrdfile: \"{d}/xfrd.state\"\n  zonelistfile: \"{d}/zone.list\"\n  database: \"\"\n  server-count: 2\n  verbosity: 0\n  rrl-ratelimit: 0\n  rrl-whitelist-ratelimit: 0\nremote-control:\n  control-enable: no\nzone:\n  name: bench-zone.com\n  zonefile: bench-zone.com.zone\n"
    );
    let config_path = dir.join("nsd.conf");
    std::fs::write(&config_path, config).map_err(|e| e.to_string())?;
    // Its own process group, so that its serving children stop with it.
    let mut child = Command::new("nsd")
        .process_group(0)
        .args(["-d", "-c", &config_path.display().to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("nsd: {e}"))?;
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    // Wait until it answers.
    let ready = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(50));
        Command::new("dig")
            .args([
                "@127.0.0.1",
                "-p",
                &port.to_string(),
                "+short",
                "+time=1",
                "+tries=1",
                "bench-zone.com",
                "SOA",
            ])
            .output()
            .is_ok_and(|o| !o.stdout.is_empty())
    });
    let figures = if ready {
        measure_dns(address, queries, seconds)
    } else {
        Err("it did not answer".to_string())
    };
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .status();
    let _ = child.wait();
    figures.map(Some)
}

/// Median and 99th percentile of times in milliseconds.
fn median_p99(mut times: Vec<f64>) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99))
}

/// Milliseconds a control plane call takes, each on a fresh connection
/// (as a test's fixture makes it).
fn timed(addr: SocketAddr, path: &str, body: &str) -> Result<(f64, serde_json::Value), String> {
    let started = Instant::now();
    let reply = control(addr, path, body)?;
    Ok((started.elapsed().as_secs_f64() * 1000.0, reply))
}

/// Tenants for parallel tests, on SQLite: how long making one takes, and
/// a reset and a restore of one holding `orders` orders, beside the
/// global reset and restore of the same data. Answers a paragraph of the
/// results.
pub fn tenants(orders: usize, runs: usize) -> Result<String, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = server::database_url(dir.path());
    let server = Server::start(&url)?;
    let addr = server.addr;
    let mut created = Vec::with_capacity(runs);
    for _ in 0..runs {
        created.push(timed(addr, "tenants", r#"{"funds": "100000"}"#)?.0);
    }
    // The tenant measured: a customer with funds and `orders` VPS orders.
    let made = control(addr, "tenants", r#"{"funds": "1000000", "clock": true}"#)?;
    let id = made["id"].as_i64().ok_or("no tenant id")?;
    let key = made["api-key"].as_str().ok_or("no tenant key")?.to_string();
    let auth = format!("auth-userid={id}&api-key={key}");
    let fill = |addr: SocketAddr| -> Result<(), String> {
        let customer = call(
            addr,
            "POST",
            &format!("/api/customers/signup.json?{auth}&username=tenant@example.com&passwd=bench1234&name=Bench&company=Bench&address-line-1=1+Road&city=X&state=Y&country=US&zipcode=1&phone-cc=1&phone=5550100"),
        )?
        .as_i64()
        .ok_or("signup answered no id")?;
        for n in 0..orders {
            call(
                addr,
                "POST",
                &format!(
                    "/api/vps/linux/us/add.json?{auth}&domain-name=t{n}.example.com&customer-id={customer}&months=1&plan-id=101&invoice-option=NoInvoice"
                ),
            )?;
        }
        Ok(())
    };
    fill(addr)?;
    control(addr, &format!("tenants/{id}/snapshots/full"), "")?;
    control(addr, "snapshots/full", "")?;
    let (mut resets, mut restores) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        restores.push(timed(addr, &format!("tenants/{id}/snapshots/full/restore"), "")?.0);
        resets.push(timed(addr, &format!("tenants/{id}/reset"), "")?.0);
    }
    control(addr, &format!("tenants/{id}/snapshots/full/restore"), "")?;
    let (mut global_resets, mut global_restores) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        global_restores.push(timed(addr, "snapshots/full/restore", "")?.0);
        global_resets.push(timed(addr, "reset", "")?.0);
    }
    server.stop()?;
    if !server::ledger_balanced(&url)? {
        return Err("the ledger does not balance after the tenants' runs".into());
    }
    let figure = |name: &str, times: Vec<f64>| {
        let (median, p99) = median_p99(times);
        format!("| {name} | {median:.2} | {p99:.2} |\n")
    };
    Ok(format!(
        "\nTenants on SQLite, {runs} runs each, every call on a fresh connection (client-side time, ms); the tenant and the global data hold {orders} orders of one tenant and {runs} other tenants:\n\n| call | median ms | p99 ms |\n|---|---|---|\n{}{}{}{}{}",
        figure("`POST /_reseller/tenants`", created),
        figure("tenant reset", resets),
        figure("tenant snapshot restore", restores),
        figure("global reset", global_resets),
        figure("global snapshot restore", global_restores),
    ))
}
