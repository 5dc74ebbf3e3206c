//! What a Business Email order holds inside (`mail/*`): its mailboxes,
//! forward-only accounts, the mail domain's settings and its mailing
//! lists. They are kept with the order, so they go with it (deletion
//! clears them) and the sandbox's snapshots carry them.
//!
//! Limits: the order's number of accounts (`no-of-accounts`) bounds its
//! mailboxes; forward-only accounts hold no mail and do not count against
//! it; an order cannot be made smaller than the mailboxes it holds.

use crate::error::{Result, RuleError};
use crate::ids::{OrderId, ResellerId};
use crate::model::{Order, OrderStatus};
use crate::orders;
use crate::time::Epoch;
use crate::tx::{ReadTx, WriteTx};
use serde::{Deserialize, Serialize};

const PRODUCTS: &[crate::catalogue::Product] = &[crate::catalogue::Product::BusinessEmailUs];

/// A mailbox's storage, in megabytes: what every Business Email plan gives.
pub const QUOTA_MB: u32 = 5_120;

/// An automatic answer to mail received.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Autoresponder {
    pub on: bool,
    pub subject: String,
    pub message: String,
    /// `text/plain` or `text/html`.
    pub format: String,
    pub quote_original: bool,
    /// Turned off by itself on this day (`dd/mm/yyyy`), when given.
    pub disable_on: Option<String>,
}

/// A mail account of the order's domain.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailAccount {
    pub email: String,
    /// Holds no mail: only passes it on to its user forwards.
    pub forward_only: bool,
    pub first_name: String,
    pub last_name: String,
    pub notification_email: String,
    pub country_code: String,
    pub language_code: String,
    /// A password hash (PHC string); empty for a forward-only account.
    pub password_hash: String,
    pub suspended: bool,
    pub autoresponder: Autoresponder,
    /// Forwards the reseller set, which the user cannot change.
    pub admin_forwards: Vec<String>,
    /// Forwards the user set.
    pub user_forwards: Vec<String>,
    pub created: Epoch,
}

/// A mailing list of the order's domain.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailingList {
    pub address: String,
    pub settings: ListSettings,
    pub moderators: Vec<String>,
    pub subscribers: Vec<String>,
}

/// What `mail/mailinglist/add` and `update` set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListSettings {
    /// Subscriptions wait for a moderator.
    pub subscription_held: bool,
    /// `anyone`, `only_members` or `only_moderators`.
    pub who_can_post: String,
    pub moderate_messages: bool,
    /// `sender`, `entire_list` or `custom_address`.
    pub reply_to: String,
    pub custom_email: Option<String>,
    pub footer: Option<String>,
}

/// The mail domain of a Business Email order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailDomain {
    /// `mail/activate` was called: the domain receives mail here.
    #[serde(default)]
    pub activated: bool,
    #[serde(default)]
    pub accounts: Vec<MailAccount>,
    /// Where mail to addresses that do not exist goes; none bounces it.
    #[serde(default)]
    pub catch_all: Option<String>,
    /// Other domains whose mail is the same as this one's.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub notification_email: Option<String>,
    #[serde(default)]
    pub lists: Vec<MailingList>,
}

/// Which of an account's two lists of forwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForwardsOf {
    Admin,
    User,
}

impl MailDomain {
    /// The mailboxes that count against the order's accounts.
    pub fn mailboxes(&self) -> u32 {
        self.accounts.iter().filter(|a| !a.forward_only).count() as u32
    }

    pub fn account(&self, email: &str) -> Result<&MailAccount> {
        self.accounts
            .iter()
            .find(|a| a.email == email)
            .ok_or_else(|| RuleError::MailAccountNotFound(email.to_string()).into())
    }

    fn account_mut(&mut self, email: &str) -> Result<&mut MailAccount> {
        self.accounts
            .iter_mut()
            .find(|a| a.email == email)
            .ok_or_else(|| RuleError::MailAccountNotFound(email.to_string()).into())
    }

    fn taken(&self, email: &str) -> Result<()> {
        let list = self.lists.iter().any(|l| l.address == email);
        if list || self.accounts.iter().any(|a| a.email == email) {
            return Err(RuleError::MailAddressTaken(email.to_string()).into());
        }
        Ok(())
    }

    /// Every account of `emails` at once, or none if one is unknown.
    fn each(&mut self, emails: &[String], change: impl Fn(&mut MailAccount)) -> Result<()> {
        for email in emails {
            self.account(email)?;
        }
        for email in emails {
            change(self.account_mut(email)?);
        }
        Ok(())
    }

    pub fn set_suspended(&mut self, emails: &[String], suspended: bool) -> Result<()> {
        self.each(emails, |a| a.suspended = suspended)
    }

    pub fn delete(&mut self, emails: &[String]) -> Result<()> {
        for email in emails {
            self.account(email)?;
        }
        self.accounts.retain(|a| !emails.contains(&a.email));
        if let Some(catch_all) = &self.catch_all
            && emails.contains(catch_all)
        {
            self.catch_all = None;
        }
        Ok(())
    }

    pub fn modify(&mut self, email: &str, change: &Modify) -> Result<()> {
        let account = self.account_mut(email)?;
        account.first_name = change.first_name.clone();
        account.last_name = change.last_name.clone();
        account.notification_email = change.notification_email.clone();
        Ok(())
    }

    /// Replaces the password hash, if the account's is still `expected`
    /// (the one the caller checked the old password against).
    pub fn set_password(
        &mut self,
        email: &str,
        expected: Option<&str>,
        hash: String,
    ) -> Result<()> {
        let account = self.account_mut(email)?;
        if account.forward_only {
            return Err(RuleError::ForwardOnlyHasNoPassword(email.to_string()).into());
        }
        if expected.is_some_and(|e| e != account.password_hash) {
            return Err(RuleError::MailPasswordWrong.into());
        }
        account.password_hash = hash;
        Ok(())
    }

    pub fn set_autoresponder(&mut self, email: &str, autoresponder: Autoresponder) -> Result<()> {
        self.account_mut(email)?.autoresponder = autoresponder;
        Ok(())
    }

    pub fn add_forwards(&mut self, email: &str, of: ForwardsOf, forwards: &[String]) -> Result<()> {
        let account = self.account_mut(email)?;
        let list = match of {
            ForwardsOf::Admin => &mut account.admin_forwards,
            ForwardsOf::User => &mut account.user_forwards,
        };
        for forward in forwards {
            if !list.contains(forward) {
                list.push(forward.clone());
            }
        }
        Ok(())
    }

    pub fn delete_forwards(
        &mut self,
        email: &str,
        of: ForwardsOf,
        forwards: &[String],
    ) -> Result<()> {
        let account = self.account_mut(email)?;
        let list = match of {
            ForwardsOf::Admin => &mut account.admin_forwards,
            ForwardsOf::User => &mut account.user_forwards,
        };
        if let Some(missing) = forwards.iter().find(|f| !list.contains(f)) {
            return Err(RuleError::MailForwardNotFound {
                email: email.to_string(),
                forward: missing.clone(),
            }
            .into());
        }
        list.retain(|f| !forwards.contains(f));
        if account.forward_only && account.user_forwards.is_empty() {
            return Err(RuleError::ForwardOnlyNeedsForward(email.to_string()).into());
        }
        Ok(())
    }

    pub fn set_catch_all(&mut self, to: Option<String>) -> Result<()> {
        if let Some(email) = &to {
            self.account(email)?;
        }
        self.catch_all = to;
        Ok(())
    }

    pub fn add_alias(&mut self, alias: &str, own: &str) -> Result<()> {
        if alias == own || self.aliases.iter().any(|a| a == alias) {
            return Err(RuleError::MailAliasTaken(alias.to_string()).into());
        }
        self.aliases.push(alias.to_string());
        Ok(())
    }

    pub fn delete_alias(&mut self, alias: &str) -> Result<()> {
        if !self.aliases.iter().any(|a| a == alias) {
            return Err(RuleError::MailAliasNotFound(alias.to_string()).into());
        }
        self.aliases.retain(|a| a != alias);
        Ok(())
    }

    pub fn list(&self, address: &str) -> Result<&MailingList> {
        self.lists
            .iter()
            .find(|l| l.address == address)
            .ok_or_else(|| RuleError::MailingListNotFound(address.to_string()).into())
    }

    fn list_mut(&mut self, address: &str) -> Result<&mut MailingList> {
        self.lists
            .iter_mut()
            .find(|l| l.address == address)
            .ok_or_else(|| RuleError::MailingListNotFound(address.to_string()).into())
    }

    pub fn add_list(&mut self, list: MailingList) -> Result<()> {
        self.taken(&list.address)?;
        self.lists.push(list);
        Ok(())
    }

    pub fn update_list(&mut self, address: &str, settings: ListSettings) -> Result<()> {
        self.list_mut(address)?.settings = settings;
        Ok(())
    }

    pub fn delete_list(&mut self, address: &str) -> Result<()> {
        self.list(address)?;
        self.lists.retain(|l| l.address != address);
        Ok(())
    }

    /// Adds (`add`) or removes members of a list's subscribers or
    /// moderators; removing one that is not there is refused.
    pub fn list_members(
        &mut self,
        address: &str,
        moderators: bool,
        add: bool,
        who: &[String],
    ) -> Result<()> {
        let list = self.list_mut(address)?;
        let members = if moderators {
            &mut list.moderators
        } else {
            &mut list.subscribers
        };
        if add {
            for one in who {
                if !members.contains(one) {
                    members.push(one.clone());
                }
            }
            return Ok(());
        }
        if let Some(missing) = who.iter().find(|w| !members.contains(w)) {
            return Err(RuleError::ListMemberNotFound {
                list: address.to_string(),
                member: missing.clone(),
            }
            .into());
        }
        members.retain(|m| !who.contains(m));
        if moderators && members.is_empty() {
            return Err(RuleError::ListNeedsModerator(address.to_string()).into());
        }
        Ok(())
    }
}

/// What `mail/user/modify` sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Modify {
    pub first_name: String,
    pub last_name: String,
    pub notification_email: String,
}

/// The reseller's Active Business Email order `order_id`.
pub fn mail_order(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    order_id: OrderId,
) -> Result<Order> {
    let order = orders::order_of_product(tx, reseller_id, order_id, PRODUCTS)?;
    if order.status != OrderStatus::Active {
        return Err(RuleError::MailOrderNotActive {
            order_id,
            status: order.status.as_str(),
        }
        .into());
    }
    Ok(order)
}

/// The mail domain of an order (empty until something is added).
pub fn mail_of(order: &Order) -> MailDomain {
    order.attrs.mail.clone().unwrap_or_default()
}

/// Checks that `email` is an address of the order's domain.
pub fn of_domain(order: &Order, email: &str) -> Result<()> {
    let at_domain = email
        .rsplit_once('@')
        .is_some_and(|(_, domain)| domain.eq_ignore_ascii_case(&order.description));
    if !at_domain {
        return Err(RuleError::MailAddressElsewhere {
            email: email.to_string(),
            domain: order.description.clone(),
        }
        .into());
    }
    Ok(())
}

/// Reads the order's mail domain.
pub fn read(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    order_id: OrderId,
) -> Result<(Order, MailDomain)> {
    let order = mail_order(tx, reseller_id, order_id)?;
    let mail = mail_of(&order);
    Ok((order, mail))
}

/// Changes the order's mail domain with `change`, which sees the order
/// too; nothing is kept if it refuses.
pub fn change<T>(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    change: impl FnOnce(&Order, &mut MailDomain) -> Result<T>,
) -> Result<T> {
    let mut order = mail_order(tx, reseller_id, order_id)?;
    let mut mail = mail_of(&order);
    let value = change(&order, &mut mail)?;
    order.attrs.mail = Some(mail);
    tx.update_order(&order)?;
    Ok(value)
}

/// Adds a mailbox, within the order's accounts; answers the order with it.
pub fn add_account(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    account: MailAccount,
) -> Result<(Order, MailAccount)> {
    change(tx, reseller_id, order_id, |order, mail| {
        of_domain(order, &account.email)?;
        mail.taken(&account.email)?;
        let limit = order.units();
        if !account.forward_only && mail.mailboxes() >= limit {
            return Err(RuleError::MailboxLimit { order_id, limit }.into());
        }
        mail.accounts.push(account.clone());
        Ok((order.clone(), account))
    })
}

/// Refuses to leave an order with fewer accounts than the mailboxes it holds.
pub fn ensure_room_for_mailboxes(order: &Order, accounts: u32) -> Result<()> {
    let held = order.attrs.mail.as_ref().map_or(0, MailDomain::mailboxes);
    if accounts < held {
        return Err(RuleError::MailboxesHeld { held, accounts }.into());
    }
    Ok(())
}

/// The platform's mail exchangers, by preference.
pub const MAIL_EXCHANGERS: [(&str, u16); 2] =
    [("mx1.reseller.example", 10), ("mx2.reseller.example", 20)];
/// The SPF policy every mail domain here publishes.
pub const SPF: &str = "v=spf1 include:spf.reseller.example ~all";

/// The records a mail domain must publish for its mail to arrive here and
/// its senders to pass SPF: an MX per mail exchanger and the SPF policy.
pub fn dns_records() -> Vec<crate::dns::Record> {
    let mut records: Vec<crate::dns::Record> = MAIL_EXCHANGERS
        .iter()
        .map(|(host, priority)| crate::dns::Record {
            kind: crate::dns::RecordType::Mx,
            host: String::new(),
            value: host.to_string(),
            ttl: crate::dns::DEFAULT_TTL,
            priority: Some(*priority),
            port: None,
            weight: None,
        })
        .collect();
    records.push(crate::dns::Record {
        kind: crate::dns::RecordType::Txt,
        host: String::new(),
        value: SPF.to_string(),
        ttl: crate::dns::DEFAULT_TTL,
        priority: None,
        port: None,
        weight: None,
    });
    records
}

/// Activates the order's mail domain; where the reseller hosts the
/// domain's zone here, adds the records it must publish that it lacks.
/// Answers how many records were added.
pub fn activate(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    now: Epoch,
) -> Result<u32> {
    let order = change(tx, reseller_id, order_id, |order, mail| {
        mail.activated = true;
        Ok(order.clone())
    })?;
    let Some(name) = crate::domain::DomainName::parse(&order.description) else {
        return Ok(0);
    };
    let zone = match crate::dns::zone(tx, reseller_id, &name) {
        Ok(zone) => zone,
        Err(crate::error::Error::Rule(_)) => return Ok(0),
        Err(fault) => return Err(fault),
    };
    let mut added = 0;
    for record in dns_records() {
        let held = zone.records.iter().any(|r| {
            r.kind == record.kind
                && r.host == record.host
                && r.value.eq_ignore_ascii_case(&record.value)
        });
        if !held {
            crate::dns::add_record(tx, reseller_id, &name, &record, now)?;
            added += 1;
        }
    }
    Ok(added)
}
