//! Throwaway PostgreSQL databases for tests and benchmarks: created with a
//! random name on the server at `RESELLER_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) and dropped when the guard
//! goes. An unreachable server is an error, never a silent skip.

use postgres::{Client, NoTls};

/// Why a throwaway database could not be had.
#[derive(Debug)]
pub struct ScratchError(pub String);

impl std::fmt::Display for ScratchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ScratchError {}

/// Runs `work` on a thread of its own: the synchronous client drives a
/// runtime of its own, which must not start inside a tokio runtime.
fn off_runtime<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| scope.spawn(work).join().expect("no panic"))
}

pub struct ScratchDatabase {
    admin_url: String,
    name: String,
    /// The URL of the new database, for `Store::open`.
    pub url: String,
}

fn admin_url() -> String {
    std::env::var("RESELLER_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

impl ScratchDatabase {
    pub fn create() -> Result<ScratchDatabase, ScratchError> {
        off_runtime(Self::create_here)
    }

    fn create_here() -> Result<ScratchDatabase, ScratchError> {
        let admin_url = admin_url();
        let mut random = [0u8; 6];
        getrandom::fill(&mut random).map_err(|e| ScratchError(format!("no randomness: {e}")))?;
        let suffix: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let name = format!("reseller_test_{suffix}");
        let mut client = Client::connect(&admin_url, NoTls)
            .map_err(|e| ScratchError(format!("PostgreSQL at {admin_url} is unreachable: {e}")))?;
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .map_err(|e| ScratchError(format!("CREATE DATABASE {name}: {e}")))?;
        let base = admin_url
            .rsplit_once('/')
            .map(|(base, _)| base)
            .unwrap_or(&admin_url);
        let url = format!("{base}/{name}");
        Ok(ScratchDatabase {
            admin_url,
            name,
            url,
        })
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        off_runtime(|| {
            if let Ok(mut client) = Client::connect(&self.admin_url, NoTls) {
                let _ = client.batch_execute(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                ));
            }
        });
    }
}
