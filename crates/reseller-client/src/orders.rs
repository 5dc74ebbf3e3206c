//! Orders of one product (`backup/us`, `vps/linux/us`, `eelite/us`,
//! `domains`, ...): their details, and the action map every add, renew
//! and delete answers.

use crate::{Amount, Client, CustomerId, Error, Result, int_of, text_of};
use serde_json::Value;

/// What an add, renew, delete or change answers: the action it queued or
/// ran (`eaqid`), on which order, in which state, and what it was billed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionReceipt {
    pub order_id: i64,
    pub action_id: i64,
    /// `Add`, `Renew`, `RenewDomain`, `DeleteEmailAccount`, ...
    pub action_type: String,
    /// `Success`, `InvoicePaid`, `ExecutionStarted`, `PendingExecution`, `Failed`.
    pub action_status: String,
    pub action_status_desc: String,
    /// The order's name, where the reply carries it.
    pub description: Option<String>,
    /// The customer invoice, unless the call took `NoInvoice`.
    pub invoice_id: Option<i64>,
    /// What the customer was billed, signed as the API signs it (a charge
    /// is negative here and in most recordings).
    pub selling_amount: Option<Amount>,
}

impl ActionReceipt {
    pub fn from_reply(reply: &Value) -> Result<ActionReceipt> {
        let optional = |key: &str| text_of(reply, key).ok();
        Ok(ActionReceipt {
            order_id: int_of(reply, "entityid")?,
            action_id: int_of(reply, "eaqid")?,
            action_type: text_of(reply, "actiontype")?,
            action_status: text_of(reply, "actionstatus")?,
            action_status_desc: optional("actionstatusdesc").unwrap_or_default(),
            description: optional("description"),
            invoice_id: optional("invoiceid").and_then(|id| id.parse().ok()),
            selling_amount: match optional("sellingamount") {
                None => None,
                Some(text) => Some(text.parse().map_err(|e| Error::Reply {
                    status: 200,
                    detail: format!("sellingamount: {e}"),
                })?),
            },
        })
    }
}

/// An order as its product's `details` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderDetails {
    pub order_id: i64,
    pub description: String,
    /// `InActive`, `Active`, `Suspended`, `Pending Delete Restorable`,
    /// `Deleted`, `Archived`.
    pub status: String,
    pub customer_id: CustomerId,
    pub created: i64,
    pub end_time: i64,
    /// Auto-renewal (`recurring`).
    pub auto_renew: bool,
    pub product_key: String,
}

impl OrderDetails {
    pub fn from_reply(reply: &Value) -> Result<OrderDetails> {
        Ok(OrderDetails {
            order_id: int_of(reply, "orderid")?,
            description: text_of(reply, "description")?,
            status: text_of(reply, "currentstatus")?,
            customer_id: CustomerId(int_of(reply, "customerid")?),
            created: int_of(reply, "creationtime")?,
            end_time: int_of(reply, "endtime")?,
            auto_renew: text_of(reply, "recurring")? == "true",
            product_key: text_of(reply, "productkey")?,
        })
    }
}

/// The order calls of one product, below its path (`backup/us`).
///
/// ```no_run
/// # async fn example(client: reseller_client::Client) -> Result<(), reseller_client::Error> {
/// let vps = client.orders("vps/linux/us");
/// let receipt = vps
///     .add(&[
///         ("domain-name", "host.example.com"),
///         ("customer-id", "2"),
///         ("months", "1"),
///         ("plan-id", "101"),
///         ("invoice-option", "PayInvoice"),
///     ])
///     .await?;
/// println!("{} {}", receipt.action_type, receipt.action_status); // Add Success
/// let order = vps.details(receipt.order_id).await?;
/// println!("{} until {}", order.status, order.end_time);
/// # Ok(())
/// # }
/// ```
pub struct Orders<'c> {
    pub(crate) client: &'c Client,
    pub(crate) product: String,
}

impl Orders<'_> {
    fn call(&self, name: &str) -> String {
        format!("{}/{name}", self.product)
    }

    /// `<product>/add` with the product's own parameters.
    pub async fn add(&self, params: &[(&str, &str)]) -> Result<ActionReceipt> {
        let reply = self.client.post(&self.call("add"), params).await?;
        ActionReceipt::from_reply(&reply)
    }

    /// `<product>/renew` with the product's own parameters (`months` for
    /// hosting; `years` and `exp-date` for domains).
    pub async fn renew(&self, params: &[(&str, &str)]) -> Result<ActionReceipt> {
        let reply = self.client.post(&self.call("renew"), params).await?;
        ActionReceipt::from_reply(&reply)
    }

    /// `<product>/details` of one order.
    pub async fn details(&self, order_id: i64) -> Result<OrderDetails> {
        let id = order_id.to_string();
        let mut params = vec![("order-id", id.as_str())];
        if self.product == "domains" {
            params.push(("options", "OrderDetails"));
        }
        let reply = self.client.get(&self.call("details"), &params).await?;
        OrderDetails::from_reply(&reply)
    }

    /// `<product>/delete` of one order.
    pub async fn delete(&self, order_id: i64) -> Result<ActionReceipt> {
        let reply = self
            .client
            .post(&self.call("delete"), &[("order-id", &order_id.to_string())])
            .await?;
        ActionReceipt::from_reply(&reply)
    }
}
