//! Business Email (`eelite/us`, product key `eeliteus`): an order of email
//! accounts for a domain name, on the shared order engine.

use super::{
    BILLING, CURRENCY, DETAILS, MONTHS, action_map, billing, domain_name, order_details,
    order_with_price,
};
use crate::routes::{Call, Kind, Routes, Shape, optional, required};
use crate::wire::ApiError;
use crate::wire::reply::{MapReply, Reply};
use reseller_core::Money;
use reseller_core::catalogue::{MAX_EMAIL_ACCOUNTS, Product};
use reseller_core::email::{self, NewEmail};
use reseller_core::model::InvoiceOption;

const PRODUCT: Product = Product::BusinessEmailUs;

/// Its own calls; `search`, `delete` and `orderid` are standard (`standard`).
pub fn routes(r: &mut Routes) {
    let order = required("order-id", Kind::Id);
    let accounts = |min| {
        required(
            "no-of-accounts",
            Kind::Count {
                min,
                max: MAX_EMAIL_ACCOUNTS,
            },
        )
    };
    for prefix in PRODUCT.spec().prefixes {
        let path = |call: &str| format!("{prefix}/{call}");
        r.post(&path("add"), |c| Box::pin(add(c)))
            .takes(&[
                required("domain-name", Kind::Text),
                required("customer-id", Kind::Id),
                MONTHS,
                accounts(1),
                optional("auto-renew", Kind::Flag),
            ])
            .takes(BILLING)
            .answers(Shape::Action)
            .post(&path("renew"), |c| Box::pin(renew(c)))
            .takes(&[
                order,
                MONTHS,
                optional("auto-renew", Kind::Flag),
                optional(
                    "no-of-accounts",
                    Kind::Count {
                        min: 0,
                        max: MAX_EMAIL_ACCOUNTS,
                    },
                ),
            ])
            .takes(BILLING)
            .answers(Shape::Action)
            .post(&path("add-email-account"), |c| Box::pin(add_accounts(c)))
            .takes(&[order, accounts(1)])
            .takes(BILLING)
            .answers(Shape::Keyed)
            .post(&path("delete-email-account"), |c| {
                Box::pin(delete_accounts(c))
            })
            .takes(&[order, accounts(1)])
            .answers(Shape::Action)
            .get(&path("details"), |c| Box::pin(details(c)))
            .takes(&[order])
            .answers(Shape::Fields(DETAILS));
    }
}

/// `no-of-accounts`: a whole number up to what one order may hold. Zero
/// passes here so that an add without accounts gets the rule's own text.
fn accounts(call: &Call, min: u32) -> Result<u32, ApiError> {
    call.params
        .required_count("no-of-accounts", min, MAX_EMAIL_ACCOUNTS)
}

async fn add(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let (billing, with_discount) = billing(p)?;
    let new = NewEmail {
        reseller_id: call.reseller_id,
        domain: domain_name(p, "domain-name")?,
        customer_id: p.required_id("customer-id")?,
        months: p.months()?,
        accounts: accounts(&call, 0)?,
        auto_renew: p.flag("auto-renew", false)?,
        billing,
        now: call.state.clock.now(),
    };
    let receipt = call
        .state
        .store
        .write(move |tx| email::add_email(tx, &new))
        .await?;
    Ok(action_map(&receipt, with_discount))
}

/// `no-of-accounts` adds accounts with the renewal, as the vendor's page
/// says; `no-of-storage5-blocks` (storage bought with it) is not sold here
/// and is refused by name rather than ignored (docs/API.md).
async fn renew(call: Call) -> Result<Reply, ApiError> {
    let order_id = call.params.required_id("order-id")?;
    let extra = match call.params.optional("no-of-accounts")? {
        None => 0,
        Some(_) => accounts(&call, 0)?,
    };
    super::renew(&call, order_id, &[PRODUCT], extra).await
}

/// Answers as recorded: the action map under the invoice id for PayInvoice
/// and KeepInvoice; the cost, action, customer and invoice for OnlyAdd.
async fn add_accounts(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let order_id = p.required_id("order-id")?;
    let added = accounts(&call, 1)?;
    let (billing, with_discount) = billing(p)?;
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    let receipt = call
        .state
        .store
        .write(move |tx| email::add_accounts(tx, reseller_id, order_id, added, billing, now))
        .await?;
    let Some(invoice) = &receipt.invoice else {
        return Ok(action_map(&receipt, with_discount));
    };
    if billing.option == InvoiceOption::OnlyAdd {
        let mut map = MapReply::with_capacity(4);
        map.money("customercost", invoice.amount)
            .id("eaqid", receipt.action.id)
            .id("customerid", receipt.order.customer_id)
            .id("invoiceid", invoice.id);
        return Ok(map.build());
    }
    let mut map = MapReply::with_capacity(1);
    map.put(invoice.id.to_string(), action_map(&receipt, with_discount));
    Ok(map.build())
}

async fn delete_accounts(call: Call) -> Result<Reply, ApiError> {
    let order_id = call.params.required_id("order-id")?;
    let removed = accounts(&call, 1)?;
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    let receipt = call
        .state
        .store
        .write(move |tx| email::delete_accounts(tx, reseller_id, order_id, removed, now))
        .await?;
    Ok(action_map(&receipt, false))
}

/// The order with its account count, and what a month of it costs the
/// customer and the reseller at the renewal price of its slab.
async fn details(call: Call) -> Result<Reply, ApiError> {
    let order_id = call.params.required_id("order-id")?;
    let (order, month) = order_with_price(&call, order_id, &[PRODUCT]).await?;
    let (selling, cost) = month.unwrap_or((Money::ZERO, Money::ZERO));
    let mut map = order_details(&order, Some(selling));
    map.text("domainname", order.description.clone())
        .put("emailaccounts", Reply::Int(i64::from(order.units())))
        .money("customercost", selling)
        .money("resellercost", cost)
        .text("sellingcurrencysymbol", CURRENCY);
    Ok(map.build())
}
