//! Runs the jobs the clock brings (`reseller_core::lifecycle`) between two
//! times, in time order: a day at a time, the jobs due by the end of that
//! day by their due time, each in its own write transaction at its due
//! time. What ran is answered; a job another instance ran first is skipped.
//! Besides advances, every instance runs what has fallen due at start
//! (jobs that fell due while it was down, or whose advance was cut short)
//! and then every minute, as real time passes.

use crate::AppState;
use reseller_core::OrderId;
use reseller_core::lifecycle::{self, LOOKAHEAD_SECONDS, Ran};

const DAY: i64 = 86_400;
/// Orders read at once when looking for due jobs.
const PAGE: u32 = 1_000;

/// The jobs due by `until`, with their due times, soonest first.
async fn due_by(state: &AppState, until: i64) -> reseller_core::Result<Vec<(i64, OrderId)>> {
    let mut due = Vec::new();
    let mut after = OrderId(0);
    loop {
        let page = state
            .store
            .read(move |tx| Ok(tx.orders_ending_by(until + LOOKAHEAD_SECONDS, after, PAGE)?))
            .await?;
        let Some(last) = page.last() else {
            break;
        };
        after = last.id;
        let full = page.len() == PAGE as usize;
        for order in &page {
            if let Some((at, _)) = lifecycle::next_job(order).filter(|(at, _)| *at <= until) {
                due.push((at, order.id));
            }
        }
        if !full {
            break;
        }
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
            for (at, order_id) in due {
                let done = state
                    .store
                    .write(move |tx| lifecycle::run_due(tx, order_id, at))
                    .await?;
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
