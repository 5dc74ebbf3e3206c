//! A `reseller serve` child process on a database of its own, for one
//! scenario: started on a free loopback port, measured, stopped with SIGTERM.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const API_KEY: &str = "bench-key";
/// The control plane's token of every benchmark server.
pub const ADMIN_TOKEN: &str = "bench-admin-token";

pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    pub database_url: String,
    /// From spawning the process to its first answered `/health`.
    pub startup: Duration,
}

/// The `reseller` binary beside this one (both built by the same cargo call).
pub fn reseller_binary() -> Result<PathBuf, String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let binary = me.with_file_name("reseller");
    if binary.exists() {
        Ok(binary)
    } else {
        Err(format!(
            "{} not found: build it with `cargo build --release -p reseller-cli`",
            binary.display()
        ))
    }
}

pub fn database_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("bench.db").display())
}

/// Runs `reseller admin seed` on a database.
pub fn seed(database_url: &str, customers: u64, orders: u64) -> Result<Duration, String> {
    let started = Instant::now();
    let status = Command::new(reseller_binary()?)
        .args([
            "admin",
            "seed",
            "--customers",
            &customers.to_string(),
            "--orders",
            &orders.to_string(),
        ])
        .args(["--database-url", database_url])
        .env("RESELLER_DEMO_API_KEY", API_KEY)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("seeding failed: {status}"));
    }
    Ok(started.elapsed())
}

/// Checks the ledger of a stopped server's database.
pub fn ledger_balanced(database_url: &str) -> Result<bool, String> {
    let output = Command::new(reseller_binary()?)
        .args(["admin", "check-ledger", "--database-url", database_url])
        .output()
        .map_err(|e| e.to_string())?;
    Ok(output.status.success())
}

impl Server {
    /// A server without a DNS listener (several run at once).
    pub fn start(database_url: &str) -> Result<Server, String> {
        Ok(Server::start_with_dns(database_url, "off")?.0)
    }

    /// A server with its DNS listener on `dns` (`127.0.0.1:0` picks a
    /// port, `off` none); answers the DNS address bound, if any.
    pub fn start_with_dns(
        database_url: &str,
        dns: &str,
    ) -> Result<(Server, Option<SocketAddr>), String> {
        let started = Instant::now();
        let mut child = Command::new(reseller_binary()?)
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--database-url",
                database_url,
            ])
            .env("RESELLER_DEMO_API_KEY", API_KEY)
            .env("RESELLER_ADMIN_TOKEN", ADMIN_TOKEN)
            .env("RESELLER_DEMO_FUNDS", "1000000000")
            .env("RESELLER_LOG", "warn")
            .env("RESELLER_DNS_LISTEN", dns)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| e.to_string())?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (mut addr, mut dns_addr) = (None, None);
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|e| e.to_string())?;
            if let Some(bound) = line.strip_prefix("answering DNS on ") {
                let bound = bound.split_whitespace().next().unwrap_or_default();
                dns_addr = Some(bound.parse::<SocketAddr>().map_err(|e| e.to_string())?);
            }
            if let Some(listen) = line.strip_prefix("listening on http://") {
                addr = Some(listen.parse::<SocketAddr>().map_err(|e| e.to_string())?);
                break;
            }
        }
        let addr = addr.ok_or("the server printed no listen address")?;
        wait_healthy(addr, started)?;
        let server = Server {
            child,
            addr,
            database_url: database_url.to_string(),
            startup: started.elapsed(),
        };
        Ok((server, dns_addr))
    }

    /// CPU time the server process has used so far (user + system), from /proc.
    pub fn cpu_seconds(&self) -> f64 {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // Fields after the command name, which is in parentheses and may hold spaces.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_whitespace().collect())
            .unwrap_or_default();
        let ticks = |i: usize| {
            fields
                .get(i)
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(f64::NAN)
        };
        // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
        (ticks(11) + ticks(12)) / clock_ticks_per_second()
    }

    /// Resident and peak resident memory in MiB, from /proc.
    pub fn memory_mib(&self) -> (f64, f64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
                .map(|kb| kb / 1024.0)
                .unwrap_or(f64::NAN)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    pub fn stop(mut self) -> Result<(), String> {
        let pid = self.child.id().to_string();
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .map_err(|e| e.to_string())?;
        let status = self.child.wait().map_err(|e| e.to_string())?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("the server exited with {status}"))
        }
    }
}

/// Polls `/health` until it answers; a plain blocking request, no client library.
fn wait_healthy(addr: SocketAddr, started: Instant) -> Result<(), String> {
    use std::io::{Read, Write};
    while started.elapsed() < Duration::from_secs(30) {
        if let Ok(mut stream) = std::net::TcpStream::connect(addr) {
            let _ = stream
                .write_all(b"GET /health HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n");
            let mut reply = String::new();
            if stream.read_to_string(&mut reply).is_ok() && reply.starts_with("HTTP/1.1 200") {
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Err("the server did not become healthy in 30 s".to_string())
}

/// The kernel's clock tick, in which /proc reports CPU times (`getconf CLK_TCK`).
fn clock_ticks_per_second() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|t| t.trim().parse().ok())
            .unwrap_or(100.0)
    })
}
