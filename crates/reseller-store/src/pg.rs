//! The PostgreSQL backend, for several server instances on one database.
//! Writes go to a group writer: queued requests share one SERIALIZABLE
//! transaction, their writes staged in memory (`stage`) and sent at its end
//! (`pg_flush`), and the group runs again when the database reports a
//! serialization failure (SQLSTATE 40001) or a deadlock (40P01). That is correct under any interleaving without advisory locks,
//! so the same SQL suits the Postgres-compatible distributed engines. Reads
//! run on worker threads in REPEATABLE READ transactions. The `postgres`
//! client is synchronous, like the `Tx` port, and drives a runtime of its
//! own, so its connections live on plain threads, never on tokio's.

use crate::pg_flush::{self, IdPool};
use crate::queue::Queue;
use crate::sql::{Cell, Cells, Conn, Dialect, EachRow, SqlTx, Value};
use crate::stage::{IdTable, Sequences, Staged, StagedTx};
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, IsolationLevel, NoTls, Row, Statement, Transaction};
use reseller_core::tx::{SearchTx, StoreResult, WriteTx};
use reseller_core::{Error, Result, StoreError};
use std::collections::HashMap;
use std::sync::{Mutex, mpsc};

/// A database error as a store error of the right kind: a closed
/// connection or a server that is shutting down is a lost connection; a
/// serialization failure (SQLSTATE 40001) or a deadlock (40P01) is a
/// conflict to retry; any other error the server reports refused a
/// statement; the rest is a fault.
pub(crate) fn fault(e: postgres::Error) -> StoreError {
    use postgres::error::SqlState;
    let shut_down = [
        SqlState::ADMIN_SHUTDOWN,
        SqlState::CRASH_SHUTDOWN,
        SqlState::CANNOT_CONNECT_NOW,
    ];
    if e.is_closed() || e.code().is_some_and(|code| shut_down.contains(code)) {
        return StoreError::Lost(e.to_string());
    }
    match e.code() {
        Some(code)
            if [
                postgres::error::SqlState::T_R_SERIALIZATION_FAILURE,
                postgres::error::SqlState::T_R_DEADLOCK_DETECTED,
            ]
            .contains(code) =>
        {
            StoreError::Conflict(e.to_string())
        }
        Some(code) => StoreError::Refused(format!("{e} (SQLSTATE {})", code.code())),
        None => StoreError::fault(e),
    }
}

/// Prepared statements of one connection, by their SQL as the store writes it.
pub(crate) type Statements = HashMap<String, Statement>;

/// The cached prepared statement for `sql`, preparing it on first use. The
/// store writes parameters as `?N`; PostgreSQL spells them `$N`.
pub(crate) fn prepared(
    tx: &mut Transaction,
    statements: &mut Statements,
    sql: &str,
) -> StoreResult<Statement> {
    if let Some(statement) = statements.get(sql) {
        return Ok(statement.clone());
    }
    let statement = tx.prepare(&sql.replace('?', "$")).map_err(fault)?;
    statements.insert(sql.to_string(), statement.clone());
    Ok(statement)
}

impl ToSql for Value<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) if *ty == Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
            Value::Int(v) => v.to_sql(ty, out),
            Value::Bool(v) => v.to_sql(ty, out),
            Value::Text(v) => v.as_ref().to_sql(ty, out),
            Value::Ints(v) => v.to_sql(ty, out),
            Value::Texts(v) => v.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

struct PgCells<'r>(&'r Row);

impl Cells for PgCells<'_> {
    fn cell(&self, i: usize) -> StoreResult<Cell> {
        let column = self
            .0
            .columns()
            .get(i)
            .ok_or_else(|| StoreError::fault(format!("no column {i}")))?;
        let ty = column.type_();
        let cell = if *ty == Type::INT8 {
            self.0
                .try_get::<_, Option<i64>>(i)
                .map(|v| v.map(Cell::Int))
        } else if *ty == Type::INT4 {
            self.0
                .try_get::<_, Option<i32>>(i)
                .map(|v| v.map(|v| Cell::Int(i64::from(v))))
        } else if *ty == Type::BOOL {
            self.0
                .try_get::<_, Option<bool>>(i)
                .map(|v| v.map(Cell::Bool))
        } else {
            self.0
                .try_get::<_, Option<String>>(i)
                .map(|v| v.map(Cell::Text))
        };
        Ok(cell.map_err(fault)?.unwrap_or(Cell::Null))
    }

    fn width(&self) -> usize {
        self.0.len()
    }
}

/// A connection's open transaction, as the store's queries use it.
pub(crate) struct PgConn<'t, 'c> {
    tx: &'t mut Transaction<'c>,
    statements: &'t mut Statements,
    ids: &'t mut IdPool,
}

impl<'t, 'c> PgConn<'t, 'c> {
    fn new(
        tx: &'t mut Transaction<'c>,
        statements: &'t mut Statements,
        ids: &'t mut IdPool,
    ) -> Self {
        PgConn {
            tx,
            statements,
            ids,
        }
    }

    /// Runs a statement with PostgreSQL's own typed parameters (arrays for `unnest`).
    pub(crate) fn execute_typed(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> StoreResult<u64> {
        let statement = prepared(self.tx, self.statements, sql)?;
        self.tx.execute(&statement, params).map_err(fault)
    }
}

fn as_params<'v>(params: &'v [Value<'_>]) -> Vec<&'v (dyn ToSql + Sync)> {
    params.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

impl Conn for PgConn<'_, '_> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn query(&mut self, sql: &str, params: &[Value], each: EachRow) -> StoreResult<()> {
        let statement = prepared(self.tx, self.statements, sql)?;
        for row in self
            .tx
            .query(&statement, &as_params(params))
            .map_err(fault)?
        {
            each(&PgCells(&row))?;
        }
        Ok(())
    }

    fn execute(&mut self, sql: &str, params: &[Value<'_>]) -> StoreResult<u64> {
        self.execute_typed(sql, &as_params(params))
    }

    fn batch(&mut self, sql: &str) -> StoreResult<()> {
        self.tx.batch_execute(sql).map_err(fault)
    }
}

impl Sequences for PgConn<'_, '_> {
    fn next_id(&mut self, table: IdTable) -> StoreResult<i64> {
        self.ids.next(self.tx, self.statements, table)
    }
}

/// Runs `work` on a thread of its own and waits for it. The synchronous
/// client drives its own small runtime, which must not start on a thread
/// that is already inside tokio's.
pub(crate) fn off_runtime<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        scope
            .spawn(work)
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Threads that each own one connection and take jobs from one queue.
const WORKERS: usize = 8;
/// Attempts of a group (or a read) before a serialization conflict is
/// reported as a fault. Groups on one hot row (a customer's funds) conflict often.
const MAX_ATTEMPTS: u32 = 1000;
/// Fresh connections a group (or a read) is run on after a lost one
/// before the loss is reported: a restarting server takes a moment.
const RECONNECTS: u32 = 20;

pub(crate) struct Connection {
    /// Where it connects, to connect again when the connection is lost.
    url: String,
    client: Client,
    statements: Statements,
    ids: IdPool,
}

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

pub struct Pg {
    /// Writes go here: one group writer per server instance.
    pub(crate) writer: GroupWriter,
    /// Whether the mails this instance keeps are queued for delivery.
    pub(crate) queues_mail: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Reads and other work for the workers' connections.
    jobs: Queue<Job>,
}

fn connect(url: &str) -> std::result::Result<Connection, StoreError> {
    let client = Client::connect(url, NoTls).map_err(fault)?;
    Ok(Connection {
        url: url.to_string(),
        client,
        statements: Statements::new(),
        ids: IdPool::default(),
    })
}

impl Pg {
    pub fn open(url: &str) -> std::result::Result<Pg, StoreError> {
        let mut first = Some(off_runtime(
            || -> std::result::Result<Connection, StoreError> {
                let mut conn = connect(url)?;
                migrate(&mut conn.client)?;
                Ok(conn)
            },
        )?);
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = std::sync::Arc::new(Mutex::new(receiver));
        let mut workers = Vec::with_capacity(WORKERS);
        for n in 0..WORKERS {
            let receiver = receiver.clone();
            let url = url.to_string();
            let mut conn = if n == 0 { first.take() } else { None };
            workers.push(
                std::thread::Builder::new()
                    .name(format!("postgres-{n}"))
                    .spawn(move || {
                        loop {
                            let job = receiver.lock().unwrap_or_else(|e| e.into_inner()).recv();
                            let Ok(job) = job else { break };
                            if conn.as_ref().is_none_or(|c| c.client.is_closed()) {
                                match connect(&url) {
                                    Ok(fresh) => conn = Some(fresh),
                                    Err(e) => {
                                        tracing::error!(error = %e, "cannot connect to PostgreSQL");
                                        drop(job);
                                        continue;
                                    }
                                }
                            }
                            if let Some(conn) = conn.as_mut() {
                                job(conn);
                            }
                        }
                    })
                    .map_err(fault_io)?,
            );
        }
        let queues_mail = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        Ok(Pg {
            writer: GroupWriter::start(url, queues_mail.clone())?,
            queues_mail,
            jobs: Queue::new("PostgreSQL workers", sender, workers),
        })
    }

    /// Runs `work` on a worker's connection and waits for it without blocking the runtime.
    pub async fn submit<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> T + Send + 'static,
    ) -> std::result::Result<T, StoreError> {
        self.jobs
            .ask(|reply| -> Job {
                Box::new(move |conn| {
                    let _ = reply.send(work(conn));
                })
            })
            .await
    }

    /// Runs `work` on a worker's connection from a thread that may block.
    pub fn submit_blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> T + Send + 'static,
    ) -> std::result::Result<T, StoreError> {
        let (reply, answer) = mpsc::channel();
        self.jobs.send(Box::new(move |conn| {
            let _ = reply.send(work(conn));
        }))?;
        answer
            .recv()
            .map_err(|_| StoreError::fault("no PostgreSQL connection could be had"))
    }

    /// Lets the writer and the workers finish their jobs and stops them.
    pub fn close(&self) {
        self.writer.close();
        self.jobs.close();
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        self.close();
    }
}

fn fault_io(e: std::io::Error) -> StoreError {
    StoreError::fault(e)
}

/// Runs `work` in a REPEATABLE READ, read-only transaction: one snapshot,
/// and no staging, since nothing is written. Such a transaction can still
/// meet a serialization failure; it is retried like a write.
pub(crate) fn read<T>(
    conn: &mut Connection,
    work: &dyn Fn(&mut dyn SearchTx) -> Result<T>,
) -> Result<T> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let outcome = conn.in_read_transaction(|tx| match work(tx) {
            Ok(value) => Ok(Ok(value)),
            Err(Error::Store(e)) => Err(e),
            Err(Error::Rule(rule)) => Ok(Err(Error::Rule(rule))),
        });
        match outcome {
            Err(e) if e.is_conflict() && attempt < MAX_ATTEMPTS => {
                tracing::debug!(attempt, error = %e, "serialization conflict, retrying");
                std::thread::sleep(backoff(attempt));
            }
            Err(e) if e.is_lost() && attempt < RECONNECTS => {
                tracing::warn!(attempt, error = %e, "connection lost, reading again on a fresh one");
                std::thread::sleep(backoff(attempt));
                *conn = connect(&conn.url.clone())?;
            }
            Err(e) => return Err(e.into()),
            Ok(outcome) => return outcome,
        }
    }
}

/// Runs `work` on the connection's own SQL in a read-only transaction,
/// on a fresh connection when this one was lost (the ledger check and the
/// counts, which tests call after a PostgreSQL restart).
pub(crate) fn read_sql<T>(
    conn: &mut Connection,
    work: &dyn Fn(&mut SqlTx<PgConn>) -> StoreResult<T>,
) -> StoreResult<T> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match conn.in_read_transaction(work) {
            Err(e) if e.is_lost() && attempt < RECONNECTS => {
                std::thread::sleep(backoff(attempt));
                *conn = connect(&conn.url.clone())?;
            }
            outcome => return outcome,
        }
    }
}

impl Connection {
    /// Runs `work` over the port in a read-only REPEATABLE READ transaction.
    pub(crate) fn in_read_transaction<T>(
        &mut self,
        work: impl FnOnce(&mut SqlTx<PgConn>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let mut tx = self
            .client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(fault)?;
        let value = work(&mut SqlTx::new(PgConn::new(
            &mut tx,
            &mut self.statements,
            &mut self.ids,
        )))?;
        tx.commit().map_err(fault)?;
        Ok(value)
    }
}

/// A random pause before retry `attempt`, growing to at most 5 ms, so that
/// conflicting transactions do not meet again in lockstep.
fn backoff(attempt: u32) -> std::time::Duration {
    let ceiling = (50u64 << attempt.min(7)).min(5_000);
    let mut random = [0u8; 8];
    let jitter = match getrandom::fill(&mut random) {
        Ok(()) => u64::from_le_bytes(random) % ceiling,
        Err(_) => ceiling / 2,
    };
    std::time::Duration::from_micros(jitter)
}

/// Work on the port's queries outside it (snapshots, mail delivery), in
/// one transaction.
pub(crate) fn in_transaction<T>(
    conn: &mut Connection,
    work: impl FnOnce(&mut SqlTx<PgConn<'_, '_>>) -> StoreResult<T>,
) -> StoreResult<T> {
    let mut tx = conn.client.transaction().map_err(fault)?;
    let value = work(&mut SqlTx::new(PgConn::new(
        &mut tx,
        &mut conn.statements,
        &mut conn.ids,
    )))?;
    tx.commit().map_err(fault)?;
    Ok(value)
}

/// `Store::reset` in one transaction.
pub(crate) fn reset<F>(conn: &mut Connection, keep: i64, restore: F) -> reseller_core::Result<()>
where
    F: FnOnce(
        &mut dyn reseller_core::tx::WriteTx,
        reseller_core::Money,
    ) -> reseller_core::Result<()>,
{
    let mut tx = conn.client.transaction().map_err(fault)?;
    {
        let mut sql = SqlTx::new(PgConn::new(&mut tx, &mut conn.statements, &mut conn.ids));
        let opening = sql.reset(keep)?;
        restore(&mut sql, reseller_core::Money(opening))?;
    }
    tx.commit().map_err(fault)?;
    Ok(())
}

pub(crate) fn counter(conn: &mut Connection, name: &str, delta: i64) -> StoreResult<i64> {
    let mut tx = conn.client.transaction().map_err(fault)?;
    let value = SqlTx::new(PgConn::new(&mut tx, &mut conn.statements, &mut conn.ids))
        .counter(name, delta)?;
    tx.commit().map_err(fault)?;
    Ok(value)
}

pub(crate) fn secret(conn: &mut Connection, name: &str, fresh: &str) -> StoreResult<String> {
    let mut tx = conn.client.transaction().map_err(fault)?;
    let value = SqlTx::new(PgConn::new(&mut tx, &mut conn.statements, &mut conn.ids))
        .secret(name, fresh)?;
    tx.commit().map_err(fault)?;
    Ok(value)
}

fn migrate(client: &mut Client) -> std::result::Result<(), StoreError> {
    client
        .batch_execute("CREATE TABLE IF NOT EXISTS schema_version (id INT PRIMARY KEY, version INT NOT NULL); INSERT INTO schema_version VALUES (1, 0) ON CONFLICT DO NOTHING")
        .map_err(fault)?;
    let mut tx = client.transaction().map_err(fault)?;
    // The row lock makes instances that start together migrate one at a time.
    let version: i32 = tx
        .query_one(
            "SELECT version FROM schema_version WHERE id = 1 FOR UPDATE",
            &[],
        )
        .map_err(fault)?
        .try_get(0)
        .map_err(fault)?;
    for (index, migration) in crate::schema::migrations(Dialect::Postgres)
        .enumerate()
        .skip(version as usize)
    {
        tx.batch_execute(&migration).map_err(fault)?;
        tx.execute(
            "UPDATE schema_version SET version = $1 WHERE id = 1",
            &[&(index as i32 + 1)],
        )
        .map_err(fault)?;
    }
    tx.commit().map_err(fault)
}

/// A queued write for the group writer: re-runnable, since a serialization
/// conflict at commit runs the whole group again.
trait GroupJob: Send {
    /// Runs the request in the open transaction. Err is a fault that ends
    /// this attempt of the group (a conflict, or a broken connection).
    fn run(&mut self, tx: &mut dyn WriteTx) -> std::result::Result<Ran, StoreError>;
    /// Leaves the request out of the group's next attempts: its answer is its fault.
    fn exclude(&mut self);
    fn excluded(&self) -> bool;
    fn finish(self: Box<Self>, committed: std::result::Result<(), StoreError>);
}

/// How a request ended within its group.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ran {
    Succeeded,
    Failed,
    /// Failed on an error the database reported, which leaves the
    /// transaction unusable unless the request's savepoint is rolled back.
    FailedInDatabase,
}

struct Queued<T, F> {
    work: F,
    outcome: Option<Result<T>>,
    excluded: bool,
    reply: tokio::sync::oneshot::Sender<Result<T>>,
}

impl<T, F> GroupJob for Queued<T, F>
where
    T: Send,
    F: Fn(&mut dyn WriteTx) -> Result<T> + Send,
{
    fn run(&mut self, tx: &mut dyn WriteTx) -> std::result::Result<Ran, StoreError> {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (self.work)(tx)))
            .unwrap_or_else(|_| Err(StoreError::fault("the request panicked").into()));
        let ran = match &outcome {
            Ok(_) => Ran::Succeeded,
            Err(Error::Store(e)) if e.is_conflict() || e.is_lost() => return Err(e.clone()),
            Err(Error::Store(StoreError::Refused(_))) => Ran::FailedInDatabase,
            Err(_) => Ran::Failed,
        };
        self.outcome = Some(outcome);
        Ok(ran)
    }

    fn exclude(&mut self) {
        self.excluded = true;
    }

    fn excluded(&self) -> bool {
        self.excluded
    }

    fn finish(self: Box<Self>, committed: std::result::Result<(), StoreError>) {
        let outcome = match (committed, self.outcome) {
            (_, Some(outcome)) if self.excluded => outcome,
            (Ok(()), Some(outcome)) => outcome,
            (Err(_), Some(Err(Error::Rule(rule)))) => Err(Error::Rule(rule)),
            (Err(e), _) => Err(e.into()),
            (Ok(()), None) => Err(StoreError::fault("a write job did not run").into()),
        };
        let _ = self.reply.send(outcome);
    }
}

/// The group writer of one server instance: it runs queued writes together
/// in one SERIALIZABLE transaction, writes what they staged, and commits
/// them with one WAL flush. A serialization failure (with
/// another instance's group) runs the whole group again.
pub(crate) struct GroupWriter {
    queue: Queue<Box<dyn GroupJob>>,
}

const MAX_GROUP: usize = 256;
const LINGER: std::time::Duration = std::time::Duration::from_micros(100);
const MAX_GROUP_TIME: std::time::Duration = std::time::Duration::from_millis(4);

impl GroupWriter {
    pub(crate) fn start(
        url: &str,
        queues_mail: std::sync::Arc<std::sync::atomic::AtomicBool>,
    ) -> std::result::Result<GroupWriter, StoreError> {
        let (sender, receiver) = mpsc::channel::<Box<dyn GroupJob>>();
        let url = url.to_string();
        let thread = std::thread::Builder::new()
            .name("postgres-writer".to_string())
            .spawn(move || group_loop(&url, receiver, &queues_mail))
            .map_err(fault_io)?;
        Ok(GroupWriter {
            queue: Queue::new("PostgreSQL writer", sender, vec![thread]),
        })
    }

    pub(crate) async fn write<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: Fn(&mut dyn WriteTx) -> Result<T> + Send + 'static,
    {
        self.queue
            .ask(|reply| -> Box<dyn GroupJob> {
                Box::new(Queued {
                    work,
                    outcome: None,
                    excluded: false,
                    reply,
                })
            })
            .await?
    }

    pub(crate) fn close(&self) {
        self.queue.close();
    }
}

fn group_loop(
    url: &str,
    queue: mpsc::Receiver<Box<dyn GroupJob>>,
    queues_mail: &std::sync::atomic::AtomicBool,
) {
    let mut conn: Option<Connection> = None;
    let mut turn = Turn {
        url: url.to_string(),
        client: None,
    };
    while let Ok(first) = queue.recv() {
        // Requests that arrive while another instance's group holds the
        // turn join this group.
        turn.take();
        let opened = std::time::Instant::now();
        let mut group = vec![first];
        while group.len() < MAX_GROUP && opened.elapsed() < MAX_GROUP_TIME {
            match queue
                .try_recv()
                .ok()
                .or_else(|| queue.recv_timeout(LINGER).ok())
            {
                Some(job) => group.push(job),
                None => break,
            }
        }
        let queue_mail = queues_mail.load(std::sync::atomic::Ordering::Relaxed);
        let committed = commit_group(url, &mut conn, &mut group, queue_mail);
        turn.give_back();
        crate::write_groups::record(group.len());
        if let Err(e) = &committed {
            tracing::error!(error = %e, requests = group.len(), "group commit failed");
        }
        for job in group {
            job.finish(committed.clone());
        }
    }
}

/// The instances' turn to write. Every group that executes an order
/// updates the same rows (platform revenue, the reseller's funds), so two
/// groups that overlap in time cannot both commit: the later one fails at
/// its end and all its work is lost. Instances therefore take turns: a
/// group runs while its instance holds a row lock on `write_turn`, taken
/// on a connection of its own before the group's transaction starts, so
/// that the transaction's snapshot already holds the previous group's
/// writes. The lock only schedules; SERIALIZABLE keeps the data correct
/// without it, so a turn that cannot be had within `TURN_WAIT` is skipped.
struct Turn {
    url: String,
    client: Option<Client>,
}

const TURN_WAIT: &str = "5s";

impl Turn {
    fn take(&mut self) {
        if let Err(e) = self.try_take() {
            tracing::warn!(error = %e, "writing without the turn");
            self.client = None;
        }
    }

    fn try_take(&mut self) -> std::result::Result<(), StoreError> {
        if self.client.as_ref().is_none_or(Client::is_closed) {
            let mut client = Client::connect(&self.url, NoTls).map_err(fault)?;
            client
                .batch_execute(&format!("SET lock_timeout = '{TURN_WAIT}'"))
                .map_err(fault)?;
            self.client = Some(client);
        }
        let client = self.client.as_mut().expect("connected above");
        client
            .batch_execute("BEGIN; SELECT turns FROM write_turn WHERE id = 1 FOR UPDATE")
            .map_err(fault)
    }

    fn give_back(&mut self) {
        if let Some(client) = self.client.as_mut()
            && client.batch_execute("ROLLBACK").is_err()
        {
            self.client = None;
        }
    }
}

fn commit_group(
    url: &str,
    conn: &mut Option<Connection>,
    group: &mut [Box<dyn GroupJob>],
    queue_mail: bool,
) -> std::result::Result<(), StoreError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        if conn.as_ref().is_none_or(|c| c.client.is_closed()) {
            *conn = Some(connect(url)?);
        }
        let c = conn.as_mut().expect("connected above");
        match group_attempt(c, group, queue_mail) {
            Ok(()) => return Ok(()),
            Err(GroupFailure::Conflict(e)) if attempt < MAX_ATTEMPTS => {
                tracing::debug!(attempt, error = %e, "serialization conflict, retrying the group");
                std::thread::sleep(backoff(attempt))
            }
            Err(GroupFailure::Lost(e)) if attempt < RECONNECTS => {
                // Nothing of the group was committed: run it again on a
                // fresh connection, once the server answers again.
                tracing::warn!(attempt, error = %e, "connection lost, running the group again");
                *conn = None;
                std::thread::sleep(backoff(attempt).max(std::time::Duration::from_millis(100)));
                while let Err(e) = connect(url).map(|fresh| *conn = Some(fresh)) {
                    if attempt >= RECONNECTS {
                        return Err(e);
                    }
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(250));
                }
            }
            Err(GroupFailure::Conflict(e) | GroupFailure::Fault(e) | GroupFailure::Lost(e)) => {
                return Err(e);
            }
            Err(GroupFailure::LeftOut) => {}
        }
    }
}

/// Why an attempt of a group did not commit.
enum GroupFailure {
    /// A serialization failure or deadlock: the group runs again.
    Conflict(StoreError),
    /// A request failed in a way that leaves the transaction unusable; the
    /// group runs again at once without it.
    LeftOut,
    /// The connection was lost before the commit was sent: the group runs
    /// again on a fresh connection.
    Lost(StoreError),
    Fault(StoreError),
}

fn group_attempt(
    conn: &mut Connection,
    group: &mut [Box<dyn GroupJob>],
    queue_mail: bool,
) -> std::result::Result<(), GroupFailure> {
    let classify = |e: StoreError| {
        if e.is_conflict() {
            GroupFailure::Conflict(e)
        } else if e.is_lost() {
            GroupFailure::Lost(e)
        } else {
            GroupFailure::Fault(e)
        }
    };
    let mut tx = conn
        .client
        .build_transaction()
        .isolation_level(IsolationLevel::Serializable)
        .start()
        .map_err(|e| classify(fault(e)))?;
    let mut staged = Staged::default();
    for job in group.iter_mut().filter(|job| !job.excluded()) {
        let mut request = StagedTx::new(
            PgConn::new(&mut tx, &mut conn.statements, &mut conn.ids),
            &mut staged,
        );
        let ran = job.run(&mut request).map_err(classify)?;
        if ran == Ran::FailedInDatabase && !request.wrote_at_once() {
            job.exclude();
            return Err(GroupFailure::LeftOut);
        }
        request
            .end_request(ran == Ran::Succeeded)
            .map_err(classify)?;
    }
    pg_flush::flush(
        &mut PgConn::new(&mut tx, &mut conn.statements, &mut conn.ids),
        &staged.changes,
        queue_mail,
    )
    .map_err(classify)?;
    // A connection lost during the commit leaves its outcome unknown: that
    // is reported, never run again.
    tx.commit().map_err(|e| match fault(e) {
        e if e.is_conflict() => GroupFailure::Conflict(e),
        e => GroupFailure::Fault(e),
    })
}
