//! A change of registrant under ICANN's transfer policy (IRTP, since
//! 2016) for generic TLDs: the change waits for the old registrant (the
//! losing side) and the new one (the gaining side) to approve it by mail
//! within 2 days, and so do the other contacts asked with it; no other
//! contact change is taken meanwhile. Then the new registrant holds the
//! domain, which is locked
//! against transfer for 60 days unless the change opted out
//! (`sixty-day-lock-optout`). Unapproved after 2 days, it expires and
//! nothing changes. Statuses are read from the clock. The change's action
//! says it waits (`ExecutionStarted`) until the second approval makes it
//! `Success`, or the clock's expiry job makes it `Failed`.

use crate::error::{Result, RuleError, StoreError};
use crate::ids::{ActionId, ContactId, OrderId, ResellerId};
use crate::model::{Mail, Order};
use crate::time::Epoch;
use crate::tx::WriteTx;
use crate::{domains, orders};
use serde::{Deserialize, Serialize};

/// The TLDs under ICANN's transfer policy that the registry sells.
pub const GENERIC_TLDS: [&str; 5] = ["com", "net", "org", "info", "biz"];
/// How long both sides have to approve.
pub const WINDOW_SECONDS: i64 = 2 * 86_400;
/// How long a changed domain stays locked against transfer.
pub const LOCK_SECONDS: i64 = 60 * 86_400;

pub fn applies(tld: &str) -> bool {
    GENERIC_TLDS.contains(&tld)
}

/// A registrant change waiting for approval.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Irtp {
    /// The registrant proposed (the gaining contact).
    pub proposed: ContactId,
    /// The admin, tech and billing contacts asked with it: they change
    /// with the registrant.
    #[serde(default)]
    pub others: [Option<ContactId>; 3],
    pub started: Epoch,
    /// Whether the domain is locked for 60 days once changed.
    pub lock: bool,
    pub gaining_approved: Option<Epoch>,
    pub losing_approved: Option<Epoch>,
    /// The action that waits for this change; None once it is settled
    /// (and for changes kept before actions waited).
    #[serde(default)]
    pub action_id: Option<ActionId>,
}

/// Which registrant approves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Gaining,
    Losing,
}

impl Irtp {
    pub fn start(
        proposed: ContactId,
        others: [Option<ContactId>; 3],
        lock: bool,
        now: Epoch,
    ) -> Irtp {
        Irtp {
            proposed,
            others,
            started: now,
            lock,
            gaining_approved: None,
            losing_approved: None,
            action_id: None,
        }
    }

    /// When the clock fails the waiting action of a change not approved
    /// in time: just past its window.
    pub fn expiry_due(&self) -> Option<Epoch> {
        self.action_id.map(|_| self.expires() + 1)
    }

    /// The end of the window: the links of this change expire then.
    pub fn expires(&self) -> Epoch {
        self.started + WINDOW_SECONDS
    }

    /// `task-status`: `PENDING`, or `EXPIRED` once the window has passed.
    pub fn task_status(&self, now: Epoch) -> &'static str {
        if now > self.expires() {
            "EXPIRED"
        } else {
            "PENDING"
        }
    }

    /// `gaining-foa-status` / `losing-foa-status`.
    pub fn foa_status(&self, side: Side) -> &'static str {
        let approved = match side {
            Side::Gaining => self.gaining_approved,
            Side::Losing => self.losing_approved,
        };
        if approved.is_some() {
            "APPROVED"
        } else {
            "PENDING"
        }
    }
}

/// Keeps the approval mail of one side of `order`'s pending change, to
/// that side's registrant, with `link`.
pub fn send_mail(
    tx: &mut dyn WriteTx,
    order: &Order,
    side: Side,
    link: &str,
    now: Epoch,
) -> Result<()> {
    let domain = order.attrs.domain.as_ref();
    let change = domain
        .and_then(|d| d.irtp.as_ref())
        .ok_or_else(|| StoreError::corrupt("a registrant change mail without a change"))?;
    let (contact, kind, role) = match side {
        Side::Gaining => (Some(change.proposed), "irtp-gaining", "new"),
        Side::Losing => (domain.and_then(|d| d.registrant), "irtp-losing", "current"),
    };
    let recipient = domains::contact_email(tx, contact, "registrant")?;
    let body = format!(
        "A change of the registrant of {} has been requested. As its {role} registrant, \
         open this link within 2 days to approve it: {link}",
        order.description
    );
    let subject = format!("Approve the change of registrant of {}", order.description);
    let mail = Mail::about_order(order, recipient, kind, subject, body, now);
    tx.insert_mail(&mail)?;
    Ok(())
}

/// What an approval did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Approved {
    /// This side approved; the other has yet to.
    Waiting(Order),
    /// Both sides approved: the new registrant holds the domain. Carries
    /// the order as it was, for the rounds the change starts.
    Changed { before: Box<Order>, after: Order },
}

/// Approves `side` of the change of `order_id` whose links expire at
/// `link_expires`; the second approval makes the change.
pub fn approve(
    tx: &mut dyn WriteTx,
    links: &dyn crate::links::Links,
    reseller_id: ResellerId,
    order_id: OrderId,
    side: Side,
    link_expires: Epoch,
    now: Epoch,
) -> Result<Approved> {
    let mut order = orders::order_of_product(tx, reseller_id, order_id, domains::PRODUCTS)?;
    let before = order.clone();
    let Some(domain) = order.attrs.domain.as_mut() else {
        return Err(StoreError::corrupt("a domain order without its domain").into());
    };
    let Some(change) = domain.irtp.as_mut().filter(|c| c.expires() == link_expires) else {
        return Err(RuleError::VerificationLinkStale.into());
    };
    match side {
        Side::Gaining => change.gaining_approved.get_or_insert(now),
        Side::Losing => change.losing_approved.get_or_insert(now),
    };
    if change.gaining_approved.is_none() || change.losing_approved.is_none() {
        tx.update_order(&order)?;
        return Ok(Approved::Waiting(order));
    }
    let change = domain.irtp.take().expect("a change approved");
    if let Some(action_id) = change.action_id {
        let mut action = tx
            .action(action_id)?
            .ok_or_else(|| StoreError::corrupt("a registrant change without its action"))?;
        orders::apply(&mut order, &mut action, now);
        tx.update_action(&action)?;
    }
    let Some(domain) = order.attrs.domain.as_mut() else {
        return Err(StoreError::corrupt("a domain order without its domain").into());
    };
    domain.registrant = Some(change.proposed);
    [domain.admin, domain.tech, domain.billing] = change.others;
    if change.lock {
        domain.transfer_lock = true;
        domain.sixty_day_lock_until = Some(now + LOCK_SECONDS);
    }
    // The new registrant verifies their address afresh.
    domain.raa = Some(crate::raa::Raa::start(now));
    tx.update_order(&order)?;
    crate::links::mail_started(tx, links, &order, Some(&before), now)?;
    Ok(Approved::Changed {
        before: Box::new(before),
        after: order,
    })
}

/// Fails the waiting action of `order`'s change, not approved within its
/// window (the clock's job): nothing changed, and the action says so.
pub fn expire(tx: &mut dyn WriteTx, order: &mut Order, now: Epoch) -> Result<String> {
    let Some(change) = order.attrs.domain.as_mut().and_then(|d| d.irtp.as_mut()) else {
        return Ok("no registrant change".to_string());
    };
    let Some(action_id) = change.action_id.take() else {
        return Ok("no registrant change waiting".to_string());
    };
    let mut action = tx
        .action(action_id)?
        .ok_or_else(|| StoreError::corrupt("a registrant change without its action"))?;
    action.status = crate::model::ActionStatus::Failed;
    action.status_desc = EXPIRED.to_string();
    action.executed = Some(now);
    tx.update_action(&action)?;
    Ok("registrant change expired".to_string())
}

/// Why an expired change's action failed.
pub const EXPIRED: &str =
    "The registrant change was not approved by both registrants within 2 days; nothing changed";

/// Why a change's action waits.
pub const WAITING: &str = "Waiting for the current and the new registrant to approve the change";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_expires_after_its_window() {
        let mut change = Irtp::start(ContactId(7), [None; 3], true, 1_000);
        assert_eq!(change.task_status(1_000 + WINDOW_SECONDS), "PENDING");
        assert_eq!(change.task_status(1_001 + WINDOW_SECONDS), "EXPIRED");
        assert_eq!(change.foa_status(Side::Gaining), "PENDING");
        change.gaining_approved = Some(1_500);
        assert_eq!(change.foa_status(Side::Gaining), "APPROVED");
        assert_eq!(change.foa_status(Side::Losing), "PENDING");
        assert!(applies("com") && !applies("ca"));
    }
}
