//! The web hosting products' own calls (`*/modify`, `*/modify-pricing`,
//! `*/enable-ssl`; reseller hosting's dedicated IP and license key), below
//! each of their prefixes; the standard calls come from their declarations
//! (`api::standard`). The rules are in `reseller_core::hosting` and
//! `reseller_core::addons`.

use crate::api::{action_map, charge};
use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::{MapReply, Reply};
use reseller_api::calls::hosting::*;
use reseller_core::catalogue::{
    AddonSpec, DEDICATED_IP, HOSTING_SSL, Product, web_hosting_products,
};
use reseller_core::hosting;

pub fn routes(r: &mut Routes) {
    r.call::<ActivePlanCategories, _, _>(active_plan_categories)
        .call::<WebServicesResellerPrice, _, _>(|c, _| {
            let filters = reseller_api::calls::products::PriceFilters {
                customer_id: None,
                product_key: Some(reseller_api::calls::products::PriceKey::Product(
                    Product::WebServices,
                )),
            };
            super::products::prices(c, filters, None, |p| p.cost)
        });
    for product in web_hosting_products().map(|spec| spec.product) {
        for prefix in product.spec().prefixes {
            let path = |call: &str| format!("{prefix}/{call}");
            r.call_at::<Modify, _, _>(&path("modify"), move |c, a| modify(c, a, product))
                .call_at::<ModifyPricing, _, _>(&path("modify-pricing"), move |c, a| {
                    modify_pricing(c, a, product)
                })
                .call_at::<EnableSsl, _, _>(&path("enable-ssl"), move |c, a: EnableSsl| {
                    add_addon(c, a.order_id, a.billing, product, &HOSTING_SSL)
                })
                .call_at::<EnableMaintenance, _, _>(&path("enable-maintenance"), move |c, a| {
                    enable_maintenance(c, a, product)
                })
                .call_at::<AutoLogin, _, _>(&path("auto-login-details"), move |c, a| {
                    auto_login(c, a, product)
                });
            if product.spec().addons.contains(&DEDICATED_IP) {
                r.call_at::<AddDedicatedIp, _, _>(
                    &path("add-dedicated-ip"),
                    move |c, a: AddDedicatedIp| {
                        add_addon(c, a.order_id, a.billing, product, &DEDICATED_IP)
                    },
                )
                .call_at::<DeleteDedicatedIp, _, _>(&path("delete-dedicated-ip"), move |c, a| {
                    delete_dedicated_ip(c, a, product)
                })
                .call_at::<GenerateLicenseKey, _, _>(&path("generate-license-key"), move |c, a| {
                    generate_license_key(c, a, product)
                });
            }
        }
    }
}

async fn add_addon(
    call: Call,
    order_id: reseller_core::OrderId,
    billing: reseller_api::calls::Billing,
    product: Product,
    addon: &'static AddonSpec,
) -> Result<Reply, ApiError> {
    let (billing, with_discount) = charge(&billing);
    let (reseller_id, now) = (call.reseller_id, call.now);
    let receipt = call
        .state
        .store
        .write(move |tx| {
            reseller_core::addons::add_addons(
                tx,
                reseller_id,
                order_id,
                &[product],
                &[addon],
                billing,
                now,
            )
        })
        .await?;
    Ok(action_map(&receipt, with_discount))
}

async fn delete_dedicated_ip(
    call: Call,
    asked: DeleteDedicatedIp,
    product: Product,
) -> Result<Reply, ApiError> {
    let (reseller_id, now, order_id) = (call.reseller_id, call.now, asked.order_id);
    let receipt = call
        .state
        .store
        .write(move |tx| {
            hosting::delete_addon_named(
                tx,
                reseller_id,
                order_id,
                &[product],
                DEDICATED_IP.name,
                now,
            )
        })
        .await?;
    Ok(action_map(&receipt, false))
}

/// A license key as the control panels print them: five groups of four.
fn new_license_key() -> Result<String, ApiError> {
    let hex = reseller_store::random_hex(10).map_err(ApiError::internal)?;
    let upper = hex.to_ascii_uppercase();
    let groups: Vec<&str> = (0..5).map(|i| &upper[i * 4..i * 4 + 4]).collect();
    Ok(groups.join("-"))
}

/// The key is free here: `invoice-option` is taken and has no effect.
async fn generate_license_key(
    call: Call,
    asked: GenerateLicenseKey,
    product: Product,
) -> Result<Reply, ApiError> {
    let fresh = new_license_key()?;
    let (reseller_id, order_id) = (call.reseller_id, asked.order_id);
    let key = call
        .state
        .store
        .write(move |tx| hosting::license_key(tx, reseller_id, order_id, &[product], &fresh))
        .await?;
    let mut map = MapReply::with_capacity(2);
    map.text("status", "Success").text("licensekey", key);
    Ok(map.build())
}

async fn modify(call: Call, asked: Modify, product: Product) -> Result<Reply, ApiError> {
    let (billing, with_discount) = charge(&asked.billing);
    let (reseller_id, now) = (call.reseller_id, call.now);
    let (order_id, plan, months) = (asked.order_id, asked.new_plan_id, asked.months);
    let receipt = call
        .state
        .store
        .write(move |tx| {
            hosting::modify(
                tx,
                reseller_id,
                order_id,
                &[product],
                plan,
                months,
                billing,
                now,
            )
        })
        .await?;
    Ok(action_map(&receipt, with_discount))
}

async fn modify_pricing(
    call: Call,
    asked: ModifyPricing,
    product: Product,
) -> Result<Reply, ApiError> {
    let (reseller_id, now) = (call.reseller_id, call.now);
    let (order_id, plan, months) = (asked.order_id, asked.new_plan_id, asked.months);
    let quote = call
        .state
        .store
        .read(move |tx| {
            let order =
                reseller_core::orders::order_of_product(tx, reseller_id, order_id, &[product])?;
            hosting::quote(tx, &order, plan, months, now)
        })
        .await?;
    let mut map = MapReply::with_capacity(5);
    map.put("upgradecost", Reply::Number(quote.upgrade))
        .put("modifiedOrderPrice", Reply::Number(quote.modified))
        .text("endtime", quote.endtime.to_string())
        .put(
            "remainingmonths",
            Reply::Int(i64::from(quote.remaining_months)),
        )
        .put("currentOrderPrice", Reply::Number(quote.current));
    Ok(map.build())
}

async fn enable_maintenance(
    call: Call,
    asked: EnableMaintenance,
    product: Product,
) -> Result<Reply, ApiError> {
    let (reseller_id, order_id) = (call.reseller_id, asked.order_id);
    let order = call
        .state
        .store
        .write(move |tx| hosting::enable_maintenance(tx, reseller_id, order_id, &[product]))
        .await?;
    let mut map = MapReply::with_capacity(2);
    map.text("status", "Success").id("orderid", order.id);
    Ok(map.build())
}

/// The website builder's plans the reseller sells (those it has prices
/// for), each with its category: the plan's name less the product's.
async fn active_plan_categories(
    call: Call,
    _asked: ActivePlanCategories,
) -> Result<Reply, ApiError> {
    let reseller_id = call.reseller_id;
    let (plans, prices) = call
        .state
        .store
        .read(move |tx| Ok((tx.plans()?, tx.prices(reseller_id)?)))
        .await?;
    let product = Product::WebServices;
    let listed = plans
        .iter()
        .filter(|plan| plan.product == product && plan.limits.addon.is_none())
        .filter(|plan| prices.iter().any(|price| price.plan_id == plan.id))
        .map(|plan| {
            let category = plan
                .name
                .strip_prefix(product.name())
                .unwrap_or(&plan.name)
                .trim()
                .to_lowercase();
            let mut map = MapReply::with_capacity(3);
            map.id("planid", plan.id.0)
                .text("planname", plan.name.clone())
                .text("category", category);
            map.build()
        })
        .collect();
    Ok(Reply::List(listed))
}

async fn auto_login(call: Call, asked: AutoLogin, product: Product) -> Result<Reply, ApiError> {
    let (reseller_id, order_id) = (call.reseller_id, asked.order_id);
    let order = call
        .state
        .store
        .read(move |tx| hosting::console_order(tx, reseller_id, order_id, &[product]))
        .await?;
    let expires = call.now + super::backup::AUTO_LOGIN_TTL;
    let token = call.state.console.sign(
        crate::console::LinkPurpose::HostingConsole,
        order.id,
        reseller_id,
        expires,
    );
    let mut map = MapReply::with_capacity(3);
    map.text("status", "Success")
        .text(
            "autoLoginUrl",
            format!("{}/console/hosting/{token}", call.state.public_url),
        )
        .id("orderid", order.id);
    Ok(map.build())
}
