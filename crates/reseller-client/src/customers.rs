//! `customers/*`: sign up, read and delete the reseller's customers.

use crate::{Amount, Client, Error, Result, int_of, text_of};
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomerId(pub i64);

impl std::fmt::Display for CustomerId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// What `customers/signup` needs.
#[derive(Clone, Debug, Default)]
pub struct NewCustomer {
    pub username: String,
    pub password: String,
    pub name: String,
    pub company: String,
    pub address_line_1: String,
    pub city: String,
    pub state: String,
    pub country: String,
    pub zipcode: String,
    pub phone_cc: String,
    pub phone: String,
}

/// A customer as `customers/details` and `customers/details-by-id` show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Customer {
    pub id: CustomerId,
    pub username: String,
    pub name: String,
    pub company: String,
    pub city: String,
    pub country: String,
    /// `Active`, `Suspended` or `Deleted`.
    pub status: String,
    pub created: i64,
    pub total_receipts: Amount,
}

impl Customer {
    /// Reads a details reply (every value a string, as the API sends them).
    pub fn from_reply(reply: &Value) -> Result<Customer> {
        let total = text_of(reply, "totalreceipts")?;
        Ok(Customer {
            id: CustomerId(int_of(reply, "customerid")?),
            username: text_of(reply, "username")?,
            name: text_of(reply, "name")?,
            company: text_of(reply, "company")?,
            city: text_of(reply, "city")?,
            country: text_of(reply, "country")?,
            status: text_of(reply, "customerstatus")?,
            created: int_of(reply, "creationdt")?,
            total_receipts: total.parse().map_err(|e| Error::Reply {
                status: 200,
                detail: format!("totalreceipts: {e}"),
            })?,
        })
    }
}

/// The customer calls of one client.
///
/// ```no_run
/// # async fn example(client: reseller_client::Client) -> Result<(), reseller_client::Error> {
/// let customer = client.customers().details("ada@example.com").await?;
/// println!("{} since {}: {}", customer.name, customer.created, customer.status);
/// # Ok(())
/// # }
/// ```
pub struct Customers<'c> {
    pub(crate) client: &'c Client,
}

impl Customers<'_> {
    /// `customers/signup`: the new customer's id (the API answers it bare).
    pub async fn signup(&self, new: &NewCustomer) -> Result<CustomerId> {
        let reply = self
            .client
            .post(
                "customers/signup",
                &[
                    ("username", &new.username),
                    ("passwd", &new.password),
                    ("name", &new.name),
                    ("company", &new.company),
                    ("address-line-1", &new.address_line_1),
                    ("city", &new.city),
                    ("state", &new.state),
                    ("country", &new.country),
                    ("zipcode", &new.zipcode),
                    ("phone-cc", &new.phone_cc),
                    ("phone", &new.phone),
                    ("lang-pref", "en"),
                ],
            )
            .await?;
        bare_id(&reply).map(CustomerId)
    }

    /// `customers/details-by-id`.
    pub async fn details_by_id(&self, id: CustomerId) -> Result<Customer> {
        let reply = self
            .client
            .get(
                "customers/details-by-id",
                &[("customer-id", &id.to_string())],
            )
            .await?;
        Customer::from_reply(&reply)
    }

    /// `customers/details`, by username.
    pub async fn details(&self, username: &str) -> Result<Customer> {
        let reply = self
            .client
            .get("customers/details", &[("username", username)])
            .await?;
        Customer::from_reply(&reply)
    }

    /// `customers/delete`: a customer without orders.
    pub async fn delete(&self, id: CustomerId) -> Result<()> {
        let reply = self
            .client
            .post("customers/delete", &[("customer-id", &id.to_string())])
            .await?;
        match reply {
            Value::Bool(true) => Ok(()),
            Value::String(s) if s == "true" => Ok(()),
            other => Err(Error::Reply {
                status: 200,
                detail: format!("customers/delete answered {other}"),
            }),
        }
    }
}

/// A bare integer reply (a number, or a string of digits).
pub(crate) fn bare_id(reply: &Value) -> Result<i64> {
    match reply {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
    .ok_or_else(|| Error::Reply {
        status: 200,
        detail: format!("expected a bare id, got {reply}"),
    })
}
