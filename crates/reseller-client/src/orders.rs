//! Orders of one product (`backup/us`, `vps/linux/us`, `eelite/us`,
//! `domains`, ...): their details, and the action map every add, renew
//! and delete answers.

use crate::customers::core_id;
use crate::{ActionReceipt, OrderDetails, OrderRecord};
use crate::{Amount, Client, CustomerId, Error, Result, int_of};
use reseller_api::calls::{self, domains, orders};
use reseller_api::{Count, Params};
use reseller_core::model::InvoiceOption;
use reseller_core::{Money, Months, OrderId};
use serde_json::Value;

/// Reads a reply keyed by invoice id, each entry the action the invoice
/// holds (or the invoice alone, where none ran): what
/// `execute-order-without-payment` and `add-email-account` answer.
pub fn actions_by_invoice(reply: &Value) -> Result<Vec<(i64, Option<ActionReceipt>)>> {
    let Value::Object(entries) = reply else {
        return Err(Error::Reply {
            status: 200,
            detail: format!("expected actions by invoice, got {reply}"),
        });
    };
    let mut found = Vec::new();
    for (invoice, entry) in entries {
        let invoice = invoice.parse().map_err(|_| Error::Reply {
            status: 200,
            detail: format!("not an invoice id: {invoice}"),
        })?;
        let action = match entry.get("entityid") {
            Some(_) => Some(crate::read::<ActionReceipt>(entry)?),
            None => None,
        };
        found.push((invoice, action));
    }
    found.sort_by_key(|(invoice, _)| *invoice);
    Ok(found)
}

/// How a paid action is billed: the invoice option and an optional
/// discount on what the customer pays.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Charge {
    pub invoice_option: InvoiceOption,
    pub discount: Option<Amount>,
}

impl Charge {
    pub fn of(invoice_option: InvoiceOption) -> Charge {
        Charge {
            invoice_option,
            discount: None,
        }
    }

    pub(crate) fn push_into(&self, params: &mut Vec<(String, String)>) {
        self.billing().encode(params);
    }

    /// As the calls take it.
    pub(crate) fn billing(&self) -> calls::Billing {
        calls::Billing {
            invoice_option: self.invoice_option,
            discount_amount: self.discount.map(|d| Money(d.thousandths)),
        }
    }
}

/// A page of a search, as the calls take it.
pub(crate) fn page(records: u32, number: u32) -> calls::Page {
    calls::Page {
        no_of_records: Count(records),
        page_no: Count(number),
    }
}

/// A new order of a product: what every product's `add` takes, and the
/// product's own parameters in `extra` (the typed product calls, such as
/// [`crate::Backups::add`], fill it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewOrder {
    /// The order's name (`domain-name`); backups take none.
    pub domain_name: Option<String>,
    pub customer_id: CustomerId,
    pub plan_id: Option<i64>,
    pub months: u32,
    pub auto_renew: bool,
    pub charge: Charge,
    /// Further `key=value` parameters of the product.
    pub extra: Vec<(String, String)>,
}

impl NewOrder {
    /// What every product's `add` takes (the standard `*/add` has each of
    /// these), and the product's own in `extra`: a product known only at
    /// run time has no type of its own here.
    fn params(&self) -> Vec<(String, String)> {
        let mut params = vec![
            ("customer-id".to_string(), self.customer_id.to_string()),
            ("months".to_string(), self.months.to_string()),
        ];
        if let Some(name) = &self.domain_name {
            params.push(("domain-name".into(), name.clone()));
        }
        if let Some(plan) = self.plan_id {
            params.push(("plan-id".into(), plan.to_string()));
        }
        if self.auto_renew {
            params.push(("auto-renew".into(), "true".into()));
        }
        self.charge.push_into(&mut params);
        params.extend(self.extra.iter().cloned());
        params
    }
}

impl Renewal {
    pub(crate) fn call(&self, order_id: i64) -> Result<orders::Renew> {
        Ok(orders::Renew {
            order: orders::OrderOf::new(OrderId(order_id)),
            months: months(self.months)?,
            auto_renew: self.auto_renew,
            billing: self.charge.billing(),
        })
    }
}

/// A term in months, refused here as the server would refuse it.
pub(crate) fn months(months: u32) -> Result<Months> {
    crate::wire("months", &months.to_string())
}

/// A renewal of a hosting order for `months`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Renewal {
    pub months: u32,
    /// Turn auto-renewal on or off with it; None keeps the order's setting.
    pub auto_renew: Option<bool>,
    pub charge: Charge,
}

/// What a product's `search` asks: a page, and filters left empty match all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderSearch {
    /// 10 to 500.
    pub records: u32,
    /// From 1.
    pub page: u32,
    pub customer_ids: Vec<CustomerId>,
    pub order_ids: Vec<i64>,
    /// `Active`, `InActive`, `Suspended`, `Deleted`, ...
    pub statuses: Vec<String>,
    /// An exact name.
    pub domain_name: Option<String>,
}

impl Default for OrderSearch {
    fn default() -> OrderSearch {
        OrderSearch {
            records: 10,
            page: 1,
            customer_ids: Vec::new(),
            order_ids: Vec::new(),
            statuses: Vec::new(),
            domain_name: None,
        }
    }
}

/// One page of a search: the records on it and how many match in all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    pub records: Vec<T>,
    /// Records matching in all pages (`recsindb`).
    pub total: u64,
}

impl<T> Page<T> {
    /// A page from a search reply: records under `"1"`, `"2"`, ...
    pub fn from_reply<E: Into<Error>>(
        reply: &Value,
        record: impl Fn(&Value) -> std::result::Result<T, E>,
    ) -> Result<Page<T>> {
        let total = int_of(reply, "recsindb")? as u64;
        let mut records = Vec::new();
        for n in 1.. {
            match reply.get(n.to_string()) {
                Some(entry) => records.push(record(entry).map_err(Into::into)?),
                None => break,
            }
        }
        Ok(Page { records, total })
    }
}

/// The order calls of one product, below its path (`backup/us`).
///
/// ```no_run
/// # async fn example(client: reseller_client::Client) -> Result<(), reseller_client::Error> {
/// use reseller_client::{Charge, CustomerId, InvoiceOption, NewOrder};
/// let vps = client.orders("vps/linux/us");
/// let receipt = vps
///     .add(&NewOrder {
///         domain_name: Some("host.example.com".into()),
///         customer_id: CustomerId(2),
///         plan_id: Some(101),
///         months: 1,
///         charge: Charge::of(InvoiceOption::PayInvoice),
///         ..NewOrder::default()
///     })
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

/// `(String, String)` pairs as the client's calls take them.
pub(crate) fn borrowed(params: &[(String, String)]) -> Vec<(&str, &str)> {
    params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

impl Orders<'_> {
    fn call(&self, name: &str) -> String {
        format!("{}/{name}", self.product)
    }

    /// `<product>/add`.
    pub async fn add(&self, order: &NewOrder) -> Result<ActionReceipt> {
        let params = order.params();
        let reply = self
            .client
            .post(&self.call("add"), &borrowed(&params))
            .await?;
        crate::read::<ActionReceipt>(&reply)
    }

    /// `<product>/renew` of a hosting order.
    pub async fn renew(&self, order_id: i64, renewal: &Renewal) -> Result<ActionReceipt> {
        let reply = self
            .client
            .product_call(&self.product, &renewal.call(order_id)?)
            .await?;
        crate::read::<ActionReceipt>(&reply)
    }

    /// `<product>/details` of one order.
    pub async fn details(&self, order_id: i64) -> Result<OrderDetails> {
        let order_id = OrderId(order_id);
        let reply = if self.product == "domains" {
            let options = vec![domains::DetailOption("OrderDetails")];
            let details = domains::Details { order_id, options };
            self.client.call(&details).await?
        } else {
            let details = orders::Details { order_id };
            self.client.product_call(&self.product, &details).await?
        };
        crate::read::<OrderDetails>(&reply)
    }

    /// `<product>/search`.
    pub async fn search(&self, search: &OrderSearch) -> Result<Page<OrderRecord>> {
        let status = search
            .statuses
            .iter()
            .map(|status| crate::wire("status", status))
            .collect::<Result<_>>()?;
        let search = orders::Search {
            page: page(search.records, search.page),
            filters: calls::OrderFilters {
                order_id: search.order_ids.iter().map(|id| OrderId(*id)).collect(),
                customer_id: search.customer_ids.iter().map(|id| core_id(*id)).collect(),
                reseller_id: None,
                status,
                domain_name: search.domain_name.clone(),
                creation_date_start: None,
                creation_date_end: None,
                expiry_date_start: None,
                expiry_date_end: None,
                order_by: None,
            },
        };
        let reply = self.client.product_call(&self.product, &search).await?;
        Page::from_reply(&reply, crate::read::<OrderRecord>)
    }

    /// `<product>/orderid`: the newest order of the product by its name.
    pub async fn order_id(&self, domain_name: &str) -> Result<i64> {
        let asked = orders::OrderIdOf {
            domain_name: crate::wire("domain-name", domain_name)?,
        };
        let reply = self.client.product_call(&self.product, &asked).await?;
        reply.as_i64().ok_or_else(|| Error::Reply {
            status: 200,
            detail: format!("orderid answered {reply}"),
        })
    }

    /// `<product>/delete` of one order.
    pub async fn delete(&self, order_id: i64) -> Result<ActionReceipt> {
        let delete = orders::Delete {
            order_id: OrderId(order_id),
        };
        let reply = self.client.product_call(&self.product, &delete).await?;
        crate::read::<ActionReceipt>(&reply)
    }

    /// `orders/suspend`: suspends an order of any product, with a reason.
    pub async fn suspend(&self, order_id: i64, reason: &str) -> Result<ActionReceipt> {
        let suspend = orders::Suspend {
            order_id: OrderId(order_id),
            reason: reason.into(),
        };
        crate::read::<ActionReceipt>(&self.client.call(&suspend).await?)
    }

    /// `orders/unsuspend`.
    pub async fn unsuspend(&self, order_id: i64) -> Result<ActionReceipt> {
        let unsuspend = orders::Unsuspend {
            order_id: OrderId(order_id),
            reason: None,
        };
        crate::read::<ActionReceipt>(&self.client.call(&unsuspend).await?)
    }
}
