//! `mail/*`: the mailboxes, forwards, mail domain and mailing lists inside
//! a Business Email order. This family answers in its own dialect,
//! `{"response": {"status": "SUCCESS", ...}}`, and refuses in it too
//! (`"status": "FAILURE"` with `message` and `errorCode`).

use crate::calls::customers::{Country, NewPassword, Password, email};
use crate::field::Short;
use crate::{Allowed, Field, Kind, ParamError};
use reseller_core::{DomainName, OrderId};

/// An email address, lower-cased, of at most 128 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address(pub String);

impl Field for Address {
    const KIND: Kind = Kind::Email;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        email(name, value, 128).map(|a| Address(a.to_ascii_lowercase()))
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

/// One to 50 email addresses separated by commas, lower-cased, each
/// once, in the order given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Addresses(pub Vec<String>);

impl Field for Addresses {
    const KIND: Kind = Kind::Text;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let refused = || ParamError::invalid(name, value, Allowed::EmailAddresses);
        let mut found: Vec<String> = Vec::new();
        for one in value.split(',').map(str::trim) {
            let address = email(name, one, 128).map_err(|_| refused())?;
            let address = address.to_ascii_lowercase();
            if !found.contains(&address) {
                found.push(address);
            }
        }
        if found.is_empty() || found.len() > 50 {
            return Err(refused());
        }
        Ok(Addresses(found))
    }
    fn encode(&self) -> String {
        self.0.join(",")
    }
}

/// A day written `dd/mm/yyyy`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayMonthYear(pub String);

impl Field for DayMonthYear {
    const KIND: Kind = Kind::Text;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let parts: Vec<&str> = value.split('/').collect();
        let number = |s: &str, len: usize, range: std::ops::RangeInclusive<u32>| {
            s.len() == len && s.parse::<u32>().is_ok_and(|n| range.contains(&n))
        };
        let valid = parts.len() == 3
            && number(parts[0], 2, 1..=31)
            && number(parts[1], 2, 1..=12)
            && number(parts[2], 4, 1970..=9999);
        if !valid {
            return Err(ParamError::invalid(name, value, Allowed::DayMonthYear));
        }
        Ok(DayMonthYear(value.to_string()))
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

/// A word of this family, as the vendor spells it.
macro_rules! mail_word {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($variant),* }
        impl $name {
            pub const ALL: [$name; [$($text),*].len()] = [$($name::$variant),*];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }
        }
        crate::words!($name);
    };
}

mail_word! {
    /// Who may post to a mailing list.
    WhoCanPost { Anyone = "anyone", OnlyMembers = "only_members", OnlyModerators = "only_moderators" }
}
mail_word! {
    /// Where replies to a list's messages go.
    ReplyTo { Sender = "sender", EntireList = "entire_list", CustomAddress = "custom_address" }
}
mail_word! {
    /// An autoresponder message's format.
    MessageFormat { Plain = "text/plain", Html = "text/html" }
}
mail_word! {
    /// An account's status, as a search filters by it.
    AccountStatus { Active = "active", Suspended = "suspended", PendingActivation = "pending_activation" }
}
mail_word! {
    /// An account's type, as a search filters by it (the vendor's two
    /// spellings of the first).
    AccountType {
        PopWithAutoresponder = "pop_with_autoresponder",
        PopWithAutoResponder = "pop_with_auto_responder",
        ForwardOnly = "forward_only",
    }
}

/// The family's replies: a map under `response`.
const REPLY: crate::Shape = crate::Shape::Fields(&["response"]);

crate::call! {
    /// `mail/activate`: the order's domain receives mail here; where its
    /// zone is hosted here, its MX, SPF and DKIM records are added.
    POST "mail/activate" => REPLY;
    pub struct Activate {
        required order_id: OrderId = "order-id",
    }
}

crate::call! {
    /// `mail/user/add`: a mailbox, within the order's accounts.
    POST "mail/user/add" => REPLY;
    pub struct AddUser {
        required order_id: OrderId = "order-id",
        required email: Address = "email",
        required passwd: NewPassword = "passwd",
        optional notification_email: Address = "notification-email",
        optional first_name: Short<64> = "first-name",
        optional last_name: Short<64> = "last-name",
        optional country_code: Country = "country-code",
        optional language_code: Short<8> = "language-code",
    }
}

crate::call! {
    /// `mail/user/add-forward-only-account`: an address that keeps no mail
    /// and passes it on.
    POST "mail/user/add-forward-only-account" => REPLY;
    pub struct AddForwardOnly {
        required order_id: OrderId = "order-id",
        required email: Address = "email",
        required forwards: Addresses = "forwards",
    }
}

crate::call! {
    /// `mail/user`: an account's details.
    GET "mail/user" => REPLY;
    pub struct User {
        required order_id: OrderId = "order-id",
        required email: Address = "email",
    }
}

crate::call! {
    /// `mail/user/modify`.
    POST "mail/user/modify" => REPLY;
    pub struct ModifyUser {
        required order_id: OrderId = "order-id",
        required email: Address = "email",
        required notification_email: Address = "notification-email",
        required first_name: Short<64> = "first-name",
        required last_name: Short<64> = "last-name",
    }
}

crate::call! {
    /// `mail/user/change-password`: needs the old one.
    POST "mail/user/change-password" => REPLY;
    pub struct ChangePassword {
        required order_id: OrderId = "order-id",
        required email: Address = "email",
        required old_passwd: Password = "old-passwd",
        required new_passwd: NewPassword = "new-passwd",
    }
}

crate::call! {
    /// `mail/user/reset-password`: a new random password, answered in `data`.
    POST "mail/user/reset-password" => REPLY;
    pub struct ResetPassword {
        required order_id: OrderId = "order-id",
        required email: Address = "email",
    }
}

crate::call! {
    /// `mail/user/authenticate`: the account's details if the password is its.
    GET "mail/user/authenticate" => REPLY;
    pub struct Authenticate {
        required order_id: OrderId = "order-id",
        required email: Address = "email",
        required passwd: Password = "passwd",
    }
}

/// The calls that take one account and nothing else.
macro_rules! one_account_call {
    ($(#[$meta:meta])* $path:literal, $name:ident) => {
        crate::call! {
            $(#[$meta])*
            POST $path => REPLY;
            pub struct $name {
                required order_id: OrderId = "order-id",
                required email: Address = "email",
            }
        }
    };
}

one_account_call!(
    /// `mail/user/suspend`.
    "mail/user/suspend", SuspendUser
);
one_account_call!(
    /// `mail/user/unsuspend`.
    "mail/user/unsuspend", UnsuspendUser
);
one_account_call!(
    /// `mail/user/delete`.
    "mail/user/delete", DeleteUser
);

crate::call! {
    /// `mail/user/update-autoresponder`.
    POST "mail/user/update-autoresponder" => REPLY;
    pub struct UpdateAutoresponder {
        required order_id: OrderId = "order-id",
        required email: Address = "email",
        required is_autoresponder_on: bool = "is-autoresponder-on",
        optional subject: Short<255> = "subject",
        optional message: Short<4096> = "message",
        optional message_format: MessageFormat = "message-format",
        optional quote_original_message: bool = "quote-original-message",
        optional autodisable_enabled: bool = "autodisable-enabled",
        optional autodisable_timestamp: DayMonthYear = "autodisable-timestamp",
    }
}

/// The calls that add or delete forwards of one account.
macro_rules! forwards_call {
    ($(#[$meta:meta])* $path:literal, $name:ident) => {
        crate::call! {
            $(#[$meta])*
            POST $path => REPLY;
            pub struct $name {
                required order_id: OrderId = "order-id",
                required email: Address = "email",
                required forwards: Addresses = "forwards",
            }
        }
    };
}

forwards_call!(
    /// `mail/user/add-admin-forwards`: forwards the user cannot change.
    "mail/user/add-admin-forwards", AddAdminForwards
);
forwards_call!(
    /// `mail/user/delete-admin-forwards`.
    "mail/user/delete-admin-forwards", DeleteAdminForwards
);
forwards_call!(
    /// `mail/user/add-user-forwards`.
    "mail/user/add-user-forwards", AddUserForwards
);
forwards_call!(
    /// `mail/user/delete-user-forwards`.
    "mail/user/delete-user-forwards", DeleteUserForwards
);

crate::call! {
    /// `mail/users/search`: 200 accounts a page.
    GET "mail/users/search" => REPLY;
    pub struct SearchUsers {
        required order_id: OrderId = "order-id",
        optional email: Address = "email",
        optional email_pattern: Short<128> = "email-pattern",
        repeated statuses: AccountStatus = "statuses",
        repeated account_types: AccountType = "account-types",
        optional over_quota: bool = "over-quota",
        optional page_no: crate::field::Count<1, 1000> = "page-no",
    }
}

/// The calls that take several accounts at once.
macro_rules! many_accounts_call {
    ($(#[$meta:meta])* $path:literal, $name:ident) => {
        crate::call! {
            $(#[$meta])*
            POST $path => REPLY;
            pub struct $name {
                required order_id: OrderId = "order-id",
                required emails: Addresses = "emails",
            }
        }
    };
}

many_accounts_call!(
    /// `mail/users/suspend`: every account named, or none.
    "mail/users/suspend", SuspendUsers
);
many_accounts_call!(
    /// `mail/users/unsuspend`.
    "mail/users/unsuspend", UnsuspendUsers
);
many_accounts_call!(
    /// `mail/users/delete`.
    "mail/users/delete", DeleteUsers
);

/// The calls that take the order alone.
macro_rules! order_call {
    ($(#[$meta:meta])* $verb:ident $path:literal, $name:ident) => {
        crate::call! {
            $(#[$meta])*
            $verb $path => REPLY;
            pub struct $name {
                required order_id: OrderId = "order-id",
            }
        }
    };
}

order_call!(
    /// `mail/domain/catchall`: where mail to unknown addresses goes.
    GET "mail/domain/catchall", CatchAll
);
order_call!(
    /// `mail/domain/deactivate-catchall`: such mail bounces.
    POST "mail/domain/deactivate-catchall", DeactivateCatchAll
);
order_call!(
    /// `mail/domain/dns-records`: the records the domain must publish.
    GET "mail/domain/dns-records", DnsRecords
);
order_call!(
    /// `mail/domain/is-owernship-verified` (the vendor's spelling).
    GET "mail/domain/is-owernship-verified", OwnershipVerified
);
order_call!(
    /// `mail/mailinglists`: the order's lists.
    GET "mail/mailinglists", MailingLists
);

crate::call! {
    /// `mail/domain/active-catchall`: mail to unknown addresses goes to
    /// one of the order's accounts.
    POST "mail/domain/active-catchall" => REPLY;
    pub struct ActivateCatchAll {
        required order_id: OrderId = "order-id",
        required email: Address = "email",
    }
}

crate::call! {
    /// `mail/domain/add-alias`: another domain whose mail is this one's.
    POST "mail/domain/add-alias" => REPLY;
    pub struct AddAlias {
        required order_id: OrderId = "order-id",
        required alias: DomainName = "alias",
    }
}

crate::call! {
    /// `mail/domain/delete-alias`.
    POST "mail/domain/delete-alias" => REPLY;
    pub struct DeleteAlias {
        required order_id: OrderId = "order-id",
        required alias: DomainName = "alias",
    }
}

crate::call! {
    /// `mail/domain/update-notification-email`.
    POST "mail/domain/update-notification-email" => REPLY;
    pub struct UpdateNotificationEmail {
        required order_id: OrderId = "order-id",
        required notification_email: Address = "notification-email",
    }
}

crate::call! {
    /// `mail/mailinglist/add`.
    POST "mail/mailinglist/add" => REPLY;
    pub struct AddList {
        required order_id: OrderId = "order-id",
        required list_address: Address = "list-address",
        required subscription_held: bool = "subscription-held",
        required who_can_post: WhoCanPost = "who-can-post",
        required send_messages_for_moderation: bool = "send-messages-for-moderation",
        required reply_to: ReplyTo = "reply-to",
        required moderators: Addresses = "moderators",
        optional custom_email: Address = "custom-email",
        optional footer_text: Short<1024> = "footer-text",
    }
}

crate::call! {
    /// `mail/mailinglist/update`: its settings, as `add` takes them.
    POST "mail/mailinglist/update" => REPLY;
    pub struct UpdateList {
        required order_id: OrderId = "order-id",
        required list_address: Address = "list-address",
        required subscription_held: bool = "subscription-held",
        required who_can_post: WhoCanPost = "who-can-post",
        required send_messages_for_moderation: bool = "send-messages-for-moderation",
        required reply_to: ReplyTo = "reply-to",
        optional custom_email: Address = "custom-email",
        optional footer_text: Short<1024> = "footer-text",
    }
}

crate::call! {
    /// `mail/mailinglist/delete`.
    POST "mail/mailinglist/delete" => REPLY;
    pub struct DeleteList {
        required order_id: OrderId = "order-id",
        required list_address: Address = "list-address",
    }
}

crate::call! {
    /// `mail/mailinglist/subscribers`.
    GET "mail/mailinglist/subscribers" => REPLY;
    pub struct Subscribers {
        required order_id: OrderId = "order-id",
        required list_address: Address = "list-address",
    }
}

/// The calls that add or delete members of a list.
macro_rules! members_call {
    ($(#[$meta:meta])* $path:literal, $name:ident, $field:ident = $wire:literal) => {
        crate::call! {
            $(#[$meta])*
            POST $path => REPLY;
            pub struct $name {
                required order_id: OrderId = "order-id",
                required list_address: Address = "list-address",
                required $field: Addresses = $wire,
            }
        }
    };
}

members_call!(
    /// `mail/mailinglist/add-subscribers`.
    "mail/mailinglist/add-subscribers", AddSubscribers, subscribers = "subscribers"
);
members_call!(
    /// `mail/mailinglist/delete-subscribers`.
    "mail/mailinglist/delete-subscribers", DeleteSubscribers, subscribers = "subscribers"
);
members_call!(
    /// `mail/mailinglist/add-moderators`.
    "mail/mailinglist/add-moderators", AddModerators, moderators = "moderators"
);
members_call!(
    /// `mail/mailinglist/delete-moderators`: at least one stays.
    "mail/mailinglist/delete-moderators", DeleteModerators, moderators = "moderators"
);
