//! The embedded SQLite backend: one writer thread that commits queued
//! requests in groups (one fsync for many replies), and a few reader
//! connections. WAL mode with `synchronous=FULL`: a reply is sent only after
//! its transaction is on disk.

use crate::queue::Queue;
use crate::read_cache::{CacheUse, Found, ReadCache, WalIndex};
use crate::sql::{Cell, Cells, Conn, Dialect, EachRow, SqlTx, Value};
use reseller_core::tx::{SearchTx, StoreResult, WriteTx};
use reseller_core::{Error, Result, StoreError};
use rusqlite::functions::FunctionFlags;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, params_from_iter};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, mpsc};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// The most requests one group commit takes.
const MAX_GROUP: usize = 512;
/// How long a group lasts at most before it commits; bounds its latency.
const MAX_GROUP_TIME: Duration = Duration::from_millis(4);
/// How long an open group waits for one more request before it commits:
/// requests that arrive together then share one fsync.
const LINGER: Duration = Duration::from_micros(50);
/// Read-only connections, each used by one reading thread at a time. Reads
/// run on the calling thread (a server worker): more slots than workers
/// only matter when something else reads at the same time.
const READER_SLOTS: usize = 4;

static NEXT_SLOT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

thread_local! {
    /// The reader slot this thread tries first, so that threads rarely meet.
    static PREFERRED_SLOT: usize = NEXT_SLOT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

/// A SQLite error as a store error: one the engine reports refused a
/// statement (it leaves the transaction usable); the rest are faults.
pub(crate) fn fault(e: rusqlite::Error) -> StoreError {
    match e {
        rusqlite::Error::SqliteFailure(..) => StoreError::Refused(e.to_string()),
        e => StoreError::fault(e),
    }
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(v) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
            Value::Bool(v) => ToSqlOutput::Borrowed(ValueRef::Integer(i64::from(*v))),
            Value::Text(v) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
            // `Dialect::any_of` binds each element on SQLite.
            Value::Ints(_) | Value::Texts(_) => {
                return Err(rusqlite::Error::ToSqlConversionFailure(
                    "SQLite takes no list parameters".into(),
                ));
            }
        })
    }
}

struct SqliteCells<'a, 'r>(&'a rusqlite::Row<'r>);

impl Cells for SqliteCells<'_, '_> {
    fn cell(&self, i: usize) -> StoreResult<Cell> {
        Ok(match self.0.get_ref(i).map_err(fault)? {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(v) => Cell::Int(v),
            ValueRef::Text(bytes) => {
                Cell::Text(String::from_utf8(bytes.to_vec()).map_err(StoreError::corrupt)?)
            }
            other => {
                return Err(StoreError::corrupt(format!(
                    "column {i} holds a {:?}",
                    other.data_type()
                )));
            }
        })
    }

    fn width(&self) -> usize {
        self.0.as_ref().column_count()
    }
}

/// A connection in an open transaction. Statements are prepared once per
/// connection and cached, since the same few run for every order.
pub(crate) struct SqliteConn<'c>(pub(crate) &'c Connection);

impl Conn for SqliteConn<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn query(&mut self, sql: &str, params: &[Value], each: EachRow) -> StoreResult<()> {
        let mut statement = self.0.prepare_cached(sql).map_err(fault)?;
        let mut rows = statement
            .query(params_from_iter(params.iter()))
            .map_err(fault)?;
        while let Some(row) = rows.next().map_err(fault)? {
            each(&SqliteCells(row))?;
        }
        Ok(())
    }

    fn execute(&mut self, sql: &str, params: &[Value<'_>]) -> StoreResult<u64> {
        let changed = self
            .0
            .prepare_cached(sql)
            .and_then(|mut s| s.execute(params_from_iter(params.iter())))
            .map_err(fault)?;
        Ok(changed as u64)
    }

    fn batch(&mut self, sql: &str) -> StoreResult<()> {
        self.0.execute_batch(sql).map_err(fault)
    }
}

/// A read-only connection that begins its read transaction at its first
/// statement, so that a read answered from the cache takes none.
struct Reader<'c> {
    conn: &'c Connection,
    begun: bool,
    cache: Option<CacheUse>,
}

impl Reader<'_> {
    fn begin(&mut self) -> StoreResult<()> {
        if !self.begun {
            self.conn
                .prepare_cached("BEGIN")
                .and_then(|mut s| s.execute([]))
                .map_err(fault)?;
            self.begun = true;
        }
        Ok(())
    }
}

impl Conn for Reader<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn query(&mut self, sql: &str, params: &[Value], each: EachRow) -> StoreResult<()> {
        self.begin()?;
        SqliteConn(self.conn).query(sql, params, each)
    }

    fn execute(&mut self, sql: &str, params: &[Value<'_>]) -> StoreResult<u64> {
        self.begin()?;
        SqliteConn(self.conn).execute(sql, params)
    }

    fn batch(&mut self, sql: &str) -> StoreResult<()> {
        self.begin()?;
        SqliteConn(self.conn).batch(sql)
    }

    fn cache(&mut self) -> Option<&mut CacheUse> {
        self.cache.as_mut()
    }
}

/// A queued write: run inside a savepoint of the group's transaction, then
/// told whether the group committed.
/// How a write is committed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Commit {
    /// With the requests beside it, each in a savepoint of one transaction.
    Grouped,
    /// In a transaction of its own, without a savepoint: for long work (a
    /// page of the clock's jobs), where a savepoint costs most: every page
    /// the work touches is first copied to the savepoint's journal.
    Alone,
}

trait WriteJob: Send {
    fn commit(&self) -> Commit;
    /// Runs the request; false when it failed and its savepoint must be undone.
    fn run(&mut self, conn: &Connection) -> bool;
    /// Sends the reply once the group's fate is known.
    fn finish(self: Box<Self>, committed: std::result::Result<(), StoreError>);
}

struct Job<T, F> {
    commit: Commit,
    work: Option<F>,
    outcome: Option<Result<T>>,
    reply: oneshot::Sender<Result<T>>,
}

impl<T, F> WriteJob for Job<T, F>
where
    T: Send,
    F: FnOnce(&Connection) -> Result<T> + Send,
{
    fn commit(&self) -> Commit {
        self.commit
    }

    fn run(&mut self, conn: &Connection) -> bool {
        let work = self.work.take().expect("a write job runs once");
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(conn)))
            .unwrap_or_else(|_| Err(StoreError::fault("the request panicked").into()));
        let ok = outcome.is_ok();
        self.outcome = Some(outcome);
        ok
    }

    fn finish(self: Box<Self>, committed: std::result::Result<(), StoreError>) {
        let outcome = match (committed, self.outcome) {
            (Ok(()), Some(outcome)) => outcome,
            // A refused request changed nothing, whatever became of the group.
            (Err(_), Some(Err(Error::Rule(rule)))) => Err(Error::Rule(rule)),
            (Err(e), _) => Err(e.into()),
            (Ok(()), None) => Err(StoreError::fault("a write job did not run").into()),
        };
        // The caller may have gone away (client disconnected); its write stands.
        let _ = self.reply.send(outcome);
    }
}

pub struct Sqlite {
    /// Queue of the writer thread: the only connection that writes.
    writes: Queue<Box<dyn WriteJob>>,
    /// Read-only connections, opened on first use; see `READER_SLOTS`.
    readers: Vec<Mutex<Option<Connection>>>,
    path: PathBuf,
    /// The database's version, read from its WAL index (`read_cache`).
    wal: Option<WalIndex>,
    /// Orders and prices of the newest version, for reads that need no more.
    cache: Arc<ReadCache>,
    /// Whether the mails this instance keeps are queued for delivery.
    pub(crate) queues_mail: Arc<std::sync::atomic::AtomicBool>,
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // SQLite's own lower() folds ASCII only; searches that ignore case
    // must fold every letter, as PostgreSQL's does.
    conn.create_scalar_function(
        "lower",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            Ok(ctx
                .get::<Option<String>>(0)?
                .map(|text| text.to_lowercase()))
        },
    )?;
    // Query planner stability: without it SQLite marks a statement whose
    // plan a bound value might change (a bound LIMIT, for one) to be
    // re-prepared whenever its parameters are bound again, which the
    // statement cache does on every use (seen in the search profile).
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.set_prepared_statement_cache_capacity(128);
    // Pages are read through a memory map instead of a read call each.
    conn.pragma_update(None, "mmap_size", 1i64 << 30)?;
    // 64 MiB of page cache a connection (the default is 2 MiB): the hot
    // index pages of a large database stay in memory.
    conn.pragma_update(None, "cache_size", -65_536i64)?;
    // Savepoint journals stay in memory: each request of a group runs in a
    // savepoint, and a journal spilled to a temporary file cost a write call
    // a page in the write benchmark's profile.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

impl Sqlite {
    pub fn open(path: &Path) -> std::result::Result<Sqlite, StoreError> {
        let conn = Connection::open(path).map_err(fault)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(fault)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::fault(format!(
                "the database refused WAL mode ({mode})"
            )));
        }
        configure(&conn).map_err(fault)?;
        migrate(&conn)?;
        let (sender, receiver) = mpsc::channel::<Box<dyn WriteJob>>();
        let writer = std::thread::Builder::new()
            .name("sqlite-writer".to_string())
            .spawn(move || write_loop(conn, receiver))
            .map_err(StoreError::fault)?;
        Ok(Sqlite {
            writes: Queue::new("SQLite writer", sender, vec![writer]),
            readers: (0..READER_SLOTS).map(|_| Mutex::new(None)).collect(),
            path: path.to_path_buf(),
            wal: WalIndex::open(path),
            cache: Arc::default(),
            queues_mail: Arc::default(),
        })
    }

    fn queue_mail(&self) -> bool {
        self.queues_mail.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub async fn write<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn WriteTx) -> Result<T> + Send + 'static,
    {
        let queue_mail = self.queue_mail();
        self.write_raw(move |conn| {
            work(&mut SqlTx::keeping_last_rows(SqliteConn(conn)).queuing_mail(queue_mail))
        })
        .await
    }

    /// Work on the port's queries outside it (snapshots, mail delivery), on
    /// the writing connection.
    pub(crate) async fn in_transaction<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut SqlTx<SqliteConn<'_>>) -> StoreResult<T> + Send + 'static,
    ) -> std::result::Result<T, StoreError> {
        self.write_raw(move |conn| Ok(work(&mut SqlTx::new(SqliteConn(conn)))?))
            .await
            .map_err(store_error)
    }

    /// `Store::reset` on the writing connection, in one savepoint.
    pub(crate) async fn reset<F>(&self, keep: i64, restore: F) -> Result<()>
    where
        F: FnOnce(&mut dyn reseller_core::tx::WriteTx, reseller_core::Money) -> Result<()>
            + Send
            + 'static,
    {
        self.write_raw(move |conn| {
            let mut tx = SqlTx::new(SqliteConn(conn));
            let opening = tx.reset(keep)?;
            restore(&mut tx, reseller_core::Money(opening))
        })
        .await
    }

    /// Runs `work` on the writing connection, in a savepoint of the group's transaction.
    /// `write`, in a transaction of its own (`Commit::Alone`): for long
    /// work that would hold a group anyway.
    pub async fn write_alone<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn WriteTx) -> Result<T> + Send + 'static,
    {
        let queue_mail = self.queue_mail();
        self.write_committed(Commit::Alone, move |conn| {
            work(&mut SqlTx::keeping_last_rows(SqliteConn(conn)).queuing_mail(queue_mail))
        })
        .await
    }

    async fn write_raw<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        self.write_committed(Commit::Grouped, work).await
    }

    async fn write_committed<T, F>(&self, commit: Commit, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        self.writes
            .ask(|reply| -> Box<dyn WriteJob> {
                Box::new(Job {
                    commit,
                    work: Some(work),
                    outcome: None,
                    reply,
                })
            })
            .await?
    }

    /// Runs `work` in a read of the newest version of the database. Its
    /// lookups of orders and prices are answered from the cache while that
    /// version is the newest; a read that needs nothing else takes no read
    /// transaction. A read that took some answers from the cache and others
    /// from a newer version (a commit landed meanwhile) runs again without
    /// the cache, so no read mixes two versions.
    pub fn read_blocking<T>(&self, work: impl Fn(&mut dyn SearchTx) -> Result<T>) -> Result<T> {
        let Some(version) = self.wal.as_ref().and_then(WalIndex::version) else {
            return self.read_uncached(&work);
        };
        let cache = CacheUse {
            cache: Arc::clone(&self.cache),
            version,
            hits: 0,
            found: Found::default(),
        };
        let (outcome, read_database, cache) = {
            let mut slot = self.reader_slot()?;
            let conn = Self::opened(&mut slot, &self.path)?;
            let mut tx = SqlTx::new(Reader {
                conn,
                begun: false,
                cache: Some(cache),
            });
            let outcome = work(&mut tx);
            let Reader { begun, cache, .. } = tx.conn;
            if begun {
                conn.prepare_cached("COMMIT")
                    .and_then(|mut s| s.execute([]))
                    .map_err(fault)?;
            }
            (outcome, begun, cache.expect("kept by the read"))
        };
        if !read_database {
            return outcome;
        }
        if self.wal.as_ref().is_some_and(|wal| wal.still(&version)) {
            self.cache.keep(version, cache.found);
        } else if cache.hits > 0 {
            return self.read_uncached(&work);
        }
        outcome
    }

    fn read_uncached<T>(&self, work: &impl Fn(&mut dyn SearchTx) -> Result<T>) -> Result<T> {
        self.with_reader(|conn| Ok(work(&mut SqlTx::new(SqliteConn(conn)))))?
    }

    /// A reader slot: the one this thread prefers if free, else any free
    /// one, else the preferred one once it is.
    fn reader_slot(&self) -> std::result::Result<MutexGuard<'_, Option<Connection>>, StoreError> {
        let first = PREFERRED_SLOT.with(|slot| *slot) % READER_SLOTS;
        let free = (0..READER_SLOTS)
            .find_map(|i| self.readers[(first + i) % READER_SLOTS].try_lock().ok());
        Ok(match free {
            Some(slot) => slot,
            None => self.readers[first]
                .lock()
                .unwrap_or_else(|e| e.into_inner()),
        })
    }

    /// The slot's connection, opened read-only on first use.
    fn opened<'s>(
        slot: &'s mut Option<Connection>,
        path: &Path,
    ) -> std::result::Result<&'s Connection, StoreError> {
        if slot.is_none() {
            let conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(fault)?;
            configure(&conn).map_err(fault)?;
            *slot = Some(conn);
        }
        Ok(slot.as_ref().expect("opened above"))
    }

    /// Runs `work` in a read transaction on one of the read-only connections,
    /// on this thread: an indexed read costs less than a hop to another thread.
    pub fn with_reader<T>(
        &self,
        work: impl FnOnce(&Connection) -> std::result::Result<T, StoreError>,
    ) -> std::result::Result<T, StoreError> {
        let mut slot = self.reader_slot()?;
        let conn = Self::opened(&mut slot, &self.path)?;
        let statement = |sql: &str| {
            conn.prepare_cached(sql)
                .and_then(|mut s| s.execute([]))
                .map_err(fault)
        };
        statement("BEGIN")?;
        let outcome = work(conn);
        statement("COMMIT")?;
        outcome
    }

    /// Stops taking writes, lets the writer finish its queue, and waits for it.
    pub fn close(&self) {
        self.writes.close();
    }
}

impl Drop for Sqlite {
    fn drop(&mut self) {
        self.close();
    }
}

fn migrate(conn: &Connection) -> std::result::Result<(), StoreError> {
    let version: usize = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(fault)?;
    for (index, migration) in crate::schema::migrations(Dialect::Sqlite)
        .enumerate()
        .skip(version)
    {
        let migration = if migration == crate::schema::IDS_NEVER_REUSED {
            ids_never_reused(conn)?
        } else {
            migration
        };
        let sql = format!(
            "BEGIN IMMEDIATE; {migration}; PRAGMA user_version = {}; COMMIT;",
            index + 1
        );
        conn.execute_batch(&sql).map_err(fault)?;
    }
    Ok(())
}

/// Each numbered table made again with `AUTOINCREMENT`, as it stands
/// (its columns and indexes read from the schema), its rows kept: SQLite
/// otherwise gives the highest id again once its row is deleted, which
/// a tenant's restore would then find taken.
fn ids_never_reused(conn: &Connection) -> std::result::Result<String, StoreError> {
    let mut sql = String::new();
    for table in crate::schema::NUMBERED_TABLES {
        let made: String = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get(0),
            )
            .map_err(fault)?;
        let mut indexes = conn
            .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL")
            .map_err(fault)?;
        let indexes: Vec<String> = indexes
            .query_map([table], |r| r.get(0))
            .map_err(fault)?
            .collect::<std::result::Result<_, _>>()
            .map_err(fault)?;
        let remade = made
            .replacen(
                &format!("CREATE TABLE {table}"),
                &format!("CREATE TABLE {table}_numbered"),
                1,
            )
            .replacen(
                "INTEGER PRIMARY KEY",
                "INTEGER PRIMARY KEY AUTOINCREMENT",
                1,
            );
        sql.push_str(&format!(
            "{remade};
             INSERT INTO {table}_numbered SELECT * FROM {table};
             DROP TABLE {table};
             ALTER TABLE {table}_numbered RENAME TO {table};"
        ));
        for index in indexes {
            sql.push_str(&format!("{index};"));
        }
    }
    Ok(sql)
}

/// Runs queued writes in groups: each request in a savepoint of the group's
/// transaction, executed as it arrives; the group commits (one fsync) when no
/// request has come for `LINGER`, when it has lasted `MAX_GROUP_TIME`, or at
/// `MAX_GROUP` requests, and only then are its requests answered.
fn write_loop(conn: Connection, queue: mpsc::Receiver<Box<dyn WriteJob>>) {
    // A job that must run alone, met while a group was open.
    let mut waiting: Option<Box<dyn WriteJob>> = None;
    loop {
        let first = match waiting.take() {
            Some(job) => job,
            None => match queue.recv() {
                Ok(job) => job,
                Err(_) => break,
            },
        };
        if first.commit() == Commit::Alone {
            run_alone(&conn, first);
            continue;
        }
        let opened = Instant::now();
        let mut group = Vec::with_capacity(64);
        let mut failed = begin(&conn).err();
        let mut next = Some(first);
        while let Some(mut job) = next.take() {
            if failed.is_none() {
                failed = run_in_savepoint(&conn, job.as_mut()).err();
            }
            group.push(job);
            if group.len() >= MAX_GROUP || opened.elapsed() >= MAX_GROUP_TIME {
                break;
            }
            next = match queue.try_recv() {
                Ok(job) => Some(job),
                Err(_) => queue.recv_timeout(LINGER).ok(),
            };
            if next
                .as_ref()
                .is_some_and(|job| job.commit() == Commit::Alone)
            {
                waiting = next.take();
            }
        }
        let committed = match failed {
            Some(e) => Err(e),
            None => commit(&conn),
        };
        crate::write_groups::record(group.len());
        if let Err(e) = &committed {
            let _ = conn
                .prepare_cached("ROLLBACK")
                .and_then(|mut s| s.execute([]));
            tracing::error!(error = %e, requests = group.len(), "group commit failed");
        }
        for job in group {
            job.finish(committed.clone());
        }
    }
}

/// Runs one job in a transaction of its own: committed if it succeeds,
/// rolled back if it fails.
fn run_alone(conn: &Connection, mut job: Box<dyn WriteJob>) {
    let committed = begin(conn).and_then(|()| {
        if job.run(conn) {
            commit(conn)
        } else {
            execute(conn, "ROLLBACK")
        }
    });
    crate::write_groups::record(1);
    if let Err(e) = &committed {
        let _ = execute(conn, "ROLLBACK");
        tracing::error!(error = %e, "a transaction of its own failed");
    }
    job.finish(committed);
}

fn execute(conn: &Connection, sql: &str) -> std::result::Result<(), StoreError> {
    conn.prepare_cached(sql)
        .and_then(|mut s| s.execute([]))
        .map(|_| ())
        .map_err(fault)
}

fn begin(conn: &Connection) -> std::result::Result<(), StoreError> {
    execute(conn, "BEGIN IMMEDIATE")
}

fn commit(conn: &Connection) -> std::result::Result<(), StoreError> {
    execute(conn, "COMMIT")
}

/// Runs one request; a refused one is rolled back to its savepoint and
/// leaves the rest of the group alone.
fn run_in_savepoint(
    conn: &Connection,
    job: &mut dyn WriteJob,
) -> std::result::Result<(), StoreError> {
    execute(conn, "SAVEPOINT request")?;
    if !job.run(conn) {
        execute(conn, "ROLLBACK TO request")?;
    }
    execute(conn, "RELEASE request")
}

impl Sqlite {
    pub async fn seed(
        &self,
        plan: crate::seed::SeedPlan,
        mut progress: impl FnMut(u64) + Send + 'static,
    ) -> std::result::Result<crate::seed::Seeded, StoreError> {
        self.write_raw(move |conn| Ok(crate::seed::seed(conn, &plan, &mut progress)?))
            .await
            .map_err(store_error)
    }

    /// A counter kept under a meta key, moved by `delta` (`SqlTx::counter`).
    /// Reading it (`delta` 0) takes a reader, not the writer: the clock is
    /// read twice a second and must not cost a group commit.
    pub async fn counter(&self, name: String, delta: i64) -> std::result::Result<i64, StoreError> {
        if delta == 0 {
            return self.with_reader(|conn| SqlTx::new(SqliteConn(conn)).counter(&name, 0));
        }
        self.write_raw(move |conn| Ok(SqlTx::new(SqliteConn(conn)).counter(&name, delta)?))
            .await
            .map_err(store_error)
    }

    /// The value of a meta key, set to `fresh` if it has none yet.
    pub async fn secret(
        &self,
        name: String,
        fresh: String,
    ) -> std::result::Result<String, StoreError> {
        self.write_raw(move |conn| Ok(SqlTx::new(SqliteConn(conn)).secret(&name, &fresh)?))
            .await
            .map_err(store_error)
    }
}

/// The store error of a job that has no rule to break.
fn store_error(e: Error) -> StoreError {
    match e {
        Error::Store(e) => e,
        Error::Rule(rule) => StoreError::fault(rule),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reseller_core::catalogue::Product;
    use reseller_core::model::{Customer, InvoiceOption, OrderAttrs};
    use reseller_core::orders::{self, Billing, NewOrder};
    use reseller_core::{Money, Months, OrderId, PlanId, accounts};

    const NOW: i64 = 1_800_000_000;

    async fn an_order(db: &Sqlite) -> OrderId {
        let reseller = db
            .write(|tx| accounts::create_reseller(tx, "R", "00", Money(10_000_000), NOW))
            .await
            .unwrap();
        let customer = Customer {
            reseller_id: reseller.id,
            username: "cached@example.com".to_string(),
            name: "Cached".to_string(),
            ..Customer::default()
        };
        let customer_id = db
            .write(move |tx| accounts::sign_up(tx, &customer))
            .await
            .unwrap();
        let order = NewOrder {
            reseller_id: reseller.id,
            customer_id,
            product: Product::VpsLinuxUs,
            plan_id: PlanId(101),
            description: "cached.example.com".to_string(),
            months: Months::new(1).unwrap(),
            units: 1,
            auto_renew: false,
            attrs: OrderAttrs::default(),
            billing: Billing {
                option: InvoiceOption::NoInvoice,
                discount: Money::ZERO,
            },
            now: NOW,
        };
        db.write(move |tx| orders::add_order(tx, &order))
            .await
            .unwrap()
            .order
            .id
    }

    /// A read of an order is kept for the database's version, and is read
    /// again once anything commits: a write of this process, or of another
    /// connection to the file, as another process's would be.
    #[tokio::test]
    async fn an_order_read_is_kept_until_any_connection_commits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.db");
        let db = Sqlite::open(&path).unwrap();
        let id = an_order(&db).await;
        let name = |db: &Sqlite| {
            db.read_blocking(move |tx| Ok(tx.order(id)?.map(|o| o.description)))
                .unwrap()
        };
        assert_eq!(name(&db).as_deref(), Some("cached.example.com"));
        let wal = db.wal.as_ref().expect("a WAL index");
        let version = wal.version().expect("a written header");
        let kept = db.cache.order(&version, id).expect("kept for this version");
        assert_eq!(
            kept.map(|o| o.description).as_deref(),
            Some("cached.example.com")
        );
        let named = |db: &Sqlite| {
            db.read_blocking(|tx| {
                Ok(tx.live_order_named(Product::VpsLinuxUs, "cached.example.com")?)
            })
            .unwrap()
        };
        assert_eq!(named(&db), Some(id));
        let key = (Product::VpsLinuxUs, "cached.example.com".to_string());
        assert_eq!(
            db.cache.name(&version, &key),
            Some(Some(id)),
            "a name is kept too"
        );

        let other = Connection::open(&path).unwrap();
        other
            .execute(
                "UPDATE orders SET description = 'elsewhere.example.com' WHERE id = ?1",
                [id.0],
            )
            .unwrap();
        assert_ne!(wal.version(), Some(version), "a commit changes the version");
        assert_eq!(name(&db).as_deref(), Some("elsewhere.example.com"));
        other
            .execute("UPDATE orders SET status = 'Deleted' WHERE id = ?1", [id.0])
            .unwrap();
        assert_eq!(named(&db), None, "a name's order deleted elsewhere is seen");
        other
            .execute("UPDATE orders SET status = 'Active' WHERE id = ?1", [id.0])
            .unwrap();

        db.write_raw(move |conn| {
            conn.execute(
                "UPDATE orders SET description = 'again.example.com' WHERE id = ?1",
                [id.0],
            )
            .map_err(|e| Error::from(fault(e)))?;
            Ok(())
        })
        .await
        .unwrap();
        assert_eq!(name(&db).as_deref(), Some("again.example.com"));
    }
}
