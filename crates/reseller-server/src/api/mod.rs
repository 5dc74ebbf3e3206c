//! The API categories, one module each, and the reply shapes they share:
//! the action map, order details and search pages.

pub mod actions;
pub mod backup;
pub mod billing;
pub mod customers;
pub mod products;
pub mod servers;

use crate::wire::{ApiError, Params};
use reseller_core::Money;
use reseller_core::catalogue::Product;
use reseller_core::model::{Action, Order, OrderStatus};
use reseller_core::orders::{Billing, Receipt};
use reseller_core::tx::{Found, OrderQuery, OrderSort};
use serde_json::{Map, Value, json};

/// The only currency of this server.
pub const CURRENCY: &str = "USD";

/// The `invoice-option` and optional `discount-amount` of an action call.
pub fn billing(params: &Params) -> Result<(Billing, bool), ApiError> {
    let option = params.invoice_option()?;
    let discount = params.optional_money("discount-amount")?;
    Ok((
        Billing {
            option,
            discount: discount.unwrap_or(Money::ZERO),
        },
        discount.is_some(),
    ))
}

/// The action map every add, renew, delete and modify answers (API-NOTES §3).
pub fn action_map(receipt: &Receipt, with_discount: bool) -> Value {
    let mut map = action_fields(&receipt.action, &receipt.order.description);
    if let Some(invoice) = &receipt.invoice {
        map.insert("invoiceid".into(), json!(invoice.id.to_string()));
        map.insert("sellingcurrencysymbol".into(), json!(CURRENCY));
        map.insert("sellingamount".into(), json!((-invoice.amount).to_string()));
        map.insert(
            "unutilisedsellingamount".into(),
            json!((-invoice.amount).to_string()),
        );
        map.insert(
            "customerid".into(),
            json!(receipt.order.customer_id.to_string()),
        );
    }
    if with_discount {
        map.insert(
            "discount-amount".into(),
            json!(receipt.action.discount.to_string()),
        );
    }
    Value::Object(map)
}

/// The keys an action shows wherever it appears.
pub fn action_fields(action: &Action, order_description: &str) -> Map<String, Value> {
    let mut map = Map::with_capacity(14);
    map.insert("entityid".into(), json!(action.order_id.to_string()));
    map.insert("description".into(), json!(order_description));
    map.insert("actiontype".into(), json!(action.kind.as_str()));
    map.insert("actiontypedesc".into(), json!(action.description));
    map.insert("eaqid".into(), json!(action.id.to_string()));
    map.insert("actionstatus".into(), json!(action.status.as_str()));
    map.insert("actionstatusdesc".into(), json!(action.status_desc));
    map
}

/// The details every order shows; product modules add their own keys.
pub fn order_details(order: &Order) -> Map<String, Value> {
    let mut map = Map::with_capacity(18);
    map.insert("orderid".into(), json!(order.id.to_string()));
    map.insert("entityid".into(), json!(order.id.to_string()));
    map.insert("description".into(), json!(order.description));
    map.insert("currentstatus".into(), json!(order.status.as_str()));
    map.insert("productkey".into(), json!(order.product.key()));
    map.insert("productcategory".into(), json!(order.product.category()));
    map.insert("planid".into(), json!(order.plan_id.to_string()));
    map.insert("customerid".into(), json!(order.customer_id.to_string()));
    map.insert("resellerid".into(), json!(order.reseller_id.to_string()));
    map.insert("creationtime".into(), json!(order.created.to_string()));
    map.insert("endtime".into(), json!(order.endtime.to_string()));
    map.insert("recurring".into(), json!(order.auto_renew.to_string()));
    map.insert("isImmediateReseller".into(), json!("true"));
    map
}

/// The dotted keys of an order in a search page (API-NOTES §4).
pub fn order_record(order: &Order) -> Map<String, Value> {
    let mut map = Map::with_capacity(12);
    map.insert("orders.orderid".into(), json!(order.id.to_string()));
    map.insert(
        "orders.autorenew".into(),
        json!(order.auto_renew.to_string()),
    );
    map.insert("orders.endtime".into(), json!(order.endtime.to_string()));
    map.insert(
        "orders.creationtime".into(),
        json!(order.created.to_string()),
    );
    map.insert("orders.planid".into(), json!(order.plan_id.to_string()));
    map.insert("entity.entityid".into(), json!(order.id.to_string()));
    map.insert(
        "entity.customerid".into(),
        json!(order.customer_id.to_string()),
    );
    map.insert("entity.currentstatus".into(), json!(order.status.as_str()));
    map.insert("entity.description".into(), json!(order.description));
    map.insert(
        "entitytype.entitytypekey".into(),
        json!(order.product.key()),
    );
    map.insert(
        "entitytype.entitytypename".into(),
        json!(order.product.name()),
    );
    map
}

/// A search page: `recsonpage`, `recsindb`, then records under "1", "2", ...
pub fn search_page<T>(found: &Found<T>, record: impl Fn(&T) -> Map<String, Value>) -> Value {
    let mut map = Map::new();
    map.insert("recsonpage".into(), json!(found.records.len().to_string()));
    map.insert("recsindb".into(), json!(found.total.to_string()));
    for (i, item) in found.records.iter().enumerate() {
        map.insert((i + 1).to_string(), Value::Object(record(item)));
    }
    Value::Object(map)
}

/// The order search filters every product's `search` takes.
pub fn order_query(
    params: &Params,
    reseller_id: i64,
    products: &[Product],
) -> Result<OrderQuery, ApiError> {
    if let Some(other) = params.optional_id("reseller-id")?
        && other != reseller_id
    {
        return Err(reseller_core::RuleError::NotAllowed.into());
    }
    let statuses = params
        .all("status")
        .into_iter()
        .map(|s| {
            OrderStatus::parse(s).ok_or_else(|| {
                let allowed: Vec<&str> = OrderStatus::ALL.iter().map(|s| s.as_str()).collect();
                ApiError::invalid(
                    "status",
                    s,
                    format!("It must be one of {}", allowed.join(", ")),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let sort = match params.optional("order-by")? {
        None => OrderSort::OrderId,
        Some(text) => match text
            .to_ascii_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["orderid"] | ["orderid", "asc"] => OrderSort::OrderId,
            ["orderid", "desc"] => OrderSort::OrderIdDesc,
            ["endtime"] | ["endtime", "asc"] => OrderSort::EndTime,
            ["endtime", "desc"] => OrderSort::EndTimeDesc,
            ["creationtime"] | ["creationtime", "asc"] => OrderSort::CreationTime,
            ["creationtime", "desc"] => OrderSort::CreationTimeDesc,
            _ => {
                return Err(ApiError::invalid(
                    "order-by",
                    text,
                    "It must be orderid, endtime or creationtime, optionally followed by asc or desc",
                ));
            }
        },
    };
    Ok(OrderQuery {
        reseller_id,
        products: products.to_vec(),
        order_ids: params.ids("order-id")?,
        customer_ids: params.ids("customer-id")?,
        statuses,
        description: params.optional("domain-name")?.map(str::to_string),
        created_from: params.optional_time("creation-date-start")?,
        created_to: params.optional_time("creation-date-end")?,
        ends_from: params.optional_time("expiry-date-start")?,
        ends_to: params.optional_time("expiry-date-end")?,
        sort,
        page: params.page()?,
    })
}

/// A domain name as order names take it: letters, digits, hyphens and dots,
/// 253 characters at most, labels of 1 to 63, a dot somewhere.
pub fn domain_name(params: &Params, name: &'static str) -> Result<String, ApiError> {
    let value = params.required(name)?;
    let lower = value.to_ascii_lowercase();
    let labels_ok = lower.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    if lower.len() > 253 || !lower.contains('.') || !labels_ok {
        return Err(ApiError::invalid(
            name,
            value,
            "It must be a domain name such as example.com: letters, digits and hyphens in dot-separated labels",
        ));
    }
    Ok(lower)
}
