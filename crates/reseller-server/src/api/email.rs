//! Business Email (`eelite/us`, product key `eeliteus`): an order of email
//! accounts for a domain name, on the shared order engine.

use super::{CURRENCY, action_map, charge, order_details, order_with_price};
use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::{MapReply, Reply};
use reseller_api::calls::email::*;
use reseller_api::calls::orders::Details;
use reseller_core::Money;
use reseller_core::catalogue::Product;
use reseller_core::email::{self, NewEmail};
use reseller_core::model::InvoiceOption;

const PRODUCT: Product = Product::BusinessEmailUs;

/// Its own calls; `search`, `delete` and `orderid` are standard (`standard`).
pub fn routes(r: &mut Routes) {
    for prefix in PRODUCT.spec().prefixes {
        let path = |call: &str| format!("{prefix}/{call}");
        r.call_at::<Add, _, _>(&path("add"), add)
            .call_at::<Renew, _, _>(&path("renew"), renew)
            .call_at::<AddEmailAccount, _, _>(&path("add-email-account"), add_accounts)
            .call_at::<DeleteEmailAccount, _, _>(&path("delete-email-account"), delete_accounts)
            .call_at::<Details, _, _>(&path("details"), details);
    }
}

async fn add(call: Call, asked: Add) -> Result<Reply, ApiError> {
    let (billing, with_discount) = charge(&asked.billing);
    let new = NewEmail {
        reseller_id: call.reseller_id,
        domain: asked.domain_name,
        customer_id: asked.customer_id,
        months: asked.months,
        accounts: asked.no_of_accounts.0,
        auto_renew: asked.auto_renew.unwrap_or(false),
        billing,
        now: call.now,
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
async fn renew(call: Call, asked: Renew) -> Result<Reply, ApiError> {
    let extra = asked.no_of_accounts.map_or(0, |n| n.0);
    let (order_id, months) = (asked.order_id, asked.months);
    super::renew(
        call,
        order_id,
        &[PRODUCT],
        months,
        asked.auto_renew,
        asked.billing,
        extra,
    )
    .await
}

/// Answers as recorded: the action map under the invoice id for PayInvoice
/// and KeepInvoice; the cost, action, customer and invoice for OnlyAdd.
async fn add_accounts(call: Call, asked: AddEmailAccount) -> Result<Reply, ApiError> {
    let order_id = asked.order_id;
    let added = asked.no_of_accounts.0;
    let (billing, with_discount) = charge(&asked.billing);
    let (reseller_id, now) = (call.reseller_id, call.now);
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

async fn delete_accounts(call: Call, asked: DeleteEmailAccount) -> Result<Reply, ApiError> {
    let order_id = asked.order_id;
    let removed = asked.no_of_accounts.0;
    let (reseller_id, now) = (call.reseller_id, call.now);
    let receipt = call
        .state
        .store
        .write(move |tx| email::delete_accounts(tx, reseller_id, order_id, removed, now))
        .await?;
    Ok(action_map(&receipt, false))
}

/// The order with its account count, and what a month of it costs the
/// customer and the reseller at the renewal price of its slab.
async fn details(call: Call, asked: Details) -> Result<Reply, ApiError> {
    let order_id = asked.order_id;
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
