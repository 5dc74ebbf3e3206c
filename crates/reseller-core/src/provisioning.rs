//! How a paid action reaches its order. The real service provisions
//! asynchronously: recorded replies show an action `InvoicePaid`, then
//! `ExecutionStarted`, then `Success` minutes later. A reseller's
//! provisioning is `instant` by default (an action runs as it is paid,
//! which most tests want), or `realistic`, set through the sandbox control
//! plane: a paid action that provisions something waits in those states
//! and completes on the clock, as a job (`lifecycle`), and the order takes
//! no other change meanwhile.

use crate::error::Result;
use crate::ids::{ActionId, ResellerId};
use crate::model::{Action, ActionKind, ActionStatus, Order};
use crate::time::Epoch;
use crate::tx::WriteTx;
use serde::{Deserialize, Serialize};

/// Seconds from payment until provisioning starts (`ExecutionStarted`).
pub const START_SECONDS: i64 = 60;
/// Seconds from payment until the action completes (`Success`).
pub const COMPLETE_SECONDS: i64 = 300;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Provisioning {
    #[default]
    Instant,
    Realistic,
}

impl Provisioning {
    pub fn as_str(self) -> &'static str {
        match self {
            Provisioning::Instant => "instant",
            Provisioning::Realistic => "realistic",
        }
    }

    pub fn parse(text: &str) -> Option<Provisioning> {
        [Provisioning::Instant, Provisioning::Realistic]
            .into_iter()
            .find(|p| p.as_str() == text)
    }
}

/// The action an order is being provisioned for, and since when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InProgress {
    pub action_id: ActionId,
    pub paid: Epoch,
    /// Provisioning has started (the action reads `ExecutionStarted`).
    pub started: bool,
}

impl InProgress {
    /// When its next step falls due: provisioning starts, or completes.
    pub fn next_step(&self) -> Epoch {
        if self.started {
            self.paid + COMPLETE_SECONDS
        } else {
            self.paid + START_SECONDS
        }
    }
}

/// Whether an action of this kind is provisioned (waits under realistic
/// provisioning). A transfer has its own course (`transfer_in`); changes
/// made on the order before their action runs (name servers, contacts,
/// locks, suspension) complete at once.
pub fn waits(kind: ActionKind) -> bool {
    matches!(
        kind,
        ActionKind::Add
            | ActionKind::RegisterDomain
            | ActionKind::Renew
            | ActionKind::RenewDomain
            | ActionKind::Delete
            | ActionKind::DeleteDomain
            | ActionKind::AddStorage
            | ActionKind::AddEmailAccount
            | ActionKind::DeleteEmailAccount
            | ActionKind::AddAddon
            | ActionKind::DeleteAddon
    )
}

/// Whether a paid action of `reseller_id` waits for provisioning.
pub fn defers(tx: &mut dyn WriteTx, reseller_id: ResellerId, action: &Action) -> Result<bool> {
    Ok(waits(action.kind) && tx.provisioning(reseller_id)? == Provisioning::Realistic)
}

/// Puts a paid action in its waiting state: `InvoicePaid` when an invoice
/// paid for it, else `ExecutionStarted` at once.
pub fn hold(action: &mut Action, invoice_paid: bool) {
    if invoice_paid {
        action.status = ActionStatus::InvoicePaid;
        action.status_desc = "Invoice paid; waiting for provisioning to start".to_string();
    } else {
        start(action);
    }
}

/// Provisioning starts: the action reads `ExecutionStarted`.
pub fn start(action: &mut Action) {
    action.status = ActionStatus::ExecutionStarted;
    action.status_desc = "Provisioning has started".to_string();
}

/// Marks the order as being provisioned for `action` (once the action has
/// its id).
pub fn mark(order: &mut Order, action: &Action, paid: Epoch) {
    order.attrs.provisioning = Some(InProgress {
        action_id: action.id,
        paid,
        started: action.status == ActionStatus::ExecutionStarted,
    });
}
