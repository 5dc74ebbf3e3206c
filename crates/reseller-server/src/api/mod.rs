//! The API categories, one module each, and the reply shapes they share:
//! the action map, order details and search pages. The calls every product
//! takes as they are come from its declaration (`standard`); a product's
//! own module serves its special calls.

pub mod actions;
pub mod backup;
pub mod billing;
pub mod commons;
pub mod contacts;
pub mod customers;
pub mod dns;
pub mod domains;
pub mod email;
pub mod forwarding;
pub mod hosting;
pub mod mail;
pub mod managed;
pub mod orders;
pub mod pg;
pub mod preorders;
pub mod products;
pub mod resellers;
pub mod ssl;
pub mod standard;

use crate::routes::Call;
use crate::wire::ApiError;
use crate::wire::reply::{MapReply, Reply};
use reseller_api::calls;
use reseller_core::catalogue::Product;
use reseller_core::model::{Action, Order};
use reseller_core::orders as engine;
use reseller_core::orders::{Billing, Receipt, Renewal};
use reseller_core::tx::{Found, OrderQuery, OrderSort};
use reseller_core::{Money, Months};
use reseller_core::{OrderId, ResellerId};

/// The only currency of this server.
pub const CURRENCY: &str = "USD";

/// What an action call's `invoice-option` and `discount-amount` ask,
/// and whether a discount was given (the reply then shows it).
pub fn charge(asked: &calls::Billing) -> (Billing, bool) {
    (
        Billing {
            option: asked.invoice_option,
            discount: asked.discount_amount.unwrap_or(Money::ZERO),
        },
        asked.discount_amount.is_some(),
    )
}

/// `reseller-id`, when given, must be the caller's own.
pub fn own_reseller(given: Option<ResellerId>, caller: ResellerId) -> Result<(), ApiError> {
    match given {
        Some(id) if id != caller => Err(reseller_core::RuleError::NotAllowed.into()),
        _ => Ok(()),
    }
}

/// The order search a product's `search` asks for.
pub fn order_query_of(
    page: &calls::Page,
    filters: &calls::OrderFilters,
    reseller_id: ResellerId,
    products: &[Product],
) -> Result<OrderQuery, ApiError> {
    own_reseller(filters.reseller_id, reseller_id)?;
    Ok(OrderQuery {
        reseller_id,
        products: products.to_vec(),
        order_ids: filters.order_id.clone(),
        customer_ids: filters.customer_id.clone(),
        statuses: filters.status.clone(),
        plan_ids: Vec::new(),
        description: filters.domain_name.clone(),
        privacy_on: None,
        created_from: filters.creation_date_start.map(|t| t.0),
        created_to: filters.creation_date_end.map(|t| t.0),
        ends_from: filters.expiry_date_start.map(|t| t.0),
        ends_to: filters.expiry_date_end.map(|t| t.0),
        sort: filters.order_by.map_or(OrderSort::OrderId, |sort| sort.0),
        page: page.of_store(),
    })
}

/// The `renew` call every product has: `months`, optional `auto-renew`
/// (missing keeps the order's setting), `invoice-option`, `discount-amount`;
/// `extra_units` are added with the renewal (Business Email accounts).
pub async fn renew(
    call: Call,
    order_id: OrderId,
    products: &[Product],
    months: Months,
    auto_renew: Option<bool>,
    asked: calls::Billing,
    extra_units: u32,
) -> Result<Reply, ApiError> {
    let (billing, with_discount) = charge(&asked);
    let renewal = Renewal {
        reseller_id: call.reseller_id,
        order_id,
        products: products.to_vec(),
        months,
        auto_renew,
        extra_units,
        billing,
        now: call.now,
    };
    let receipt = call
        .state
        .store
        .write(move |tx| engine::renew_order(tx, &renewal))
        .await?;
    // A certificate's renewal is issued with it, when the order renewed.
    if receipt
        .order
        .attrs
        .ssl
        .as_ref()
        .is_some_and(|c| c.renewal_due)
    {
        ssl::issue_if_validated(&call.state, receipt.order.clone(), call.now).await?;
    }
    Ok(action_map(&receipt, with_discount))
}

/// The action map every add, renew, delete and modify answers (API-NOTES §3).
pub fn action_map(receipt: &Receipt, with_discount: bool) -> Reply {
    let mut map = action_fields(&receipt.action, &receipt.order.description);
    // Every action reply of the real service says so (shared/recorded).
    map.text("status", "Success");
    if let Some(invoice) = &receipt.invoice {
        map.id("invoiceid", invoice.id)
            .text("sellingcurrencysymbol", CURRENCY)
            .money("sellingamount", -invoice.amount)
            .money("unutilisedsellingamount", -invoice.amount)
            .id("customerid", receipt.order.customer_id);
    }
    if with_discount {
        map.money("discount-amount", receipt.action.discount);
    }
    map.build()
}

/// The keys an action shows wherever it appears.
pub fn action_fields(action: &Action, order_description: &str) -> MapReply {
    let mut map = MapReply::with_capacity(14);
    map.id("entityid", action.order_id)
        .text("description", order_description.to_string())
        .text("actiontype", action.kind.as_str())
        .text("actiontypedesc", action.description.clone())
        .id("eaqid", action.id)
        .text("actionstatus", action.status.as_str())
        .text("actionstatusdesc", action.status_desc.clone());
    map
}

/// The details every order shows, with the recorded key set of the real
/// service (`shared/recorded/eelite/details.json`); product modules add their
/// own keys. `month` is what a month of the order costs the customer at its
/// renewal price (`engine::month_price`), shown as `currentOrderPrice`.
pub fn order_details(order: &Order, month: Option<Money>) -> MapReply {
    let mut map = MapReply::with_capacity(32);
    map.id("orderid", order.id)
        .id("entityid", order.id)
        .text("description", order.description.clone())
        .text("currentstatus", order.status.as_str())
        .text("productkey", order.product.key())
        .text("productcategory", order.product.category())
        .id("planid", order.plan_id)
        .id("customerid", order.customer_id)
        .id("resellerid", order.reseller_id)
        .id("creationtime", order.created)
        .id("endtime", order.endtime)
        .flag("recurring", order.auto_renew)
        .text("isImmediateReseller", "true")
        .text("parentkey", format!("{PLATFORM_KEY}_{}", order.reseller_id))
        .id("eaqid", 0)
        .flag("paused", false)
        .put("orderstatus", Reply::List(Vec::new()))
        .id(
            "entitytypeid",
            i64::from(order.product.spec().entity_type_id),
        )
        .flag("isDeletionRequest", false)
        .put("jumpConditions", Reply::List(Vec::new()))
        .put(
            "currentOrderPrice",
            Reply::Number(month.unwrap_or(Money::ZERO)),
        )
        .id("actioncompleted", 0)
        .flag("isOrderSuspendedUponExpiry", false)
        .flag("orderSuspendedByParent", false)
        .flag("allowdeletion", true)
        .id("moneybackperiod", MONEY_BACK_DAYS);
    map
}

/// The platform's key at the head of every `parentkey` (the real service
/// shows its own parents' ids there, e.g. `999999999_999999998_715226`).
pub const PLATFORM_KEY: &str = "999999999";

/// Days within which a deleted order could be refunded (`moneybackperiod`).
pub const MONEY_BACK_DAYS: i64 = 30;

/// An order of one of `products` owned by the caller, with what a month of it costs.
pub async fn order_with_price(
    call: &Call,
    order_id: OrderId,
    products: &'static [Product],
) -> Result<(Order, Option<(Money, Money)>), ApiError> {
    let reseller_id = call.reseller_id;
    Ok(call
        .state
        .store
        .read(move |tx| {
            let order = engine::order_of_product(tx, reseller_id, order_id, products)?;
            let month = engine::month_price(tx, &order)?;
            Ok((order, month))
        })
        .await?)
}

/// The dotted keys of an order in a search page (API-NOTES §4).
pub fn order_record(order: &Order) -> MapReply {
    let mut map = MapReply::with_capacity(12);
    map.id("orders.orderid", order.id)
        .flag("orders.autorenew", order.auto_renew)
        .id("orders.endtime", order.endtime)
        .id("orders.creationtime", order.created)
        .id("orders.planid", order.plan_id)
        .id("entity.entityid", order.id)
        .id("entity.customerid", order.customer_id)
        .text("entity.currentstatus", order.status.as_str())
        .text("entity.description", order.description.clone())
        .text("entitytype.entitytypekey", order.product.key())
        .text("entitytype.entitytypename", order.product.name());
    map
}

/// A search page: `recsonpage`, `recsindb`, then records under "1", "2", ...
pub fn search_page<T>(found: &Found<T>, record: impl Fn(&T) -> MapReply) -> Reply {
    let mut map = MapReply::with_capacity(found.records.len() + 2);
    map.id("recsonpage", found.records.len() as i64)
        .id("recsindb", found.total as i64);
    for (i, item) in found.records.iter().enumerate() {
        map.put((i + 1).to_string(), record(item).build());
    }
    map.build()
}

/// The orders a product's `search` call asks for.
pub async fn find_orders(
    call: &Call,
    asked: &calls::orders::Search,
    products: &[Product],
) -> Result<Found<Order>, ApiError> {
    let query = order_query_of(&asked.page, &asked.filters, call.reseller_id, products)?;
    Ok(call
        .state
        .store
        .read(move |tx| Ok(tx.search_orders(&query)?))
        .await?)
}
