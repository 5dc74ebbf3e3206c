//! Throwaway PostgreSQL databases for tests and benchmarks: created with a
//! random name on the server at `RESELLER_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) and dropped when the guard
//! goes. An unreachable server is an error, never a silent skip.

use crate::pg::fault;
use postgres::{Client, NoTls};
use reseller_core::StoreError;

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
    pub fn create() -> Result<ScratchDatabase, StoreError> {
        crate::pg::off_runtime(Self::create_here)
    }

    fn create_here() -> Result<ScratchDatabase, StoreError> {
        let admin_url = admin_url();
        let name = format!("reseller_test_{}", crate::random_hex(6)?);
        let mut client = Client::connect(&admin_url, NoTls).map_err(|e| {
            StoreError::fault(format!("PostgreSQL at {admin_url} is unreachable: {e}"))
        })?;
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .map_err(fault)?;
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
        crate::pg::off_runtime(|| {
            if let Ok(mut client) = Client::connect(&self.admin_url, NoTls) {
                let _ = client.batch_execute(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                ));
            }
        });
    }
}
