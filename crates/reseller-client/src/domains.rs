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

    /// `domains/thirdlevelname/available`: third-level .name names
    /// (`domain.one` for `domain.one.name`).
    pub async fn third_level_available(
        &self,
        names: &[&str],
    ) -> Result<BTreeMap<String, Availability>> {
        let mut params = vec![("tlds", "*.name")];
        params.extend(names.iter().map(|n| ("domain-name", *n)));
        availability(
            &self
                .client
                .get("domains/thirdlevelname/available", &params)
                .await?,
        )
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

/// A renewal of a domain for `years`, from the expiry the caller last saw
/// (`exp_date`: a retried renewal then renews nothing).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DomainRenewal {
    pub years: u32,
    pub exp_date: i64,
    pub auto_renew: Option<bool>,
    /// Buy privacy protection with it (and turn it on).
    pub purchase_privacy: bool,
    pub charge: Charge,
}

/// A transfer in of a name another registrar holds: a registration
/// without years, and the auth code (it may come later).
#[derive(Clone, Debug)]
pub struct DomainTransfer {
    pub name: String,
    pub auth_code: Option<String>,
    pub name_servers: Vec<String>,
    pub customer: CustomerId,
    /// Registrant, admin, tech, billing; `-1` where the TLD takes none.
    pub contacts: [i64; 4],
    pub charge: Charge,
}

/// The locks on a domain (`domains/locks`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Locks {
    /// Theft protection.
    pub transfer: bool,
    pub customer: bool,
}

impl Domains<'_> {
    async fn act(&self, call: &str, order_id: i64, more: &[(&str, &str)]) -> Result<ActionReceipt> {
        let id = order_id.to_string();
        let mut params = vec![("order-id", id.as_str())];
        params.extend_from_slice(more);
        ActionReceipt::from_reply(&self.client.post(call, &params).await?)
    }

    /// `domains/renew`.
    pub async fn renew(&self, order_id: i64, renewal: &DomainRenewal) -> Result<ActionReceipt> {
        let mut params = vec![
            ("order-id".to_string(), order_id.to_string()),
            ("years".to_string(), renewal.years.to_string()),
            ("exp-date".to_string(), renewal.exp_date.to_string()),
        ];
        if let Some(auto_renew) = renewal.auto_renew {
            params.push(("auto-renew".into(), auto_renew.to_string()));
        }
        if renewal.purchase_privacy {
            params.push(("purchase-privacy".into(), "true".into()));
        }
        renewal.charge.push_into(&mut params);
        let reply = self
            .client
            .post("domains/renew", &crate::orders::borrowed(&params))
            .await?;
        ActionReceipt::from_reply(&reply)
    }

    /// `domains/details-by-name`.
    pub async fn details_by_name(&self, name: &str) -> Result<DomainDetails> {
        let reply = self
            .client
            .get(
                "domains/details-by-name",
                &[("domain-name", name), ("options", "All")],
            )
            .await?;
        DomainDetails::from_reply(&reply)
    }

    /// `domains/delete`.
    pub async fn delete(&self, order_id: i64) -> Result<ActionReceipt> {
        self.act("domains/delete", order_id, &[]).await
    }

    /// `domains/restore`: a deleted name back, within its grace period.
    pub async fn restore(&self, order_id: i64, charge: Charge) -> Result<ActionReceipt> {
        let discount = charge.discount.map(|d| d.to_string());
        let mut more = vec![("invoice-option", charge.invoice_option.as_str())];
        if let Some(discount) = &discount {
            more.push(("discount-amount", discount));
        }
        self.act("domains/restore", order_id, &more).await
    }

    /// `domains/transfer`.
    pub async fn transfer(&self, transfer: &DomainTransfer) -> Result<ActionReceipt> {
        let contacts = transfer.contacts.map(|id| id.to_string());
        let mut params: Vec<(String, String)> = vec![
            ("domain-name".into(), transfer.name.clone()),
            ("customer-id".into(), transfer.customer.to_string()),
        ];
        for (role, id) in ["reg", "admin", "tech", "billing"].iter().zip(&contacts) {
            params.push((format!("{role}-contact-id"), id.clone()));
        }
        if let Some(code) = &transfer.auth_code {
            params.push(("auth-code".into(), code.clone()));
        }
        params.extend(
            transfer
                .name_servers
                .iter()
                .map(|ns| ("ns".to_string(), ns.clone())),
        );
        transfer.charge.push_into(&mut params);
        let reply = self
            .client
            .post("domains/transfer", &crate::orders::borrowed(&params))
            .await?;
        ActionReceipt::from_reply(&reply)
    }

    /// `domains/validate-transfer`: whether a name may be transferred in.
    pub async fn validate_transfer(&self, name: &str) -> Result<bool> {
        let reply = self
            .client
            .get("domains/validate-transfer", &[("domain-name", name)])
            .await?;
        reply.as_bool().ok_or_else(|| Error::Reply {
            status: 200,
            detail: format!("validate-transfer answered {reply}"),
        })
    }

    /// `domains/transfer/submit-auth-code`.
    pub async fn submit_auth_code(&self, order_id: i64, code: &str) -> Result<()> {
        let reply = self
            .client
            .post(
                "domains/transfer/submit-auth-code",
                &[("order-id", &order_id.to_string()), ("auth-code", code)],
            )
            .await?;
        success(&reply, "submit-auth-code")
    }

    /// `domains/cancel-transfer`.
    pub async fn cancel_transfer(&self, order_id: i64) -> Result<()> {
        let reply = self
            .client
            .post(
                "domains/cancel-transfer",
                &[("order-id", &order_id.to_string())],
            )
            .await?;
        success(&reply, "cancel-transfer")
    }

    /// `domains/resend-rfa`: the transfer approval mail again.
    pub async fn resend_transfer_approval(&self, order_id: i64) -> Result<()> {
        let reply = self
            .client
            .post("domains/resend-rfa", &[("order-id", &order_id.to_string())])
            .await?;
        crate::customers::bare_true(&reply, "domains/resend-rfa")
    }

    /// `domains/modify-ns`.
    pub async fn modify_name_servers(&self, order_id: i64, ns: &[&str]) -> Result<ActionReceipt> {
        let more: Vec<(&str, &str)> = ns.iter().map(|n| ("ns", *n)).collect();
        self.act("domains/modify-ns", order_id, &more).await
    }

    /// `domains/modify-contact`: registrant, admin, tech, billing (`-1`
    /// where the TLD takes none); a new registrant locks transfers for 60
    /// days unless `lock_opt_out`.
    pub async fn modify_contacts(
        &self,
        order_id: i64,
        contacts: [i64; 4],
        lock_opt_out: bool,
    ) -> Result<ActionReceipt> {
        let ids = contacts.map(|id| id.to_string());
        let mut more = vec![
            ("reg-contact-id", ids[0].as_str()),
            ("admin-contact-id", &ids[1]),
            ("tech-contact-id", &ids[2]),
            ("billing-contact-id", &ids[3]),
        ];
        if lock_opt_out {
            more.push(("sixty-day-lock-optout", "true"));
        }
        self.act("domains/modify-contact", order_id, &more).await
    }

    /// `domains/enable-theft-protection` or `disable-theft-protection`.
    pub async fn theft_protection(&self, order_id: i64, on: bool) -> Result<ActionReceipt> {
        let call = if on {
            "domains/enable-theft-protection"
        } else {
            "domains/disable-theft-protection"
        };
        self.act(call, order_id, &[]).await
    }

    /// `domains/modify-privacy-protection`, with the reason for it.
    pub async fn privacy_protection(
        &self,
        order_id: i64,
        on: bool,
        reason: &str,
    ) -> Result<ActionReceipt> {
        let on = on.to_string();
        self.act(
            "domains/modify-privacy-protection",
            order_id,
            &[("protect-privacy", &on), ("reason", reason)],
        )
        .await
    }

    /// `domains/modify-auth-code`.
    pub async fn modify_auth_code(&self, order_id: i64, code: &str) -> Result<ActionReceipt> {
        self.act("domains/modify-auth-code", order_id, &[("auth-code", code)])
            .await
    }

    /// `domains/gdpr/enable` or `disable`.
    pub async fn gdpr_protection(&self, order_id: i64, on: bool) -> Result<ActionReceipt> {
        let call = if on {
            "domains/gdpr/enable"
        } else {
            "domains/gdpr/disable"
        };
        self.act(call, order_id, &[]).await
    }

    /// `domains/locks`.
    pub async fn locks(&self, order_id: i64) -> Result<Locks> {
        let reply = self
            .client
            .get("domains/locks", &[("order-id", &order_id.to_string())])
            .await?;
        Ok(Locks {
            transfer: text_of(&reply, "transferlock")? == "true",
            customer: text_of(&reply, "customerlock")? == "true",
        })
    }

    /// `domains/customer-default-ns`: the name servers a customer's new
    /// names get.
    pub async fn customer_default_ns(&self, customer: CustomerId) -> Result<Vec<String>> {
        let reply = self
            .client
            .get(
                "domains/customer-default-ns",
                &[("customer-id", &customer.to_string())],
            )
            .await?;
        Ok(reply
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|ns| ns.as_str().map(str::to_string))
            .collect())
    }

    /// `domains/add-cns`: a child name server under the name, with addresses.
    pub async fn add_child_name_server(
        &self,
        order_id: i64,
        host: &str,
        ips: &[&str],
    ) -> Result<ActionReceipt> {
        let mut more = vec![("cns", host)];
        more.extend(ips.iter().map(|ip| ("ip", *ip)));
        self.act("domains/add-cns", order_id, &more).await
    }

    /// `domains/modify-cns-name`.
    pub async fn rename_child_name_server(
        &self,
        order_id: i64,
        old: &str,
        new: &str,
    ) -> Result<ActionReceipt> {
        self.act(
            "domains/modify-cns-name",
            order_id,
            &[("old-cns", old), ("new-cns", new)],
        )
        .await
    }

    /// `domains/modify-cns-ip`.
    pub async fn change_child_name_server_ip(
        &self,
        order_id: i64,
        host: &str,
        old_ip: &str,
        new_ip: &str,
    ) -> Result<ActionReceipt> {
        self.act(
            "domains/modify-cns-ip",
            order_id,
            &[("cns", host), ("old-ip", old_ip), ("new-ip", new_ip)],
        )
        .await
    }

    /// `domains/delete-cns-ip`.
    pub async fn delete_child_name_server_ip(
        &self,
        order_id: i64,
        host: &str,
        ip: &str,
    ) -> Result<ActionReceipt> {
        self.act(
            "domains/delete-cns-ip",
            order_id,
            &[("cns", host), ("ip", ip)],
        )
        .await
    }

    /// `domains/nixi/verification/resend`: the registrant of a .in or
    /// .bharat name gets the verification mail again; answers its message.
    pub async fn resend_nixi_verification(&self, order_id: i64) -> Result<String> {
        let reply = self
            .client
            .post(
                "domains/nixi/verification/resend",
                &[("order-id", &order_id.to_string())],
            )
            .await?;
        text_of(&reply, "message")
    }

    /// `domains/raa/resend-verification`: the ICANN registrant
    /// verification mail again.
    pub async fn resend_raa_verification(&self, order_id: i64) -> Result<()> {
        let reply = self
            .client
            .post(
                "domains/raa/resend-verification",
                &[("order-id", &order_id.to_string())],
            )
            .await?;
        crate::customers::bare_true(&reply, "domains/raa/resend-verification")
    }
}

/// The bare `Success` a transfer call answers.
fn success(reply: &Value, call: &str) -> Result<()> {
    match reply.as_str() {
        Some("Success") => Ok(()),
        _ => Err(Error::Reply {
            status: 200,
            detail: format!("{call} answered {reply}"),
        }),
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
/// use reseller_client::{CustomerId, NewContact};
/// let id = client
///     .contacts()
///     .add(&NewContact {
///         customer: 2,
///         name: "Ravi Kumar".into(),
///         company: "Kumar Traders".into(),
///         email: "ravi@example.com".into(),
///         address_line_1: "1 MG Road".into(),
///         city: "Bengaluru".into(),
///         state: "KA".into(),
///         country: "IN".into(),
///         zipcode: "560001".into(),
///         phone_cc: "91".into(),
///         phone: "9876543210".into(),
///         kind: "Contact".into(),
///     })
///     .await?;
/// let listed = client.contacts().search(CustomerId(2), 10, 1).await?;
/// assert!(listed.records.iter().any(|c| c.id == id));
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
    /// `contacts/search`: a page of a customer's contacts (`records` 10 to
    /// 500, `page` from 1). Its records come as a list under `result`.
    pub async fn search(
        &self,
        customer: CustomerId,
        records: u32,
        page: u32,
    ) -> Result<crate::Page<ContactRecord>> {
        let reply = self
            .client
            .get(
                "contacts/search",
                &[
                    ("customer-id", &customer.to_string()),
                    ("no-of-records", &records.to_string()),
                    ("page-no", &page.to_string()),
                ],
            )
            .await?;
        let listed = reply["result"].as_array().ok_or_else(|| Error::Reply {
            status: 200,
            detail: format!("contacts/search answered {reply}"),
        })?;
        Ok(crate::Page {
            records: listed
                .iter()
                .map(ContactRecord::from_reply)
                .collect::<Result<_>>()?,
            total: int_of(&reply, "recsindb")? as u64,
        })
    }

    /// `contacts/delete`: at once; answers the action.
    pub async fn delete(&self, id: i64) -> Result<ActionReceipt> {
        let reply = self
            .client
            .post("contacts/delete", &[("contact-id", &id.to_string())])
            .await?;
        ActionReceipt::from_reply(&reply)
    }

    /// `contacts/modDefault`: a customer's default contacts of a type
    /// (`Contact`, ...): registrant, admin, tech, billing.
    pub async fn set_defaults(
        &self,
        customer: CustomerId,
        kind: &str,
        contacts: [i64; 4],
    ) -> Result<()> {
        let ids = contacts.map(|id| id.to_string());
        let reply = self
            .client
            .post(
                "contacts/modDefault",
                &[
                    ("customer-id", &customer.to_string()),
                    ("type", kind),
                    ("reg-contact-id", &ids[0]),
                    ("admin-contact-id", &ids[1]),
                    ("tech-contact-id", &ids[2]),
                    ("billing-contact-id", &ids[3]),
                ],
            )
            .await?;
        crate::customers::bare_true(&reply, "contacts/modDefault")
    }

    /// `contacts/default`: a customer's default contact ids of a type
    /// (created from the customer's details where none were set):
    /// registrant, admin, tech, billing.
    pub async fn defaults(&self, customer: CustomerId, kind: &str) -> Result<[i64; 4]> {
        let reply = self
            .client
            .post(
                "contacts/default",
                &[("customer-id", &customer.to_string()), ("type", kind)],
            )
            .await?;
        let entry = &reply[kind];
        Ok([
            int_of(entry, "registrant")?,
            int_of(entry, "admin")?,
            int_of(entry, "tech")?,
            int_of(entry, "billing")?,
        ])
    }
}

impl Contacts<'_> {
    /// `contacts/dotca/registrantagreement`: the .ca registrant agreement
    /// a `CaContact` accepts, as (version, text).
    pub async fn ca_registrant_agreement(&self) -> Result<(String, String)> {
        let reply = self
            .client
            .get("contacts/dotca/registrantagreement", &[])
            .await?;
        Ok((text_of(&reply, "version")?, text_of(&reply, "agreement")?))
    }
}

/// A contact as `contacts/search` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactRecord {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub kind: String,
    pub status: String,
}

impl ContactRecord {
    pub fn from_reply(entry: &Value) -> Result<ContactRecord> {
        Ok(ContactRecord {
            id: int_of(entry, "entity.entityid")?,
            name: text_of(entry, "contact.name")?,
            email: text_of(entry, "contact.emailaddr")?,
            kind: text_of(entry, "contact.type")?,
            status: text_of(entry, "entity.currentstatus")?,
        })
    }
}
