//! `domains/*` and `contacts/*`: availability, registration, a domain's
//! details, and the contacts a registration names.

use crate::customers::core_id;
use crate::{ActionReceipt, Amount, Charge, Client, CustomerId, Error, Result, int_of, text_of};
use crate::{Contact, ContactRecord, DomainDetails};
use reseller_api::calls::contacts;
use reseller_api::calls::customers::Country;
use reseller_api::calls::domains as calls;
use reseller_api::{Count, EpochSeconds};
use reseller_api::{Digits, Short};
use reseller_core::{ContactId, OrderId};
use serde_json::Value;
use std::collections::BTreeMap;
use std::net::IpAddr;

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
        let asked = calls::Available {
            domain_name: names.iter().map(|n| calls::Label(n.to_string())).collect(),
            tlds: tlds.iter().map(|t| calls::Tld(t.to_string())).collect(),
            suggest_alternative: None,
        };
        availability(&self.client.call(&asked).await?)
    }

    /// `domains/register`.
    pub async fn register(&self, registration: &DomainRegistration) -> Result<ActionReceipt> {
        let r = registration;
        let register = calls::Register {
            domain_name: crate::wire("domain-name", &r.name)?,
            customer_id: core_id(r.customer),
            years: Count(r.years),
            setup: calls::Setup {
                ns: calls::NameServers(r.name_servers.clone()),
                purchase_privacy: Some(r.privacy),
                protect_privacy: None,
                auto_renew: None,
                contacts: roles([r.registrant, r.admin, r.tech, r.billing]),
                billing: r.charge.billing(),
            },
            purchase_premium_dns: None,
        };
        crate::read::<ActionReceipt>(&self.client.call(&register).await?)
    }

    /// `domains/details` of one order.
    pub async fn details(&self, order_id: i64) -> Result<DomainDetails> {
        let details = calls::Details {
            order_id: order(order_id),
            options: vec![calls::DetailOption("All")],
        };
        crate::read::<DomainDetails>(&self.client.call(&details).await?)
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
        let asked = calls::IdnAvailable {
            domain_name: labels
                .iter()
                .map(|l| crate::wire("domain-name", l))
                .collect::<Result<_>>()?,
            tld: calls::Tld(tld.into()),
            idn_language_code: crate::wire("idnLanguageCode", language)?,
        };
        availability(&self.client.call(&asked).await?)
    }

    /// `domains/thirdlevelname/available`: third-level .name names
    /// (`domain.one` for `domain.one.name`).
    pub async fn third_level_available(
        &self,
        names: &[&str],
    ) -> Result<BTreeMap<String, Availability>> {
        let asked = calls::ThirdLevelAvailable {
            domain_name: names.iter().map(|n| n.to_string()).collect(),
            tlds: vec!["*.name".into()],
        };
        availability(&self.client.call(&asked).await?)
    }

    /// `domains/premium/available`: premium names around a keyword, each
    /// with its price.
    pub async fn premium_available(
        &self,
        keyword: &str,
        tlds: &[&str],
    ) -> Result<BTreeMap<String, Amount>> {
        let asked = calls::PremiumAvailable {
            key_word: calls::Label(keyword.into()),
            tlds: tlds.iter().map(|t| calls::Tld(t.to_string())).collect(),
            price_low: None,
            price_high: None,
            no_of_results: None,
        };
        premium(&self.client.call(&asked).await?)
    }

    /// `domains/v5/suggest-names`: names made from a keyword.
    pub async fn suggest_names(
        &self,
        keyword: &str,
        tlds: &[&str],
    ) -> Result<BTreeMap<String, Suggestion>> {
        let asked = calls::SuggestNames {
            keyword: crate::wire("keyword", keyword)?,
            tld_only: tlds.iter().map(|t| calls::Tld(t.to_string())).collect(),
            tld: Vec::new(),
            exact_match: None,
            adult: None,
        };
        suggestions(&self.client.call(&asked).await?)
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

/// An order of the caller's, as the calls name it.
fn order(order_id: i64) -> OrderId {
    OrderId(order_id)
}

/// Addresses given as text, refused here as the server would refuse them.
fn addresses(name: &'static str, given: &[&str]) -> Result<Vec<IpAddr>> {
    given.iter().map(|ip| crate::wire(name, ip)).collect()
}

impl Domains<'_> {
    /// Sends a call that answers an action map.
    async fn act<C: reseller_api::Call>(&self, call: &C) -> Result<ActionReceipt> {
        crate::read::<ActionReceipt>(&self.client.call(call).await?)
    }

    /// `domains/renew`.
    pub async fn renew(&self, order_id: i64, renewal: &DomainRenewal) -> Result<ActionReceipt> {
        self.act(&calls::Renew {
            order_id: order(order_id),
            years: Count(renewal.years),
            exp_date: EpochSeconds(renewal.exp_date),
            auto_renew: renewal.auto_renew,
            purchase_privacy: renewal.purchase_privacy.then_some(true),
            purchase_premium_dns: None,
            billing: renewal.charge.billing(),
        })
        .await
    }

    /// `domains/details-by-name`.
    pub async fn details_by_name(&self, name: &str) -> Result<DomainDetails> {
        let details = calls::DetailsByName {
            domain_name: crate::wire("domain-name", name)?,
            options: vec![calls::DetailOption("All")],
        };
        crate::read::<DomainDetails>(&self.client.call(&details).await?)
    }

    /// `domains/delete`.
    pub async fn delete(&self, order_id: i64) -> Result<ActionReceipt> {
        self.act(&calls::Delete {
            order_id: order(order_id),
        })
        .await
    }

    /// `domains/restore`: a deleted name back, within its grace period.
    pub async fn restore(&self, order_id: i64, charge: Charge) -> Result<ActionReceipt> {
        self.act(&calls::Restore {
            order_id: order(order_id),
            billing: charge.billing(),
        })
        .await
    }

    /// `domains/transfer`.
    pub async fn transfer(&self, transfer: &DomainTransfer) -> Result<ActionReceipt> {
        self.act(&calls::Transfer {
            domain_name: crate::wire("domain-name", &transfer.name)?,
            customer_id: core_id(transfer.customer),
            auth_code: transfer.auth_code.clone().map(calls::AuthCode),
            setup: calls::Setup {
                ns: calls::NameServers(transfer.name_servers.clone()),
                purchase_privacy: None,
                protect_privacy: None,
                auto_renew: None,
                contacts: roles(transfer.contacts),
                billing: transfer.charge.billing(),
            },
        })
        .await
    }

    /// `domains/validate-transfer`: whether a name may be transferred in.
    pub async fn validate_transfer(&self, name: &str) -> Result<bool> {
        let asked = calls::ValidateTransfer {
            domain_name: crate::wire("domain-name", name)?,
        };
        let reply = self.client.call(&asked).await?;
        reply.as_bool().ok_or_else(|| Error::Reply {
            status: 200,
            detail: format!("validate-transfer answered {reply}"),
        })
    }

    /// `domains/transfer/submit-auth-code`.
    pub async fn submit_auth_code(&self, order_id: i64, code: &str) -> Result<()> {
        let submit = calls::SubmitAuthCode {
            order_id: order(order_id),
            auth_code: calls::AuthCode(code.into()),
        };
        success(&self.client.call(&submit).await?, "submit-auth-code")
    }

    /// `domains/cancel-transfer`.
    pub async fn cancel_transfer(&self, order_id: i64) -> Result<()> {
        let cancel = calls::CancelTransfer {
            order_id: order(order_id),
        };
        success(&self.client.call(&cancel).await?, "cancel-transfer")
    }

    /// `domains/resend-rfa`: the transfer approval mail again.
    pub async fn resend_transfer_approval(&self, order_id: i64) -> Result<()> {
        let resend = calls::ResendRfa {
            order_id: order(order_id),
        };
        let reply = self.client.call(&resend).await?;
        crate::customers::bare_true(&reply, "domains/resend-rfa")
    }

    /// `domains/modify-ns`.
    pub async fn modify_name_servers(&self, order_id: i64, ns: &[&str]) -> Result<ActionReceipt> {
        self.act(&calls::ModifyNs {
            order_id: order(order_id),
            ns: calls::NameServers(ns.iter().map(|n| n.to_string()).collect()),
        })
        .await
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
        self.act(&calls::ModifyContact {
            order_id: order(order_id),
            contacts: roles(contacts),
            sixty_day_lock_optout: lock_opt_out.then_some(true),
            designated_agent: None,
        })
        .await
    }

    /// `domains/enable-theft-protection` or `disable-theft-protection`.
    pub async fn theft_protection(&self, order_id: i64, on: bool) -> Result<ActionReceipt> {
        let order_id = order(order_id);
        if on {
            self.act(&calls::EnableTheftProtection { order_id }).await
        } else {
            self.act(&calls::DisableTheftProtection { order_id }).await
        }
    }

    /// `domains/modify-privacy-protection`, with the reason for it.
    pub async fn privacy_protection(
        &self,
        order_id: i64,
        on: bool,
        reason: &str,
    ) -> Result<ActionReceipt> {
        self.act(&calls::ModifyPrivacyProtection {
            order_id: order(order_id),
            protect_privacy: on,
            reason: reason.into(),
        })
        .await
    }

    /// `domains/modify-auth-code`.
    pub async fn modify_auth_code(&self, order_id: i64, code: &str) -> Result<ActionReceipt> {
        self.act(&calls::ModifyAuthCode {
            order_id: order(order_id),
            auth_code: calls::AuthCode(code.into()),
        })
        .await
    }

    /// `domains/gdpr/enable` or `disable`.
    pub async fn gdpr_protection(&self, order_id: i64, on: bool) -> Result<ActionReceipt> {
        let order_id = order(order_id);
        if on {
            self.act(&calls::GdprEnable { order_id }).await
        } else {
            self.act(&calls::GdprDisable { order_id }).await
        }
    }

    /// `domains/locks`.
    pub async fn locks(&self, order_id: i64) -> Result<Locks> {
        let locks = calls::Locks {
            order_id: order(order_id),
        };
        let reply = self.client.call(&locks).await?;
        Ok(Locks {
            transfer: text_of(&reply, "transferlock")? == "true",
            customer: text_of(&reply, "customerlock")? == "true",
        })
    }

    /// `domains/customer-default-ns`: the name servers a customer's new
    /// names get.
    pub async fn customer_default_ns(&self, customer: CustomerId) -> Result<Vec<String>> {
        let asked = calls::CustomerDefaultNs {
            customer_id: core_id(customer),
        };
        let reply = self.client.call(&asked).await?;
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
        self.act(&calls::AddCns {
            order_id: order(order_id),
            cns: calls::HostName(host.into()),
            ip: addresses("ip", ips)?,
        })
        .await
    }

    /// `domains/modify-cns-name`.
    pub async fn rename_child_name_server(
        &self,
        order_id: i64,
        old: &str,
        new: &str,
    ) -> Result<ActionReceipt> {
        self.act(&calls::ModifyCnsName {
            order_id: order(order_id),
            old_cns: calls::HostName(old.into()),
            new_cns: calls::HostName(new.into()),
        })
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
        self.act(&calls::ModifyCnsIp {
            order_id: order(order_id),
            cns: calls::HostName(host.into()),
            old_ip: crate::wire("old-ip", old_ip)?,
            new_ip: crate::wire("new-ip", new_ip)?,
        })
        .await
    }

    /// `domains/delete-cns-ip`.
    pub async fn delete_child_name_server_ip(
        &self,
        order_id: i64,
        host: &str,
        ip: &str,
    ) -> Result<ActionReceipt> {
        self.act(&calls::DeleteCnsIp {
            order_id: order(order_id),
            cns: calls::HostName(host.into()),
            ip: crate::wire("ip", ip)?,
        })
        .await
    }

    /// `domains/nixi/verification/resend`: the registrant of a .in or
    /// .bharat name gets the verification mail again; answers its message.
    pub async fn resend_nixi_verification(&self, order_id: i64) -> Result<String> {
        let resend = calls::ResendNixiVerification {
            order_id: order(order_id),
        };
        text_of(&self.client.call(&resend).await?, "message")
    }

    /// `domains/raa/resend-verification`: the ICANN registrant
    /// verification mail again.
    pub async fn resend_raa_verification(&self, order_id: i64) -> Result<()> {
        let resend = calls::ResendRaaVerification {
            order_id: order(order_id),
        };
        let reply = self.client.call(&resend).await?;
        crate::customers::bare_true(&reply, "domains/raa/resend-verification")
    }
}

/// The four roles as the calls take them; `-1` where the TLD takes none.
fn roles(ids: [i64; 4]) -> calls::Contacts {
    let role = |id: i64| calls::Role((id != -1).then_some(ContactId(id)));
    calls::Contacts {
        registrant: role(ids[0]),
        admin: role(ids[1]),
        tech: role(ids[2]),
        billing: role(ids[3]),
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
        let add = contacts::Add {
            customer_id: reseller_core::CustomerId(new.customer),
            kind: crate::wire("type", &new.kind)?,
            name: new.name.clone(),
            company: new.company.clone(),
            email: contacts::ContactEmail(new.email.clone()),
            address_line_1: Short(new.address_line_1.clone()),
            address_line_2: None,
            address_line_3: None,
            city: Short(new.city.clone()),
            state: Some(Short(new.state.clone())),
            country: Country(new.country.clone()),
            zipcode: Short(new.zipcode.clone()),
            phone_cc: Digits(new.phone_cc.clone()),
            phone: Digits(new.phone.clone()),
            fax_cc: None,
            fax: None,
            attributes: contacts::Attributes::default(),
        };
        let reply = self.client.call(&add).await?;
        crate::customers::bare_id(&reply)
    }

    /// `contacts/details`.
    pub async fn details(&self, id: i64) -> Result<Contact> {
        let details = contacts::Details {
            contact_id: ContactId(id),
        };
        crate::read::<Contact>(&self.client.call(&details).await?)
    }
    /// `contacts/search`: a page of a customer's contacts (`records` 10 to
    /// 500, `page` from 1). Its records come as a list under `result`.
    pub async fn search(
        &self,
        customer: CustomerId,
        records: u32,
        page: u32,
    ) -> Result<crate::Page<ContactRecord>> {
        let search = contacts::Search {
            customer_id: core_id(customer),
            page: crate::orders::page(records, page),
            contact_id: Vec::new(),
            status: Vec::new(),
            name: None,
            company: None,
            email: None,
            kind: Vec::new(),
        };
        let reply = self.client.call(&search).await?;
        let listed = reply["result"].as_array().ok_or_else(|| Error::Reply {
            status: 200,
            detail: format!("contacts/search answered {reply}"),
        })?;
        Ok(crate::Page {
            records: listed
                .iter()
                .map(crate::read::<ContactRecord>)
                .collect::<Result<_>>()?,
            total: int_of(&reply, "recsindb")? as u64,
        })
    }

    /// `contacts/delete`: at once; answers the action.
    pub async fn delete(&self, id: i64) -> Result<ActionReceipt> {
        let delete = contacts::Delete {
            contact_id: ContactId(id),
        };
        crate::read::<ActionReceipt>(&self.client.call(&delete).await?)
    }

    /// `contacts/modDefault`: a customer's default contacts of a type
    /// (`Contact`, ...): registrant, admin, tech, billing.
    pub async fn set_defaults(
        &self,
        customer: CustomerId,
        kind: &str,
        contacts: [i64; 4],
    ) -> Result<()> {
        let set = contacts::ModDefault {
            customer_id: core_id(customer),
            kind: crate::wire("type", kind)?,
            registrant: ContactId(contacts[0]),
            admin: ContactId(contacts[1]),
            tech: ContactId(contacts[2]),
            billing: ContactId(contacts[3]),
        };
        let reply = self.client.call(&set).await?;
        crate::customers::bare_true(&reply, "contacts/modDefault")
    }

    /// `contacts/default`: a customer's default contact ids of a type
    /// (created from the customer's details where none were set):
    /// registrant, admin, tech, billing.
    pub async fn defaults(&self, customer: CustomerId, kind: &str) -> Result<[i64; 4]> {
        let asked = contacts::Defaults {
            customer_id: core_id(customer),
            kind: vec![crate::wire("type", kind)?],
        };
        let reply = self.client.call(&asked).await?;
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
            .call(&contacts::CaRegistrantAgreement {})
            .await?;
        Ok((text_of(&reply, "version")?, text_of(&reply, "agreement")?))
    }
}
