//! `billing/*`: balances and customer funds.

use crate::{Amount, Client, CustomerId, Error, Result};
use serde::Deserialize;
use serde_json::Value;

/// A balance as `billing/reseller-balance` and `billing/customer-balance`
/// show it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Balance {
    #[serde(rename = "sellingcurrencybalance")]
    pub selling: Amount,
    #[serde(rename = "sellingcurrencylockedbalance", default)]
    pub locked: Amount,
}

/// The billing calls of one client.
pub struct Billing<'c> {
    pub(crate) client: &'c Client,
}

impl Billing<'_> {
    /// `billing/reseller-balance` of the client's own account.
    pub async fn reseller_balance(&self) -> Result<Balance> {
        let reseller = self.client.auth_userid.clone();
        let reply = self
            .client
            .get("billing/reseller-balance", &[("reseller-id", &reseller)])
            .await?;
        parse(reply)
    }

    /// `billing/customer-balance`.
    pub async fn customer_balance(&self, customer: CustomerId) -> Result<Balance> {
        let reply = self
            .client
            .get(
                "billing/customer-balance",
                &[("customer-id", &customer.to_string())],
            )
            .await?;
        parse(reply)
    }

    /// `billing/add-customer-fund`: adds funds to a customer's account,
    /// under a key of the caller's that makes a retry harmless.
    pub async fn add_customer_funds(
        &self,
        customer: CustomerId,
        amount: Amount,
        description: &str,
        transaction_key: &str,
    ) -> Result<()> {
        self.client
            .post(
                "billing/add-customer-fund",
                &[
                    ("customer-id", &customer.to_string()),
                    ("amount", &amount.to_string()),
                    ("description", description),
                    ("transaction-type", "receipt"),
                    ("transaction-key", transaction_key),
                ],
            )
            .await?;
        Ok(())
    }
}

fn parse<T: for<'de> Deserialize<'de>>(reply: Value) -> Result<T> {
    serde_json::from_value(reply.clone()).map_err(|e| Error::Reply {
        status: 200,
        detail: format!("{e}: {reply}"),
    })
}
