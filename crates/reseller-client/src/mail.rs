//! `mail/*`: the mail accounts inside a Business Email order, typed. Every
//! call is also sent as is with `Client::call` and the types of
//! `reseller_api::calls::mail`; this family's refusals
//! (`"status": "FAILURE"`) are `Error::Api` like any other.

use crate::{Client, Error, Result, int_of, text_of};
use reseller_api::calls::customers::{NewPassword, Password};
use reseller_api::calls::mail as calls;
use reseller_core::OrderId;
use serde_json::Value;

/// The mail calls.
pub struct Mail<'c> {
    pub(crate) client: &'c Client,
}

/// A mail account as the server shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailAccount {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// Where notices about the account go (`alternateEmailAddress`).
    pub notification_email: String,
    /// `ACTIVE` or `SUSPENDED`.
    pub status: String,
    /// `POP_WITHOUT_AUTORESPONDER`, `POP_WITH_AUTORESPONDER` or `FORWARD_ONLY`.
    pub account_type: String,
    /// Where its mail is forwarded (the user's forwards).
    pub forwards: Vec<String>,
}

/// A mailbox to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMailbox<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub notification_email: Option<&'a str>,
}

fn list(text: &str) -> Vec<String> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn account_of(user: &Value) -> Result<MailAccount> {
    Ok(MailAccount {
        email: text_of(user, "emailAddress")?,
        first_name: text_of(user, "firstName")?,
        last_name: text_of(user, "lastName")?,
        notification_email: text_of(user, "alternateEmailAddress")?,
        status: text_of(user, "status")?,
        account_type: text_of(user, "accountType")?,
        forwards: list(&text_of(user, "internalForwards")?),
    })
}

/// The `response` of a reply.
fn response(reply: &Value) -> Result<&Value> {
    match &reply["response"] {
        Value::Object(_) => Ok(&reply["response"]),
        _ => Err(Error::Reply {
            status: 200,
            detail: format!("no response in {reply}"),
        }),
    }
}

fn addresses(name: &'static str, emails: &[&str]) -> Result<calls::Addresses> {
    crate::wire(name, &emails.join(","))
}

impl Mail<'_> {
    /// `mail/activate`: the order's domain receives mail here; answers how
    /// many records were added to its zone where it is hosted here.
    pub async fn activate(&self, order_id: i64) -> Result<i64> {
        let reply = self
            .client
            .call(&calls::Activate {
                order_id: OrderId(order_id),
            })
            .await?;
        int_of(response(&reply)?, "dnsRecordsAdded")
    }

    /// `mail/user/add`: a mailbox, within the order's accounts.
    pub async fn add_mailbox(&self, order_id: i64, new: &NewMailbox<'_>) -> Result<MailAccount> {
        let reply = self
            .client
            .call(&calls::AddUser {
                order_id: OrderId(order_id),
                email: crate::wire("email", new.email)?,
                passwd: crate::wire::<NewPassword>("passwd", new.password)?,
                notification_email: new
                    .notification_email
                    .map(|e| crate::wire("notification-email", e))
                    .transpose()?,
                first_name: Some(crate::wire("first-name", new.first_name)?),
                last_name: Some(crate::wire("last-name", new.last_name)?),
                country_code: None,
                language_code: None,
            })
            .await?;
        account_of(&response(&reply)?["user"])
    }

    /// `mail/user/add-forward-only-account`.
    pub async fn add_forward_only(
        &self,
        order_id: i64,
        email: &str,
        forwards: &[&str],
    ) -> Result<MailAccount> {
        let reply = self
            .client
            .call(&calls::AddForwardOnly {
                order_id: OrderId(order_id),
                email: crate::wire("email", email)?,
                forwards: addresses("forwards", forwards)?,
            })
            .await?;
        account_of(&response(&reply)?["user"])
    }

    /// `mail/user`: one account.
    pub async fn account(&self, order_id: i64, email: &str) -> Result<MailAccount> {
        let reply = self
            .client
            .call(&calls::User {
                order_id: OrderId(order_id),
                email: crate::wire("email", email)?,
            })
            .await?;
        account_of(&response(&reply)?["user"])
    }

    /// `mail/users/search`: every account of the order (its first 200).
    pub async fn accounts(&self, order_id: i64) -> Result<Vec<MailAccount>> {
        let reply = self
            .client
            .call(&calls::SearchUsers {
                order_id: OrderId(order_id),
                email: None,
                email_pattern: None,
                statuses: Vec::new(),
                account_types: Vec::new(),
                over_quota: None,
                page_no: None,
            })
            .await?;
        match &response(&reply)?["users"] {
            Value::Array(users) => users.iter().map(account_of).collect(),
            _ => Err(Error::Reply {
                status: 200,
                detail: format!("no users in {reply}"),
            }),
        }
    }

    /// `mail/user/authenticate`: the account, if `password` is its.
    pub async fn authenticate(
        &self,
        order_id: i64,
        email: &str,
        password: &str,
    ) -> Result<MailAccount> {
        let reply = self
            .client
            .call(&calls::Authenticate {
                order_id: OrderId(order_id),
                email: crate::wire("email", email)?,
                passwd: Password(password.to_string()),
            })
            .await?;
        account_of(&response(&reply)?["user"])
    }

    /// `mail/user/reset-password`: answers the new password.
    pub async fn reset_password(&self, order_id: i64, email: &str) -> Result<String> {
        let reply = self
            .client
            .call(&calls::ResetPassword {
                order_id: OrderId(order_id),
                email: crate::wire("email", email)?,
            })
            .await?;
        text_of(response(&reply)?, "data")
    }

    /// `mail/users/suspend` or `unsuspend`, every account named or none.
    pub async fn suspend(&self, order_id: i64, emails: &[&str], suspended: bool) -> Result<()> {
        let emails = addresses("emails", emails)?;
        let order_id = OrderId(order_id);
        if suspended {
            self.client
                .call(&calls::SuspendUsers { order_id, emails })
                .await?;
        } else {
            self.client
                .call(&calls::UnsuspendUsers { order_id, emails })
                .await?;
        }
        Ok(())
    }

    /// `mail/users/delete`, every account named or none.
    pub async fn delete(&self, order_id: i64, emails: &[&str]) -> Result<()> {
        self.client
            .call(&calls::DeleteUsers {
                order_id: OrderId(order_id),
                emails: addresses("emails", emails)?,
            })
            .await?;
        Ok(())
    }

    /// `mail/domain/dns-records`: what the domain must publish, as `type
    /// value` lines (MX with their priority first).
    pub async fn dns_records(&self, order_id: i64) -> Result<Vec<String>> {
        let reply = self
            .client
            .call(&calls::DnsRecords {
                order_id: OrderId(order_id),
            })
            .await?;
        let Value::Array(records) = &response(&reply)?["records"] else {
            return Err(Error::Reply {
                status: 200,
                detail: format!("no records in {reply}"),
            });
        };
        records
            .iter()
            .map(|r| {
                let kind = text_of(r, "type")?;
                let value = text_of(r, "value")?;
                Ok(match text_of(r, "priority") {
                    Ok(priority) => format!("{kind} {priority} {value}"),
                    Err(_) => format!("{kind} {value}"),
                })
            })
            .collect()
    }
}
