//! The web hosting products' own calls below a product's prefix, typed:
//! a plan change and its price, SSL, maintenance mode, reseller hosting's
//! dedicated IP and license key. The standard order calls go through `client.orders(prefix)`.

use crate::{ActionReceipt, Amount, Charge, Client, Error, Result, text_of};
use reseller_api::calls::hosting as calls;
use reseller_core::{Months, OrderId, PlanId};
use serde_json::Value;

/// A hosting product's calls, below one of its prefixes
/// (`multidomainhosting/linux/us`).
pub struct Hosting<'c> {
    pub(crate) client: &'c Client,
    pub(crate) prefix: String,
}

/// What moving an order to another plan costs (`modify-pricing`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModifyQuote {
    /// What the customer pays.
    pub upgrade: Amount,
    /// The new plan for the months asked.
    pub modified: Amount,
    /// What is left of the current term.
    pub current: Amount,
    pub remaining_months: i64,
}

fn months(n: u32) -> Result<Months> {
    crate::wire("months", &n.to_string())
}

fn amount(reply: &Value, key: &str) -> Result<Amount> {
    let text = text_of(reply, key)?;
    text.parse().map_err(|_| Error::Reply {
        status: 200,
        detail: format!("{key} is not an amount: {text}"),
    })
}

impl Hosting<'_> {
    /// `*/modify`: the order on `new_plan` for `months` from now.
    pub async fn modify(
        &self,
        order_id: i64,
        new_plan: i64,
        term: u32,
        charge: Charge,
    ) -> Result<ActionReceipt> {
        let request = calls::Modify {
            order_id: OrderId(order_id),
            new_plan_id: PlanId(new_plan),
            months: months(term)?,
            billing: charge.billing(),
        };
        let reply = self.client.product_call(&self.prefix, &request).await?;
        crate::read::<ActionReceipt>(&reply)
    }

    /// `*/modify-pricing`.
    pub async fn modify_pricing(
        &self,
        order_id: i64,
        new_plan: i64,
        term: u32,
    ) -> Result<ModifyQuote> {
        let request = calls::ModifyPricing {
            order_id: OrderId(order_id),
            new_plan_id: PlanId(new_plan),
            months: months(term)?,
        };
        let reply = self.client.product_call(&self.prefix, &request).await?;
        Ok(ModifyQuote {
            upgrade: amount(&reply, "upgradecost")?,
            modified: amount(&reply, "modifiedOrderPrice")?,
            current: amount(&reply, "currentOrderPrice")?,
            remaining_months: crate::int_of(&reply, "remainingmonths")?,
        })
    }

    /// `*/enable-ssl`.
    pub async fn enable_ssl(&self, order_id: i64, charge: Charge) -> Result<ActionReceipt> {
        let request = calls::EnableSsl {
            order_id: OrderId(order_id),
            billing: charge.billing(),
        };
        let reply = self.client.product_call(&self.prefix, &request).await?;
        crate::read::<ActionReceipt>(&reply)
    }

    /// `*/add-dedicated-ip` (reseller hosting).
    pub async fn add_dedicated_ip(&self, order_id: i64, charge: Charge) -> Result<ActionReceipt> {
        let request = calls::AddDedicatedIp {
            order_id: OrderId(order_id),
            billing: charge.billing(),
        };
        let reply = self.client.product_call(&self.prefix, &request).await?;
        crate::read::<ActionReceipt>(&reply)
    }

    /// `*/generate-license-key` (reseller hosting): the order's key.
    pub async fn license_key(&self, order_id: i64) -> Result<String> {
        let request = calls::GenerateLicenseKey {
            order_id: OrderId(order_id),
            invoice_option: None,
        };
        let reply = self.client.product_call(&self.prefix, &request).await?;
        text_of(&reply, "licensekey")
    }

    /// `*/delete-dedicated-ip` (reseller hosting): at once, no refund.
    pub async fn delete_dedicated_ip(&self, order_id: i64) -> Result<ActionReceipt> {
        let request = calls::DeleteDedicatedIp {
            order_id: OrderId(order_id),
        };
        let reply = self.client.product_call(&self.prefix, &request).await?;
        crate::read::<ActionReceipt>(&reply)
    }

    /// `*/enable-maintenance`: the order's site in maintenance mode.
    pub async fn enable_maintenance(&self, order_id: i64) -> Result<()> {
        let request = calls::EnableMaintenance {
            order_id: OrderId(order_id),
        };
        self.client.product_call(&self.prefix, &request).await?;
        Ok(())
    }
}
