//! The calls one product has beyond the standard ones ([`crate::Orders`]):
//! Acronis Backup's storage and agent, Business Email's accounts, Managed
//! Server's add-ons; and the catalogue (`products/*`).

use crate::customers::core_id;
use crate::orders::months;
use crate::{ActionReceipt, Charge, Client, CustomerId, Error, Orders, Result, text_of};
use reseller_api::Count;
use reseller_api::calls::{backup, email as mail, managed, products};
use reseller_core::{OrderId, PlanId, ResellerId};
use serde_json::Value;
use std::collections::BTreeMap;

/// Where a backup is kept: `backup/us` or `backup/asia`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    Us,
    Asia,
}

/// A new Acronis Backup order, which backs up a hosting order (a VPS,
/// dedicated or managed server).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewBackup {
    pub customer_id: CustomerId,
    pub hosting_order_id: i64,
    pub plan_id: i64,
    pub months: u32,
    pub storage_gb: u32,
    pub auto_renew: bool,
    pub charge: Charge,
}

/// Acronis Backup of one region.
///
/// ```no_run
/// # async fn example(client: reseller_client::Client) -> Result<(), reseller_client::Error> {
/// use reseller_client::{Charge, CustomerId, InvoiceOption, NewBackup, Region};
/// let backups = client.backups(Region::Us);
/// let added = backups
///     .add(&NewBackup {
///         customer_id: CustomerId(2),
///         hosting_order_id: 7,
///         plan_id: 301,
///         months: 1,
///         storage_gb: 100,
///         auto_renew: false,
///         charge: Charge::of(InvoiceOption::PayInvoice),
///     })
///     .await?;
/// backups.add_storage(added.order_id, 200, Charge::default()).await?;
/// let console = backups.auto_login_url(added.order_id).await?;
/// # Ok(())
/// # }
/// ```
pub struct Backups<'c> {
    pub(crate) client: &'c Client,
    pub(crate) region: Region,
}

impl Backups<'_> {
    fn prefix(&self) -> &'static str {
        match self.region {
            Region::Us => "backup/us",
            Region::Asia => "backup/asia",
        }
    }

    /// The standard calls of backup orders (details, renew, search, delete).
    pub fn orders(&self) -> Orders<'_> {
        self.client.orders(self.prefix())
    }

    /// `backup/<region>/add`.
    pub async fn add(&self, backup: &NewBackup) -> Result<ActionReceipt> {
        let add = backup::Add {
            customer_id: core_id(backup.customer_id),
            hosting_order_id: OrderId(backup.hosting_order_id),
            months: months(backup.months)?,
            plan_id: PlanId(backup.plan_id),
            storage_size_gb: Count(backup.storage_gb),
            auto_renew: Some(backup.auto_renew),
            billing: backup.charge.billing(),
        };
        let reply = self.client.product_call(self.prefix(), &add).await?;
        crate::read::<ActionReceipt>(&reply)
    }

    /// `backup/<region>/add-storage`: the order's storage becomes `total_gb`.
    pub async fn add_storage(
        &self,
        order_id: i64,
        total_gb: u32,
        charge: Charge,
    ) -> Result<ActionReceipt> {
        let add = backup::AddStorage {
            order: backup::Backup::new(OrderId(order_id)),
            storage_size_gb: Count(total_gb),
            billing: charge.billing(),
        };
        let reply = self.client.product_call(self.prefix(), &add).await?;
        crate::read::<ActionReceipt>(&reply)
    }

    /// `backup/<region>/install-agent`: installs the backup agent on the
    /// hosting order it backs up; answers the server's message.
    pub async fn install_agent(&self, order_id: i64, hosting_order_id: i64) -> Result<String> {
        let install = backup::InstallAgent {
            order: backup::Backup::new(OrderId(order_id)),
            hosting_order_id: OrderId(hosting_order_id),
        };
        let reply = self.client.product_call(self.prefix(), &install).await?;
        text_of(&reply, "message")
    }

    /// `backup/<region>/auto-login-details`: a link that opens the backup
    /// console signed in.
    pub async fn auto_login_url(&self, order_id: i64) -> Result<String> {
        let asked = backup::AutoLoginDetails {
            order: backup::Backup::new(OrderId(order_id)),
        };
        let reply = self.client.product_call(self.prefix(), &asked).await?;
        text_of(&reply, "autoLoginUrl")
    }
}

/// A new Business Email order for a domain, with its number of accounts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEmail {
    pub domain_name: String,
    pub customer_id: CustomerId,
    pub months: u32,
    pub accounts: u32,
    pub auto_renew: bool,
    pub charge: Charge,
}

/// Business Email (`eelite/us`).
///
/// ```no_run
/// # async fn example(client: reseller_client::Client) -> Result<(), reseller_client::Error> {
/// use reseller_client::{Charge, CustomerId, NewEmail};
/// let email = client.email();
/// let order = email
///     .add(&NewEmail {
///         domain_name: "example.com".into(),
///         customer_id: CustomerId(2),
///         months: 1,
///         accounts: 5,
///         auto_renew: false,
///         charge: Charge::default(),
///     })
///     .await?;
/// email.add_accounts(order.order_id, 2, Charge::default()).await?;
/// # Ok(())
/// # }
/// ```
pub struct Email<'c> {
    pub(crate) client: &'c Client,
}

impl Email<'_> {
    const PREFIX: &'static str = "eelite/us";

    pub fn orders(&self) -> Orders<'_> {
        self.client.orders(Self::PREFIX)
    }

    /// `eelite/us/add`.
    pub async fn add(&self, email: &NewEmail) -> Result<ActionReceipt> {
        let add = mail::Add {
            domain_name: crate::wire("domain-name", &email.domain_name)?,
            customer_id: core_id(email.customer_id),
            months: months(email.months)?,
            no_of_accounts: mail::Accounts(email.accounts),
            auto_renew: Some(email.auto_renew),
            billing: email.charge.billing(),
        };
        let reply = self.client.product_call(Self::PREFIX, &add).await?;
        crate::read::<ActionReceipt>(&reply)
    }

    /// `eelite/us/add-email-account`: more accounts, billed for the rest
    /// of the term. With `OnlyAdd` the reply is the invoice, not an action,
    /// so this answers the action where there is one.
    pub async fn add_accounts(
        &self,
        order_id: i64,
        accounts: u32,
        charge: Charge,
    ) -> Result<Option<ActionReceipt>> {
        let add = mail::AddEmailAccount {
            order_id: OrderId(order_id),
            no_of_accounts: Count(accounts),
            billing: charge.billing(),
        };
        let reply = self.client.product_call(Self::PREFIX, &add).await?;
        if reply.get("entityid").is_some() {
            return crate::read::<ActionReceipt>(&reply).map(Some);
        }
        // Under the invoice's id, or the invoice alone (OnlyAdd).
        if reply.get("customercost").is_some() {
            return Ok(None);
        }
        Ok(crate::orders::actions_by_invoice(&reply)?
            .into_iter()
            .find_map(|(_, action)| action))
    }

    /// `eelite/us/delete-email-account`: fewer accounts, no refund.
    pub async fn delete_accounts(&self, order_id: i64, accounts: u32) -> Result<ActionReceipt> {
        let delete = mail::DeleteEmailAccount {
            order_id: OrderId(order_id),
            no_of_accounts: Count(accounts),
        };
        let reply = self.client.product_call(Self::PREFIX, &delete).await?;
        crate::read::<ActionReceipt>(&reply)
    }
}

/// Managed Server Linux (`managedserver/linux/us`) and its add-ons.
///
/// ```no_run
/// # async fn example(client: reseller_client::Client) -> Result<(), reseller_client::Error> {
/// use reseller_client::{Charge, CustomerId, NewOrder};
/// let managed = client.managed_servers();
/// let server = managed
///     .orders()
///     .add(&NewOrder {
///         domain_name: Some("managed.example.com".into()),
///         customer_id: CustomerId(2),
///         plan_id: Some(501),
///         months: 1,
///         extra: vec![("addon".into(), "cpanel".into())],
///         ..NewOrder::default()
///     })
///     .await?;
/// managed.add_addons(server.order_id, &["storage_1"], Charge::default()).await?;
/// # Ok(())
/// # }
/// ```
pub struct ManagedServers<'c> {
    pub(crate) client: &'c Client,
}

impl ManagedServers<'_> {
    const PREFIX: &'static str = "managedserver/linux/us";

    /// Its standard calls; `add` takes `addon` in `NewOrder::extra`, once
    /// per add-on (`("addon", "cpanel")`).
    pub fn orders(&self) -> Orders<'_> {
        self.client.orders(Self::PREFIX)
    }

    /// `managedserver/linux/us/addon/add`.
    pub async fn add_addons(
        &self,
        order_id: i64,
        addons: &[&str],
        charge: Charge,
    ) -> Result<ActionReceipt> {
        let add = managed::AddAddons {
            order_id: OrderId(order_id),
            addon: addons
                .iter()
                .map(|a| crate::wire("addon", a))
                .collect::<Result<_>>()?,
            billing: charge.billing(),
        };
        let reply = self.client.product_call(Self::PREFIX, &add).await?;
        crate::read::<ActionReceipt>(&reply)
    }

    /// `managedserver/linux/us/addon/delete` of one add-on, by the id its
    /// order's details show.
    pub async fn delete_addon(&self, order_id: i64, addon_id: i64) -> Result<ActionReceipt> {
        let delete = managed::DeleteAddon {
            order_id: OrderId(order_id),
            addon_id: crate::wire("addon-id", &addon_id.to_string())?,
        };
        let reply = self.client.product_call(Self::PREFIX, &delete).await?;
        crate::read::<ActionReceipt>(&reply)
    }
}

/// The catalogue: `products/*`.
///
/// ```no_run
/// # async fn example(client: reseller_client::Client) -> Result<(), reseller_client::Error> {
/// let categories = client.products().category_keys().await?;
/// for key in &categories["hosting"] {
///     let prices = client.products().customer_price(Some(key)).await?;
///     println!("{key}: {}", prices[key]);
/// }
/// # Ok(())
/// # }
/// ```
pub struct Products<'c> {
    pub(crate) client: &'c Client,
}

impl Products<'_> {
    /// `products/move`: every order `from` has for `name` goes to `to`, a
    /// domain with copies of its contacts (the vendor's `oldcontact`).
    pub async fn move_orders(&self, name: &str, from: CustomerId, to: CustomerId) -> Result<()> {
        self.client
            .call(&products::Move {
                domain_name: crate::wire("domain-name", name)?,
                existing_customer_id: core_id(from),
                new_customer_id: core_id(to),
                default_contact: None,
            })
            .await?;
        Ok(())
    }

    /// `products/category-keys-mapping`: each category's product keys.
    pub async fn category_keys(&self) -> Result<BTreeMap<String, Vec<String>>> {
        let reply = self.client.call(&products::CategoryKeysMapping {}).await?;
        let mut categories = BTreeMap::new();
        for (category, keys) in reply.as_object().into_iter().flatten() {
            let keys = keys
                .as_array()
                .ok_or_else(|| Error::Reply {
                    status: 200,
                    detail: format!("{category}: {keys}"),
                })?
                .iter()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect();
            categories.insert(category.clone(), keys);
        }
        Ok(categories)
    }

    /// `products/customer-price` of one product (by its key, such as
    /// `vpslinuxus`), or of all: each plan's prices as the API nests them.
    pub async fn customer_price(&self, product_key: Option<&str>) -> Result<Value> {
        let filters = price_filters(product_key)?;
        self.client.call(&products::CustomerPrice { filters }).await
    }

    /// `products/reseller-price`: what the caller pays, nested as
    /// `customer_price`; with `sub_reseller`, what that sub-reseller of
    /// the caller pays it.
    pub async fn reseller_price(
        &self,
        product_key: Option<&str>,
        sub_reseller: Option<ResellerId>,
    ) -> Result<Value> {
        let filters = price_filters(product_key)?;
        let call = products::ResellerPrice {
            filters,
            reseller_id: sub_reseller,
        };
        self.client.call(&call).await
    }

    /// `products/reseller-cost-price`, nested as `customer_price`.
    pub async fn reseller_cost_price(&self, product_key: Option<&str>) -> Result<Value> {
        let filters = price_filters(product_key)?;
        self.client
            .call(&products::ResellerCostPrice {
                reseller_id: None,
                product_key: filters.product_key,
            })
            .await
    }

    /// `products/plan-details`: every product's plans and their limits.
    pub async fn plan_details(&self) -> Result<Value> {
        self.client
            .call(&products::PlanDetails { product_key: None })
            .await
    }
}

/// A price list of one product, or of all.
fn price_filters(product_key: Option<&str>) -> Result<products::PriceFilters> {
    Ok(products::PriceFilters {
        customer_id: None,
        product_key: product_key
            .map(|key| crate::wire("product-key", key))
            .transpose()?,
    })
}
