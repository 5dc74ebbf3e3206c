//! Time that moves orders. Each order has at most one job due next, read
//! from its term and what has happened to it: a renewal notice 3 days
//! before the renewal attempt; the attempt itself, for the last term
//! bought, paid from the customer's funds as PayInvoice would (30 days
//! before expiry, 7 for terms of 3 months or less), for an Active order
//! with auto-renewal on and no action pending, its unpaid invoice tried
//! again daily until expiry; at expiry a hosting order
//! is suspended and, 15 days later, deleted; an expired domain keeps 40
//! days of grace (renewable), then 30 of redemption (`Pending Delete
//! Restorable`, restorable), then is deleted; a deleted order reads
//! `Archived` 30 days after its deletion; beside its term, a NIXI round's
//! hold and a registrant change's expiry fall due. A job re-reads its order in
//! its own write transaction and runs only if it is still due, and what it
//! did is kept on the order: run twice, or by two instances at once, it
//! runs once.

use crate::catalogue::Product;
use crate::error::{Error, Result, StoreError};
use crate::ids::OrderId;
use crate::model::{ActionStatus, InvoiceOption, Order, OrderStatus};
use crate::months::Months;
use crate::orders::{self, Billing, Renewal};
use crate::provisioning::InProgress;
use crate::time::Epoch;
use crate::tx::WriteTx;
use serde::{Deserialize, Serialize};

const DAY: i64 = 86_400;
/// Days before a renewal attempt its notice goes out.
pub const NOTICE_DAYS: i64 = 3;
/// Days an expired hosting order stays suspended before it is deleted.
pub const HOSTING_GRACE_DAYS: i64 = 15;
/// Days an expired domain stays renewable before redemption.
pub const DOMAIN_GRACE_DAYS: i64 = 40;
/// Days a deleted order reads `Deleted` before it reads `Archived`.
pub const ARCHIVE_DAYS: i64 = 30;
/// Days a domain stays restorable in redemption before it is deleted.
pub const REDEMPTION_DAYS: i64 = 30;

/// What has happened to an order's current term, by the expiry it had.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lifecycle {
    pub noticed_for: Option<Epoch>,
    pub attempted_for: Option<Epoch>,
    pub expired_for: Option<Epoch>,
    /// When the unpaid renewal of this term is tried again.
    #[serde(default)]
    pub retry_at: Option<Epoch>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    Notice,
    Renew,
    /// The renewal's unpaid invoice is paid from the customer's funds, if
    /// they now cover it: once a day until expiry.
    Retry,
    Expire,
    /// A hosting order, suspended since expiry, is deleted.
    Delete,
    /// A domain past its grace goes into redemption.
    Redeem,
    /// A domain past its redemption is deleted.
    Purge,
    /// A deleted order is archived.
    Archive,
    /// A paid action's provisioning starts, or completes (realistic
    /// provisioning, `provisioning`).
    Provision,
    /// A NIXI domain still unverified a week on goes on hold (`nixi`).
    NixiHold,
    /// A registrant change not approved in its 2 days fails (`irtp`).
    RegistrantChangeExpiry,
}

impl Job {
    pub fn as_str(self) -> &'static str {
        match self {
            Job::Notice => "renewal-notice",
            Job::Renew => "renewal",
            Job::Retry => "renewal-retry",
            Job::Expire => "expiry",
            Job::Delete => "deletion",
            Job::Redeem => "redemption",
            Job::Purge => "deletion",
            Job::Archive => "archival",
            Job::Provision => "provisioning",
            Job::NixiHold => "nixi-hold",
            Job::RegistrantChangeExpiry => "registrant-change-expiry",
        }
    }
}

/// The months of the term last bought (12 for orders kept before terms were).
fn term_months(order: &Order) -> u32 {
    order.attrs.term_months.unwrap_or(12)
}

/// When the renewal of the current term is tried.
fn attempt_at(order: &Order) -> Epoch {
    let lead = if term_months(order) <= 3 { 7 } else { 30 };
    order.endtime - lead * DAY
}

/// The job an order has next, and when it falls due.
pub fn next_job(order: &Order) -> Option<(Epoch, Job)> {
    if let Some(progress) = &order.attrs.provisioning {
        return Some((progress.next_step(), Job::Provision));
    }
    let hold = order
        .attrs
        .domain
        .as_ref()
        .and_then(|d| d.nixi.as_ref())
        .and_then(|round| round.hold_due())
        .filter(|_| order.status == OrderStatus::Active);
    let change_expiry = order
        .attrs
        .domain
        .as_ref()
        .and_then(|d| d.irtp.as_ref())
        .and_then(|change| change.expiry_due())
        .map(|at| (at, Job::RegistrantChangeExpiry));
    let hold = hold.map(|at| (at, Job::NixiHold));
    // The earliest of them; on a tie, the first listed.
    [hold, term_job(order), change_expiry]
        .into_iter()
        .flatten()
        .min_by_key(|(at, _)| *at)
}

/// The next job of an order's term: renewal, expiry, deletion, archival.
fn term_job(order: &Order) -> Option<(Epoch, Job)> {
    let seen = order.attrs.lifecycle.clone().unwrap_or_default();
    let end = order.endtime;
    let domain = order.product == Product::Domain;
    match order.status {
        OrderStatus::Active | OrderStatus::Suspended => {
            let expired = seen.expired_for == Some(end);
            let renewing = order.auto_renew
                && order.status == OrderStatus::Active
                && seen.attempted_for != Some(end);
            if renewing && seen.noticed_for != Some(end) {
                return Some((attempt_at(order) - NOTICE_DAYS * DAY, Job::Notice));
            }
            if renewing {
                return Some((attempt_at(order), Job::Renew));
            }
            if let Some(retry) = seen.retry_at.filter(|r| *r < end && !expired) {
                return Some((retry, Job::Retry));
            }
            if !expired {
                return Some((end, Job::Expire));
            }
            if domain {
                Some((end + DOMAIN_GRACE_DAYS * DAY, Job::Redeem))
            } else if order.status == OrderStatus::Suspended {
                Some((end + HOSTING_GRACE_DAYS * DAY, Job::Delete))
            } else {
                None
            }
        }
        OrderStatus::Deleted => order
            .attrs
            .closed
            .map(|at| (at + ARCHIVE_DAYS * DAY, Job::Archive)),
        OrderStatus::PendingDeleteRestorable => Some((
            end + (DOMAIN_GRACE_DAYS + REDEMPTION_DAYS) * DAY,
            Job::Purge,
        )),
        _ => None,
    }
}

/// When an order's next job falls due: what the store keeps beside it
/// (`orders.next_due`) so that a sweep reads only the orders due.
pub fn next_due(order: &Order) -> Option<Epoch> {
    next_job(order).map(|(at, _)| at)
}

/// What a job did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ran {
    pub order_id: OrderId,
    pub job: Job,
    pub at: Epoch,
    pub outcome: String,
}

/// Runs the job of `order_id`, at its due time, if that is `until` or
/// before; None when nothing is due (run already, or the order moved on).
pub fn run_due(
    tx: &mut dyn WriteTx,
    links: &dyn crate::links::Links,
    order_id: OrderId,
    until: Epoch,
) -> Result<Option<Ran>> {
    let Some(mut order) = tx.order(order_id)? else {
        return Ok(None);
    };
    let Some((due, job)) = next_job(&order) else {
        return Ok(None);
    };
    if due > until {
        return Ok(None);
    }
    let now = due;
    let end = order.endtime;
    let mut seen = order.attrs.lifecycle.clone().unwrap_or_default();
    let name = order.description.clone();
    let what = order.product.name();
    let outcome = match job {
        Job::Notice => {
            seen.noticed_for = Some(end);
            let subject = format!("{what} {name} renews on its own soon");
            let body = format!(
                "{what} {name} expires on {end} (epoch seconds). It will be renewed for its last term \
                 from your funds in {NOTICE_DAYS} days; add funds if they do not cover it."
            );
            orders::mail_customer(tx, &order, "renewal-notice", subject, body, now)?;
            "notice sent".to_string()
        }
        Job::Renew => {
            seen.attempted_for = Some(end);
            order.attrs.lifecycle = Some(seen.clone());
            tx.update_order(&order)?;
            let renewal = Renewal {
                reseller_id: order.reseller_id,
                order_id,
                products: vec![order.product],
                months: Months::new(term_months(&order)).unwrap_or(Months::new(12).expect("12")),
                auto_renew: None,
                extra_units: 0,
                billing: Billing {
                    option: InvoiceOption::PayInvoice,
                    discount: crate::Money::ZERO,
                },
                now,
            };
            let (outcome, failed) = match orders::renew_order(tx, &renewal) {
                Ok(receipt) if receipt.action.status == ActionStatus::Success => {
                    ("renewed".to_string(), false)
                }
                Ok(receipt) if receipt.action.status != ActionStatus::PendingExecution => {
                    ("paid; the renewal is being provisioned".to_string(), false)
                }
                Ok(_) => {
                    // Tried again daily: `Job::Retry`.
                    let mut renewing = tx.order(order_id)?.unwrap_or_else(|| order.clone());
                    let mut seen = renewing.attrs.lifecycle.clone().unwrap_or_default();
                    seen.retry_at = Some(now + DAY);
                    renewing.attrs.lifecycle = Some(seen);
                    tx.update_order(&renewing)?;
                    (
                        "the customer's funds fall short; the invoice waits".to_string(),
                        true,
                    )
                }
                Err(Error::Rule(rule)) => (rule.to_string(), true),
                Err(error) => return Err(error),
            };
            if failed {
                let subject = format!("{what} {name} could not be renewed");
                let body = format!(
                    "The renewal of {what} {name} failed: {outcome}. It expires on {end} (epoch seconds)."
                );
                orders::mail_customer(tx, &order, "renewal-failed", subject, body, now)?;
            }
            return Ok(Some(Ran {
                order_id,
                job,
                at: due,
                outcome,
            }));
        }
        Job::Retry => {
            let pending = tx.pending_action(order_id)?;
            let invoice = pending
                .filter(|a| a.kind == order.product.spec().kinds.renew)
                .and_then(|a| a.invoice_id);
            let (paid, outcome) = match invoice {
                // Paid or cancelled meanwhile: nothing left to try.
                None => (true, "nothing left to retry"),
                Some(invoice_id) => {
                    match orders::pay_invoices(tx, links, order.reseller_id, &[invoice_id], now) {
                        Ok(_) => (true, "renewed"),
                        Err(Error::Rule(_)) => (false, "the customer's funds still fall short"),
                        Err(error) => return Err(error),
                    }
                }
            };
            // Paying renewed the order: read it again.
            order = tx.order(order_id)?.unwrap_or(order);
            seen = order.attrs.lifecycle.clone().unwrap_or_default();
            seen.retry_at = (!paid).then_some(now + DAY);
            outcome.to_string()
        }
        Job::Expire => {
            seen.expired_for = Some(end);
            if order.product != Product::Domain {
                order.status = OrderStatus::Suspended;
            }
            let subject = format!("{what} {name} has expired");
            let body = if order.product == Product::Domain {
                format!(
                    "{name} expired; it can be renewed for {DOMAIN_GRACE_DAYS} days, then restored for {REDEMPTION_DAYS} more."
                )
            } else {
                format!(
                    "{what} {name} expired and is suspended; it is deleted in {HOSTING_GRACE_DAYS} days unless renewed."
                )
            };
            orders::mail_customer(tx, &order, "expiry", subject, body, now)?;
            "expired".to_string()
        }
        Job::Archive => {
            order.status = OrderStatus::Archived;
            "archived".to_string()
        }
        Job::NixiHold => crate::nixi::hold(tx, &mut order, now)?,
        Job::RegistrantChangeExpiry => crate::irtp::expire(tx, &mut order, now)?,
        Job::Provision => {
            let Some(progress) = order.attrs.provisioning.clone() else {
                return Ok(None);
            };
            let mut action = tx
                .action(progress.action_id)?
                .ok_or_else(|| StoreError::corrupt("an order provisioned for no action"))?;
            if progress.started {
                order.attrs.provisioning = None;
                orders::apply(&mut order, &mut action, now);
                tx.update_action(&action)?;
                "provisioned".to_string()
            } else {
                crate::provisioning::start(&mut action);
                tx.update_action(&action)?;
                order.attrs.provisioning = Some(InProgress {
                    started: true,
                    ..progress
                });
                "provisioning started".to_string()
            }
        }
        Job::Delete | Job::Purge => {
            order.status = OrderStatus::Deleted;
            order.attrs.closed = Some(now);
            order.attrs.mail = None;
            if let Some(certificate) = order.attrs.ssl.as_mut() {
                certificate.revoke(now);
            }
            if let Some(domain) = order.attrs.domain.as_mut() {
                domain.deleted = None;
                domain.dns = None;
                domain.forwarding = None;
            }
            let subject = format!("{what} {name} is deleted");
            let body = format!("{what} {name} was not renewed and is deleted.");
            orders::mail_customer(tx, &order, "deletion", subject, body, now)?;
            "deleted".to_string()
        }
        Job::Redeem => {
            order.status = OrderStatus::PendingDeleteRestorable;
            if let Some(domain) = order.attrs.domain.as_mut() {
                domain.deleted = Some(now);
                // A lapsed domain's zone and forwarding go: restored, it
                // activates them afresh.
                domain.dns = None;
                domain.forwarding = None;
            }
            let subject = format!("{name} is in redemption");
            let body = format!(
                "{name} was not renewed: it can be restored for {REDEMPTION_DAYS} days, then it is deleted."
            );
            orders::mail_customer(tx, &order, "redemption", subject, body, now)?;
            "in redemption".to_string()
        }
    };
    order.attrs.lifecycle = Some(seen);
    tx.update_order(&order)?;
    Ok(Some(Ran {
        order_id,
        job,
        at: due,
        outcome,
    }))
}
