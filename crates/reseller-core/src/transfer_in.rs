//! Domains transferred in from another registrar. The other registrar is
//! emulated by the availability rule: a name it holds (`regthroughothers`)
//! may be transferred, with any auth code. The transfer is an order placed
//! at the TLD's transfer price for one year, InActive while it runs; its
//! `AddTransferDomain` action shows where it stands: waiting for an auth
//! code, then for the admin contact's approval, asked by a mail whose link
//! (signed by the server) approves. Approval completes the transfer: the
//! order is Active for a year from that day. A transfer in progress may be
//! cancelled, and what was paid for it is given back.

use crate::catalogue::{PriceAction, Product, plan_of_tld};
use crate::domain::DomainName;
use crate::domains::{self, PRODUCTS};
use crate::error::{Result, RuleError, StoreError};
use crate::ids::{ActionId, CustomerId, OrderId, ResellerId};
use crate::links::{LinkKind, Links};
use crate::model::{
    Account, Action, ActionKind, ActionStatus, DomainAttrs, InvoiceStatus, Mail, Order, OrderAttrs,
    OrderStatus,
};
use crate::months::Months;
use crate::nixi::Nixi;
use crate::orders::{self, NewOrder, Placing, Receipt};
use crate::time::{Epoch, add_months};
use crate::tlds::{self, Availability};
use crate::tx::{TransferKind, WriteTx};
use serde::{Deserialize, Serialize};

/// An approval link stays valid this long after the mail that carries it
/// (the real registries give the admin contact five days).
pub const LINK_SECONDS: i64 = 5 * 86_400;

/// Where a transfer in stands, kept on its order until it ends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferIn {
    pub stage: Stage,
    /// The order's `AddTransferDomain` action.
    pub action_id: ActionId,
    /// When the last approval mail was sent: only its link approves.
    pub last_sent: Option<Epoch>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    /// No auth code was given: `transfer/submit-auth-code` gives it.
    AwaitingAuthCode,
    /// The admin contact is asked to approve (`resend-rfa` asks again).
    AwaitingApproval,
}

impl Stage {
    /// The action's `actionstatusdesc` while the transfer is at this stage.
    pub fn describe(self) -> &'static str {
        match self {
            Stage::AwaitingAuthCode => "Transfer waiting for Auth Code",
            Stage::AwaitingApproval => "Transfer waiting for Admin Contact Approval",
        }
    }
}

/// The stage of a transfer order (a transfer that has no record yet is
/// being placed with an auth code or without one, as its order says).
pub fn stage_of(order: &Order) -> Stage {
    let domain = order.attrs.domain.as_ref();
    match domain.and_then(|d| d.transfer_in.as_ref()) {
        Some(transfer) => transfer.stage,
        None if domain.is_some_and(|d| !d.auth_code.is_empty()) => Stage::AwaitingApproval,
        None => Stage::AwaitingAuthCode,
    }
}

/// A transfer as asked: a registration's fields without years, plus the
/// auth code the other registrar gave (None: submitted later).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTransfer {
    pub reseller_id: ResellerId,
    pub customer_id: CustomerId,
    pub name: DomainName,
    pub auth_code: Option<String>,
    pub setup: domains::Setup,
    pub now: Epoch,
}

/// Places a transfer of a name the other registrar holds.
pub fn request(tx: &mut dyn WriteTx, links: &dyn Links, new: &NewTransfer) -> Result<Receipt> {
    let spec = domains::tld_of(&new.name)?;
    // A name held here, by any reseller, has no other registrar to leave.
    if tx
        .live_order_named(Product::Domain, new.name.as_str())?
        .is_some()
    {
        return Err(RuleError::TransferHeldHere(new.name.to_string()).into());
    }
    let (sld, tld) = tlds::split_name(new.name.as_str()).expect("a name of a TLD sold");
    match tlds::availability(sld, tld) {
        Availability::HeldElsewhere => {}
        Availability::Available | Availability::Premium(_) => {
            return Err(RuleError::TransferAvailable.into());
        }
        Availability::Unknown => return Err(RuleError::TldNotSold(new.name.to_string()).into()),
    }
    if new.setup.privacy && !spec.privacy {
        return Err(RuleError::PrivacyNotOffered(spec.tld).into());
    }
    orders::ordering_customer(tx, new.reseller_id, new.customer_id)?;
    domains::check_roles(
        tx,
        new.reseller_id,
        new.customer_id,
        new.setup.contacts,
        spec,
    )?;
    let plan_id = plan_of_tld(spec.tld).expect("every TLD sold has its plan");
    let [registrant, admin, tech, billing] = new.setup.contacts;
    let stage = match new.auth_code {
        Some(_) => Stage::AwaitingApproval,
        None => Stage::AwaitingAuthCode,
    };
    let attrs = OrderAttrs {
        domain: Some(DomainAttrs {
            ns: new.setup.ns.clone(),
            registrant,
            admin,
            tech,
            billing,
            privacy_bought: new.setup.privacy,
            privacy_on: new.setup.privacy && new.setup.privacy_on,
            auth_code: new.auth_code.clone().unwrap_or_default(),
            transfer_in: Some(TransferIn {
                stage,
                action_id: ActionId(0),
                last_sent: None,
            }),
            ..DomainAttrs::default()
        }),
        ..OrderAttrs::default()
    };
    let placing = Placing {
        kind: ActionKind::TransferDomain,
        price: PriceAction::Transfer,
        sentence: format!(
            "Transfer of {} from old Registrar along with 1 year Renewal",
            new.name
        ),
    };
    let mut receipt = orders::place_order_as(
        tx,
        &NewOrder {
            reseller_id: new.reseller_id,
            customer_id: new.customer_id,
            product: Product::Domain,
            plan_id,
            description: new.name.to_string(),
            months: Months::new(12).expect("a year"),
            units: 1,
            auto_renew: new.setup.auto_renew,
            attrs,
            billing: new.setup.billing,
            now: new.now,
        },
        placing,
    )?;
    let action_id = receipt.action.id;
    if let Some(transfer) = transfer_mut(&mut receipt.order) {
        transfer.action_id = action_id;
    }
    tx.update_order(&receipt.order)?;
    mail_approval_if_due(tx, links, new.reseller_id, receipt.order.id, false, new.now)?;
    Ok(receipt)
}

fn transfer_mut(order: &mut Order) -> Option<&mut TransferIn> {
    order
        .attrs
        .domain
        .as_mut()
        .and_then(|d| d.transfer_in.as_mut())
}

/// A transfer order of this reseller that is in progress, with its record
/// and its action.
fn in_progress(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
) -> Result<(Order, TransferIn, Action)> {
    // An order that is not there is not the caller's (the real texts).
    let order = match tx.order(order_id)? {
        Some(_) => orders::order_of_product(tx, reseller_id, order_id, PRODUCTS)?,
        None => return Err(RuleError::NotAllowed.into()),
    };
    let transfer = order
        .attrs
        .domain
        .as_ref()
        .and_then(|d| d.transfer_in.clone())
        .ok_or(RuleError::NoTransfer(order_id))?;
    let action = tx
        .action(transfer.action_id)?
        .ok_or_else(|| StoreError::corrupt("a transfer without its action"))?;
    Ok((order, transfer, action))
}

/// The order and its transfer, if the transfer waits for the admin
/// contact's approval and is paid for (started): an approval mail is due.
pub fn awaiting_approval(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
) -> Result<Option<(Order, TransferIn)>> {
    let (order, transfer, action) = in_progress(tx, reseller_id, order_id)?;
    let due = transfer.stage == Stage::AwaitingApproval
        && action.status == ActionStatus::ExecutionStarted;
    Ok(due.then_some((order, transfer)))
}

/// Gives the auth code a transfer waits for (or replaces the one it has):
/// the admin contact is then asked to approve.
pub fn submit_auth_code(
    tx: &mut dyn WriteTx,
    links: &dyn Links,
    reseller_id: ResellerId,
    order_id: OrderId,
    auth_code: &str,
    now: Epoch,
) -> Result<()> {
    let (mut order, _, mut action) = in_progress(tx, reseller_id, order_id)?;
    if let Some(domain) = order.attrs.domain.as_mut() {
        domain.auth_code = auth_code.to_string();
    }
    if let Some(transfer) = transfer_mut(&mut order) {
        transfer.stage = Stage::AwaitingApproval;
    }
    tx.update_order(&order)?;
    if action.status == ActionStatus::ExecutionStarted {
        action.status_desc = Stage::AwaitingApproval.describe().to_string();
        tx.update_action(&action)?;
    }
    mail_approval_if_due(tx, links, reseller_id, order_id, true, now)?;
    Ok(())
}

/// Mails the approval link again; refused where none is due. Answers
/// whether a mail went.
pub fn resend_approval(
    tx: &mut dyn WriteTx,
    links: &dyn Links,
    reseller_id: ResellerId,
    order_id: OrderId,
    now: Epoch,
) -> Result<bool> {
    let (_, transfer, action) = in_progress(tx, reseller_id, order_id)?;
    if action.status == ActionStatus::PendingExecution {
        return Err(RuleError::TransferUnpaid(order_id).into());
    }
    if transfer.stage == Stage::AwaitingAuthCode {
        return Err(RuleError::TransferWantsAuthCode(order_id).into());
    }
    mail_approval_if_due(tx, links, reseller_id, order_id, true, now)
}

/// Keeps a fresh approval mail for the transfer of `order_id` if one is
/// due: the transfer is paid for and waits for approval, and no mail was
/// sent yet unless `again`. Answers whether it was sent.
pub fn mail_approval_if_due(
    tx: &mut dyn WriteTx,
    links: &dyn Links,
    reseller_id: ResellerId,
    order_id: OrderId,
    again: bool,
    now: Epoch,
) -> Result<bool> {
    let Some((order, transfer)) = awaiting_approval(tx, reseller_id, order_id)? else {
        return Ok(false);
    };
    if transfer.last_sent.is_some() && !again {
        return Ok(false);
    }
    let link = links.link(LinkKind::TransferApproval, &order, link_expires(now));
    send_approval_mail(tx, order, &link, now)?;
    Ok(true)
}

/// The expiry of the link an approval mail sent at `sent` carries.
pub fn link_expires(sent: Epoch) -> Epoch {
    sent + LINK_SECONDS
}

/// Keeps the approval mail to the admin contact (the registrant where the
/// TLD takes no admin), with `link`; only its link approves from now on.
fn send_approval_mail(
    tx: &mut dyn WriteTx,
    mut order: Order,
    link: &str,
    now: Epoch,
) -> Result<()> {
    let domain = order.attrs.domain.as_ref();
    let approver = domain.and_then(|d| d.admin.or(d.registrant));
    let recipient = domains::contact_email(tx, approver, "admin contact")?;
    let body = format!(
        "A transfer of {} to us has been requested. As its admin contact, open this \
         link within 5 days to approve it: {link}\nIf you did not ask for it, ignore \
         this mail and the transfer does not happen.",
        order.description
    );
    let subject = format!("Approve the transfer of {}", order.description);
    let mail = Mail::about_order(&order, recipient, "transfer-approval", subject, body, now);
    tx.insert_mail(&mail)?;
    if let Some(transfer) = transfer_mut(&mut order) {
        transfer.last_sent = Some(now);
    }
    tx.update_order(&order)?;
    Ok(())
}

/// Approves a transfer by the link that expires at `link_expires`: the
/// transfer completes, the order is Active for a year from now and locked
/// against transfer away, and a NIXI domain starts its verification.
pub fn approve(
    tx: &mut dyn WriteTx,
    links: &dyn Links,
    reseller_id: ResellerId,
    order_id: OrderId,
    link_expires_at: Epoch,
    now: Epoch,
) -> Result<Order> {
    let (mut order, transfer, mut action) = in_progress(tx, reseller_id, order_id)?;
    let current = transfer.stage == Stage::AwaitingApproval
        && transfer.last_sent.map(link_expires) == Some(link_expires_at);
    if !current {
        return Err(RuleError::TransferLinkStale.into());
    }
    let name = DomainName::parse(&order.description)
        .ok_or_else(|| StoreError::corrupt("a domain order without a domain name"))?;
    let spec = domains::tld_of(&name)?;
    order.status = OrderStatus::Active;
    order.endtime = add_months(now, action.months);
    order.attrs.term_months = Some(action.months);
    if let Some(domain) = order.attrs.domain.as_mut() {
        domain.transfer_in = None;
        domain.transfer_lock = true;
        domain.nixi = spec.nixi.then(|| Nixi::start(now));
        domain.raa = crate::raa::applies(spec).then(|| crate::raa::Raa::start(now));
    }
    tx.update_order(&order)?;
    action.status = ActionStatus::Success;
    action.status_desc = "Domain transferred successfully".to_string();
    action.executed = Some(now);
    tx.update_action(&action)?;
    crate::links::mail_started(tx, links, &order, None, now)?;
    Ok(order)
}

/// Cancels a transfer in progress: the order is Deleted, its action
/// Failed, its invoice Cancelled (what was paid of it given back to the
/// customer's funds), and the reseller's cost given back to the reseller.
pub fn cancel(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    now: Epoch,
) -> Result<()> {
    let (mut order, _, mut action) = in_progress(tx, reseller_id, order_id)?;
    let memo = format!("Cancellation of the transfer of {}", order.description);
    if action.status == ActionStatus::ExecutionStarted {
        for (payer, payee, cost) in crate::orders::payments(&action) {
            if cost > crate::Money::ZERO {
                tx.transfer(
                    payee,
                    Account::Reseller(payer),
                    cost,
                    TransferKind::Refund,
                    &memo,
                    now,
                )?;
            }
        }
    }
    if let Some(invoice_id) = action.invoice_id {
        let mut invoice = tx
            .invoice(invoice_id)?
            .ok_or_else(|| StoreError::corrupt("a transfer's invoice is missing"))?;
        if invoice.status == InvoiceStatus::Paid && invoice.amount > crate::Money::ZERO {
            tx.transfer(
                Account::Earnings(reseller_id),
                Account::Customer(invoice.customer_id),
                invoice.amount,
                TransferKind::Refund,
                &format!("Refund of invoice {invoice_id}: {memo}"),
                now,
            )?;
        }
        if invoice.status != InvoiceStatus::Cancelled {
            invoice.status = InvoiceStatus::Cancelled;
            tx.update_invoice(&invoice)?;
        }
    }
    order.status = OrderStatus::Deleted;
    if let Some(domain) = order.attrs.domain.as_mut() {
        domain.transfer_in = None;
    }
    tx.update_order(&order)?;
    action.status = ActionStatus::Failed;
    action.status_desc = "Transfer cancelled".to_string();
    action.executed = Some(now);
    tx.update_action(&action)?;
    Ok(())
}
