//! Runs the jobs the clock brings (`reseller_core::lifecycle`) between two
//! times, in time order: a day at a time, the jobs due by the end of that
//! day by their due time, each run at its due time, a page of them in one
//! write transaction. What ran is answered; a job another instance ran
//! first is skipped.
//! Besides advances, every instance runs what has fallen due at start
//! (jobs that fell due while it was down, or whose advance was cut short)
//! and then every minute, as real time passes. A tenant with a clock of
//! its own has its jobs run by that clock alone (`Whose`).

use crate::AppState;
use reseller_core::OrderId;
use reseller_core::ResellerId;
use reseller_core::lifecycle::{self, Ran};
use reseller_core::time::Epoch;
use reseller_core::tx::DueScope;

const DAY: i64 = 86_400;
/// Jobs a report lists (an advance answers them); the rest are counted.
pub const LISTED: usize = 1_000;

/// What a run of jobs did: how many ran, and the first of them in time
/// order. A year over a million orders runs millions of jobs: they are
/// counted, not kept.
#[derive(Debug, Default)]
pub struct Report {
    pub count: u64,
    pub listed: Vec<Ran>,
}

impl Report {
    /// Takes a page's jobs, which come after every job taken before.
    fn take(&mut self, mut page: Vec<Ran>) {
        self.count += page.len() as u64;
        let room = LISTED.saturating_sub(self.listed.len());
        if room > 0 {
            page.sort_by_key(|r| (r.at, r.order_id));
            self.listed.extend(page.into_iter().take(room));
        }
    }
}
/// Orders read at once when looking for due jobs, and jobs run in one
/// write transaction.
const PAGE: u32 = 1024;

/// Runs the jobs due by `until`, soonest first: pages of due times are
/// read along the due-time index, and each page's jobs run in one write
/// transaction while the next page is read. Each job runs at its own due
/// time. An order whose kept due time was only a bound (kept before due
/// times were) gets its exact one written back.
async fn run_due_by(
    state: &AppState,
    until: Epoch,
    scope: &DueScope,
    report: &mut Report,
) -> reseller_core::Result<u64> {
    let before = report.count;
    let mut after = (Epoch::MIN, OrderId(0));
    let mut writing: Option<tokio::task::JoinHandle<reseller_core::Result<Vec<Ran>>>> = None;
    loop {
        let asked = scope.clone();
        let due = state
            .store
            .read(move |tx| Ok(tx.orders_due_by(until, after, PAGE, &asked)?))
            .await?;
        let full = due.len() == PAGE as usize;
        if let Some(&last) = due.last() {
            after = last;
        }
        // One page's jobs at a time, in due order: the next is sent once
        // the last is written.
        if let Some(written) = writing.take() {
            report.take(joined(written.await)?);
        }
        if !due.is_empty() {
            let store = state.store.clone();
            let links = state.clone();
            writing = Some(tokio::spawn(async move {
                store
                    .write_alone(move |tx| {
                        let mut done = Vec::with_capacity(due.len());
                        for &(_, order_id) in &due {
                            match lifecycle::run_due(tx, &links, order_id, until)? {
                                Some(job) => done.push(job),
                                // Run already, or its kept due time was
                                // a bound: keep the exact one.
                                None => {
                                    if let Some(order) = tx.order(order_id)? {
                                        tx.update_order(&order)?;
                                    }
                                }
                            }
                        }
                        Ok(done)
                    })
                    .await
            }));
        }
        if !full {
            break;
        }
    }
    if let Some(written) = writing.take() {
        report.take(joined(written.await)?);
    }
    Ok(report.count - before)
}

fn joined<T>(
    outcome: Result<reseller_core::Result<T>, tokio::task::JoinError>,
) -> reseller_core::Result<T> {
    outcome.map_err(|e| reseller_core::StoreError::fault(format!("a job's task failed: {e}")))?
}

/// Runs every job that falls due after `from` and by `to`, in time order,
/// and before them any left over from earlier (a job that fell due while
/// no instance ran, or whose advance was cut short), from the earliest.
pub async fn run_between(
    state: &AppState,
    from: i64,
    to: i64,
    whose: Whose,
) -> reseller_core::Result<Report> {
    let members = state.store.clocked_members().await?;
    run_scoped(state, from, to, whose.scope(&members)).await
}

/// `run_between` for the orders of `scope`.
async fn run_scoped(
    state: &AppState,
    from: i64,
    to: i64,
    scope: DueScope,
) -> reseller_core::Result<Report> {
    let asked = scope.clone();
    let earliest = state
        .store
        .read(move |tx| Ok(tx.orders_due_by(to, (Epoch::MIN, OrderId(0)), 1, &asked)?))
        .await?
        .first()
        .map(|&(due, _)| due - 1);
    let mut report = Report::default();
    let mut step = earliest.map_or(from, |earliest| earliest.min(from));
    while step < to {
        step = (step + DAY).min(to);
        // A job can bring the next one due the same day (a notice, then
        // the attempt): look again until nothing is due.
        for _ in 0..16 {
            if run_due_by(state, step, &scope, &mut report).await? == 0 {
                break;
            }
        }
    }
    Ok(report)
}

/// Whose jobs a run takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whose {
    /// The global clock's: every reseller's but those of tenants with
    /// clocks of their own.
    Global,
    /// A tenant's with a clock of its own: its own and its sub-resellers'.
    Tenant(ResellerId),
}

impl Whose {
    /// The orders it takes, given the resellers that see a tenant's clock
    /// (each with its tenant: `Store::clocked_members`).
    fn scope(self, members: &[(ResellerId, ResellerId)]) -> DueScope {
        match self {
            Whose::Global => DueScope::Except(members.iter().map(|(m, _)| *m).collect()),
            Whose::Tenant(tenant) => DueScope::Only(
                members
                    .iter()
                    .filter(|(_, t)| *t == tenant)
                    .map(|(m, _)| *m)
                    .collect(),
            ),
        }
    }
}

/// How often an instance looks for jobs that real time brought.
const EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Runs what has fallen due, at start and then every minute.
pub async fn keep_running(state: AppState) {
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tick.tick().await;
        // An advance here runs them in time order itself, and lists them.
        if state.clock.is_advancing() {
            continue;
        }
        let mut clocks = vec![(Whose::Global, state.clock.now())];
        clocks.extend(
            state
                .clock
                .tenant_clocks()
                .into_iter()
                .map(|(tenant, _)| (Whose::Tenant(tenant), state.clock.now_of(tenant))),
        );
        // Who sees which clock, read once for the whole sweep.
        let members = match state.store.clocked_members().await {
            Ok(members) => members,
            Err(error) => {
                tracing::warn!(%error, "cannot read the tenants' clocks");
                continue;
            }
        };
        for (whose, now) in clocks {
            match run_scoped(&state, now - DAY, now, whose.scope(&members)).await {
                Ok(report) => {
                    state.sandbox.count_jobs(report.count);
                    if report.count > 0 {
                        tracing::info!(jobs = report.count, ?whose, "ran the jobs that fell due");
                    }
                }
                Err(error) => tracing::warn!(%error, "cannot run the jobs that fell due"),
            }
        }
    }
}
