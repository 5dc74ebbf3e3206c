//! `domains/*` and `contacts/*`: availability, registration, a domain's
//! details, and the contacts a registration names.

use crate::{ActionReceipt, Amount, Charge, Client, CustomerId, Error, Result, int_of, text_of};
use serde_json::Value;
use std::collections::BTreeMap;

/// One name's availability: `available`, `regthroughus`,
/// `regthroughothers`, `unknown`; and the registry's class (`domcno`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Availability {
    pub status: String,
    pub class_key: String,
}

/// What `domains/register` needs; the contacts are ids from
/// [`Contacts::add`].
#[derive(Clone, Debug)]
pub struct DomainRegistration {
    pub name: String,
    pub years: u32,
    pub name_servers: Vec<String>,
    pub customer: CustomerId,
    pub registrant: i64,
    pub admin: i64,
    pub tech: i64,
    pub billing: i64,
    pub charge: Charge,
    /// Privacy protection bought with it, and on (`purchase-privacy`).
    pub privacy: bool,
}

/// A domain order as `domains/details` shows it (`options=All`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainDetails {
    pub order_id: i64,
    pub name: String,
    pub status: String,
    pub customer_id: CustomerId,
    /// None while it is not yet registered here (a transfer in progress).
    pub end_time: Option<i64>,
    pub name_servers: Vec<String>,
}

impl DomainDetails {
    pub fn from_reply(reply: &Value) -> Result<DomainDetails> {
        // Name servers come as ns1, ns2, ... each a string.
        let name_servers = (1..=13)
            .map_while(|n| reply.get(format!("ns{n}")).and_then(Value::as_str))
            .map(str::to_string)
            .collect();
        Ok(DomainDetails {
            order_id: int_of(reply, "orderid")?,
            name: text_of(reply, "domainname")?,
            status: text_of(reply, "currentstatus")?,
            customer_id: CustomerId(int_of(reply, "customerid")?),
            end_time: match reply.get("endtime") {
                None => None,
                Some(_) => Some(int_of(reply, "endtime")?),
            },
            name_servers,
        })
    }
}

/// The domain calls of one client.
///
/// ```no_run
/// # async fn example(client: reseller_client::Client) -> Result<(), reseller_client::Error> {
/// let found = client.domains().available(&["my-shop"], &["com", "in"]).await?;
/// if found["my-shop.com"].status == "available" {
///     // register with client.domains().register(&DomainRegistration { .. })
/// }
/// # Ok(())
/// # }
/// ```
pub struct Domains<'c> {
    pub(crate) client: &'c Client,
}

impl Domains<'_> {
    /// `domains/available`: each name under each TLD, keyed by the full
    /// name (`example.com`).
    pub async fn available(
        &self,
        names: &[&str],
        tlds: &[&str],
    ) -> Result<BTreeMap<String, Availability>> {
        let mut params: Vec<(&str, &str)> = names.iter().map(|n| ("domain-name", *n)).collect();
        params.extend(tlds.iter().map(|t| ("tlds", *t)));
        let reply = self.client.get("domains/available", &params).await?;
        availability(&reply)
    }

    /// `domains/register`.
    pub async fn register(&self, registration: &DomainRegistration) -> Result<ActionReceipt> {
        let r = registration;
        let (years, customer) = (r.years.to_string(), r.customer.to_string());
        let contacts = [r.registrant, r.admin, r.tech, r.billing].map(|id| id.to_string());
        let mut params: Vec<(String, String)> = [
            ("domain-name", r.name.as_str()),
            ("years", &years),
            ("customer-id", &customer),
            ("reg-contact-id", &contacts[0]),
            ("admin-contact-id", &contacts[1]),
            ("tech-contact-id", &contacts[2]),
            ("billing-contact-id", &contacts[3]),
            ("purchase-privacy", if r.privacy { "true" } else { "false" }),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        r.charge.push_into(&mut params);
        params.extend(
            r.name_servers
                .iter()
                .map(|ns| ("ns".to_string(), ns.clone())),
        );
        let reply = self
            .client
            .post("domains/register", &crate::orders::borrowed(&params))
            .await?;
        ActionReceipt::from_reply(&reply)
    }

    /// `domains/details` of one order.
    pub async fn details(&self, order_id: i64) -> Result<DomainDetails> {
        let reply = self
            .client
            .get(
                "domains/details",
                &[("order-id", &order_id.to_string()), ("options", "All")],
            )
            .await?;
        DomainDetails::from_reply(&reply)
    }
}

impl Domains<'_> {
    /// `domains/idn-available`: internationalized names (`labels` as
    /// written, in `language`, an ISO 639-2 code such as `hin`) under one TLD.
    pub async fn idn_available(
        &self,
        labels: &[&str],
        tld: &str,
        language: &str,
    ) -> Result<BTreeMap<String, Availability>> {
        let mut params = vec![("tld", tld), ("idnLanguageCode", language)];
        params.extend(labels.iter().map(|l| ("domain-name", *l)));
        availability(&self.client.get("domains/idn-available", &params).await?)
    }

    /// `domains/premium/available`: premium names around a keyword, each
    /// with its price.
    pub async fn premium_available(
        &self,
        keyword: &str,
        tlds: &[&str],
    ) -> Result<BTreeMap<String, Amount>> {
        let mut params = vec![("key-word", keyword)];
        params.extend(tlds.iter().map(|t| ("tlds", *t)));
        premium(
            &self
                .client
                .get("domains/premium/available", &params)
                .await?,
        )
    }

    /// `domains/v5/suggest-names`: names made from a keyword.
    pub async fn suggest_names(
        &self,
        keyword: &str,
        tlds: &[&str],
    ) -> Result<BTreeMap<String, Suggestion>> {
        let mut params = vec![("keyword", keyword)];
        params.extend(tlds.iter().map(|t| ("tld-only", *t)));
        suggestions(&self.client.get("domains/v5/suggest-names", &params).await?)
    }
}

/// A name `domains/v5/suggest-names` made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// `available`, ...
    pub status: String,
    /// How well it fits the keyword, 0 to 1, as the API writes it.
    pub score: String,
}

/// Reads a premium availability reply: names and their prices.
pub fn premium(reply: &Value) -> Result<BTreeMap<String, Amount>> {
    entries(reply, |price| {
        let text = match price {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        text.parse().map_err(|e| Error::Reply {
            status: 200,
            detail: format!("a premium price: {e}"),
        })
    })
}

/// Reads a suggestions reply.
pub fn suggestions(reply: &Value) -> Result<BTreeMap<String, Suggestion>> {
    entries(reply, |entry| {
        Ok(Suggestion {
            status: text_of(entry, "status")?,
            score: text_of(entry, "score")?,
        })
    })
}

fn entries<T>(reply: &Value, read: impl Fn(&Value) -> Result<T>) -> Result<BTreeMap<String, T>> {
    let Value::Object(names) = reply else {
        return Err(Error::Reply {
            status: 200,
            detail: format!("expected a map of names, got {reply}"),
        });
    };
    names
        .iter()
        .map(|(name, entry)| Ok((name.clone(), read(entry)?)))
        .collect()
}

/// Reads an availability reply: a map of full names.
pub fn availability(reply: &Value) -> Result<BTreeMap<String, Availability>> {
    entries(reply, |entry| {
        Ok(Availability {
            status: text_of(entry, "status")?,
            class_key: text_of(entry, "classkey").unwrap_or_default(),
        })
    })
}

/// What `contacts/add` needs.
#[derive(Clone, Debug, Default)]
pub struct NewContact {
    pub customer: i64,
    pub name: String,
    pub company: String,
    pub email: String,
    pub address_line_1: String,
    pub city: String,
    pub state: String,
    pub country: String,
    pub zipcode: String,
    pub phone_cc: String,
    pub phone: String,
    /// `Contact` (.com and most), or a registry's own type.
    pub kind: String,
}

/// A contact as `contacts/details` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub id: i64,
    pub name: String,
    pub company: String,
    pub email: String,
    pub country: String,
    pub kind: String,
    pub status: String,
    pub customer_id: CustomerId,
}

impl Contact {
    pub fn from_reply(reply: &Value) -> Result<Contact> {
        Ok(Contact {
            id: int_of(reply, "contactid")?,
            name: text_of(reply, "name")?,
            company: text_of(reply, "company")?,
            email: text_of(reply, "emailaddr")?,
            country: text_of(reply, "country")?,
            kind: text_of(reply, "type")?,
            status: text_of(reply, "currentstatus")?,
            customer_id: CustomerId(int_of(reply, "customerid")?),
        })
    }
}

/// The contact calls of one client.
///
/// ```no_run
/// # async fn example(client: reseller_client::Client) -> Result<(), reseller_client::Error> {
/// use reseller_client::NewContact;
/// let id = client
///     .contacts()
///     .add(&NewContact {
///         customer: 2,
///         name: "Ravi Kumar".into(),
///         email: "ravi@example.com".into(),
///         kind: "Contact".into(),
///         ..NewContact::default()
///     })
///     .await?;
/// let contact = client.contacts().details(id).await?;
/// # Ok(())
/// # }
/// ```
pub struct Contacts<'c> {
    pub(crate) client: &'c Client,
}

impl Contacts<'_> {
    /// `contacts/add`: the new contact's id (answered bare).
    pub async fn add(&self, new: &NewContact) -> Result<i64> {
        let customer = new.customer.to_string();
        let reply = self
            .client
            .post(
                "contacts/add",
                &[
                    ("customer-id", &customer),
                    ("name", &new.name),
                    ("company", &new.company),
                    ("email", &new.email),
                    ("address-line-1", &new.address_line_1),
                    ("city", &new.city),
                    ("state", &new.state),
                    ("country", &new.country),
                    ("zipcode", &new.zipcode),
                    ("phone-cc", &new.phone_cc),
                    ("phone", &new.phone),
                    ("type", &new.kind),
                ],
            )
            .await?;
        crate::customers::bare_id(&reply)
    }

    /// `contacts/details`.
    pub async fn details(&self, id: i64) -> Result<Contact> {
        let reply = self
            .client
            .get("contacts/details", &[("contact-id", &id.to_string())])
            .await?;
        Contact::from_reply(&reply)
    }
}
