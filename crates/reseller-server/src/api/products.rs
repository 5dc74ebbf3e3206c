//! The catalogue as the reseller sees it: `plan-details`, `customer-price`
//! (selling prices) and `reseller-price` (the reseller's cost). Prices are
//! per month for each tenure; backup prices are per GB per month.

use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::{MapReply, Reply};
use reseller_api::calls::products::*;
use reseller_core::ResellerId;
use reseller_core::catalogue::{PRODUCTS, Plan, Price, PriceAction, Pricing};
use reseller_core::orders::customer_of;

pub fn routes(r: &mut Routes) {
    r.call::<PlanDetails, _, _>(plan_details)
        .call::<CustomerPrice, _, _>(|c, r: CustomerPrice| {
            prices(c, r.filters, None, |p| p.selling)
        })
        .call::<ResellerPrice, _, _>(|c, r: ResellerPrice| {
            prices(c, r.filters, r.reseller_id, |p| p.cost)
        })
        .call::<ResellerCostPrice, _, _>(|c, r: ResellerCostPrice| async move {
            super::own_reseller(r.reseller_id, c.reseller_id)?;
            let filters = PriceFilters {
                customer_id: None,
                product_key: r.product_key,
            };
            prices(c, filters, None, |p| p.cost).await
        })
        .call::<CategoryKeysMapping, _, _>(category_keys)
        .call::<ProductDetails, _, _>(product_details)
        .call::<Move, _, _>(move_orders)
        .call::<Availability, _, _>(availability);
}

/// Whether the product can be ordered for the name: for a domain, whether
/// it is available to register (held nowhere, premium or not); for any
/// other product, whether no live order of it has that name here.
async fn availability(call: Call, asked: Availability) -> Result<Reply, ApiError> {
    let name = asked.domain_name.to_string();
    let product = asked.product_key;
    let (lookup, reseller_id) = (name.clone(), call.reseller_id);
    // A domain is held for every reseller; another product's order only
    // for the reseller who has it.
    let held = call
        .state
        .store
        .read(move |tx| {
            if product == reseller_core::catalogue::Product::Domain {
                return Ok(tx.live_order_named(product, &lookup)?.is_some());
            }
            let Some(id) = tx.order_id_by_description(reseller_id, &[product], &lookup)? else {
                return Ok(false);
            };
            Ok(tx.order(id)?.is_some_and(|o| {
                !matches!(
                    o.status,
                    reseller_core::model::OrderStatus::Deleted
                        | reseller_core::model::OrderStatus::Archived
                )
            }))
        })
        .await?;
    let available = match product {
        reseller_core::catalogue::Product::Domain => {
            !held
                && reseller_core::tlds::split_name(&name).is_some_and(|(sld, tld)| {
                    matches!(
                        reseller_core::tlds::availability(sld, tld),
                        reseller_core::tlds::Availability::Available
                            | reseller_core::tlds::Availability::Premium(_)
                    )
                })
        }
        _ => !held,
    };
    Ok(Reply::Bool(available))
}

/// `products/move`: answers `{"status": "Success"}` once the orders are
/// the new customer's.
async fn move_orders(call: Call, asked: Move) -> Result<Reply, ApiError> {
    let moving = reseller_core::moves::Move {
        reseller_id: call.reseller_id,
        name: asked.domain_name.0.to_lowercase(),
        from: asked.existing_customer_id,
        to: asked.new_customer_id,
        contacts: asked
            .default_contact
            .unwrap_or(reseller_core::moves::MovedContacts::OldContact),
        now: call.now,
    };
    call.state
        .store
        .write(move |tx| reseller_core::moves::move_orders(tx, &moving))
        .await?;
    let mut map = MapReply::with_capacity(1);
    map.text("status", "Success");
    Ok(map.build())
}

/// Keys in the order they were first given, each with a value built up in place.
struct Grouped<T>(Vec<(String, T)>);

impl<T: Default> Grouped<T> {
    fn new() -> Self {
        Grouped(Vec::new())
    }

    fn entry(&mut self, key: &str) -> &mut T {
        let at = match self.0.iter().position(|(k, _)| k == key) {
            Some(at) => at,
            None => {
                self.0.push((key.to_string(), T::default()));
                self.0.len() - 1
            }
        };
        &mut self.0[at].1
    }

    fn into_reply(self, value: impl Fn(T) -> Reply) -> Reply {
        let mut map = MapReply::with_capacity(self.0.len());
        for (key, item) in self.0 {
            map.put(key, value(item));
        }
        map.build()
    }
}

impl<T: Default> Default for Grouped<T> {
    fn default() -> Self {
        Grouped::new()
    }
}

/// `{"<category>":["<productkey>",...]}`, from the products' declarations.
async fn category_keys(_call: Call, _asked: CategoryKeysMapping) -> Result<Reply, ApiError> {
    let mut categories: Grouped<Vec<Reply>> = Grouped::new();
    for spec in &PRODUCTS {
        categories
            .entry(spec.category)
            .push(Reply::Text(spec.key.into()));
    }
    Ok(categories.into_reply(Reply::List))
}

/// Every product by its key: a product's `name`; a registry's key (as the
/// price lists name it) with its TLDs (`tldlist`) and their rules, in the
/// keys a client of the vendor reads.
async fn product_details(_call: Call, _asked: ProductDetails) -> Result<Reply, ApiError> {
    use reseller_core::tlds::TLDS;
    let mut products = MapReply::with_capacity(PRODUCTS.len() + TLDS.len());
    for spec in &PRODUCTS {
        // Domains are listed by registry, below.
        if spec.key == reseller_core::catalogue::Product::Domain.spec().key {
            continue;
        }
        let mut entry = MapReply::with_capacity(2);
        entry
            .text("name", spec.name)
            .text("category", spec.category);
        products.put(spec.key, entry.build());
    }
    let mut classkeys: Vec<&str> = TLDS.iter().map(|t| t.classkey).collect();
    classkeys.dedup();
    for classkey in classkeys {
        let tlds: Vec<_> = TLDS.iter().filter(|t| t.classkey == classkey).collect();
        let first = tlds[0];
        let flag = |on: bool| if on { "true" } else { "false" };
        let mut entry = MapReply::with_capacity(24);
        entry
            .put(
                "tldlist",
                Reply::List(tlds.iter().map(|t| Reply::Text(t.tld.into())).collect()),
            )
            .text("servicegroup", classkey)
            .text("registry", super::domains::registry_of(first.tld))
            .text("minregistrationyear", first.min_years.to_string())
            .text("maxregistrationyear", first.max_years.to_string())
            .text("minrenewalperiod", "1")
            .text("maxrenewalperiod", first.max_years.to_string())
            .text("isprivacyprotectionallowed", flag(first.privacy))
            .text("islockallowed", "true")
            .text("isrenewallowed", "true")
            .text("istransferallowed", "true")
            .text("istransfersecretrequired", "true")
            .text("isrestoreautomated", "true")
            .text("minns", "0")
            .text("maxns", "13")
            .text("mindomainlength", "1")
            .text("maxdomainlength", "63")
            .text("redeemption_graceperiod", "30")
            .text(
                "dnssecdatasupported",
                flag(reseller_core::domains::DNSSEC_TLDS.contains(&first.tld)),
            );
        for (key, taken) in [
            ("registrantcontactgroup", first.contacts.registrant),
            ("admincontactgroup", first.contacts.admin),
            ("techcontactgroup", first.contacts.tech),
            ("billingcontactgroup", first.contacts.billing),
        ] {
            entry.text(key, if taken { "Contact" } else { "" });
        }
        products.put(classkey, entry.build());
    }
    Ok(products.build())
}

async fn plan_details(call: Call, asked: PlanDetails) -> Result<Reply, ApiError> {
    let plans = call.state.store.read(|tx| Ok(tx.plans()?)).await?;
    let mut products: Grouped<MapReply> = Grouped::new();
    // An add-on's plan only prices it; the price calls list add-ons.
    let wanted = |p: &reseller_core::catalogue::Plan| {
        p.limits.addon.is_none()
            && asked
                .product_key
                .is_none_or(|key| key.names(p.product, p.limits.tld.as_deref()))
    };
    for plan in plans.into_iter().filter(wanted) {
        let mut details = MapReply::with_capacity(8);
        details
            .id("plan_id", plan.id)
            .text("plan_name", plan.name)
            .text(
                "plan_status",
                if plan.active { "Active" } else { "Inactive" },
            );
        for (key, value) in plan.limits.numbers() {
            details.id(key, i64::from(value));
        }
        products
            .entry(plan.product.key())
            .put(plan.id.to_string(), details.build());
    }
    Ok(products.into_reply(MapReply::build))
}

/// Where a plan's prices are listed in its product: an add-on by its name,
/// an account slab by its range, any other plan by its id.
fn price_group(plan: &Plan) -> (&'static str, String) {
    match (plan.limits.addon.as_deref(), plan.product.pricing()) {
        (Some(addon), _) => ("addons", addon.to_string()),
        (None, Pricing::PerAccountSlab) => (
            "email_account_ranges",
            format!(
                "{}-{}",
                plan.limits.min_accounts.unwrap_or_default(),
                plan.limits.max_accounts.unwrap_or_default()
            ),
        ),
        (None, _) => ("plans", plan.id.to_string()),
    }
}

/// `{"<productkey>":{"plans":{"<plan-id>":{"add":{"1":"10.000",..},"renew":{..}}}}}`;
/// Business Email's slabs as `{"eeliteus":{"email_account_ranges":{"1-5":{..}}}}`;
/// Managed Server's add-ons, a month each, as `{"managedserverlinuxus":{"addons":{"whmcs":{..}}}}`.
pub(crate) async fn prices(
    call: Call,
    asked: PriceFilters,
    sub_reseller: Option<ResellerId>,
    amount: fn(&Price) -> reseller_core::Money,
) -> Result<Reply, ApiError> {
    if let Some(customer_id) = asked.customer_id {
        let reseller_id = call.reseller_id;
        call.state
            .store
            .read(move |tx| customer_of(tx, reseller_id, customer_id))
            .await?;
    }
    let only = asked.product_key;
    let caller = call.reseller_id;
    let (plans, prices) = call
        .state
        .store
        .read(move |tx| {
            let listed = reseller_core::resellers::viewed(tx, caller, sub_reseller)?;
            Ok((tx.plans()?, tx.prices(listed)?))
        })
        .await?;
    let mut products: Grouped<Grouped<Grouped<Grouped<MapReply>>>> = Grouped::new();
    let mut domains: Grouped<Grouped<MapReply>> = Grouped::new();
    for plan in plans
        .iter()
        .filter(|p| only.is_none_or(|only| only.names(p.product, p.limits.tld.as_deref())))
    {
        if let Some(tld) = plan.limits.tld.as_deref() {
            domain_prices(&mut domains, tld, plan, &prices, amount);
            continue;
        }
        let (group, key) = price_group(plan);
        let actions = products.entry(plan.product.key()).entry(group).entry(&key);
        for price in prices.iter().filter(|p| p.plan_id == plan.id) {
            actions
                .entry(price.action.key())
                .money(price.months.to_string(), amount(price));
        }
    }
    let Reply::Map(mut all) = products.into_reply(|groups| {
        groups.into_reply(|keys| keys.into_reply(|actions| actions.into_reply(MapReply::build)))
    }) else {
        return Err(ApiError::internal("a price list is not a map"));
    };
    if let Reply::Map(domains) = domains.into_reply(|actions| actions.into_reply(MapReply::build)) {
        all.extend(domains);
    }
    Ok(Reply::Map(all))
}

/// A TLD's prices as the vendor shows a domain's: under its registry key,
/// by action (`addnewdomain`, `renewdomain`, `addtransferdomain`,
/// `restoredomain`) and years, each the price of a year.
fn domain_prices(
    domains: &mut Grouped<Grouped<MapReply>>,
    tld: &str,
    plan: &Plan,
    prices: &[Price],
    amount: fn(&Price) -> reseller_core::Money,
) {
    let Some(spec) = reseller_core::tlds::tld_spec(tld) else {
        return;
    };
    let actions = domains.entry(spec.classkey);
    for price in prices
        .iter()
        .filter(|p| p.plan_id == plan.id && p.months == 12)
    {
        let name = match price.action {
            PriceAction::Add => "addnewdomain",
            PriceAction::Renew => "renewdomain",
            PriceAction::Transfer => "addtransferdomain",
            PriceAction::Restore => "restoredomain",
        };
        let years = actions.entry(name);
        if !years.is_empty() {
            continue;
        }
        let most = if price.action == PriceAction::Restore {
            1
        } else {
            spec.max_years
        };
        for n in spec.min_years..=most {
            years.money(n.to_string(), amount(price));
        }
    }
}
