//! The `reseller` command. A thin shell over the library crates: it parses
//! its configuration and calls in.

mod account;
mod api;
mod everyday;
mod sandbox;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use reseller_core::Money;
use reseller_server::{AppState, DEMO_FUNDS};
use reseller_store::Store;
use std::process::ExitCode;

/// mimalloc: every request allocates and frees small buffers and maps, and
/// glibc's allocator showed up in the read benchmark's profile (docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "reseller",
    version,
    about = "A self-hostable LogicBoxes-compatible reseller platform"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API.
    Serve(ServeConfig),
    /// Drive a running server's sandbox control plane.
    Sandbox(sandbox::Sandbox),
    /// Call the API: `reseller api customers/details-by-id customer-id=5`.
    Api(api::Api),
    /// Customers: add, show, balance.
    Customers(everyday::Customers),
    /// Orders of a product: add, show, renew, delete.
    Orders(everyday::Orders),
    /// Invoices: pay.
    Invoices(everyday::Invoices),
    /// Domains: available, register, show.
    Domains(everyday::Domains),
    /// A domain's hosted DNS: activate, list, add, delete.
    Dns(everyday::Dns),
    /// Mail accounts of a Business Email order: activate, add, forward,
    /// list, reset-password, suspend, delete, records.
    Mail(everyday::Mail),
    /// SSL certificate orders: enroll a CSR, status, cert, cancel.
    Ssl(everyday::Ssl),
    /// Web hosting orders' own calls: modify (or its quote), SSL,
    /// maintenance, dedicated IP, license key.
    Hosting(everyday::Hosting),
    /// Print a shell's completion script: `reseller completions bash`.
    Completions { shell: clap_complete::Shell },
    /// Administer a database directly.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Args)]
struct Database {
    /// Where the data lives: sqlite://PATH (embedded), or
    /// postgres://USER@HOST/DB (several instances may share it).
    #[arg(
        long,
        env = "RESELLER_DATABASE_URL",
        default_value = "sqlite://reseller.db"
    )]
    database_url: String,
}

#[derive(Args)]
struct ServeConfig {
    /// Address to listen on.
    #[arg(long, env = "RESELLER_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    /// Address of the DNS server (UDP and TCP) that answers the zones
    /// hosted here; `off` for none (default: 127.0.0.1:8053, skipped with a
    /// warning if taken).
    #[arg(long, env = "RESELLER_DNS_LISTEN")]
    dns_listen: Option<String>,
    /// SMTP relay (host:port, such as Mailpit's 127.0.0.1:1025) that every
    /// mail the platform keeps is also delivered to, retried until it is
    /// taken (default: none; mail stays in the outbox).
    #[arg(long, env = "RESELLER_SMTP_RELAY", value_parser = reseller_server::mail_delivery::parse_relay)]
    smtp_relay: Option<(String, u16)>,
    #[command(flatten)]
    database: Database,
    /// API key the demo reseller gets on an empty database (default: a random one).
    #[arg(long, env = "RESELLER_DEMO_API_KEY", hide_env_values = true)]
    demo_api_key: Option<String>,
    /// Token that opens the sandbox control plane under /_reseller/
    /// (default: a random one, printed at start).
    #[arg(long, env = "RESELLER_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// Opening funds of the demo reseller on an empty database, in USD.
    #[arg(long, env = "RESELLER_DEMO_FUNDS", value_parser = parse_money)]
    demo_funds: Option<Money>,
    /// Base URL of this server as clients reach it, for the links it hands out
    /// (default: http:// and the listen address).
    #[arg(long, env = "RESELLER_PUBLIC_URL")]
    public_url: Option<String>,
    /// Seconds a client has to send a request's headers.
    #[arg(long, env = "RESELLER_HEADER_TIMEOUT", default_value_t = 10)]
    header_timeout: u64,
    /// Seconds a client has to send a request's body.
    #[arg(long, env = "RESELLER_BODY_TIMEOUT", default_value_t = 30)]
    body_timeout: u64,
    /// Failed authentications a client address may make in a minute before
    /// every request from it is refused for the rest of that minute (0: no limit).
    #[arg(long, env = "RESELLER_AUTH_FAILURES_PER_MINUTE", default_value_t = 30)]
    auth_failures_per_minute: u32,
    /// Port the server fetches an SSL certificate's validation file from,
    /// at the domain's address (80, as certificate authorities do).
    #[arg(long, env = "RESELLER_VALIDATION_HTTP_PORT", default_value_t = 80)]
    validation_http_port: u16,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Resellers: the accounts that call the API.
    Reseller {
        #[command(subcommand)]
        command: ResellerCommand,
    },
    /// Check the ledger invariants of a database.
    CheckLedger(Database),
    /// Fill a database with customers and orders of the demo reseller (for
    /// benchmarks and demos); creates the demo reseller on an empty database.
    Seed {
        /// Customers to create, each with one VPS order.
        #[arg(long, default_value_t = 10_000)]
        customers: u64,
        /// Backup orders to create in all, spread over the customers.
        #[arg(long, default_value_t = 1_000_000)]
        orders: u64,
        /// API key of the demo reseller if this creates it.
        #[arg(long, env = "RESELLER_DEMO_API_KEY", hide_env_values = true)]
        demo_api_key: Option<String>,
        #[command(flatten)]
        database: Database,
    },
}

#[derive(Subcommand)]
enum ResellerCommand {
    /// Create a reseller and print its auth-userid and api-key.
    Create {
        #[arg(long)]
        name: String,
        /// Opening funds in USD, e.g. 500 or 500.25.
        #[arg(long, value_parser = parse_money, default_value = "0")]
        funds: Money,
        /// An address allowed to call the API as this reseller (repeat for
        /// more); none allows every address.
        #[arg(long = "allow-ip")]
        allow_ips: Vec<std::net::IpAddr>,
        #[command(flatten)]
        database: Database,
    },
}

fn parse_money(text: &str) -> Result<Money, String> {
    match Money::parse(text) {
        Ok(money) if !money.is_negative() => Ok(money),
        _ => Err(format!("{text:?} is not an amount such as 10000 or 12.50")),
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("RESELLER_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    reseller_client::install_tls();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // The whole chain: what was being done, then why it failed.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn now() -> i64 {
    reseller_server::clock::Clock::real_now()
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(config) => serve(config).await,
        Command::Sandbox(sandbox) => sandbox::run(sandbox).await,
        Command::Api(call) => api::run(call).await,
        Command::Customers(command) => everyday::customers(command).await,
        Command::Orders(command) => everyday::orders(command).await,
        Command::Invoices(command) => everyday::invoices(command).await,
        Command::Domains(command) => everyday::domains(command).await,
        Command::Dns(command) => everyday::dns(command).await,
        Command::Mail(command) => everyday::mail(command).await,
        Command::Ssl(command) => everyday::ssl(command).await,
        Command::Hosting(command) => everyday::hosting(command).await,
        Command::Completions { shell } => {
            use clap::CommandFactory;
            use std::io::Write;
            // Written whole, so that a reader that stops early (`| head`)
            // ends the command quietly.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "reseller", &mut script);
            match std::io::stdout().write_all(&script) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
                _ => Ok(()),
            }
        }
        Command::Admin {
            command:
                AdminCommand::Seed {
                    customers,
                    orders,
                    demo_api_key,
                    database,
                },
        } => seed(customers, orders, demo_api_key, &database.database_url).await,
        Command::Admin {
            command: AdminCommand::CheckLedger(database),
        } => {
            let store = Store::open(&database.database_url)?;
            let report = store.check_ledger()?;
            println!(
                "accounts: {}  transfers: {}",
                report.accounts, report.transfers
            );
            for violation in &report.violations {
                println!("VIOLATION: {violation}");
            }
            store.close();
            if report.is_balanced() {
                Ok(())
            } else {
                Err(anyhow::anyhow!("the ledger does not balance"))
            }
        }
        Command::Admin {
            command:
                AdminCommand::Reseller {
                    command:
                        ResellerCommand::Create {
                            name,
                            funds,
                            allow_ips,
                            database,
                        },
                },
        } => {
            let store = Store::open(&database.database_url)?;
            let api_key = reseller_server::auth::new_api_key()?;
            let hash = reseller_server::auth::hash_api_key(&api_key);
            let ips: Vec<String> = allow_ips.iter().map(ToString::to_string).collect();
            let now = now();
            let reseller = store
                .write(move |tx| {
                    let mut reseller =
                        reseller_core::accounts::create_reseller(tx, &name, &hash, funds, now)?;
                    if !ips.is_empty() {
                        reseller.allowed_ips.clone_from(&ips);
                        tx.update_reseller(&reseller)?;
                    }
                    Ok(reseller)
                })
                .await?;
            store.close();
            println!("auth-userid: {}", reseller.id);
            println!("api-key: {api_key}");
            Ok(())
        }
    }
}

async fn seed(
    customers: u64,
    orders: u64,
    demo_api_key: Option<String>,
    url: &str,
) -> anyhow::Result<()> {
    if customers == 0 {
        anyhow::bail!("--customers must be at least 1");
    }
    let store = Store::open(url).with_context(|| format!("cannot open {url}"))?;
    if let Some(demo) =
        reseller_server::ensure_demo(&store, demo_api_key, DEMO_FUNDS, now()).await?
    {
        println!("demo reseller created");
        println!("auth-userid: {}", demo.auth_userid);
        println!("api-key: {}", demo.api_key);
    }
    let total = orders + customers;
    let bar =
        indicatif::ProgressBar::new(total).with_style(indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} orders  {per_sec}  eta {eta}",
        )?);
    let started = std::time::Instant::now();
    let ticker = bar.clone();
    let plan = reseller_store::SeedPlan {
        reseller_id: 1,
        customers,
        backup_orders: orders,
        now: now(),
    };
    let seeded = store
        .seed(plan, move |done| ticker.set_position(done))
        .await?;
    bar.finish();
    store.close();
    println!(
        "seeded {} customers and {} orders in {:.1} s",
        seeded.customers,
        seeded.orders,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn serve(config: ServeConfig) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let store = Store::open(&config.database.database_url)
        .with_context(|| format!("cannot open {}", config.database.database_url))?;
    let funds = config.demo_funds.unwrap_or(DEMO_FUNDS);
    let demo = reseller_server::ensure_demo(&store, config.demo_api_key, funds, now()).await?;
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let address = listener.local_addr()?;
    let public_url = config
        .public_url
        .unwrap_or_else(|| format!("http://{address}"));
    let limits = reseller_server::Limits {
        header_timeout: std::time::Duration::from_secs(config.header_timeout.max(1)),
        body_timeout: std::time::Duration::from_secs(config.body_timeout.max(1)),
        auth_failures_per_minute: config.auth_failures_per_minute,
        validation_http_port: config.validation_http_port,
    };
    let dns = match config.dns_listen.as_deref() {
        Some("off") => None,
        Some(address) => Some(
            reseller_server::dns_server::listen(address, store.clone())
                .await
                .with_context(|| format!("cannot listen for DNS on {address}"))?,
        ),
        None => {
            let address = reseller_server::dns_server::DEFAULT_LISTEN;
            match reseller_server::dns_server::listen(address, store.clone()).await {
                Ok(bound) => Some(bound),
                Err(error) => {
                    eprintln!("warning: no DNS server: cannot listen on {address}: {error}");
                    None
                }
            }
        }
    };
    if let Some((host, port)) = &config.smtp_relay {
        reseller_server::mail_delivery::start(store.clone(), host.clone(), *port);
    }
    let state = AppState::with_limits(store, public_url, limits).await?;
    match config.admin_token {
        Some(token) => state.set_admin_token(&token),
        None => {
            let token = reseller_server::auth::new_api_key()?;
            state.set_admin_token(&token);
            println!("admin-token: {token}");
        }
    }
    match demo {
        Some(demo) => {
            println!("demo reseller created with {funds} USD");
            println!("auth-userid: {}", demo.auth_userid);
            println!("api-key: {}", demo.api_key);
        }
        None => println!("database has resellers already; the demo reseller is auth-userid 1"),
    }
    if let Some(dns) = dns {
        println!("answering DNS on {dns} (UDP and TCP)");
    }
    if let Some((host, port)) = &config.smtp_relay {
        println!("delivering mail to the SMTP relay at {host}:{port}");
    }
    // The last line: tools read up to it and may close the pipe after.
    println!("listening on http://{address}");
    tracing::info!(listen = %address, startup_ms = started.elapsed().as_millis() as u64, "serving");
    reseller_server::serve(listener, state, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => return interrupt.await.unwrap_or(()),
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    interrupt.await.unwrap_or(());
}
