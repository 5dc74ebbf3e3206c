//! The catalogue as the reseller sees it: `plan-details`, `customer-price`
//! (selling prices) and `reseller-price` (the reseller's cost). Prices are
//! per month for each tenure; backup prices are per GB per month.

use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::Reply;
use reseller_core::catalogue::{Price, Product};
use reseller_core::orders::customer_of;
use serde_json::{Map, Value, json};

pub fn routes(r: &mut Routes) {
    r.get("products/plan-details", |c| Box::pin(plan_details(c)))
        .get("products/customer-price", |c| {
            Box::pin(prices(c, |p| p.selling))
        })
        .get("products/reseller-price", |c| {
            Box::pin(prices(c, |p| p.cost))
        });
}

async fn plan_details(call: Call) -> Result<Reply, ApiError> {
    let plans = call.state.store.read(|tx| Ok(tx.plans()?)).await?;
    let mut products = Map::new();
    // An add-on's plan only prices it; the price calls list add-ons.
    for plan in plans.into_iter().filter(|p| p.limits.addon.is_none()) {
        let mut details = Map::new();
        details.insert("plan_id".into(), json!(plan.id.to_string()));
        details.insert("plan_name".into(), json!(plan.name));
        details.insert(
            "plan_status".into(),
            json!(if plan.active { "Active" } else { "Inactive" }),
        );
        let limits = serde_json::to_value(&plan.limits).map_err(ApiError::internal)?;
        if let Value::Object(limits) = limits {
            for (key, value) in limits {
                details.insert(key, json!(value.to_string()));
            }
        }
        let product = products
            .entry(plan.product.key())
            .or_insert_with(|| json!({}));
        product[plan.id.to_string()] = Value::Object(details);
    }
    Ok(Value::Object(products).into())
}

/// `{"<productkey>":{"plans":{"<plan-id>":{"add":{"1":"10.000",..},"renew":{..}}}}}`;
/// Business Email's slabs as `{"eeliteus":{"email_account_ranges":{"1-5":{..}}}}`;
/// Managed Server's add-ons, a month each, as `{"managedserverlinuxus":{"addons":{"whmcs":{..}}}}`.
async fn prices(call: Call, amount: fn(&Price) -> reseller_core::Money) -> Result<Reply, ApiError> {
    if let Some(customer_id) = call.params.optional_id("customer-id")? {
        let reseller_id = call.reseller_id;
        call.state
            .store
            .read(move |tx| customer_of(tx, reseller_id, customer_id))
            .await?;
    }
    let only = match call.params.optional("product-key")? {
        None => None,
        Some(key) => Some(Product::from_key(key).ok_or_else(|| {
            let keys: Vec<&str> = Product::ALL.iter().map(|p| p.key()).collect();
            ApiError::invalid(
                "product-key",
                key,
                format!("It must be one of {}", keys.join(", ")),
            )
        })?),
    };
    let reseller_id = call.reseller_id;
    let (plans, prices) = call
        .state
        .store
        .read(move |tx| Ok((tx.plans()?, tx.prices(reseller_id)?)))
        .await?;
    let mut products = Map::new();
    for plan in plans
        .iter()
        .filter(|p| only.is_none_or(|only| only == p.product))
    {
        let mut actions = Map::new();
        for price in prices.iter().filter(|p| p.plan_id == plan.id) {
            let tenures = actions
                .entry(price.action.key())
                .or_insert_with(|| json!({}));
            tenures[price.months.to_string()] = json!(amount(price).to_string());
        }
        let (group, key) = match (&plan.limits, plan.limits.addon.as_deref()) {
            (_, Some(addon)) => ("addons", addon.to_string()),
            (limits, None) => match (limits.min_accounts, limits.max_accounts) {
                (Some(min), Some(max)) => ("email_account_ranges", format!("{min}-{max}")),
                _ => ("plans", plan.id.to_string()),
            },
        };
        let product = products
            .entry(plan.product.key())
            .or_insert_with(|| json!({ group: {} }));
        product[group][key] = Value::Object(actions);
    }
    Ok(Value::Object(products).into())
}
