//! `customers/*`: sign up, read and delete the reseller's customers.

use crate::wire;
use crate::{Client, Error, Page, Result};
use crate::{Customer, CustomerId, CustomerRecord};
use reseller_api::Digits;
use reseller_api::calls::customers as calls;
use serde_json::Value;

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
        let customer = calls::NewCustomer {
            username: calls::Username(new.username.clone()),
            passwd: calls::NewPassword(new.password.clone()),
            name: new.name.clone(),
            company: new.company.clone(),
            address_line_1: new.address_line_1.clone(),
            city: new.city.clone(),
            state: new.state.clone(),
            country: calls::Country(new.country.clone()),
            zipcode: new.zipcode.clone(),
            phone_cc: Digits(new.phone_cc.clone()),
            phone: Digits(new.phone.clone()),
            lang_pref: Some("en".into()),
            vat_id: None,
            sms_consent: None,
            accept_policy: None,
            marketing_email_consent: None,
            extras: calls::Extras::default(),
        };
        let reply = self.client.call(&calls::Signup { customer }).await?;
        bare_id(&reply).map(CustomerId)
    }

    /// `customers/details-by-id`.
    pub async fn details_by_id(&self, id: CustomerId) -> Result<Customer> {
        let reply = self
            .client
            .call(&calls::DetailsById {
                customer_id: core_id(id),
            })
            .await?;
        crate::read::<Customer>(&reply)
    }

    /// `customers/details`, by username.
    pub async fn details(&self, username: &str) -> Result<Customer> {
        let username = calls::UsernameLookup(username.into());
        let reply = self.client.call(&calls::Details { username }).await?;
        crate::read::<Customer>(&reply)
    }

    /// `customers/delete`: a customer without orders.
    pub async fn delete(&self, id: CustomerId) -> Result<()> {
        let reply = self
            .client
            .call(&calls::Delete {
                customer_id: core_id(id),
            })
            .await?;
        bare_true(&reply, "customers/delete")
    }
}

/// What `customers/modify` changes: only what is `Some`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerChanges {
    pub username: Option<String>,
    pub name: Option<String>,
    pub company: Option<String>,
    pub address_line_1: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub zipcode: Option<String>,
    pub phone_cc: Option<String>,
    pub phone: Option<String>,
    pub lang_pref: Option<String>,
}

impl Customers<'_> {
    /// `customers/search` by username (exact; none for every customer).
    pub async fn search(
        &self,
        usernames: &[&str],
        records: u32,
        page: u32,
    ) -> Result<Page<CustomerRecord>> {
        let search = calls::Search {
            page: crate::orders::page(records, page),
            customer_id: Vec::new(),
            reseller_id: None,
            username: usernames
                .iter()
                .map(|u| calls::UsernameLookup((*u).into()))
                .collect(),
            name: None,
            company: None,
            city: None,
            state: None,
            status: Vec::new(),
            creation_date_start: None,
            creation_date_end: None,
            total_receipt_start: None,
            total_receipt_end: None,
        };
        let reply = self.client.call(&search).await?;
        Page::from_reply(&reply, crate::read::<CustomerRecord>)
    }

    /// `customers/modify`: changes what is given; the rest stays.
    pub async fn modify(&self, id: CustomerId, changes: &CustomerChanges) -> Result<()> {
        let c = changes.clone();
        let modify = calls::Modify {
            customer_id: core_id(id),
            username: c.username.map(calls::Username),
            passwd: None,
            name: c.name,
            company: c.company,
            address_line_1: c.address_line_1,
            city: c.city,
            state: c.state,
            country: c.country.map(calls::Country),
            zipcode: c.zipcode,
            phone_cc: c.phone_cc.map(Digits),
            phone: c.phone.map(Digits),
            lang_pref: c.lang_pref,
            extras: calls::Extras::default(),
        };
        let reply = self.client.call(&modify).await?;
        bare_true(&reply, "customers/modify")
    }

    /// `customers/change-password`.
    pub async fn change_password(&self, id: CustomerId, new_password: &str) -> Result<()> {
        let reply = self
            .client
            .call(&calls::ChangePassword {
                customer_id: core_id(id),
                new_passwd: calls::NewPassword(new_password.into()),
            })
            .await?;
        bare_true(&reply, "customers/change-password")
    }

    /// `customers/generate-token`: a token for a customer who gave their
    /// password, from the address they came from; it signs them in
    /// (`authenticate_token`).
    pub async fn generate_token(&self, username: &str, password: &str, ip: &str) -> Result<String> {
        let reply = self
            .client
            .call(&calls::GenerateToken {
                username: calls::Username(username.into()),
                passwd: calls::Password(password.into()),
                ip: wire("ip", ip)?,
            })
            .await?;
        bare_text(&reply, "customers/generate-token")
    }

    /// `customers/authenticate-token`: the customer a token signs in.
    pub async fn authenticate_token(&self, token: &str) -> Result<Customer> {
        let token = token.to_string();
        let reply = self
            .client
            .call(&calls::AuthenticateToken { token })
            .await?;
        crate::read::<Customer>(&reply)
    }

    /// `customers/generate-login-token`: a token to open the control panel
    /// as the customer, without their password.
    pub async fn generate_login_token(&self, id: CustomerId, ip: &str) -> Result<String> {
        let reply = self
            .client
            .call(&calls::GenerateLoginToken {
                customer_id: core_id(id),
                ip: wire("ip", ip)?,
            })
            .await?;
        bare_text(&reply, "customers/generate-login-token")
    }

    /// `customers/forgot-password`: mails the customer a reset link.
    pub async fn forgot_password(&self, username: &str) -> Result<()> {
        let username = calls::Username(username.into());
        let reply = self
            .client
            .call(&calls::ForgotPassword {
                username: Some(username),
                forgot_password_username: None,
            })
            .await?;
        bare_true(&reply, "customers/forgot-password")
    }
}

/// The server's id of a customer.
pub(crate) fn core_id(id: CustomerId) -> reseller_core::CustomerId {
    reseller_core::CustomerId(id.0)
}

/// A bare `true` (or `"true"`), as the API confirms a change.
pub(crate) fn bare_true(reply: &Value, call: &str) -> Result<()> {
    match reply {
        Value::Bool(true) => Ok(()),
        Value::String(s) if s == "true" => Ok(()),
        other => Err(Error::Reply {
            status: 200,
            detail: format!("{call} answered {other}"),
        }),
    }
}

/// A bare string reply.
pub(crate) fn bare_text(reply: &Value, call: &str) -> Result<String> {
    reply
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| Error::Reply {
            status: 200,
            detail: format!("{call} answered {reply}"),
        })
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
