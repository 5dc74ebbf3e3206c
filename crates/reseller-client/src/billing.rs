//! `billing/*`: balances and customer funds.

use crate::{ActionReceipt, Amount, Client, CustomerId, Error, Result, int_of, text_of};
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
///
/// ```no_run
/// # async fn example(client: reseller_client::Client) -> Result<(), reseller_client::Error> {
/// use reseller_client::CustomerId;
/// let customer = CustomerId(2);
/// client
///     .billing()
///     .add_customer_funds(customer, "100.000".parse().unwrap(), "wire transfer", "bank-ref-1")
///     .await?;
/// let funds = client.billing().customer_balance(customer).await?.selling;
/// assert_eq!(funds.to_string(), "100.000");
/// let paid = client.billing().pay_invoices(&[41, 42]).await?; // all or none
/// # Ok(())
/// # }
/// ```
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

/// An invoice `billing/customer-pay` paid, and the action it ran (none
/// for one whose action had run before it was paid).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaidInvoice {
    pub invoice_id: i64,
    /// `Paid`.
    pub status: String,
    pub customer_id: CustomerId,
    /// Signed as the API signs it (a payment is negative).
    pub selling_amount: Amount,
    pub action: Option<ActionReceipt>,
}

impl Billing<'_> {
    /// `billing/customer-pay`: pays the invoices from their customers'
    /// funds, all or none, and runs the actions they held.
    pub async fn pay_invoices(&self, invoice_ids: &[i64]) -> Result<Vec<PaidInvoice>> {
        let ids: Vec<String> = invoice_ids.iter().map(i64::to_string).collect();
        let params: Vec<(&str, &str)> = ids.iter().map(|id| ("invoice-ids", id.as_str())).collect();
        let reply = self.client.post("billing/customer-pay", &params).await?;
        let Value::Object(entries) = &reply else {
            return Err(Error::Reply {
                status: 200,
                detail: format!("billing/customer-pay answered {reply}"),
            });
        };
        let mut paid = Vec::with_capacity(entries.len());
        for entry in entries.values() {
            let amount = text_of(entry, "sellingamount")?;
            paid.push(PaidInvoice {
                invoice_id: int_of(entry, "invoiceid")?,
                status: text_of(entry, "invoicestatus")?,
                customer_id: CustomerId(int_of(entry, "customerid")?),
                selling_amount: amount.parse().map_err(|e| Error::Reply {
                    status: 200,
                    detail: format!("sellingamount: {e}"),
                })?,
                action: match entry.get("entityid") {
                    Some(_) => Some(ActionReceipt::from_reply(entry)?),
                    None => None,
                },
            });
        }
        paid.sort_by_key(|p| p.invoice_id);
        Ok(paid)
    }
}

fn parse<T: for<'de> Deserialize<'de>>(reply: Value) -> Result<T> {
    serde_json::from_value(reply.clone()).map_err(|e| Error::Reply {
        status: 200,
        detail: format!("{e}: {reply}"),
    })
}
