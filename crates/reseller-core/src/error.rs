//! Why an operation was refused. Every business error text that clients may
//! match on is written here, once; the wire layer shows `Display` verbatim.
//! A storage fault is a different type: it is ours, never the caller's.

use crate::ids::{ContactId, CustomerId, InvoiceId, OrderId, PlanId, ResellerId};
use crate::money::Money;

/// A request the rules refuse. The texts are part of the wire contract.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("No Entity found for Entityid: {0}")]
    NoEntity(i64),
    #[error("Invalid customer-id: {0}")]
    InvalidCustomer(CustomerId),
    #[error("Customer {0} not found")]
    CustomerNotFound(String),
    #[error("Customer {0} already exists")]
    UsernameTaken(String),
    #[error(
        "Invalid domain: {0}. Pre-orders take names in TLDs not yet open: .web; a name of a TLD sold here is registered with domains/register"
    )]
    NotPreorderable(String),
    #[error("Invalid domain: {domain}. It is not on the pre-order list of customer {customer_id}")]
    NotPreordered {
        domain: String,
        customer_id: CustomerId,
    },
    #[error(
        "Customer {0} has no .coop sponsor: add one with contacts/coop/add-sponsor before registering a .coop name"
    )]
    CoopSponsorMissing(CustomerId),
    #[error("Invalid otp: it is not a live one-time code of customer {0}, or it was used")]
    WrongOtp(CustomerId),
    #[error(
        "Invalid type: gauth. Customer {0} has no authenticator app set up here; codes are sent by sms"
    )]
    NoAuthenticatorApp(CustomerId),
    #[error("Reseller {0} already exists")]
    ResellerUsernameTaken(String),
    #[error("Invalid reseller-id: {0}. No sub-reseller of yours has it")]
    UnknownSubReseller(ResellerId),
    #[error("No order found for {0}")]
    OrderNameNotFound(String),
    #[error("Invalid new-customer-id: {0}. It is the existing customer")]
    MoveToSameCustomer(CustomerId),
    #[error("Customer {customer_id} has no order for {name}")]
    NothingToMove {
        customer_id: CustomerId,
        name: String,
    },
    #[error("You are not allowed to perform this action")]
    NotAllowed,
    #[error("There is already an action pending on this Order.")]
    ActionPending,
    #[error("Invalid plan-id: {plan_id}. Plans of {product}: {allowed}")]
    UnknownPlan {
        plan_id: PlanId,
        product: &'static str,
        allowed: String,
    },
    #[error("Plan {plan_id} has no {action} price for this reseller")]
    NotSold {
        plan_id: PlanId,
        action: &'static str,
    },
    #[error("Invalid months: {months}. Plan {plan_id} offers {allowed} months")]
    UnofferedMonths {
        months: u32,
        plan_id: PlanId,
        allowed: String,
    },
    #[error("Invalid storage-size-gb: {gb}. Plan {plan_id} allows {min} to {max} GB")]
    StorageOutOfRange {
        gb: u32,
        plan_id: PlanId,
        min: u32,
        max: u32,
    },
    #[error(
        "Invalid storage-size-gb: {gb}. It is the new total and must be more than the current {current} GB"
    )]
    StorageNotGrowing { gb: u32, current: u32 },
    #[error("Invalid discount-amount: {discount} is more than the price {price}")]
    DiscountAbovePrice { discount: Money, price: Money },
    #[error("Order {order_id} is {status}; this action needs an Active order")]
    OrderNotActive {
        order_id: OrderId,
        status: &'static str,
    },
    #[error("Order {order_id} is {status}; only a Suspended order can be unsuspended")]
    OrderNotSuspended {
        order_id: OrderId,
        status: &'static str,
    },
    #[error("Order {order_id} is {status} and cannot be changed")]
    OrderClosed {
        order_id: OrderId,
        status: &'static str,
    },
    #[error(
        "Invalid hosting-order-id: {0}. A backup attaches to a VPS, Dedicated Server or Managed Server order"
    )]
    NotABackupHost(OrderId),
    #[error("Invalid hosting-order-id: {0}. It belongs to another customer")]
    HostOfAnotherCustomer(OrderId),
    #[error("Order {order_id} is not a {expected} order")]
    WrongProduct {
        order_id: OrderId,
        expected: &'static str,
    },
    #[error(
        "The backup agent of order {backup_order_id} is already installed on order {hosting_order_id}"
    )]
    AgentAlreadyInstalled {
        backup_order_id: OrderId,
        hosting_order_id: OrderId,
    },
    #[error(
        "Order {hosting_order_id} already runs the backup agent of order {other_backup_order_id}"
    )]
    HostHasAnotherAgent {
        hosting_order_id: OrderId,
        other_backup_order_id: OrderId,
    },
    #[error(
        "Insufficient funds in the reseller account: the action costs {needed} USD and the available balance is {available} USD"
    )]
    ResellerFunds { needed: Money, available: Money },
    #[error(
        "Insufficient funds in the parent reseller's account for this action; the parent reseller must add funds"
    )]
    ParentFunds,
    #[error(
        "The parent reseller's account is suspended; no action is charged through it until it is active again"
    )]
    ParentSuspended,
    #[error(
        "Insufficient funds in the customer account: the invoices total {needed} USD and the available balance is {available} USD"
    )]
    CustomerFunds { needed: Money, available: Money },
    #[error("Invalid invoice-ids: {0}. It is a sub-reseller's invoice, which no customer pays")]
    SubResellerInvoice(InvoiceId),
    #[error("Invalid invoice-ids: {0}. No such invoice")]
    UnknownInvoice(InvoiceId),
    #[error("Invoice {invoice_id} is {status}; only an Unpaid invoice can be paid")]
    InvoiceNotUnpaid {
        invoice_id: InvoiceId,
        status: &'static str,
    },
    #[error("Invoice {invoice_id} is {status}; only an Unpaid invoice's action can be executed")]
    InvoiceNotExecutable {
        invoice_id: InvoiceId,
        status: &'static str,
    },
    #[error("Invoice {0} has no pending action to execute")]
    InvoiceNothingPending(InvoiceId),
    #[error("Customer {customer_id} has orders that are not deleted: {orders}")]
    CustomerHasOrders {
        customer_id: CustomerId,
        orders: String,
    },
    #[error("Invalid {role}: {contact_id}. It must be an Active {kind} of the customer")]
    UnfitContact {
        role: &'static str,
        contact_id: ContactId,
        kind: String,
    },
    #[error("Website doesn't exist for {0}")]
    NoWebsite(String),
    #[error("DNS service is not active for {0}: activate it with dns/activate")]
    DnsNotActive(String),
    #[error("Domain forwarding is not active for {0}: activate it with domainforward/activate")]
    ForwardingNotActive(String),
    #[error("Invalid sub-domain-prefix: {prefix}. {name} forwards no such sub-domain")]
    NoSubDomainForward { prefix: String, name: String },
    #[error("Order {order_id} is {status}: DNS is hosted only for an Active domain")]
    DnsOrderNotActive {
        order_id: OrderId,
        status: &'static str,
    },
    #[error("{kind} record {host} with value {value} already exists")]
    DnsRecordExists {
        kind: &'static str,
        host: String,
        value: String,
    },
    #[error("No {kind} record {host} with value {value} exists")]
    DnsRecordNotFound {
        kind: &'static str,
        host: String,
        value: String,
    },
    #[error("Invalid host: {0}. A CNAME must be the only record of its host")]
    DnsCnameAlone(String),
    #[error(
        "Invalid host: @. The zone's apex holds its SOA and NS records, so it can have no CNAME"
    )]
    DnsCnameAtApex,
    #[error("Domain {0} already registered")]
    DomainRegistered(String),
    #[error("Invalid domain-name: {0}. Its TLD is not sold here")]
    TldNotSold(String),
    #[error("Domain {0} is a premium name; premium names are not sold here yet")]
    PremiumNotSold(String),
    #[error("Invalid years: {years}. .{tld} is registered for {min} to {max} years")]
    YearsOutOfRange {
        years: u32,
        tld: &'static str,
        min: u32,
        max: u32,
    },
    #[error("Invalid {role}: .{tld} takes no such contact; give -1")]
    ContactNotTaken {
        role: &'static str,
        tld: &'static str,
    },
    #[error("Invalid {role}: -1. .{tld} requires this contact")]
    ContactRequired {
        role: &'static str,
        tld: &'static str,
    },
    /// The real text (WWW-LogicBoxes matches it): `key` names the role as
    /// the vendor does, `registrantcontactid` for `reg-contact-id`.
    #[error("{{{key}={key} is invalid}}")]
    ContactNotFit { key: &'static str },
    #[error("Invalid purchase-privacy: privacy protection is not offered for .{0}")]
    PrivacyNotOffered(&'static str),
    #[error("Same value for new and old NameServers")]
    SameNameServers,
    #[error("A Child Name Servers can only be registered under your Domain Name")]
    ChildNameServerOutside,
    #[error("This IpAddress already exists")]
    IpAddressExists,
    #[error("Same value for new and old IpAddress")]
    SameIpAddress,
    #[error("Same value for new and old Child NameServer")]
    SameChildNameServer,
    #[error("Invalid Old Child NameServer. Its not registered nameserver for this domain")]
    NoOldChildNameServer,
    #[error("Invalid Child Name Server. Its not registered nameserver for this domain")]
    NoChildNameServer,
    #[error("DNSSEC is not supported for .{tld}: DS records are taken for {allowed}")]
    DnssecNotSupported { tld: String, allowed: String },
    #[error("Invalid digesttype: {digest_type}. .{tld} takes {allowed}")]
    DigestTypeNotTaken {
        digest_type: u8,
        tld: String,
        allowed: &'static str,
    },
    #[error("DS record with keytag {0} exists already")]
    DsRecordExists(u16),
    #[error("No DS record with keytag {0} and that digest")]
    NoDsRecord(u16),
    #[error("Order {order_id} is locked by its reseller: {reason}")]
    ResellerLocked { order_id: OrderId, reason: String },
    #[error("Order {0} is locked by its reseller already")]
    ResellerLockedAlready(OrderId),
    #[error("Order {0} has no reseller lock")]
    NoResellerLock(OrderId),
    #[error("Order {order_id} is not a .{tld} domain: this call is for .{tld} domains only")]
    NotOfTld {
        order_id: OrderId,
        tld: &'static str,
    },
    #[error("Order {0} has privacy protection bought already")]
    PrivacyBoughtAlready(OrderId),
    #[error(
        "Invalid order-id: {order_id}. It is an order of customer {owner}, not of {customer_id}"
    )]
    OrderOfAnotherCustomer {
        order_id: OrderId,
        owner: CustomerId,
        customer_id: CustomerId,
    },
    #[error("Invalid Old IpAddress. Its not attached to Nameserver")]
    NoOldIpAddress,
    #[error("{{ipaddress1=Invalid IpAddress {0} Its not attached to Nameserver}}")]
    NoIpAddress(String),
    #[error("{{hostname=Child NameServer already exists}}")]
    ChildNameServerExists,
    #[error("Parent Domain for New child nameServer is not registered by us")]
    ChildNameServerParentElsewhere,
    #[error("{{hostname=Parent DomainName is not registered by you}}")]
    ChildNameServerParentNotYours,
    #[error("Domain already renewed.")]
    DomainAlreadyRenewed,
    #[error("A Domain Name cannot be extended beyond 10 years from today")]
    BeyondTenYears,
    #[error("Cannot Delete Contact {contact_id}: the domain orders {orders} use it")]
    ContactInUse {
        contact_id: ContactId,
        orders: String,
    },
    #[error("Resend verification email is not supported for InActive or Deleted domains.")]
    NixiInactive,
    #[error(
        "Resend verification email is not supported while eKYCVerificationStatus is Pending Partner Confirmation."
    )]
    NixiInProcessing,
    #[error(
        "NIXI verification applies to .in, third-level .in and .bharat domains only; {0} is not one"
    )]
    NixiNotApplicable(String),
    #[error("The registrant of {0} is already verified")]
    NixiVerified(String),
    #[error(
        "A verification email was resent less than 5 minutes ago; try again in {seconds} seconds"
    )]
    NixiTooSoon { seconds: i64 },
    #[error("This verification link is no longer valid: a newer one has been sent")]
    VerificationLinkStale,
    #[error("Contact {0} is Deleted and cannot be changed")]
    ContactDeleted(ContactId),
    #[error("Feature deprecated. Please refer to KB link")]
    ContactModifyDeprecated,
    #[error(
        "This API Call has been deprecated. Associating extra details with a specified contact is no longer allowed and only New Contacts can be created and associated with a domain while associating extra details."
    )]
    ContactSetDetailsDeprecated,
    #[error(
        "This API call has been deprecated, since the .UK Right of Registration period ended on 25th June 2019 at 06:00 BST (UTC+1)"
    )]
    UkAvailableDeprecated,
    #[error(
        "Invalid tld: {0}. No TLD sold here is in its sunrise phase (domains/tlds-in-phase lists none)"
    )]
    NotInSunrise(String),
    #[error(
        "Invalid lookup-key: {0}. No TLD sold here is in its trademark claims period, so no claim has a notice"
    )]
    NoTrademarkClaim(String),
    #[error(
        "Invalid publish: n. A legal person's details are always shown in .tel WHOIS; only a Natural person may withhold them"
    )]
    LegalPersonPublished,
    #[error("This API call is retired: {0}")]
    Retired(&'static str),
    #[error("Invalid token: it is unknown or has expired")]
    InvalidToken,
    #[error("Invalid passwd: it does not match the customer's password")]
    WrongPassword,
    #[error("Customer {0} is not Active")]
    CustomerNotActive(CustomerId),
    #[error("Invalid transaction-key: {0} was used before")]
    DuplicateTransactionKey(String),
    #[error("Invalid amount: {0}. It must be more than 0")]
    AmountNotPositive(Money),
    #[error("You must have atleast ONE email account.")]
    NoEmailAccount,
    #[error("Invalid no-of-accounts: {accounts}. An order holds at most {max} email accounts")]
    TooManyEmailAccounts { accounts: u32, max: u32 },
    #[error("Invalid addon: {0}. It is given more than once")]
    AddonTwice(String),
    #[error("Invalid addon: {name}. Order {order_id} has it already")]
    AddonPresent { name: String, order_id: OrderId },
    #[error("Invalid addon-id: {addon_id}. Order {order_id} has no such add-on")]
    NoSuchAddon { addon_id: u32, order_id: OrderId },
    #[error("Business Email order {order_id} already exists for {domain}")]
    EmailOrderExists { order_id: OrderId, domain: String },
    #[error(
        "There is already a pending action on this domain: a change of registrant awaits approval"
    )]
    RegistrantChangePending,
    #[error("It is available for registration as new domain")]
    TransferAvailable,
    #[error("Domain {0} is already registered with us; it cannot be transferred in")]
    TransferHeldHere(String),
    #[error(
        "Invalid action status/action type for this operation: order {0} has no transfer in progress"
    )]
    NoTransfer(OrderId),
    #[error(
        "The current status of Transfer action for the domain name does not allow this operation: order {0} waits for an Auth Code"
    )]
    TransferWantsAuthCode(OrderId),
    #[error(
        "The current status of Transfer action for the domain name does not allow this operation: order {0} awaits payment of its invoice"
    )]
    TransferUnpaid(OrderId),
    #[error("Order {0} is being transferred in; cancel the transfer instead")]
    TransferInProgress(OrderId),
    #[error(
        "This approval link is no longer valid: the transfer has ended or a newer link was sent"
    )]
    TransferLinkStale,
    #[error("Order {order_id} cannot be restored: it is {status}, not Deleted")]
    RestoreNotDeleted {
        order_id: OrderId,
        status: &'static str,
    },
    #[error("Order {0} cannot be restored: its redemption period of 30 days has ended")]
    RestorePeriodOver(OrderId),
    #[error("Email service is not active for order {order_id}: it is {status}")]
    MailOrderNotActive {
        order_id: OrderId,
        status: &'static str,
    },
    #[error("Email address {0} does not exist")]
    MailAccountNotFound(String),
    #[error("Email address is already registered with us: {0}")]
    MailAddressTaken(String),
    #[error("Email address {email} is not of the order's domain {domain}")]
    MailAddressElsewhere { email: String, domain: String },
    #[error(
        "You have exhausted the number of email accounts of order {order_id}: it holds {limit}; add accounts to the order first"
    )]
    MailboxLimit { order_id: OrderId, limit: u32 },
    #[error(
        "Cannot reduce the email accounts to {accounts}: the order holds {held} mailboxes; delete mailboxes first"
    )]
    MailboxesHeld { held: u32, accounts: u32 },
    #[error("{0} is a forward-only account: it has no password")]
    ForwardOnlyHasNoPassword(String),
    #[error("{0} is a forward-only account: it keeps at least one forward")]
    ForwardOnlyNeedsForward(String),
    #[error("Invalid old-passwd: it does not match the account's password")]
    MailPasswordWrong,
    #[error("Authentication failed: wrong email address or password, or the account is suspended")]
    MailAuthenticationFailed,
    #[error("{forward} is not a forward of {email}")]
    MailForwardNotFound { email: String, forward: String },
    #[error("Domain alias {0} already exists")]
    MailAliasTaken(String),
    #[error("Domain alias {0} does not exist")]
    MailAliasNotFound(String),
    #[error("Mailing list {0} does not exist")]
    MailingListNotFound(String),
    #[error("{member} is not a member of mailing list {list}")]
    ListMemberNotFound { list: String, member: String },
    #[error("Mailing list {0} keeps at least one moderator")]
    ListNeedsModerator(String),
    #[error("Invalid verification-email: {email}. It must be one of {allowed} at {domain}")]
    NotAnApprover {
        email: String,
        domain: String,
        allowed: String,
    },
    #[error("Order {0} has a certificate issued already: reissue it instead")]
    CertificateIssued(OrderId),
    #[error("Order {0} has no request waiting for validation")]
    CertificateNotPending(OrderId),
    #[error("Order {0} has no certificate issued")]
    CertificateNotIssued(OrderId),
    #[error("Order {0} has no certificate request: enroll it first")]
    CertificateNotEnrolled(OrderId),
    #[error("Invalid csr: it names {names}, not the order's domain {domain}")]
    CsrNamesOther { domain: String, names: String },
    #[error("Invalid csr: it names {names} names; the order's plan covers {covers}")]
    CsrTooManyNames { names: usize, covers: usize },
    #[error("Order {order_id} has no {name}")]
    AddonMissing { name: String, order_id: OrderId },
    #[error("Invalid new-plan-id: {plan_id}. Order {order_id} is on that plan already")]
    SamePlan { order_id: OrderId, plan_id: PlanId },
}

/// A failure of the storage layer, never the caller's: its text is for the
/// log. The kind says what may be done about it, so that no caller ever
/// has to read the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The database could not serialize this transaction with a concurrent
    /// one, or found a deadlock: running the transaction again resolves it.
    #[error("storage conflict: {0}")]
    Conflict(String),
    /// The database refused a statement (a constraint, a value it cannot
    /// take). On PostgreSQL the transaction is unusable afterwards unless
    /// a savepoint taken before the statement is rolled back.
    #[error("statement refused by the database: {0}")]
    Refused(String),
    /// The connection to the database was lost (the server restarted, say)
    /// before the transaction's commit was sent: nothing of it was kept,
    /// and running it again on a fresh connection is safe.
    #[error("storage connection lost: {0}")]
    Lost(String),
    /// A stored value that the rules do not know.
    #[error("corrupt data: {0}")]
    Corrupt(String),
    /// Anything else: a lost connection, a full disk, a bug of ours.
    #[error("storage fault: {0}")]
    Fault(String),
}

impl StoreError {
    /// A fault described by `detail`.
    pub fn fault(detail: impl std::fmt::Display) -> StoreError {
        StoreError::Fault(detail.to_string())
    }

    /// A stored value the rules cannot read, described by `detail`.
    pub fn corrupt(detail: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt(detail.to_string())
    }

    /// Whether running the transaction again may succeed.
    pub fn is_conflict(&self) -> bool {
        matches!(self, StoreError::Conflict(_))
    }

    /// Whether the connection was lost, so a fresh one is needed.
    pub fn is_lost(&self) -> bool {
        matches!(self, StoreError::Lost(_))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Rule(#[from] RuleError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
