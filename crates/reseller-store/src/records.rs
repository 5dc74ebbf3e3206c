//! Decoding the records from result rows, once for both backends: each
//! backend hands its row's cells as [`Cells`], and the decoders here turn
//! them into the rules' types, refusing values the rules do not know.

use crate::sql::Cells;
use reseller_core::catalogue::{Plan, PlanLimits, Price, PriceAction, Product};
use reseller_core::model::{
    Action, ActionKind, ActionStatus, Contact, ContactStatus, Customer, CustomerStatus, Invoice,
    InvoiceStatus, Mail, Order, OrderAttrs, OrderStatus, Reseller, Token, TokenKind,
};
use reseller_core::tx::{OrderQuery, OrderSort, StoreResult};
use reseller_core::{InvoiceId, Money, ResellerId, StoreError};

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::corrupt(format!("unknown {what} {value:?}"))
}

fn small(row: &dyn Cells, i: usize) -> StoreResult<u32> {
    u32::try_from(row.int(i)?).map_err(StoreError::corrupt)
}

pub(crate) fn reseller(row: &dyn Cells) -> StoreResult<Reseller> {
    Ok(Reseller {
        id: row.int(0)?.into(),
        name: row.text(1)?,
        api_key_hash: row.text(2)?,
        allowed_ips: row
            .text(3)?
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        active: row.flag(4)?,
        created: row.int(5)?,
        parent: row.opt_int(6)?.map(ResellerId),
        username: row.text(7)?,
        password_hash: row.text(8)?,
        profile: serde_json::from_str(&row.text(9)?).map_err(StoreError::corrupt)?,
    })
}

/// What each reseller above an action's seller pays, as the store keeps it.
pub(crate) fn upstream_text(upstream: &[(ResellerId, Money)]) -> StoreResult<String> {
    let pairs: Vec<(i64, i64)> = upstream.iter().map(|(r, m)| (r.0, m.0)).collect();
    serde_json::to_string(&pairs).map_err(StoreError::fault)
}

pub(crate) fn upstream(text: &str) -> StoreResult<Vec<(ResellerId, Money)>> {
    let pairs: Vec<(i64, i64)> = serde_json::from_str(text).map_err(StoreError::corrupt)?;
    Ok(pairs
        .into_iter()
        .map(|(r, m)| (ResellerId(r), Money(m)))
        .collect())
}

pub(crate) fn token(row: &dyn Cells) -> StoreResult<Token> {
    let kind = row.text(3)?;
    Ok(Token {
        digest: row.text(0)?,
        reseller_id: row.int(1)?.into(),
        customer_id: row.int(2)?.into(),
        kind: TokenKind::parse(&kind).ok_or_else(|| corrupt("token kind", &kind))?,
        created: row.int(4)?,
        expires: row.int(5)?,
    })
}

pub(crate) fn mail(row: &dyn Cells) -> StoreResult<Mail> {
    Ok(Mail {
        id: row.int(0)?,
        reseller_id: row.int(1)?.into(),
        customer_id: row.opt_int(2)?.map(Into::into),
        order_id: row.opt_int(3)?.map(Into::into),
        recipient: row.text(4)?,
        kind: row.text(5)?,
        subject: row.text(6)?,
        body: row.text(7)?,
        created: row.int(8)?,
    })
}

pub(crate) fn contact(row: &dyn Cells) -> StoreResult<Contact> {
    let status = row.text(19)?;
    let attributes = row.text(18)?;
    Ok(Contact {
        id: row.int(0)?.into(),
        reseller_id: row.int(1)?.into(),
        customer_id: row.int(2)?.into(),
        kind: row.text(3)?,
        name: row.text(4)?,
        company: row.text(5)?,
        email: row.text(6)?,
        address1: row.text(7)?,
        address2: row.text(8)?,
        address3: row.text(9)?,
        city: row.text(10)?,
        state: row.text(11)?,
        country: row.text(12)?,
        zip: row.text(13)?,
        phone_cc: row.text(14)?,
        phone: row.text(15)?,
        fax_cc: row.text(16)?,
        fax: row.text(17)?,
        attributes: serde_json::from_str(&attributes)
            .map_err(|_| corrupt("contact attributes", &attributes))?,
        status: ContactStatus::parse(&status).ok_or_else(|| corrupt("contact status", &status))?,
        created: row.int(20)?,
    })
}

pub(crate) fn customer(row: &dyn Cells) -> StoreResult<Customer> {
    let status = row.text(14)?;
    Ok(Customer {
        id: row.int(0)?.into(),
        reseller_id: row.int(1)?.into(),
        username: row.text(2)?,
        name: row.text(3)?,
        company: row.text(4)?,
        address1: row.text(5)?,
        city: row.text(6)?,
        state: row.text(7)?,
        country: row.text(8)?,
        zipcode: row.text(9)?,
        phone_cc: row.text(10)?,
        phone: row.text(11)?,
        lang_pref: row.text(12)?,
        password_hash: row.text(13)?,
        status: CustomerStatus::parse(&status)
            .ok_or_else(|| corrupt("customer status", &status))?,
        created: row.int(15)?,
        total_receipts: Money(row.int(16)?),
        pin: row.text(17)?,
        extras: serde_json::from_str(&row.text(18)?).map_err(StoreError::corrupt)?,
    })
}

pub(crate) fn order(row: &dyn Cells) -> StoreResult<Order> {
    let product = row.text(3)?;
    let status = row.text(6)?;
    let attrs = row.text(10)?;
    Ok(Order {
        id: row.int(0)?.into(),
        reseller_id: row.int(1)?.into(),
        customer_id: row.int(2)?.into(),
        product: Product::from_key(&product).ok_or_else(|| corrupt("product", &product))?,
        plan_id: row.int(4)?.into(),
        description: row.text(5)?,
        status: OrderStatus::parse(&status).ok_or_else(|| corrupt("order status", &status))?,
        auto_renew: row.flag(7)?,
        created: row.int(8)?,
        endtime: row.int(9)?,
        attrs: serde_json::from_str::<OrderAttrs>(&attrs)
            .map_err(|_| corrupt("order attributes", &attrs))?,
    })
}

pub(crate) fn action(row: &dyn Cells) -> StoreResult<Action> {
    let kind = row.text(4)?;
    let status = row.text(6)?;
    Ok(Action {
        id: row.int(0)?.into(),
        order_id: row.int(1)?.into(),
        reseller_id: row.int(2)?.into(),
        customer_id: row.int(3)?.into(),
        kind: ActionKind::parse(&kind).ok_or_else(|| corrupt("action kind", &kind))?,
        description: row.text(5)?,
        status: ActionStatus::parse(&status).ok_or_else(|| corrupt("action status", &status))?,
        status_desc: row.text(7)?,
        invoice_id: row.opt_int(8)?.map(InvoiceId),
        months: small(row, 9)?,
        units: row
            .opt_int(10)?
            .map(u32::try_from)
            .transpose()
            .map_err(StoreError::corrupt)?,
        auto_renew: row.opt_flag(11)?,
        selling: Money(row.int(12)?),
        discount: Money(row.int(13)?),
        cost: Money(row.int(14)?),
        created: row.int(15)?,
        executed: row.opt_int(16)?,
        addons: serde_json::from_str(&row.text(17)?).map_err(StoreError::corrupt)?,
        upstream: upstream(&row.text(18)?)?,
    })
}

pub(crate) fn invoice(row: &dyn Cells) -> StoreResult<Invoice> {
    let status = row.text(5)?;
    Ok(Invoice {
        id: row.int(0)?.into(),
        reseller_id: row.int(1)?.into(),
        customer_id: row.int(2)?.into(),
        order_id: row.int(3)?.into(),
        amount: Money(row.int(4)?),
        status: InvoiceStatus::parse(&status).ok_or_else(|| corrupt("invoice status", &status))?,
        description: row.text(6)?,
        created: row.int(7)?,
    })
}

pub(crate) fn plan(row: &dyn Cells) -> StoreResult<Plan> {
    let product = row.text(1)?;
    let limits = row.text(4)?;
    Ok(Plan {
        id: row.int(0)?.into(),
        product: Product::from_key(&product).ok_or_else(|| corrupt("product", &product))?,
        name: row.text(2)?,
        active: row.flag(3)?,
        limits: serde_json::from_str::<PlanLimits>(&limits)
            .map_err(|_| corrupt("plan limits", &limits))?,
    })
}

pub(crate) fn price(row: &dyn Cells) -> StoreResult<Price> {
    let action = row.text(1)?;
    Ok(Price {
        plan_id: row.int(0)?.into(),
        action: PriceAction::from_key(&action).ok_or_else(|| corrupt("price action", &action))?,
        months: small(row, 2)?,
        selling: Money(row.int(3)?),
        cost: Money(row.int(4)?),
    })
}

/// The ORDER BY clause of an order search.
pub(crate) fn order_by(sort: OrderSort) -> &'static str {
    match sort {
        OrderSort::OrderId => "id",
        OrderSort::OrderIdDesc => "id DESC",
        OrderSort::EndTime => "endtime, id",
        OrderSort::EndTimeDesc => "endtime DESC, id DESC",
        OrderSort::CreationTime => "created, id",
        OrderSort::CreationTimeDesc => "created DESC, id DESC",
    }
}

/// Whether an order search filters by nothing but reseller, product and
/// status, so that the kept `order_counts` give its total without a scan.
pub(crate) fn counts_suffice(q: &OrderQuery) -> bool {
    q.order_ids.is_empty()
        && q.customer_ids.is_empty()
        && q.plan_ids.is_empty()
        && q.description.is_none()
        && q.privacy_on.is_none()
        && [q.created_from, q.created_to, q.ends_from, q.ends_to]
            .iter()
            .all(Option::is_none)
}

/// An action's add-ons as stored: a JSON array of names.
pub(crate) fn addons_text(addons: &[String]) -> Result<String, StoreError> {
    serde_json::to_string(addons).map_err(StoreError::fault)
}
