//! The PostgreSQL backend, for several server instances on one database.
//! Each write runs in a SERIALIZABLE transaction on a pooled connection and
//! is retried when the database reports a serialization failure (SQLSTATE
//! 40001) or a deadlock (40P01): correct under any interleaving, with no
//! advisory locks, so the same SQL suits the Postgres-compatible distributed
//! engines. The `postgres` client is synchronous, like the `Tx` port: work
//! runs on tokio's blocking threads.

use crate::ledger::Rows;
use crate::pg_tx::{PgTx, Statements, fault};
use postgres::{Client, IsolationLevel, NoTls};
use reseller_core::tx::Tx;
use reseller_core::{Error, Result, StoreError};
use std::sync::Mutex;

/// Idle connections kept for reuse; more are opened under load.
const MAX_IDLE: usize = 16;
/// Attempts of one write before a serialization conflict is reported as a fault.
const MAX_ATTEMPTS: u32 = 50;

struct Connection {
    client: Client,
    statements: Statements,
}

pub struct Pg {
    url: String,
    /// Idle connections, each with its prepared statements.
    idle: Mutex<Vec<Connection>>,
}

/// Whether a fault is a serialization failure or a deadlock, which a retry resolves.
fn retryable(fault: &StoreError) -> bool {
    fault.0.contains("SQLSTATE 40001") || fault.0.contains("SQLSTATE 40P01")
}

impl Pg {
    pub fn open(url: &str) -> std::result::Result<Pg, StoreError> {
        let pg = Pg { url: url.to_string(), idle: Mutex::new(Vec::new()) };
        let mut conn = pg.connect()?;
        migrate(&mut conn.client)?;
        pg.release(conn);
        Ok(pg)
    }

    fn connect(&self) -> std::result::Result<Connection, StoreError> {
        let client = Client::connect(&self.url, NoTls).map_err(fault)?;
        Ok(Connection { client, statements: Statements::new() })
    }

    fn acquire(&self) -> std::result::Result<Connection, StoreError> {
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match idle {
            Some(conn) if !conn.client.is_closed() => Ok(conn),
            _ => self.connect(),
        }
    }

    fn release(&self, conn: Connection) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < MAX_IDLE && !conn.client.is_closed() {
            idle.push(conn);
        }
    }

    /// Runs `work` in a transaction at `level`, retrying serialization failures.
    pub fn run<T>(
        &self,
        level: IsolationLevel,
        read_only: bool,
        work: &dyn Fn(&mut dyn Tx) -> Result<T>,
    ) -> Result<T> {
        let mut conn = self.acquire()?;
        let mut attempt = 0;
        let outcome = loop {
            attempt += 1;
            match attempt_once(&mut conn, level, read_only, work) {
                Err(Attempt::Retry(e)) if attempt < MAX_ATTEMPTS => {
                    tracing::debug!(attempt, error = %e, "serialization conflict, retrying");
                    std::thread::sleep(std::time::Duration::from_micros(200 * u64::from(attempt)));
                }
                Err(Attempt::Retry(e)) => break Err(e.into()),
                Err(Attempt::Failed(e)) => break Err(e),
                Ok(value) => break Ok(value),
            }
        };
        self.release(conn);
        outcome
    }

    pub fn rows_of<T>(&self, work: impl FnOnce(&mut dyn Rows) -> std::result::Result<T, StoreError>) -> std::result::Result<T, StoreError> {
        let mut conn = self.acquire()?;
        let outcome = work(&mut PgRows(&mut conn.client));
        self.release(conn);
        outcome
    }

    pub fn secret(&self, name: &str, fresh: &str) -> std::result::Result<String, StoreError> {
        let mut conn = self.acquire()?;
        let outcome = (|| {
            conn.client
                .execute("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING", &[&name, &fresh])
                .map_err(fault)?;
            let row = conn.client.query_one("SELECT value FROM meta WHERE key = $1", &[&name]).map_err(fault)?;
            row.try_get::<_, String>(0).map_err(fault)
        })();
        self.release(conn);
        outcome
    }
}

enum Attempt {
    Retry(StoreError),
    Failed(Error),
}

fn attempt_once<T>(
    conn: &mut Connection,
    level: IsolationLevel,
    read_only: bool,
    work: &dyn Fn(&mut dyn Tx) -> Result<T>,
) -> std::result::Result<T, Attempt> {
    let classify = |e: StoreError| if retryable(&e) { Attempt::Retry(e) } else { Attempt::Failed(e.into()) };
    let mut tx = conn
        .client
        .build_transaction()
        .isolation_level(level)
        .read_only(read_only)
        .start()
        .map_err(|e| classify(fault(e)))?;
    let outcome = work(&mut PgTx { tx: &mut tx, statements: &mut conn.statements });
    match outcome {
        Ok(value) => {
            tx.commit().map_err(|e| classify(fault(e)))?;
            Ok(value)
        }
        Err(Error::Rule(rule)) => {
            let _ = tx.rollback();
            Err(Attempt::Failed(Error::Rule(rule)))
        }
        Err(Error::Store(e)) => {
            let _ = tx.rollback();
            Err(classify(e))
        }
    }
}

struct PgRows<'c>(&'c mut Client);

impl Rows for PgRows<'_> {
    fn rows(&mut self, sql: &str) -> std::result::Result<Vec<Vec<Option<String>>>, StoreError> {
        let rows = self.0.query(sql, &[]).map_err(fault)?;
        rows.iter()
            .map(|row| (0..row.len()).map(|i| row.try_get::<_, Option<String>>(i).map_err(fault)).collect())
            .collect()
    }
}

fn migrate(client: &mut Client) -> std::result::Result<(), StoreError> {
    client
        .batch_execute("CREATE TABLE IF NOT EXISTS schema_version (id INT PRIMARY KEY, version INT NOT NULL); INSERT INTO schema_version VALUES (1, 0) ON CONFLICT DO NOTHING")
        .map_err(fault)?;
    let mut tx = client.transaction().map_err(fault)?;
    // The row lock makes instances that start together migrate one at a time.
    let version: i32 = tx
        .query_one("SELECT version FROM schema_version WHERE id = 1 FOR UPDATE", &[])
        .map_err(fault)?
        .try_get(0)
        .map_err(fault)?;
    for (index, migration) in crate::pg_schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.batch_execute(migration).map_err(fault)?;
        tx.execute("UPDATE schema_version SET version = $1 WHERE id = 1", &[&(index as i32 + 1)]).map_err(fault)?;
    }
    tx.commit().map_err(fault)
}
