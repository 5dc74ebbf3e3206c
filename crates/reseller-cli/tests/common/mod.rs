//! What the crash tests share: a `reseller serve` process they can kill,
//! and the ledger check they end with.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

/// A running server, killed when dropped (a failed assertion included).
pub struct Running(Child);

impl Running {
    /// SIGKILL, and wait for it to be gone.
    pub fn kill(&mut self) {
        self.0.kill().expect("SIGKILL");
        self.0.wait().unwrap();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `reseller serve` on `database_url` with the demo key `key` and `env`,
/// once it listens.
pub fn serve(database_url: &str, env: &[(&str, &str)]) -> (Running, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reseller"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            database_url,
        ])
        .env("RESELLER_DEMO_API_KEY", "key")
        .env("RESELLER_LOG", "error")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("reseller starts");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let addr = stdout.lines().map_while(Result::ok).find_map(|line| {
        line.strip_prefix("listening on http://")
            .map(str::to_string)
    });
    let running = Running(child);
    match addr {
        Some(addr) => (running, addr.parse().unwrap()),
        None => panic!("the server printed no address"),
    }
}

/// Asserts that `reseller admin check-ledger` finds the ledger balanced.
pub fn assert_ledger_balances(database_url: &str) {
    let check = Command::new(env!("CARGO_BIN_EXE_reseller"))
        .args(["admin", "check-ledger", "--database-url", database_url])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}
