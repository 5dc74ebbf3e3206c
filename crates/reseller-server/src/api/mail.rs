//! `mail/*`: the mailboxes, forwards, mail domain and mailing lists inside a
//! Business Email order, through the API. The rules are in
//! `reseller_core::mailboxes`; this module reads the calls and answers in
//! the family's own dialect (`{"response": {"status": "SUCCESS", ...}}`,
//! camelCase keys), whose refusals `crate::wire::reply` renders.

use crate::api::customers::{PasswordCheck, check_password, hash_password};
use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::{MapReply, Reply};
use reseller_api::calls::mail::*;
use reseller_core::mailboxes::{
    self, Autoresponder, ForwardsOf, ListSettings, MailAccount, MailDomain, MailingList, Modify,
};
use reseller_core::model::Order;
use reseller_core::{OrderId, ResellerId, RuleError};

pub fn routes(r: &mut Routes) {
    r.call::<Activate, _, _>(activate)
        .call::<AddUser, _, _>(add_user)
        .call::<AddForwardOnly, _, _>(add_forward_only)
        .call::<User, _, _>(user)
        .call::<ModifyUser, _, _>(modify_user)
        .call::<ChangePassword, _, _>(change_password)
        .call::<ResetPassword, _, _>(reset_password)
        .call::<Authenticate, _, _>(authenticate)
        .call::<SuspendUser, _, _>(|c, a: SuspendUser| {
            suspend(c, a.order_id, vec![a.email.0], true)
        })
        .call::<UnsuspendUser, _, _>(|c, a: UnsuspendUser| {
            suspend(c, a.order_id, vec![a.email.0], false)
        })
        .call::<SuspendUsers, _, _>(|c, a: SuspendUsers| suspend(c, a.order_id, a.emails.0, true))
        .call::<UnsuspendUsers, _, _>(|c, a: UnsuspendUsers| {
            suspend(c, a.order_id, a.emails.0, false)
        })
        .call::<DeleteUser, _, _>(|c, a: DeleteUser| delete(c, a.order_id, vec![a.email.0]))
        .call::<DeleteUsers, _, _>(|c, a: DeleteUsers| delete(c, a.order_id, a.emails.0))
        .call::<UpdateAutoresponder, _, _>(update_autoresponder)
        .call::<AddAdminForwards, _, _>(|c, a: AddAdminForwards| {
            forwards(
                c,
                a.order_id,
                a.email.0,
                ForwardsOf::Admin,
                true,
                a.forwards.0,
            )
        })
        .call::<DeleteAdminForwards, _, _>(|c, a: DeleteAdminForwards| {
            forwards(
                c,
                a.order_id,
                a.email.0,
                ForwardsOf::Admin,
                false,
                a.forwards.0,
            )
        })
        .call::<AddUserForwards, _, _>(|c, a: AddUserForwards| {
            forwards(
                c,
                a.order_id,
                a.email.0,
                ForwardsOf::User,
                true,
                a.forwards.0,
            )
        })
        .call::<DeleteUserForwards, _, _>(|c, a: DeleteUserForwards| {
            forwards(
                c,
                a.order_id,
                a.email.0,
                ForwardsOf::User,
                false,
                a.forwards.0,
            )
        })
        .call::<SearchUsers, _, _>(search_users)
        .call::<CatchAll, _, _>(catch_all)
        .call::<ActivateCatchAll, _, _>(|c, a: ActivateCatchAll| {
            set_catch_all(c, a.order_id, Some(a.email.0))
        })
        .call::<DeactivateCatchAll, _, _>(|c, a: DeactivateCatchAll| {
            set_catch_all(c, a.order_id, None)
        })
        .call::<AddAlias, _, _>(|c, a: AddAlias| alias(c, a.order_id, a.alias.to_string(), true))
        .call::<DeleteAlias, _, _>(|c, a: DeleteAlias| {
            alias(c, a.order_id, a.alias.to_string(), false)
        })
        .call::<DnsRecords, _, _>(dns_records)
        .call::<OwnershipVerified, _, _>(ownership_verified)
        .call::<UpdateNotificationEmail, _, _>(update_notification_email)
        .call::<MailingLists, _, _>(mailing_lists)
        .call::<AddList, _, _>(add_list)
        .call::<UpdateList, _, _>(update_list)
        .call::<DeleteList, _, _>(delete_list)
        .call::<Subscribers, _, _>(subscribers)
        .call::<AddSubscribers, _, _>(|c, a: AddSubscribers| {
            members(
                c,
                a.order_id,
                a.list_address.0,
                false,
                true,
                a.subscribers.0,
            )
        })
        .call::<DeleteSubscribers, _, _>(|c, a: DeleteSubscribers| {
            members(
                c,
                a.order_id,
                a.list_address.0,
                false,
                false,
                a.subscribers.0,
            )
        })
        .call::<AddModerators, _, _>(|c, a: AddModerators| {
            members(c, a.order_id, a.list_address.0, true, true, a.moderators.0)
        })
        .call::<DeleteModerators, _, _>(|c, a: DeleteModerators| {
            members(c, a.order_id, a.list_address.0, true, false, a.moderators.0)
        });
}

/// `{"response": {"status": "SUCCESS", ...rest}}`.
fn success(rest: impl FnOnce(&mut MapReply)) -> Reply {
    let mut inner = MapReply::with_capacity(4);
    inner.text("status", "SUCCESS");
    rest(&mut inner);
    let mut outer = MapReply::with_capacity(1);
    outer.put("response", inner.build());
    outer.build()
}

fn done() -> Reply {
    success(|_| {})
}

/// A time as this family writes it: `2017-11-10 17:45:17.000 GMT`.
fn created_on(at: i64) -> String {
    let utc = reseller_core::time::format_utc(at);
    format!("{}.000 GMT", utc.trim_end_matches(" UTC"))
}

/// An account as the family shows it (`user`).
fn user_map(order: &Order, account: &MailAccount) -> Reply {
    let domain = order.description.as_str();
    let account_type = match (account.forward_only, account.autoresponder.on) {
        (true, _) => "FORWARD_ONLY",
        (false, true) => "POP_WITH_AUTORESPONDER",
        (false, false) => "POP_WITHOUT_AUTORESPONDER",
    };
    let mut settings = MapReply::with_capacity(4);
    settings
        .text("popSettings", format!("pop.{domain}"))
        .text("imapSettings", format!("imap.{domain}"))
        .text("smtpSettings", format!("smtp.{domain}"))
        .text("webmailUrl", format!("http://webmail.{domain}"));
    let mailbox = !account.forward_only;
    let mut user = MapReply::with_capacity(24);
    user.text("emailAddress", account.email.clone())
        .text("domainName", domain.to_string())
        .text("firstName", account.first_name.clone())
        .text("lastName", account.last_name.clone())
        .text("alternateEmailAddress", account.notification_email.clone())
        .text("internalForwards", account.user_forwards.join(","))
        .text("adminForwards", account.admin_forwards.join(","))
        .put(
            "quotaLimit",
            Reply::Int(if mailbox {
                i64::from(mailboxes::QUOTA_MB) * 1024
            } else {
                0
            }),
        )
        .put("quotaUsed", Reply::Int(0))
        .put("percentageQuotaUsage", Reply::Int(0))
        .text(
            "status",
            if account.suspended {
                "SUSPENDED"
            } else {
                "ACTIVE"
            },
        )
        .text("accountType", account_type)
        .text("countryCode", account.country_code.clone())
        .text("languageCode", account.language_code.clone())
        .put("accountSettings", settings.build())
        .text("createdOn", created_on(account.created))
        .put("popAccessEnabled", Reply::Bool(mailbox))
        .put("imapAccessEnabled", Reply::Bool(mailbox))
        .put("webmailAccessEnabled", Reply::Bool(mailbox))
        .put(
            "autoResponderEnabled",
            Reply::Bool(account.autoresponder.on),
        )
        .put("canFooterOptout", Reply::Bool(false))
        .put("revertBlacklistRequestExists", Reply::Bool(false))
        .text("configurationProfile", "EELITE");
    user.build()
}

/// Runs `work` on the order's mail domain and answers plain success.
async fn changed<F>(call: Call, order_id: OrderId, work: F) -> Result<Reply, ApiError>
where
    F: Fn(&Order, &mut MailDomain) -> reseller_core::Result<()> + Send + 'static,
{
    let reseller_id = call.reseller_id;
    call.state
        .store
        .write(move |tx| mailboxes::change(tx, reseller_id, order_id, &work))
        .await?;
    Ok(done())
}

async fn read(call: &Call, order_id: OrderId) -> Result<(Order, MailDomain), ApiError> {
    let reseller_id: ResellerId = call.reseller_id;
    Ok(call
        .state
        .store
        .read(move |tx| mailboxes::read(tx, reseller_id, order_id))
        .await?)
}

async fn activate(call: Call, asked: Activate) -> Result<Reply, ApiError> {
    let (reseller_id, order_id, now) = (call.reseller_id, asked.order_id, call.now);
    let added = call
        .state
        .store
        .write(move |tx| mailboxes::activate(tx, reseller_id, order_id, now))
        .await?;
    Ok(success(|r| {
        r.put("dnsRecordsAdded", Reply::Int(i64::from(added)));
    }))
}

async fn add_user(call: Call, asked: AddUser) -> Result<Reply, ApiError> {
    let password_hash = hash_password(&asked.passwd.0)?;
    let account = MailAccount {
        email: asked.email.0,
        forward_only: false,
        first_name: asked.first_name.map(|n| n.0).unwrap_or_default(),
        last_name: asked.last_name.map(|n| n.0).unwrap_or_default(),
        notification_email: asked.notification_email.map(|e| e.0).unwrap_or_default(),
        country_code: asked.country_code.map_or_else(|| "US".to_string(), |c| c.0),
        language_code: asked
            .language_code
            .map_or_else(|| "en".to_string(), |l| l.0),
        password_hash,
        created: call.now,
        ..MailAccount::default()
    };
    add(call, asked.order_id, account).await
}

async fn add_forward_only(call: Call, asked: AddForwardOnly) -> Result<Reply, ApiError> {
    let account = MailAccount {
        email: asked.email.0,
        forward_only: true,
        user_forwards: asked.forwards.0,
        created: call.now,
        ..MailAccount::default()
    };
    add(call, asked.order_id, account).await
}

async fn add(call: Call, order_id: OrderId, account: MailAccount) -> Result<Reply, ApiError> {
    let reseller_id = call.reseller_id;
    let (order, account) = call
        .state
        .store
        .write(move |tx| mailboxes::add_account(tx, reseller_id, order_id, account.clone()))
        .await?;
    Ok(success(|r| {
        r.put("user", user_map(&order, &account));
    }))
}

async fn user(call: Call, asked: User) -> Result<Reply, ApiError> {
    let (order, mail) = read(&call, asked.order_id).await?;
    let account = mail.account(&asked.email.0)?;
    Ok(success(|r| {
        r.put("user", user_map(&order, account));
    }))
}

async fn modify_user(call: Call, asked: ModifyUser) -> Result<Reply, ApiError> {
    let email = asked.email.0;
    let change = Modify {
        first_name: asked.first_name.0,
        last_name: asked.last_name.0,
        notification_email: asked.notification_email.0,
    };
    changed(call, asked.order_id, move |_, mail| {
        mail.modify(&email, &change)
    })
    .await
}

async fn change_password(call: Call, asked: ChangePassword) -> Result<Reply, ApiError> {
    let (_, mail) = read(&call, asked.order_id).await?;
    let account = mail.account(&asked.email.0)?;
    if account.forward_only {
        return Err(RuleError::ForwardOnlyHasNoPassword(account.email.clone()).into());
    }
    if check_password(&account.password_hash, &asked.old_passwd.0) != PasswordCheck::Right {
        return Err(RuleError::MailPasswordWrong.into());
    }
    let checked = account.password_hash.clone();
    let hash = hash_password(&asked.new_passwd.0)?;
    let email = asked.email.0;
    changed(call, asked.order_id, move |_, mail| {
        mail.set_password(&email, Some(&checked), hash.clone())
    })
    .await
}

/// A new password for a reset: 16 random characters with letters and digits.
fn random_password() -> Result<String, ApiError> {
    let hex = reseller_store::random_hex(8).map_err(ApiError::internal)?;
    Ok(format!("Rp{hex}9"))
}

async fn reset_password(call: Call, asked: ResetPassword) -> Result<Reply, ApiError> {
    let password = random_password()?;
    let hash = hash_password(&password)?;
    let email = asked.email.0;
    changed(call, asked.order_id, move |_, mail| {
        mail.set_password(&email, None, hash.clone())
    })
    .await?;
    Ok(success(|r| {
        r.text("data", password);
    }))
}

async fn authenticate(call: Call, asked: Authenticate) -> Result<Reply, ApiError> {
    let (order, mail) = read(&call, asked.order_id).await?;
    let account = mail
        .account(&asked.email.0)
        .map_err(|_| RuleError::MailAuthenticationFailed)?;
    let right = !account.forward_only
        && !account.suspended
        && check_password(&account.password_hash, &asked.passwd.0) == PasswordCheck::Right;
    if !right {
        return Err(RuleError::MailAuthenticationFailed.into());
    }
    Ok(success(|r| {
        r.put("user", user_map(&order, account));
    }))
}

async fn suspend(
    call: Call,
    order_id: OrderId,
    emails: Vec<String>,
    suspended: bool,
) -> Result<Reply, ApiError> {
    changed(call, order_id, move |_, mail| {
        mail.set_suspended(&emails, suspended)
    })
    .await
}

async fn delete(call: Call, order_id: OrderId, emails: Vec<String>) -> Result<Reply, ApiError> {
    changed(call, order_id, move |_, mail| mail.delete(&emails)).await
}

async fn update_autoresponder(call: Call, asked: UpdateAutoresponder) -> Result<Reply, ApiError> {
    let email = asked.email.0;
    let autoresponder = Autoresponder {
        on: asked.is_autoresponder_on,
        subject: asked.subject.map(|s| s.0).unwrap_or_default(),
        message: asked.message.map(|m| m.0).unwrap_or_default(),
        format: asked
            .message_format
            .unwrap_or(MessageFormat::Plain)
            .as_str()
            .to_string(),
        quote_original: asked.quote_original_message.unwrap_or(false),
        disable_on: match asked.autodisable_enabled {
            Some(true) => asked.autodisable_timestamp.map(|d| d.0),
            _ => None,
        },
    };
    changed(call, asked.order_id, move |_, mail| {
        mail.set_autoresponder(&email, autoresponder.clone())
    })
    .await
}

async fn forwards(
    call: Call,
    order_id: OrderId,
    email: String,
    of: ForwardsOf,
    add: bool,
    forwards: Vec<String>,
) -> Result<Reply, ApiError> {
    changed(call, order_id, move |_, mail| {
        if add {
            mail.add_forwards(&email, of, &forwards)
        } else {
            mail.delete_forwards(&email, of, &forwards)
        }
    })
    .await
}

/// Whether `text` matches `pattern`, where `*` stands for any run of
/// characters (the search's `email-pattern`).
fn matches_pattern(pattern: &str, text: &str) -> bool {
    let pieces: Vec<&str> = pattern.split('*').collect();
    let mut rest = text;
    for (i, piece) in pieces.iter().enumerate() {
        if i == 0 {
            let Some(after) = rest.strip_prefix(piece) else {
                return false;
            };
            rest = after;
        } else if i == pieces.len() - 1 {
            return rest.ends_with(piece);
        } else {
            match rest.find(piece) {
                Some(at) => rest = &rest[at + piece.len()..],
                None => return false,
            }
        }
    }
    rest.is_empty()
}

/// Accounts a page of `mail/users/search`.
const SEARCH_PAGE: usize = 200;

async fn search_users(call: Call, asked: SearchUsers) -> Result<Reply, ApiError> {
    let (order, mail) = read(&call, asked.order_id).await?;
    let pattern = asked.email_pattern.map(|p| p.0.to_ascii_lowercase());
    let found: Vec<&MailAccount> = mail
        .accounts
        .iter()
        .filter(|a| asked.email.as_ref().is_none_or(|e| e.0 == a.email))
        .filter(|a| {
            pattern
                .as_ref()
                .is_none_or(|p| matches_pattern(p, &a.email))
        })
        .filter(|a| {
            asked.statuses.is_empty()
                || asked.statuses.iter().any(|s| match s {
                    AccountStatus::Active => !a.suspended,
                    AccountStatus::Suspended => a.suspended,
                    AccountStatus::PendingActivation => false,
                })
        })
        .filter(|a| {
            asked.account_types.is_empty()
                || asked.account_types.iter().any(|t| match t {
                    AccountType::ForwardOnly => a.forward_only,
                    AccountType::PopWithAutoresponder | AccountType::PopWithAutoResponder => {
                        !a.forward_only
                    }
                })
        })
        // Nothing is ever over its quota here: no mail is stored.
        .filter(|_| asked.over_quota != Some(true))
        .collect();
    let page = asked.page_no.map_or(1, |p| p.0 as usize);
    let users: Vec<Reply> = found
        .iter()
        .skip((page - 1) * SEARCH_PAGE)
        .take(SEARCH_PAGE)
        .map(|a| user_map(&order, a))
        .collect();
    Ok(success(|r| {
        r.put("totalRecords", Reply::Int(found.len() as i64))
            .put("users", Reply::List(users));
    }))
}

async fn catch_all(call: Call, asked: CatchAll) -> Result<Reply, ApiError> {
    let (_, mail) = read(&call, asked.order_id).await?;
    Ok(success(|r| {
        r.put("catchAllActive", Reply::Bool(mail.catch_all.is_some()))
            .text("catchAllEmail", mail.catch_all.clone().unwrap_or_default());
    }))
}

async fn set_catch_all(
    call: Call,
    order_id: OrderId,
    to: Option<String>,
) -> Result<Reply, ApiError> {
    changed(call, order_id, move |_, mail| {
        mail.set_catch_all(to.clone())
    })
    .await
}

async fn alias(call: Call, order_id: OrderId, alias: String, add: bool) -> Result<Reply, ApiError> {
    changed(call, order_id, move |order, mail| {
        if add {
            mail.add_alias(&alias, &order.description)
        } else {
            mail.delete_alias(&alias)
        }
    })
    .await
}

async fn dns_records(call: Call, asked: DnsRecords) -> Result<Reply, ApiError> {
    read(&call, asked.order_id).await?;
    let records = mailboxes::dns_records()
        .into_iter()
        .map(|record| {
            let mut map = MapReply::with_capacity(5);
            map.text("type", record.kind.name())
                .text("host", "@")
                .text("value", record.value.clone())
                .text("timetolive", record.ttl.to_string());
            if let Some(priority) = record.priority {
                map.text("priority", priority.to_string());
            }
            map.build()
        })
        .collect();
    Ok(success(|r| {
        r.put("records", Reply::List(records));
    }))
}

/// A domain's ownership is shown by its records: verified once mail is
/// activated with the domain's zone hosted here, or the domain registered
/// here (its name servers are the platform's).
async fn ownership_verified(call: Call, asked: OwnershipVerified) -> Result<Reply, ApiError> {
    let (_, mail) = read(&call, asked.order_id).await?;
    Ok(success(|r| {
        r.put("isOwnershipVerified", Reply::Bool(mail.activated));
    }))
}

async fn update_notification_email(
    call: Call,
    asked: UpdateNotificationEmail,
) -> Result<Reply, ApiError> {
    let email = asked.notification_email.0;
    changed(call, asked.order_id, move |_, mail| {
        mail.notification_email = Some(email.clone());
        Ok(())
    })
    .await
}

fn list_map(list: &MailingList) -> Reply {
    let settings = &list.settings;
    let mut map = MapReply::with_capacity(9);
    map.text("listAddress", list.address.clone())
        .put("subscriptionHeld", Reply::Bool(settings.subscription_held))
        .text("whoCanPost", settings.who_can_post.clone())
        .put(
            "sendMessagesForModeration",
            Reply::Bool(settings.moderate_messages),
        )
        .text("replyTo", settings.reply_to.clone())
        .text(
            "customEmail",
            settings.custom_email.clone().unwrap_or_default(),
        )
        .text("footerText", settings.footer.clone().unwrap_or_default())
        .text("moderators", list.moderators.join(","))
        .put("subscriberCount", Reply::Int(list.subscribers.len() as i64));
    map.build()
}

async fn mailing_lists(call: Call, asked: MailingLists) -> Result<Reply, ApiError> {
    let (_, mail) = read(&call, asked.order_id).await?;
    Ok(success(|r| {
        r.put(
            "mailingLists",
            Reply::List(mail.lists.iter().map(list_map).collect()),
        );
    }))
}

/// A list's settings; a custom reply-to address needs `custom-email`.
fn settings(
    subscription_held: bool,
    who_can_post: WhoCanPost,
    moderate_messages: bool,
    reply_to: ReplyTo,
    custom_email: Option<Address>,
    footer: Option<String>,
) -> Result<ListSettings, ApiError> {
    if reply_to == ReplyTo::CustomAddress && custom_email.is_none() {
        return Err(ApiError::MissingParam("custom-email"));
    }
    Ok(ListSettings {
        subscription_held,
        who_can_post: who_can_post.as_str().to_string(),
        moderate_messages,
        reply_to: reply_to.as_str().to_string(),
        custom_email: custom_email.map(|e| e.0),
        footer,
    })
}

async fn add_list(call: Call, asked: AddList) -> Result<Reply, ApiError> {
    let list = MailingList {
        address: asked.list_address.0,
        settings: settings(
            asked.subscription_held,
            asked.who_can_post,
            asked.send_messages_for_moderation,
            asked.reply_to,
            asked.custom_email,
            asked.footer_text.map(|f| f.0),
        )?,
        moderators: asked.moderators.0,
        subscribers: Vec::new(),
    };
    changed(call, asked.order_id, move |order, mail| {
        mailboxes::of_domain(order, &list.address)?;
        mail.add_list(list.clone())
    })
    .await
}

async fn update_list(call: Call, asked: UpdateList) -> Result<Reply, ApiError> {
    let address = asked.list_address.0;
    let settings = settings(
        asked.subscription_held,
        asked.who_can_post,
        asked.send_messages_for_moderation,
        asked.reply_to,
        asked.custom_email,
        asked.footer_text.map(|f| f.0),
    )?;
    changed(call, asked.order_id, move |_, mail| {
        mail.update_list(&address, settings.clone())
    })
    .await
}

async fn delete_list(call: Call, asked: DeleteList) -> Result<Reply, ApiError> {
    let address = asked.list_address.0;
    changed(call, asked.order_id, move |_, mail| {
        mail.delete_list(&address)
    })
    .await
}

async fn subscribers(call: Call, asked: Subscribers) -> Result<Reply, ApiError> {
    let (_, mail) = read(&call, asked.order_id).await?;
    let list = mail.list(&asked.list_address.0)?;
    let subscribers = list
        .subscribers
        .iter()
        .map(|s| Reply::Text(s.clone().into()))
        .collect();
    Ok(success(|r| {
        r.put("subscribers", Reply::List(subscribers));
    }))
}

async fn members(
    call: Call,
    order_id: OrderId,
    list: String,
    moderators: bool,
    add: bool,
    who: Vec<String>,
) -> Result<Reply, ApiError> {
    changed(call, order_id, move |_, mail| {
        mail.list_members(&list, moderators, add, &who)
    })
    .await
}
