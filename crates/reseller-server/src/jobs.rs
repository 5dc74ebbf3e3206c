//! Runs the jobs the clock brings (`reseller_core::lifecycle`) between two
//! times, in time order: a day at a time, the jobs due by the end of that
//! day by their due time, each in its own write transaction at its due
//! time. What ran is answered; a job another instance ran first is skipped.
//! Besides advances, every instance runs what has fallen due at start
//! (jobs that fell due while it was down, or whose advance was cut short)
//! and then every minute, as real time passes.

use crate::AppState;
use reseller_core::OrderId;
use reseller_core::lifecycle::{self, Ran};

const DAY: i64 = 86_400;
/// Orders read at once when looking for due jobs.
const PAGE: u32 = 1_000;
/// Jobs run at once.
const BATCH: usize = 256;

/// The jobs due by `until`, with their due times, soonest first. An
/// order whose kept due time was only a bound (kept before due times were)
/// gets its exact one written back, and is not read again.
async fn due_by(state: &AppState, until: i64) -> reseller_core::Result<Vec<(i64, OrderId)>> {
    let mut due = Vec::new();
    let mut stale = Vec::new();
    let mut after = OrderId(0);
    loop {
        let page = state
            .store
            .read(move |tx| Ok(tx.orders_due_by(until, after, PAGE)?))
            .await?;
        let Some(last) = page.last() else {
            break;
        };
        after = last.id;
        let full = page.len() == PAGE as usize;
        for order in &page {
            match lifecycle::next_job(order).filter(|(at, _)| *at <= until) {
                Some((at, _)) => due.push((at, order.id)),
                None => stale.push(order.id),
            }
        }
        if !full {
            break;
        }
    }
    for order_id in stale {
        state
            .store
            .write(move |tx| {
                if let Some(order) = tx.order(order_id)? {
                    tx.update_order(&order)?;
                }
                Ok(())
            })
            .await?;
    }
    due.sort_unstable();
    Ok(due)
}

/// Runs every job that falls due after `from` and by `to`, in time order.
pub async fn run_between(state: &AppState, from: i64, to: i64) -> reseller_core::Result<Vec<Ran>> {
    let mut ran = Vec::new();
    let mut step = from;
    while step < to {
        step = (step + DAY).min(to);
        // A job can bring the next one due the same day (a notice, then
        // the attempt): look again until nothing is due.
        for _ in 0..16 {
            let due = due_by(state, step).await?;
            if due.is_empty() {
                break;
            }
            // Up to BATCH at once, so that the store's writer commits them
            // in groups; batches follow each other in due order.
            for batch in due.chunks(BATCH) {
                let mut running = tokio::task::JoinSet::new();
                for &(at, order_id) in batch {
                    let state = state.clone();
                    running.spawn(async move {
                        state
                            .store
                            .write(move |tx| lifecycle::run_due(tx, order_id, at))
                            .await
                    });
                }
                let mut done = Vec::with_capacity(batch.len());
                while let Some(joined) = running.join_next().await {
                    let outcome = joined.map_err(|e| {
                        reseller_core::StoreError::fault(format!("a job's task failed: {e}"))
                    })?;
                    done.extend(outcome?);
                }
                done.sort_by_key(|r| (r.at, r.order_id));
                ran.extend(done);
            }
        }
    }
    Ok(ran)
}

/// How often an instance looks for jobs that real time brought.
const EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Runs what has fallen due, at start and then every minute.
pub async fn keep_running(state: AppState) {
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tick.tick().await;
        // An advance here runs them in time order itself, and lists them.
        if state.sandbox.is_advancing() {
            continue;
        }
        let now = state.clock.now();
        match run_between(&state, now - DAY, now).await {
            Ok(ran) => {
                state.sandbox.count_jobs(ran.len() as u64);
                if !ran.is_empty() {
                    tracing::info!(jobs = ran.len(), "ran the jobs that fell due");
                }
            }
            Err(error) => tracing::warn!(%error, "cannot run the jobs that fell due"),
        }
    }
}
