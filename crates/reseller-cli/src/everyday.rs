//! `reseller customers ...` and `reseller orders ...`: the everyday flows,
//! typed through `reseller-client`, shown as a table for people or as JSON
//! (`--json`) for scripts.

use crate::account::Account;
use crate::api::said;
use anyhow::Context;
use clap::{Args, Subcommand};
use reseller_client::{
    ActionReceipt, Charge, CustomerId, InvoiceOption, NewCustomer, NewOrder, OrderDetails,
    OrderSearch, Page, Renewal,
};
use serde_json::{Value, json};

/// The account a command calls, and how it shows the answer.
#[derive(Args)]
struct Session {
    #[command(flatten)]
    account: Account,
    /// JSON instead of a table.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Args)]
pub struct Customers {
    #[command(subcommand)]
    command: CustomersCommand,
    #[command(flatten)]
    session: Session,
}

// Parsed once per run: the size of a variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum CustomersCommand {
    /// Sign up a customer.
    Add {
        #[arg(long)]
        username: String,
        /// The customer's password (RESELLER_CUSTOMER_PASSWORD keeps it out of the history).
        #[arg(long, env = "RESELLER_CUSTOMER_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        company: String,
        #[arg(long)]
        address: String,
        #[arg(long)]
        city: String,
        #[arg(long)]
        state: String,
        /// Two letters: US, GB, IN, ...
        #[arg(long)]
        country: String,
        #[arg(long)]
        zipcode: String,
        #[arg(long)]
        phone_cc: String,
        #[arg(long)]
        phone: String,
    },
    /// A customer's details.
    Show { customer_id: i64 },
    /// A customer's funds.
    Balance { customer_id: i64 },
    /// Every customer, or those of `--username`, page by page.
    List {
        #[arg(long)]
        username: Vec<String>,
    },
}

#[derive(Args)]
pub struct Orders {
    #[command(subcommand)]
    command: OrdersCommand,
    #[command(flatten)]
    session: Session,
}

#[derive(Subcommand)]
enum OrdersCommand {
    /// Place an order of a product (`backup/us`, `vps/linux/us`, `eelite/us`, ...).
    Add {
        product: String,
        #[arg(long)]
        customer_id: i64,
        #[arg(long)]
        plan_id: Option<i64>,
        #[arg(long, default_value_t = 1)]
        months: u32,
        #[arg(long)]
        domain_name: Option<String>,
        /// NoInvoice, PayInvoice, KeepInvoice or OnlyAdd.
        #[arg(long, default_value = "NoInvoice")]
        invoice_option: InvoiceOption,
        /// The product's other parameters, each `key=value`.
        params: Vec<String>,
    },
    /// An order's details.
    Show { product: String, order_id: i64 },
    /// Renew an order for `--months`.
    Renew {
        product: String,
        order_id: i64,
        #[arg(long, default_value_t = 1)]
        months: u32,
        #[arg(long, default_value = "NoInvoice")]
        invoice_option: InvoiceOption,
    },
    /// Delete an order.
    Delete { product: String, order_id: i64 },
    /// Every order of a product, page by page; `--customer-id` and
    /// `--status` narrow it.
    List {
        product: String,
        #[arg(long)]
        customer_id: Vec<i64>,
        #[arg(long)]
        status: Vec<String>,
    },
}

#[derive(Args)]
pub struct Invoices {
    #[command(subcommand)]
    command: InvoicesCommand,
    #[command(flatten)]
    session: Session,
}

#[derive(Subcommand)]
enum InvoicesCommand {
    /// Pay invoices from their customers' funds, all or none; the actions
    /// they held run.
    Pay {
        #[arg(required = true)]
        invoice_ids: Vec<i64>,
    },
}

#[derive(Args)]
pub struct Domains {
    #[command(subcommand)]
    command: DomainsCommand,
    #[command(flatten)]
    session: Session,
}

#[derive(Subcommand)]
enum DomainsCommand {
    /// Whether names are free under TLDs: `available my-shop --tld com --tld in`.
    Available {
        #[arg(required = true)]
        names: Vec<String>,
        #[arg(long = "tld", required = true)]
        tlds: Vec<String>,
    },
    /// Register a domain for a customer, one contact in every role.
    Register {
        name: String,
        #[arg(long)]
        customer_id: i64,
        #[arg(long)]
        contact_id: i64,
        #[arg(long, default_value_t = 1)]
        years: u32,
        /// A name server; repeat for more.
        #[arg(long = "ns", required = true)]
        name_servers: Vec<String>,
        #[arg(long, default_value = "NoInvoice")]
        invoice_option: InvoiceOption,
    },
    /// A domain order's details.
    Show { order_id: i64 },
}

pub async fn domains(command: Domains) -> anyhow::Result<()> {
    let client = command.session.account.client()?;
    match command.command {
        DomainsCommand::Available { names, tlds } => {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let tlds: Vec<&str> = tlds.iter().map(String::as_str).collect();
            let found = client
                .domains()
                .available(&names, &tlds)
                .await
                .map_err(said)?;
            show(
                found
                    .iter()
                    .map(|(name, availability)| (name.as_str(), json!(availability.status)))
                    .collect(),
                command.session.json,
            )
        }
        DomainsCommand::Register {
            name,
            customer_id,
            contact_id,
            years,
            name_servers,
            invoice_option,
        } => {
            let receipt = client
                .domains()
                .register(&reseller_client::DomainRegistration {
                    name,
                    years,
                    name_servers,
                    customer: CustomerId(customer_id),
                    registrant: contact_id,
                    admin: contact_id,
                    tech: contact_id,
                    billing: contact_id,
                    charge: Charge::of(invoice_option),
                    privacy: false,
                })
                .await
                .map_err(said)?;
            show(receipt_fields(&receipt), command.session.json)
        }
        DomainsCommand::Show { order_id } => {
            let domain = client.domains().details(order_id).await.map_err(said)?;
            show(
                vec![
                    ("order_id", json!(domain.order_id)),
                    ("name", json!(domain.name)),
                    ("status", json!(domain.status)),
                    ("customer_id", json!(domain.customer_id.0)),
                    ("end_time", json!(domain.end_time)),
                    ("name_servers", json!(domain.name_servers.join(" "))),
                ],
                command.session.json,
            )
        }
    }
}

#[derive(Args)]
pub struct Dns {
    #[command(subcommand)]
    command: DnsCommand,
    #[command(flatten)]
    session: Session,
}

#[derive(Subcommand)]
enum DnsCommand {
    /// Start hosting a domain order's DNS: `dns activate 7`.
    Activate { order_id: i64 },
    /// The zone's records, of every type or of those given: `dns list example.com --type A`.
    List {
        domain: String,
        #[arg(long = "type")]
        types: Vec<String>,
    },
    /// Add a record: `dns add example.com A www 192.0.2.1` (`@` for the domain itself).
    Add {
        domain: String,
        /// A, AAAA, CNAME, MX, NS, TXT or SRV.
        kind: String,
        host: String,
        value: String,
        #[arg(long)]
        ttl: Option<u32>,
        #[arg(long)]
        priority: Option<u16>,
        #[arg(long)]
        port: Option<u16>,
        #[arg(long)]
        weight: Option<u16>,
    },
    /// Delete the records of a host with a value: `dns delete example.com www 192.0.2.1`.
    Delete {
        domain: String,
        host: String,
        value: String,
        /// Only records of this type.
        #[arg(long = "type")]
        kind: Option<String>,
    },
}

fn record_type(name: &str) -> anyhow::Result<reseller_client::RecordType> {
    reseller_client::RecordType::from_name(name)
        .with_context(|| format!("{name} is no record type: A, AAAA, CNAME, MX, NS, TXT or SRV"))
}

pub async fn dns(command: Dns) -> anyhow::Result<()> {
    use reseller_client::{DnsRecord, RecordType};
    let client = command.session.account.client()?;
    match command.command {
        DnsCommand::Activate { order_id } => {
            let zone = client.dns().activate(order_id).await.map_err(said)?;
            show(vec![("zone_id", json!(zone))], command.session.json)
        }
        DnsCommand::List { domain, types } => {
            let kinds = if types.is_empty() {
                RecordType::ALL.to_vec()
            } else {
                types
                    .iter()
                    .map(|t| record_type(t))
                    .collect::<anyhow::Result<Vec<_>>>()?
            };
            let mut records = Vec::new();
            for kind in kinds {
                let dns = client.dns();
                let domain = domain.as_str();
                records.extend(
                    every_page("records", |number| {
                        dns.records(domain, kind, PAGE_SIZE, number)
                    })
                    .await?,
                );
            }
            let rows: Vec<Vec<(&str, Value)>> = records
                .iter()
                .map(|r| {
                    vec![
                        ("type", json!(r.kind.name())),
                        ("host", json!(r.host)),
                        ("value", json!(r.value)),
                        ("ttl", json!(r.ttl)),
                        ("priority", json!(r.priority)),
                        ("port", json!(r.port)),
                        ("weight", json!(r.weight)),
                    ]
                })
                .collect();
            show_rows(rows, command.session.json)
        }
        DnsCommand::Add {
            domain,
            kind,
            host,
            value,
            ttl,
            priority,
            port,
            weight,
        } => {
            let record = DnsRecord {
                ttl,
                priority,
                port,
                weight,
                ..DnsRecord::new(record_type(&kind)?, &host, &value)
            };
            client.dns().add(&domain, &record).await.map_err(said)?;
            show(
                vec![("added", json!(format!("{kind} {host} {value}")))],
                command.session.json,
            )
        }
        DnsCommand::Delete {
            domain,
            host,
            value,
            kind,
        } => {
            let kind = kind.as_deref().map(record_type).transpose()?;
            client
                .dns()
                .delete(&domain, kind, &host, &value)
                .await
                .map_err(said)?;
            show(
                vec![("deleted", json!(format!("{host} {value}")))],
                command.session.json,
            )
        }
    }
}

#[derive(Args)]
pub struct Mail {
    #[command(subcommand)]
    command: MailCommand,
    #[command(flatten)]
    session: Session,
}

#[derive(Subcommand)]
enum MailCommand {
    /// Receive the order's domain's mail here (adds MX and SPF to a zone
    /// hosted here): `mail activate 7`.
    Activate { order_id: i64 },
    /// Create a mailbox: `mail add 7 ana@example.com --password Secret123 --name "Ana Lima"`.
    Add {
        order_id: i64,
        email: String,
        #[arg(long, env = "RESELLER_MAILBOX_PASSWORD", hide_env_values = true)]
        password: String,
        /// First and last name.
        #[arg(long, default_value = "")]
        name: String,
        /// Where notices about the mailbox go.
        #[arg(long)]
        notify: Option<String>,
    },
    /// An address that only forwards: `mail forward 7 sales@example.com ana@example.com`.
    Forward {
        order_id: i64,
        email: String,
        #[arg(required = true)]
        to: Vec<String>,
    },
    /// The order's accounts: `mail list 7`.
    List { order_id: i64 },
    /// A new random password for a mailbox, printed: `mail reset-password 7 ana@example.com`.
    ResetPassword { order_id: i64, email: String },
    /// Suspend accounts (or `--undo` to unsuspend): `mail suspend 7 ana@example.com`.
    Suspend {
        order_id: i64,
        #[arg(required = true)]
        emails: Vec<String>,
        #[arg(long)]
        undo: bool,
    },
    /// Delete accounts: `mail delete 7 ana@example.com`.
    Delete {
        order_id: i64,
        #[arg(required = true)]
        emails: Vec<String>,
    },
    /// The records the domain must publish: `mail records 7`.
    Records { order_id: i64 },
}

fn account_row(a: &reseller_client::MailAccount) -> Vec<(&'static str, Value)> {
    vec![
        ("email", json!(a.email)),
        ("type", json!(a.account_type)),
        ("status", json!(a.status)),
        (
            "name",
            json!(format!("{} {}", a.first_name, a.last_name).trim()),
        ),
        ("forwards", json!(a.forwards.join(","))),
    ]
}

pub async fn mail(command: Mail) -> anyhow::Result<()> {
    let client = command.session.account.client()?;
    let mail = client.mail();
    let json = command.session.json;
    match command.command {
        MailCommand::Activate { order_id } => {
            let added = mail.activate(order_id).await.map_err(said)?;
            show(vec![("dns_records_added", json!(added))], json)
        }
        MailCommand::Add {
            order_id,
            email,
            password,
            name,
            notify,
        } => {
            let (first, last) = name.split_once(' ').unwrap_or((name.as_str(), ""));
            let added = mail
                .add_mailbox(
                    order_id,
                    &reseller_client::NewMailbox {
                        email: &email,
                        password: &password,
                        first_name: first,
                        last_name: last,
                        notification_email: notify.as_deref(),
                    },
                )
                .await
                .map_err(said)?;
            show(account_row(&added), json)
        }
        MailCommand::Forward {
            order_id,
            email,
            to,
        } => {
            let to: Vec<&str> = to.iter().map(String::as_str).collect();
            let added = mail
                .add_forward_only(order_id, &email, &to)
                .await
                .map_err(said)?;
            show(account_row(&added), json)
        }
        MailCommand::List { order_id } => {
            let accounts = mail.accounts(order_id).await.map_err(said)?;
            show_rows(accounts.iter().map(account_row).collect(), json)
        }
        MailCommand::ResetPassword { order_id, email } => {
            let password = mail.reset_password(order_id, &email).await.map_err(said)?;
            show(
                vec![("email", json!(email)), ("password", json!(password))],
                json,
            )
        }
        MailCommand::Suspend {
            order_id,
            emails,
            undo,
        } => {
            let emails: Vec<&str> = emails.iter().map(String::as_str).collect();
            mail.suspend(order_id, &emails, !undo).await.map_err(said)?;
            let done = if undo { "unsuspended" } else { "suspended" };
            show(vec![(done, json!(emails.join(",")))], json)
        }
        MailCommand::Delete { order_id, emails } => {
            let emails: Vec<&str> = emails.iter().map(String::as_str).collect();
            mail.delete(order_id, &emails).await.map_err(said)?;
            show(vec![("deleted", json!(emails.join(",")))], json)
        }
        MailCommand::Records { order_id } => {
            let records = mail.dns_records(order_id).await.map_err(said)?;
            let rows = records.iter().map(|r| vec![("record", json!(r))]).collect();
            show_rows(rows, json)
        }
    }
}

#[derive(Args)]
pub struct Hosting {
    /// The product's prefix: `multidomainhosting/linux/us`,
    /// `resellerhosting`, `webservices`, ...
    product: String,
    #[command(subcommand)]
    command: HostingCommand,
    #[command(flatten)]
    session: Session,
}

#[derive(Subcommand)]
enum HostingCommand {
    /// Move an order to another plan for `--months` from now
    /// (`--quote`: only show what it costs).
    Modify {
        order_id: i64,
        #[arg(long)]
        plan_id: i64,
        #[arg(long, default_value_t = 1)]
        months: u32,
        #[arg(long)]
        quote: bool,
        /// NoInvoice, PayInvoice, KeepInvoice or OnlyAdd.
        #[arg(long, default_value = "NoInvoice")]
        invoice_option: InvoiceOption,
    },
    /// Add SSL to the order's site (billed for the rest of its term).
    Ssl {
        order_id: i64,
        #[arg(long, default_value = "NoInvoice")]
        invoice_option: InvoiceOption,
    },
    /// Put the order's site in maintenance mode.
    Maintenance { order_id: i64 },
    /// Reseller hosting: add (`--invoice-option`) or `--delete` its dedicated IP.
    DedicatedIp {
        order_id: i64,
        #[arg(long)]
        delete: bool,
        #[arg(long, default_value = "NoInvoice")]
        invoice_option: InvoiceOption,
    },
    /// Reseller hosting: the order's license key (made once).
    LicenseKey { order_id: i64 },
}

pub async fn hosting(command: Hosting) -> anyhow::Result<()> {
    let client = command.session.account.client()?;
    let hosting = client.hosting(&command.product);
    let json = command.session.json;
    match command.command {
        HostingCommand::Modify {
            order_id,
            plan_id,
            months,
            quote: true,
            ..
        } => {
            let quote = hosting
                .modify_pricing(order_id, plan_id, months)
                .await
                .map_err(said)?;
            show(
                vec![
                    ("upgrade_cost", json!(quote.upgrade.to_string())),
                    ("new_plan_price", json!(quote.modified.to_string())),
                    ("current_term_left", json!(quote.current.to_string())),
                    ("remaining_months", json!(quote.remaining_months)),
                ],
                json,
            )
        }
        HostingCommand::Modify {
            order_id,
            plan_id,
            months,
            invoice_option,
            ..
        } => {
            let receipt = hosting
                .modify(order_id, plan_id, months, Charge::of(invoice_option))
                .await
                .map_err(said)?;
            show(receipt_fields(&receipt), json)
        }
        HostingCommand::Ssl {
            order_id,
            invoice_option,
        } => {
            let receipt = hosting
                .enable_ssl(order_id, Charge::of(invoice_option))
                .await
                .map_err(said)?;
            show(receipt_fields(&receipt), json)
        }
        HostingCommand::Maintenance { order_id } => {
            hosting.enable_maintenance(order_id).await.map_err(said)?;
            show(vec![("maintenance", json!(true))], json)
        }
        HostingCommand::DedicatedIp {
            order_id,
            delete,
            invoice_option,
        } => {
            let receipt = if delete {
                hosting.delete_dedicated_ip(order_id).await
            } else {
                hosting
                    .add_dedicated_ip(order_id, Charge::of(invoice_option))
                    .await
            }
            .map_err(said)?;
            show(receipt_fields(&receipt), json)
        }
        HostingCommand::LicenseKey { order_id } => {
            let key = hosting.license_key(order_id).await.map_err(said)?;
            show(vec![("license_key", json!(key))], json)
        }
    }
}

#[derive(Args)]
pub struct Ssl {
    #[command(subcommand)]
    command: SslCommand,
    #[command(flatten)]
    session: Session,
}

#[derive(Subcommand)]
enum SslCommand {
    /// Send a CSR for an SSL order: `ssl enroll 7 --csr site.csr` (validated
    /// by a DNS TXT record), `--method cname` or `--method http` (a file the
    /// site serves), or `--email admin@example.com` to approve it by mail.
    Enroll {
        order_id: i64,
        /// The CSR's file, in PEM.
        #[arg(long)]
        csr: std::path::PathBuf,
        /// How the domain is validated: dns, cname or http.
        #[arg(long, default_value = "dns", value_parser = verification_method)]
        method: reseller_client::Verification,
        /// Validate by an approval mail to this address instead.
        #[arg(long)]
        email: Option<String>,
    },
    /// Look for the validation again and show the certificate's status.
    Status { order_id: i64 },
    /// Print the issued certificate in PEM (or the record that validates it).
    Cert { order_id: i64 },
    /// Revoke the issued certificate.
    Cancel { order_id: i64 },
}

/// A verification method by the API's word for it, but `email` (which
/// `--email` implies).
fn verification_method(word: &str) -> Result<reseller_client::Verification, String> {
    use reseller_client::Verification;
    Verification::ALL
        .into_iter()
        .filter(|m| *m != Verification::Email)
        .find(|m| m.as_str() == word)
        .ok_or_else(|| format!("{word} is not one of dns, cname, http"))
}

pub async fn ssl(command: Ssl) -> anyhow::Result<()> {
    use reseller_client::Verification;
    let client = command.session.account.client()?;
    let ssl = client.ssl();
    let json = command.session.json;
    match command.command {
        SslCommand::Enroll {
            order_id,
            csr,
            method,
            email,
        } => {
            let request = std::fs::read_to_string(&csr)
                .with_context(|| format!("cannot read {}", csr.display()))?;
            let method = if email.is_some() {
                Verification::Email
            } else {
                method
            };
            let status = ssl
                .enroll(order_id, &request, method, email.as_deref())
                .await
                .map_err(said)?;
            show(vec![("status", json!(status))], json)
        }
        SslCommand::Status { order_id } => {
            let status = ssl.check_status(order_id).await.map_err(said)?;
            show(vec![("status", json!(status))], json)
        }
        SslCommand::Cert { order_id } => {
            let details = ssl.details(order_id).await.map_err(said)?;
            match (&details.certificate, &details.dns_auth) {
                (Some(pem), _) if !json => {
                    print!("{pem}");
                    Ok(())
                }
                _ => show(
                    vec![
                        ("status", json!(details.status)),
                        ("names", json!(details.names.join(","))),
                        (
                            "dns_record",
                            json!(
                                details
                                    .dns_auth
                                    .map(|(h, v)| format!("{h} TXT {v}"))
                                    .or(details.cname.map(|(h, v)| format!("{h} CNAME {v}")))
                            ),
                        ),
                        (
                            "file",
                            json!(
                                details
                                    .file
                                    .map(|(url, content)| format!("{url} {content}"))
                            ),
                        ),
                        ("certificate", json!(details.certificate)),
                    ],
                    json,
                ),
            }
        }
        SslCommand::Cancel { order_id } => {
            ssl.cancel(order_id).await.map_err(said)?;
            show(vec![("revoked", json!(order_id))], json)
        }
    }
}

/// Prints records as one table with a header row, or as a JSON list.
fn show_rows(rows: Vec<Vec<(&str, Value)>>, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        let list: Vec<Value> = rows.into_iter().map(object).collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(());
    }
    let cell = |value: &Value| match value {
        Value::String(s) => s.clone(),
        Value::Null => "-".to_string(),
        other => other.to_string(),
    };
    let Some(first) = rows.first() else {
        println!("no records");
        return Ok(());
    };
    let keys: Vec<&str> = first.iter().map(|(key, _)| *key).collect();
    let mut widths: Vec<usize> = keys.iter().map(|k| k.len()).collect();
    for row in &rows {
        for (i, (_, value)) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell(value).len());
        }
    }
    let line = |cells: Vec<String>| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    println!("{}", line(keys.iter().map(|k| k.to_string()).collect()));
    for row in &rows {
        println!("{}", line(row.iter().map(|(_, v)| cell(v)).collect()));
    }
    Ok(())
}

pub async fn invoices(command: Invoices) -> anyhow::Result<()> {
    let client = command.session.account.client()?;
    match command.command {
        InvoicesCommand::Pay { invoice_ids } => {
            let paid = client
                .billing()
                .pay_invoices(&invoice_ids)
                .await
                .map_err(said)?;
            let records: Vec<Vec<(&str, Value)>> =
                paid.iter()
                    .map(|invoice| {
                        let mut fields = vec![
                            ("invoice_id", json!(invoice.invoice_id)),
                            ("status", json!(invoice.status)),
                            ("customer_id", json!(invoice.customer_id.0)),
                            ("selling_amount", json!(invoice.selling_amount.to_string())),
                        ];
                        if let Some(action) = &invoice.action {
                            // The invoice's own fields are shown once.
                            fields.extend(receipt_fields(action).into_iter().filter(|(key, _)| {
                                !matches!(*key, "invoice_id" | "selling_amount")
                            }));
                        }
                        fields
                    })
                    .collect();
            show_all(records, command.session.json)
        }
    }
}

/// Records a list command asks for at a time: the most a search gives.
const PAGE_SIZE: u32 = 500;

/// Every record of a search, page after page, with a progress bar on the
/// terminal (none when stderr is not one) once the first page has told
/// how many there are.
async fn every_page<T, F>(what: &str, page: impl Fn(u32) -> F) -> anyhow::Result<Vec<T>>
where
    F: std::future::Future<Output = reseller_client::Result<Page<T>>>,
{
    let first = page(1).await.map_err(said)?;
    let total = first.total;
    let bar = indicatif::ProgressBar::new(total).with_style(
        indicatif::ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {what}"))?,
    );
    let mut all = first.records;
    bar.set_position(all.len() as u64);
    let mut number = 1;
    while (all.len() as u64) < total {
        number += 1;
        let next = page(number).await.map_err(said)?;
        if next.records.is_empty() {
            break;
        }
        all.extend(next.records);
        bar.set_position(all.len() as u64);
    }
    bar.finish_and_clear();
    Ok(all)
}

/// Prints records as tables one after another, or as a JSON list.
fn show_all(records: Vec<Vec<(&str, Value)>>, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        let list: Vec<Value> = records.into_iter().map(object).collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(());
    }
    for (n, fields) in records.into_iter().enumerate() {
        if n > 0 {
            println!();
        }
        show(fields, false)?;
    }
    Ok(())
}

fn object(fields: Vec<(&str, Value)>) -> Value {
    Value::Object(
        fields
            .into_iter()
            .map(|(key, value)| (key.to_string(), value))
            .collect(),
    )
}

/// Prints `fields` as a two-column table, or as a JSON object.
fn show(fields: Vec<(&str, Value)>, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        println!("{}", serde_json::to_string_pretty(&object(fields))?);
    } else {
        let width = fields.iter().map(|(key, _)| key.len()).max().unwrap_or(0);
        for (key, value) in fields {
            let value = match value {
                Value::String(s) => s,
                Value::Null => "-".to_string(),
                other => other.to_string(),
            };
            println!("{key:<width$}  {value}");
        }
    }
    Ok(())
}

fn receipt_fields(receipt: &ActionReceipt) -> Vec<(&'static str, Value)> {
    vec![
        ("order_id", json!(receipt.order_id)),
        ("action_id", json!(receipt.action_id)),
        ("action_type", json!(receipt.action_type)),
        ("action_status", json!(receipt.action_status)),
        ("description", json!(receipt.description)),
        ("invoice_id", json!(receipt.invoice_id)),
        (
            "selling_amount",
            json!(receipt.selling_amount.map(|a| a.to_string())),
        ),
    ]
}

fn order_fields(order: &OrderDetails) -> Vec<(&'static str, Value)> {
    vec![
        ("order_id", json!(order.order_id)),
        ("description", json!(order.description)),
        ("status", json!(order.status)),
        ("customer_id", json!(order.customer_id.0)),
        ("created", json!(order.created)),
        ("end_time", json!(order.end_time)),
        ("auto_renew", json!(order.auto_renew)),
        ("product_key", json!(order.product_key)),
    ]
}

pub async fn customers(command: Customers) -> anyhow::Result<()> {
    let client = command.session.account.client()?;
    match command.command {
        CustomersCommand::Add {
            username,
            password,
            name,
            company,
            address,
            city,
            state,
            country,
            zipcode,
            phone_cc,
            phone,
        } => {
            let new = NewCustomer {
                username,
                password,
                name,
                company,
                address_line_1: address,
                city,
                state,
                country,
                zipcode,
                phone_cc,
                phone,
            };
            let id = client.customers().signup(&new).await.map_err(said)?;
            show(vec![("customer_id", json!(id.0))], command.session.json)
        }
        CustomersCommand::Show { customer_id } => {
            let customer = client
                .customers()
                .details_by_id(CustomerId(customer_id))
                .await
                .map_err(said)?;
            show(
                vec![
                    ("customer_id", json!(customer.id.0)),
                    ("username", json!(customer.username)),
                    ("name", json!(customer.name)),
                    ("company", json!(customer.company)),
                    ("city", json!(customer.city)),
                    ("country", json!(customer.country)),
                    ("status", json!(customer.status)),
                    ("created", json!(customer.created)),
                    ("total_receipts", json!(customer.total_receipts.to_string())),
                ],
                command.session.json,
            )
        }
        CustomersCommand::List { username } => {
            let usernames: Vec<&str> = username.iter().map(String::as_str).collect();
            let (api, usernames) = (client.customers(), &usernames);
            let customers = every_page("customers", |page| {
                let api = &api;
                async move { api.search(usernames, PAGE_SIZE, page).await }
            })
            .await?;
            let records = customers
                .iter()
                .map(|c| {
                    vec![
                        ("customer_id", json!(c.id.0)),
                        ("username", json!(c.username)),
                        ("name", json!(c.name)),
                        ("status", json!(c.status)),
                        ("total_receipts", json!(c.total_receipts.to_string())),
                    ]
                })
                .collect();
            show_all(records, command.session.json)
        }
        CustomersCommand::Balance { customer_id } => {
            let balance = client
                .billing()
                .customer_balance(CustomerId(customer_id))
                .await
                .map_err(said)?;
            show(
                vec![
                    ("customer_id", json!(customer_id)),
                    ("funds", json!(balance.selling.to_string())),
                    ("locked", json!(balance.locked.to_string())),
                ],
                command.session.json,
            )
        }
    }
}

pub async fn orders(command: Orders) -> anyhow::Result<()> {
    let client = command.session.account.client()?;
    match command.command {
        OrdersCommand::Add {
            product,
            customer_id,
            plan_id,
            months,
            domain_name,
            invoice_option,
            params,
        } => {
            let extra = params
                .iter()
                .map(|param| {
                    param
                        .split_once('=')
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .with_context(|| format!("{param:?} is not key=value"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let order = NewOrder {
                domain_name,
                customer_id: CustomerId(customer_id),
                plan_id,
                months,
                auto_renew: false,
                charge: Charge::of(invoice_option),
                extra,
            };
            let receipt = client.orders(&product).add(&order).await.map_err(said)?;
            show(receipt_fields(&receipt), command.session.json)
        }
        OrdersCommand::Show { product, order_id } => {
            let order = client
                .orders(&product)
                .details(order_id)
                .await
                .map_err(said)?;
            show(order_fields(&order), command.session.json)
        }
        OrdersCommand::Renew {
            product,
            order_id,
            months,
            invoice_option,
        } => {
            let renewal = Renewal {
                months,
                auto_renew: None,
                charge: Charge::of(invoice_option),
            };
            let receipt = client
                .orders(&product)
                .renew(order_id, &renewal)
                .await
                .map_err(said)?;
            show(receipt_fields(&receipt), command.session.json)
        }
        OrdersCommand::List {
            product,
            customer_id,
            status,
        } => {
            let orders = client.orders(&product);
            let (orders, customer_id, status) = (&orders, &customer_id, &status);
            let found = every_page("orders", |page| async move {
                let search = OrderSearch {
                    records: PAGE_SIZE,
                    page,
                    customer_ids: customer_id.iter().copied().map(CustomerId).collect(),
                    statuses: status.clone(),
                    ..OrderSearch::default()
                };
                orders.search(&search).await
            })
            .await?;
            let records = found
                .iter()
                .map(|o| {
                    vec![
                        ("order_id", json!(o.order_id)),
                        ("description", json!(o.description)),
                        ("status", json!(o.status)),
                        ("customer_id", json!(o.customer_id.0)),
                        ("end_time", json!(o.end_time)),
                    ]
                })
                .collect();
            show_all(records, command.session.json)
        }
        OrdersCommand::Delete { product, order_id } => {
            let receipt = client
                .orders(&product)
                .delete(order_id)
                .await
                .map_err(said)?;
            show(receipt_fields(&receipt), command.session.json)
        }
    }
}
